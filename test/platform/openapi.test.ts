import { test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { testApp } from '../helpers/app.js';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
}

test('every /api/v1 route the app serves is in the OpenAPI document', async () => {
  const app = testApp();
  const doc = (await request(app).get('/api/openapi.json')).body as { openapi: string; paths: Record<string, Record<string, unknown>> };
  assert.equal(doc.openapi, '3.1.0');
  const stack = (app as unknown as { router: { stack: Layer[] } }).router.stack;
  const served = stack
    .filter((l) => l.route && l.route.path.startsWith('/api/v1'))
    .flatMap((l) => Object.keys(l.route!.methods).filter((m) => m !== '_all').map((m) => `${m} ${l.route!.path.replace(/:(\w+)/g, '{$1}')}`));
  assert.ok(served.length > 0, 'the app serves API routes');
  const documented = new Set(Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`)));
  const missing = served.filter((r) => !documented.has(r));
  assert.deepEqual(missing, [], `routes missing from the OpenAPI document: ${missing.join(', ')}`);
  for (const [p, ops] of Object.entries(doc.paths)) {
    for (const [m, op] of Object.entries(ops)) {
      const o = op as { summary?: string; responses?: Record<string, unknown> };
      assert.ok(o.summary, `${m} ${p} has a summary`);
      assert.ok(o.responses?.default, `${m} ${p} documents its error responses`);
    }
  }
});

test('the API reference page is served with its assets from the package (no CDN)', async () => {
  const app = testApp();
  const page = await request(app).get('/api/docs');
  assert.equal(page.status, 200);
  assert.doesNotMatch(page.text, /https?:\/\//, 'no external URLs');
  assert.doesNotMatch(page.text, /<script>[^<]/, 'no inline script');
  const bundle = await request(app).get('/api/docs/assets/swagger-ui-bundle.js');
  assert.equal(bundle.status, 200);
  assert.ok(bundle.text.length > 100_000);
});

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { useTestDatabase } from '../helpers/db.js';
import { testApp } from '../helpers/app.js';
import { makeUser, type TestUser } from '../helpers/auth.js';

useTestDatabase();

function assertProblem(res: request.Response, status: number, code: string) {
  assert.equal(res.status, status);
  assert.match(res.headers['content-type'] ?? '', /^application\/problem\+json/);
  assert.equal(res.body.status, status);
  assert.equal(res.body.code, code);
  assert.equal(typeof res.body.title, 'string');
  assert.equal(typeof res.body.detail, 'string');
  assert.match(res.body.type, /^urn:itaku:problem:/);
  assert.doesNotMatch(res.text, /at .*\.(ts|js):\d+/, 'no stack trace in the body');
}

describe('HTTP conventions', () => {
  const app = testApp();
  let admin: TestUser;
  before(async () => {
    admin = await makeUser(['admin']);
  });

  test('an unknown route answers 404 problem+json', async () => {
    assertProblem(await request(app).get('/api/v1/no-such-thing'), 404, 'not_found');
  });

  test('malformed JSON answers 400 and changes nothing', async () => {
    const res = await request(app).patch('/api/v1/settings').set('Authorization', admin.bearer).set('Content-Type', 'application/json').send('{"version": 0, "name": "壊れた');
    assertProblem(res, 400, 'malformed_json');
    assert.equal((await request(app).get('/api/v1/settings').set('Authorization', admin.bearer)).body.version, 0);
  });

  test('a body over the limit answers 413', async () => {
    const huge = JSON.stringify({ version: 0, name: 'x'.repeat(1_200_000) });
    assertProblem(await request(app).patch('/api/v1/settings').set('Authorization', admin.bearer).set('Content-Type', 'application/json').send(huge), 413, 'payload_too_large');
  });

  test('a body that is not JSON answers 415', async () => {
    const res = await request(app).patch('/api/v1/settings').set('Authorization', admin.bearer).set('Content-Type', 'text/plain').send('version=0');
    assertProblem(res, 415, 'unsupported_media_type');
  });

  test('an operator object where a value belongs is refused as a wrong type (400), not run', async () => {
    for (const body of [{ version: { $gt: 0 }, name: 'x' }, { version: 0, name: { $gt: '' } }, { version: 0, dormancyDays: { $ne: 1 } }]) {
      const res = await request(app).patch('/api/v1/settings').set('Authorization', admin.bearer).send(body);
      assertProblem(res, 400, 'validation_failed');
      assert.ok(res.body.errors.length >= 1);
      assert.equal(typeof res.body.errors[0].path, 'string');
    }
    assert.equal((await request(app).get('/api/v1/settings').set('Authorization', admin.bearer)).body.version, 0);
  });

  test('wrong types and out-of-range values are named field by field', async () => {
    const res = await request(app).patch('/api/v1/settings').set('Authorization', admin.bearer).send({ version: 0, totpRequired: 'yes', dormancyDays: 0 });
    assertProblem(res, 400, 'validation_failed');
    const paths = res.body.errors.map((e: { path: string }) => e.path).sort();
    assert.deepEqual(paths, ['dormancyDays', 'totpRequired']);
  });

  test('control and bidirectional characters in a name are refused', async () => {
    for (const name of ['市\u0000役所', 'abc\u202Edcba', '改行\nあり']) {
      assertProblem(await request(app).patch('/api/v1/settings').set('Authorization', admin.bearer).send({ version: 0, name }), 400, 'validation_failed');
    }
  });

  test('unknown fields are dropped, not stored', async () => {
    const res = await request(app).patch('/api/v1/settings').set('Authorization', admin.bearer).send({ version: 0, name: '未知項目市', isAdmin: true, $where: '1' });
    assert.equal(res.status, 200);
    assert.equal(res.body.name, '未知項目市');
    assert.equal('isAdmin' in res.body, false);
  });

  test('responses carry security headers and a request id', async () => {
    const res = await request(app).get('/healthz');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-security-policy'] ?? '', /default-src 'self'/);
    assert.doesNotMatch(res.headers['content-security-policy'] ?? '', /unsafe-inline/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
    assert.match(res.headers['x-request-id'] ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(res.headers['x-powered-by'], undefined);
  });

  test('readiness answers 200 while the database answers', async () => {
    const res = await request(app).get('/readyz');
    assert.equal(res.status, 200);
  });
});

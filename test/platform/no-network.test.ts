import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runCli, startService, tempDir, type RunningService } from '../helpers/service.js';

let service: RunningService | undefined;
after(() => service?.proc.kill('SIGKILL'));

/**
 * Municipal networks often have no internet: the service must not reach out at run time (no CDN, no telemetry, no
 * DNS). A preloaded spy records every connection the service process makes while it starts, signs a user in and
 * serves pages, the API reference and the vendor form; only the database's socket may appear.
 */
test('the running service connects to nothing but its database', async () => {
  const dataDir = tempDir('offline');
  const spy = path.join(tempDir('spy'), 'net.log');
  fs.writeFileSync(spy, '');
  service = await startService({ DATA_DIR: dataDir, ITAKU_NET_SPY: spy }, 30_000, ['--import', path.resolve('test/fixtures/net-spy.mjs')]);
  const password = 'Hotaru-Semi-Suzumushi-71';
  assert.equal((await runCli(['user:add', '--email', 'net@city.example.jp', '--name', '通信 確認', '--role', 'admin'], { DATA_DIR: dataDir, ITAKU_PASSWORD: password })).code, 0);
  const login = await fetch(`${service.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'net@city.example.jp', password }) });
  assert.equal(login.status, 200);
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  for (const url of ['/api/v1/auth/me', '/api/v1/settings', '/api/v1/audit/verify', '/api/v1/questionnaire-templates', '/api/openapi.json', '/api/docs', '/api/docs/assets/swagger-ui-bundle.js', '/q/not-a-real-token', '/static/itaku.css']) {
    const res = await fetch(`${service.url}${url}`, { headers: { cookie } });
    assert.ok(res.status < 500, `${url}: ${res.status}`);
  }
  const lock = JSON.parse(fs.readFileSync(path.join(dataDir, 'itaku.lock'), 'utf8')) as { uri: string };
  const socket = decodeURIComponent(lock.uri.slice('mongodb://'.length));
  const events = fs.readFileSync(spy, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { kind: string; path?: string; host?: string });
  assert.ok(events.length > 0, 'the spy saw the database connections');
  // tsx (the TypeScript loader these tests run the service under; `npm start` runs compiled code without it) talks
  // to its own parent over a local pipe in /tmp/tsx-<uid>/.
  const tsxPipe = (p?: string) => p !== undefined && /^\/tmp\/tsx-\d+\/\d+\.pipe$/.test(p);
  const foreign = events.filter((e) => !(e.kind === 'connect' && (e.path === socket || tsxPipe(e.path))));
  assert.deepEqual(foreign, [], 'no connection, DNS lookup or UDP socket other than the database');
});

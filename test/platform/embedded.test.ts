import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { failingStart, runCli, startService, tempDir, waitFor, type RunningService } from '../helpers/service.js';
import { isProcessAlive, readLock } from '../../src/db/data-dir.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/db/embedded.js';
import { testServerUri, uniqueDbName } from '../helpers/db.js';

const started: RunningService[] = [];
const databases: EmbeddedDatabase[] = [];
after(async () => {
  for (const s of started) s.proc.kill('SIGKILL');
  for (const d of databases) await d.stop();
});

async function status(url: string): Promise<number> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(5000) })).status;
  } catch {
    return 0;
  }
}

describe('the embedded database', () => {
  test('starts with the service on a private socket, locks DATA_DIR, and dies with a SIGKILLed service', async () => {
    const dataDir = tempDir('data');
    const service = await startService({ DATA_DIR: dataDir });
    started.push(service);
    assert.equal(await status(`${service.url}/readyz`), 200);

    const lock = readLock(dataDir);
    assert.ok(lock?.databasePid, 'the lock names the database process');
    assert.ok(isProcessAlive(lock.databasePid));
    assert.match(lock.uri ?? '', /^mongodb:\/\/%2F.*\.sock$/, 'a Unix socket, not a TCP port');
    const socket = decodeURIComponent(lock.uri!.slice('mongodb://'.length));
    assert.equal(fs.statSync(path.dirname(socket)).mode & 0o777, 0o700, 'the socket folder is private');
    assert.ok(fs.existsSync(path.join(dataDir, 'ferretdb', 'state.json')), 'state files inside DATA_DIR');
    assert.ok(fs.existsSync(path.join(dataDir, 'secrets.json')), 'development secrets generated into DATA_DIR');

    const second = await failingStart({ DATA_DIR: dataDir });
    assert.equal(second.code, 1);
    assert.match(second.output, /使用中/);
    assert.match(second.output, new RegExp(`pid ${service.proc.pid}`));

    service.proc.kill('SIGKILL');
    await service.exited;
    await waitFor(() => !isProcessAlive(lock.databasePid!), 5000, 'FerretDB to stop after the service was killed');

    // The stale lock of the killed service does not block the next start, and the data is still there.
    const again = await startService({ DATA_DIR: dataDir });
    started.push(again);
    assert.equal(await status(`${again.url}/readyz`), 200);
    again.proc.kill('SIGTERM');
    assert.equal(await again.exited, 0, 'graceful stop exits 0');
    assert.equal(readLock(dataDir), null, 'graceful stop releases the lock');
  });

  test('with MONGODB_URI set nothing embedded starts', async () => {
    const dataDir = tempDir('data-uri');
    const base = testServerUri();
    const uri = base.replace('/?', `/${uniqueDbName('uri')}?`);
    const service = await startService({ DATA_DIR: dataDir, MONGODB_URI: uri });
    started.push(service);
    assert.equal(await status(`${service.url}/readyz`), 200);
    assert.equal(fs.existsSync(path.join(dataDir, 'ferretdb')), false);
    assert.equal(readLock(dataDir), null);
    assert.match(service.output(), /MONGODB_URI/);
    service.proc.kill('SIGTERM');
    await service.exited;
  });

  test('without Go and without MONGODB_URI start-up fails with one sentence saying what to install or set', async () => {
    const result = await failingStart({ DATA_DIR: tempDir('nogo'), ITAKU_CACHE_DIR: tempDir('nocache'), PATH: tempDir('empty-path') });
    assert.equal(result.code, 1);
    assert.match(result.output, /Go/);
    assert.match(result.output, /MONGODB_URI/);
    assert.doesNotMatch(result.output, /\n\s+at /, 'no stack trace');
  });

  test('readiness goes 503 while the database is stopped and 200 again by itself when it returns', async () => {
    const dir = tempDir('db');
    let db = await startEmbeddedDatabase({ dir, log: () => undefined });
    databases.push(db);
    const uri = `${db.uri}/itaku?directConnection=true`;
    const service = await startService({ DATA_DIR: tempDir('data-ready'), MONGODB_URI: uri });
    started.push(service);
    assert.equal(await status(`${service.url}/readyz`), 200);
    const password = 'Kawa-Mori-Tsuki-2026-yoru';
    const cli = await runCli(['user:add', '--email', 'admin@example.jp', '--name', '管理 花子', '--role', 'admin'], { MONGODB_URI: uri, ITAKU_PASSWORD: password, DATA_DIR: tempDir('cli') });
    assert.equal(cli.code, 0, cli.output);
    const login = await fetch(`${service.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@example.jp', password }) });
    assert.equal(login.status, 200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const saved = await fetch(`${service.url}/api/v1/settings`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({ version: 0, name: '停止試験市' }),
    });
    assert.equal(saved.status, 200);

    await db.stop();
    const t0 = Date.now();
    assert.equal(await status(`${service.url}/readyz`), 503);
    const api = await fetch(`${service.url}/api/v1/settings`, { headers: { cookie } });
    assert.equal(api.status, 503);
    assert.match(api.headers.get('content-type') ?? '', /problem\+json/);
    assert.equal(((await api.json()) as { code: string }).code, 'database_unavailable');
    assert.ok(Date.now() - t0 < 6000, `503 within seconds, not a hang (${Date.now() - t0} ms)`);
    assert.equal(await status(`${service.url}/healthz`), 200, 'liveness stays up');

    db = await startEmbeddedDatabase({ dir, log: () => undefined });
    databases.push(db);
    const recovered = await waitFor(async () => (await status(`${service.url}/readyz`)) === 200, 15_000, 'readiness to return');
    process.stdout.write(`# readiness recovered ${recovered} ms after the database returned\n`);
    const body = (await (await fetch(`${service.url}/api/v1/settings`, { headers: { cookie } })).json()) as { name: string };
    assert.equal(body.name, '停止試験市', 'nothing saved was lost; the session survived the outage');
    service.proc.kill('SIGTERM');
    await service.exited;
  });
});

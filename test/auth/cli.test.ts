import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, startService, tempDir, type RunningService } from '../helpers/service.js';
import { readLock } from '../../src/db/data-dir.js';

const running: RunningService[] = [];
after(() => {
  for (const s of running) s.proc.kill('SIGKILL');
});

async function login(url: string, email: string, password: string): Promise<number> {
  const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  return res.status;
}

describe('the administration CLI', () => {
  test('works on its own, starting the embedded database, and refuses to run without a password source', async () => {
    const dataDir = tempDir('cli-alone');
    const empty = await runCli(['user:list'], { DATA_DIR: dataDir });
    assert.equal(empty.code, 0, empty.output);
    assert.match(empty.output, /user:add/);
    assert.equal(readLock(dataDir), null, 'the CLI released DATA_DIR');

    const noPassword = await runCli(['user:add', '--email', 'a@city.example.jp', '--name', 'A', '--role', 'admin'], { DATA_DIR: dataDir });
    assert.equal(noPassword.code, 2);
    assert.match(noPassword.output, /ITAKU_PASSWORD/);
    const badRole = await runCli(['user:add', '--email', 'a@city.example.jp', '--name', 'A', '--role', 'root'], { DATA_DIR: dataDir, ITAKU_PASSWORD: 'x' });
    assert.equal(badRole.code, 2);
    assert.match(badRole.output, /root/);
    const weak = await runCli(['user:add', '--email', 'a@city.example.jp', '--name', 'A', '--role', 'admin'], { DATA_DIR: dataDir, ITAKU_PASSWORD: 'password' });
    assert.equal(weak.code, 1);
    assert.match(weak.output, /パスワード/);
    const unknown = await runCli(['user:frobnicate'], { DATA_DIR: dataDir });
    assert.equal(unknown.code, 2);
  });

  test('creates the first admin while the service runs, on the same embedded database; disables and resets', async () => {
    const dataDir = tempDir('cli-beside');
    const service = await startService({ DATA_DIR: dataDir });
    running.push(service);
    const password = 'Asagao-Hirune-Tonbo-8812';
    const add = await runCli(['user:add', '--email', 'First.Admin@city.example.jp', '--name', '最初 管理者', '--role', 'admin,auditor'], { DATA_DIR: dataDir, ITAKU_PASSWORD: password });
    assert.equal(add.code, 0, add.output);
    assert.match(add.output, /first\.admin@city\.example\.jp \(admin, auditor\)/);
    assert.equal(readLock(dataDir)?.pid, service.proc.pid, 'the service still holds DATA_DIR');
    assert.equal(await login(service.url, 'first.admin@city.example.jp', password), 200);

    const list = await runCli(['user:list'], { DATA_DIR: dataDir });
    assert.match(list.output, /first\.admin@city\.example\.jp\t最初 管理者\tadmin,auditor/);

    const reset = await runCli(['user:reset-password', '--email', 'first.admin@city.example.jp'], { DATA_DIR: dataDir });
    assert.equal(reset.code, 0);
    const temporary = /temporary password: (\S+)/.exec(reset.output)?.[1];
    assert.ok(temporary);
    assert.equal(await login(service.url, 'first.admin@city.example.jp', password), 401);
    assert.equal(await login(service.url, 'first.admin@city.example.jp', temporary), 200);

    const disable = await runCli(['user:disable', '--email', 'first.admin@city.example.jp'], { DATA_DIR: dataDir });
    assert.equal(disable.code, 0, disable.output);
    assert.equal(await login(service.url, 'first.admin@city.example.jp', temporary), 401);
    const missing = await runCli(['user:disable', '--email', 'nobody@city.example.jp'], { DATA_DIR: dataDir });
    assert.equal(missing.code, 1);
    service.proc.kill('SIGTERM');
    await service.exited;
  });
});

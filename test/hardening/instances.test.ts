import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import crypto from 'node:crypto';
import path from 'node:path';
import mongoose from 'mongoose';
import { runCli, startService, tempDir, type RunningService } from '../helpers/service.js';

const running: RunningService[] = [];
after(() => {
  for (const s of running) s.proc.kill('SIGKILL');
});

async function json(url: string, init: RequestInit = {}) {
  const res = await fetch(url, init);
  return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> | null, headers: res.headers };
}

describe('two service instances on one database', () => {
  test('share sessions, give one success and one 409 for concurrent updates, keep one audit chain, and run the scheduler once', async () => {
    const dataDir = tempDir('two');
    // Instances behind one load balancer share their secrets (docs/production.md).
    const secrets = { SESSION_SECRET: 'a'.repeat(20) + crypto.randomBytes(16).toString('hex'), ITAKU_DATA_KEY: crypto.randomBytes(32).toString('hex') };
    const first = await startService({ DATA_DIR: dataDir, ...secrets });
    running.push(first);
    const lock = JSON.parse(fs.readFileSync(path.join(dataDir, 'itaku.lock'), 'utf8')) as { uri: string };
    const uri = `${lock.uri}/itaku?directConnection=true`;
    const second = await startService({ DATA_DIR: tempDir('two-b'), MONGODB_URI: uri, ...secrets });
    running.push(second);

    const password = 'Kinmokusei-Ajisai-Tsubaki-5';
    assert.equal((await runCli(['user:add', '--email', 'two@city.example.jp', '--name', '二台 確認', '--role', 'admin'], { DATA_DIR: dataDir, ITAKU_PASSWORD: password })).code, 0);
    const login = await fetch(`${first.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'two@city.example.jp', password }) });
    assert.equal(login.status, 200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };

    // The session made on the first instance works on the second.
    const me = await json(`${second.url}/api/v1/auth/me`, { headers: { cookie } });
    assert.equal(me.status, 200);
    assert.equal(me.body?.email, 'two@city.example.jp');

    const headers = { cookie, 'content-type': 'application/json', 'x-csrf-token': csrfToken };
    assert.equal((await json(`${first.url}/api/v1/settings`, { method: 'PATCH', headers, body: JSON.stringify({ version: 0, name: '二台市' }) })).status, 200);
    for (let round = 0; round < 5; round++) {
      const { body } = await json(`${second.url}/api/v1/settings`, { headers: { cookie } });
      const version = body!.version as number;
      const results = await Promise.all([first, second].map((s, i) => json(`${s.url}/api/v1/settings`, { method: 'PATCH', headers, body: JSON.stringify({ version, address: `第${round}回 ${i}` }) })));
      assert.deepEqual(results.map((r) => r.status).sort(), [200, 409], `round ${round}`);
    }

    const verify = await json(`${second.url}/api/v1/audit/verify`, { headers: { cookie } });
    assert.equal(verify.body?.ok, true);

    const conn = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 20_000 }).asPromise();
    try {
      const slots = await conn.db!.collection('leases').find({ _id: { $regex: '^reminders:' } as never }).toArray();
      const bySlot = new Map<string, number>();
      for (const s of slots) bySlot.set(String(s._id), (bySlot.get(String(s._id)) ?? 0) + 1);
      assert.ok(slots.length >= 1, 'the scheduler ran');
      assert.ok([...bySlot.values()].every((n) => n === 1), 'each slot was claimed once');
      const pids = new Set(slots.map((s) => s.pid));
      assert.equal(pids.size, 1, 'one instance ran the slot');
    } finally {
      await conn.close();
    }
  });
});

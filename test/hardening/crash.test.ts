import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import mongoose from 'mongoose';
import { runCli, startService, tempDir, type RunningService } from '../helpers/service.js';

const running: RunningService[] = [];
after(() => {
  for (const s of running) s.proc.kill('SIGKILL');
});

describe('SIGKILL in the middle of saving', () => {
  test('after a restart there is no half-written record and no change without its audit entry', async () => {
    const dataDir = tempDir('crash');
    let service = await startService({ DATA_DIR: dataDir });
    running.push(service);
    const password = 'Yuzuriha-Nanakamado-3141';
    assert.equal((await runCli(['user:add', '--email', 'crash@city.example.jp', '--name', '停止 確認', '--role', 'admin'], { DATA_DIR: dataDir, ITAKU_PASSWORD: password })).code, 0);
    const tokenRes = await (async () => {
      const login = await fetch(`${service.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'crash@city.example.jp', password }) });
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      const { csrfToken } = (await login.json()) as { csrfToken: string };
      const t = await fetch(`${service.url}/api/v1/auth/tokens`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'crash' }) });
      return ((await t.json()) as { token: string }).token;
    })();
    const auth = { authorization: `Bearer ${tokenRes}`, 'content-type': 'application/json' };

    // Many writers creating departments and editing settings; the service is killed while they run.
    let created = 0;
    const acknowledged: string[] = [];
    const writers = Array.from({ length: 6 }, (_, w) =>
      (async () => {
        for (let i = 0; i < 200; i++) {
          try {
            const res = await fetch(`${service.url}/api/v1/departments`, { method: 'POST', headers: auth, body: JSON.stringify({ code: `W${w}-${i}`, name: `停止試験課${w}-${i}` }) });
            if (res.status === 201) {
              created++;
              acknowledged.push(`W${w}-${i}`);
            }
          } catch {
            return; // the service is gone
          }
        }
      })(),
    );
    while (created < 30) await new Promise((r) => setTimeout(r, 20));
    service.proc.kill('SIGKILL');
    await Promise.all(writers);
    await service.exited;

    service = await startService({ DATA_DIR: dataDir });
    running.push(service);
    const lock = JSON.parse(fs.readFileSync(path.join(dataDir, 'itaku.lock'), 'utf8')) as { uri: string };
    const conn = await mongoose.createConnection(`${lock.uri}/itaku?directConnection=true`, { serverSelectionTimeoutMS: 20_000 }).asPromise();
    try {
      const db = conn.db!;
      const revisions = await db.collection('revisions').find({ entity: 'department' }).toArray();
      const departments = await db.collection('departments').find({}).toArray();
      const audited = new Set((await db.collection('audit').find({ entity: 'department' }).toArray()).map((a) => a.ref));
      // A marker may outlive the kill only when its writer died before claiming a revision (nothing to complete; it is
      // cleared once a minute old): start-up completed every change that was claimed.
      const revisionIds = new Set(revisions.map((r) => String(r._id)));
      const left = await db.collection<{ _id: string }>('revisions_pending').find({}).toArray();
      assert.deepEqual(left.filter((m) => revisionIds.has(m._id)).map((m) => m._id), [], 'start-up completed every interrupted change');
      assert.equal(departments.length, revisions.length, 'every claimed change reached its record (creations)');
      for (const r of revisions) assert.ok(audited.has(r._id), `revision ${String(r._id)} has its audit entry`);
      for (const d of departments) {
        const r = revisions.find((x) => x.entityId === d._id)!;
        assert.deepEqual({ ...d, createdAt: String(d.createdAt), updatedAt: String(d.updatedAt) }, { ...r.image, createdAt: String(r.image.createdAt), updatedAt: String(r.image.updatedAt) }, 'no half-written record');
      }
      const codes = new Set(departments.map((d) => d.code));
      for (const code of acknowledged) assert.ok(codes.has(code), `acknowledged ${code} is still there`);
      const verify = await fetch(`${service.url}/api/v1/audit/verify`, { headers: auth });
      assert.equal(((await verify.json()) as { ok: boolean }).ok, true);
      process.stdout.write(`# ${acknowledged.length} creations acknowledged, ${departments.length} stored after the kill\n`);
    } finally {
      await conn.close();
    }
  });
});

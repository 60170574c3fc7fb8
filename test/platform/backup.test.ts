import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import mongoose from 'mongoose';
import { useTestDatabase, testServerUri, uniqueDbName } from '../helpers/db.js';
import { makeUser, makeDepartment } from '../helpers/auth.js';
import { runCli, tempDir } from '../helpers/service.js';
import { cliContext } from '../../src/audit/actor.js';
import { updateSettings, getSettings } from '../../src/settings/index.js';
import { AuditModel } from '../../src/audit/audit.model.js';

const { dbName } = useTestDatabase();
const uriFor = (name: string) => testServerUri().replace('/?', `/${name}?`);

describe('backup and restore', () => {
  before(async () => {
    const dept = await makeDepartment('情報政策課');
    await makeUser(['admin']);
    await makeUser(['procurement'], dept._id);
    await updateSettings(cliContext('test'), 0, { name: 'バックアップ市' });
    // Binary data, as evidence chunks hold.
    await mongoose.connection.db!.collection('evidence_chunks').insertOne({ _id: 'f:0', data: new mongoose.mongo.Binary(Buffer.from([0, 1, 2, 255, 254])) } as never);
  });

  test('backs up while writes continue, restores into an empty database, and everything verifies', async () => {
    const dir = path.join(tempDir('backup'), 'out');
    let writes = 0;
    let stop = false;
    const writer = (async () => {
      while (!stop) {
        const s = await getSettings();
        await updateSettings(cliContext('writer'), s.version, { address: `架空市${writes}` }).then(() => writes++, () => undefined);
      }
    })();
    const backedUp = await runCli(['backup', '--out', dir], { MONGODB_URI: uriFor(dbName), DATA_DIR: tempDir('cli') });
    stop = true;
    await writer;
    assert.equal(backedUp.code, 0, backedUp.output);
    assert.ok(writes > 0, 'writes went on around the backup');
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    assert.equal(manifest.audit.ok, true);
    const byName = Object.fromEntries(manifest.collections.map((c: { name: string; count: number }) => [c.name, c.count]));
    assert.equal(byName.sessions, undefined, 'sessions are not data');
    // Consistent: every revision in the copy has its audit entry in the copy.
    const revisions = fs.readFileSync(path.join(dir, 'revisions.ejson'), 'utf8').trim().split('\n').length;
    const audited = fs.readFileSync(path.join(dir, 'audit.ejson'), 'utf8').split('\n').filter((l) => l.includes('"ref"')).length;
    assert.equal(audited, revisions);

    const target = uniqueDbName('restored');
    const restored = await runCli(['restore', '--from', dir], { MONGODB_URI: uriFor(target), DATA_DIR: tempDir('cli2') });
    assert.equal(restored.code, 0, restored.output);
    assert.match(restored.output, /audit chain ok/);
    const conn = await mongoose.createConnection(testServerUri(), { dbName: target, serverSelectionTimeoutMS: 20_000 }).asPromise();
    try {
      for (const [name, count] of Object.entries(byName)) {
        assert.equal(await conn.db!.collection(name).countDocuments(), count, name);
      }
      const chunk = await conn.db!.collection('evidence_chunks').findOne({ _id: 'f:0' as never });
      assert.deepEqual([...Buffer.from((chunk!.data as mongoose.mongo.Binary).buffer)], [0, 1, 2, 255, 254], 'binary data survives');
      const user = await conn.db!.collection('users').findOne({});
      assert.ok(user?.createdAt instanceof Date, 'dates stay dates');
      // Restoring again into the same (now filled) database is refused.
      const again = await runCli(['restore', '--from', dir], { MONGODB_URI: uriFor(target), DATA_DIR: tempDir('cli3') });
      assert.equal(again.code, 1);
      assert.match(again.output, /not empty/);
    } finally {
      await conn.dropDatabase();
      await conn.close();
    }
  });

  test('a damaged backup restores nothing, and restore refuses while a service is connected', async () => {
    const dir = path.join(tempDir('backup2'), 'out');
    assert.equal((await runCli(['backup', '--out', dir], { MONGODB_URI: uriFor(dbName), DATA_DIR: tempDir('cli4') })).code, 0);
    const auditFile = path.join(dir, 'audit.ejson');
    fs.writeFileSync(auditFile, fs.readFileSync(auditFile, 'utf8').replace('バックアップ市', '改ざん市'));
    const target = uniqueDbName('damaged');
    const damaged = await runCli(['restore', '--from', dir], { MONGODB_URI: uriFor(target), DATA_DIR: tempDir('cli5') });
    assert.equal(damaged.code, 1);
    assert.match(damaged.output, /damaged/);
    const conn = await mongoose.createConnection(testServerUri(), { dbName: target, serverSelectionTimeoutMS: 20_000 }).asPromise();
    try {
      assert.equal(await conn.db!.collection('audit').countDocuments(), 0, 'nothing was restored');
      await conn.db!.collection('instances').insertOne({ _id: 'other-host:1' as never, at: new Date(), pid: 4242 });
      const busy = await runCli(['restore', '--from', dir], { MONGODB_URI: uriFor(target), DATA_DIR: tempDir('cli6') });
      assert.equal(busy.code, 1);
      assert.match(busy.output, /service is connected/);
    } finally {
      await conn.dropDatabase();
      await conn.close();
    }
    assert.ok(await AuditModel.countDocuments());
  });
});

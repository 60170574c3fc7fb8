import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import mongoose from 'mongoose';
import { useTestDatabase } from '../helpers/db.js';
import { testApp } from '../helpers/app.js';
import { makeUser, type TestUser } from '../helpers/auth.js';
import { PendingMarkerModel, RevisionModel } from '../../src/db/revision.model.js';
import { SettingsModel } from '../../src/settings/settings.model.js';
import { AuditModel } from '../../src/audit/audit.model.js';
import { verifyAudit } from '../../src/audit/log.js';
import { completePendingRevisions } from '../../src/db/versioned.js';

useTestDatabase();

describe('versioned writes on the settings resource', () => {
  const app = testApp();
  let admin: TestUser;
  before(async () => {
    admin = await makeUser(['admin']);
  });

  test('creates at version 1, then refuses a stale version with 409 and changes nothing', async () => {
    const created = await request(app).patch('/api/v1/settings').set('Authorization', admin.bearer).send({ version: 0, name: '架空市', dormancyDays: 60 });
    assert.equal(created.status, 200);
    assert.equal(created.body.version, 1);

    const updated = await request(app).patch('/api/v1/settings').set('Authorization', admin.bearer).send({ version: 1, mayorTitle: '町長' });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.version, 2);
    assert.equal(updated.body.name, '架空市');

    const stale = await request(app).patch('/api/v1/settings').set('Authorization', admin.bearer).send({ version: 1, name: '上書き市' });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.code, 'version_conflict');
    assert.equal(stale.body.currentVersion, 2);

    const now = await request(app).get('/api/v1/settings').set('Authorization', admin.bearer);
    assert.equal(now.body.version, 2);
    assert.equal(now.body.name, '架空市');
    assert.equal(now.body.mayorTitle, '町長');
  });

  test('of two concurrent writers with the same version exactly one succeeds, repeatedly', async () => {
    for (let round = 0; round < 5; round++) {
      const { version } = (await request(app).get('/api/v1/settings').set('Authorization', admin.bearer)).body as { version: number };
      const results = await Promise.all(
        ['甲', '乙', '丙'].map((who) => request(app).patch('/api/v1/settings').set('Authorization', admin.bearer).send({ version, name: `${who}市` })),
      );
      const statuses = results.map((r) => r.status).sort();
      assert.deepEqual(statuses, [200, 409, 409]);
      const winner = results.find((r) => r.status === 200)!.body.name as string;
      const stored = (await request(app).get('/api/v1/settings').set('Authorization', admin.bearer)).body;
      assert.equal(stored.version, version + 1);
      assert.equal(stored.name, winner, 'the stored state is the winner’s, not a mix');
    }
  });

  test('every saved change has exactly one audit entry and the chain verifies', async () => {
    const revisions = await RevisionModel.find({ entity: 'settings' }).lean();
    const audited = await AuditModel.find({ entity: 'settings' }).lean();
    assert.equal(audited.length, revisions.length);
    assert.deepEqual(audited.map((a) => a.ref).sort(), revisions.map((r) => r._id).sort());
    assert.equal(await PendingMarkerModel.countDocuments(), 0, 'no write left unfinished');
    const verified = await verifyAudit();
    assert.deepEqual(verified, { ok: true, entries: await AuditModel.countDocuments() });
  });

  test('a crash between the revision and the record is rolled forward by the next reader, with its audit entry', async () => {
    const current = await SettingsModel.findById('municipality').lean();
    assert.ok(current);
    const next = { ...current, version: current.version + 1, name: '復旧市', updatedAt: new Date() };
    // What a writer leaves behind when it dies right after claiming its revision: its marker, then the revision.
    await PendingMarkerModel.collection.insertOne({ _id: `settings:municipality:${next.version}`, entity: 'settings', entityId: 'municipality', version: next.version, at: next.updatedAt } as never);
    await RevisionModel.collection.insertOne({
      _id: `settings:municipality:${next.version}`,
      entity: 'settings',
      entityId: 'municipality',
      version: next.version,
      at: next.updatedAt,
      actor: { kind: 'user', id: 'crashed-writer' },
      action: 'settings.update',
      image: next,
      after: { name: '復旧市' },
      pending: true,
    } as never);
    assert.equal((await SettingsModel.findById('municipality').lean())!.name, current.name, 'the record itself is still old');

    const read = await request(app).get('/api/v1/settings').set('Authorization', admin.bearer);
    assert.equal(read.body.name, '復旧市');
    assert.equal(read.body.version, next.version);
    assert.equal((await SettingsModel.findById('municipality').lean())!.name, '復旧市', 'the record was written');
    const entry = await AuditModel.findOne({ ref: `settings:municipality:${next.version}` }).lean();
    assert.ok(entry, 'the rolled-forward change has its audit entry');
    assert.equal(entry.actor.id, 'crashed-writer', 'audited as the writer who made it');

    // A second roll-forward (another reader, the sweep) adds nothing.
    await completePendingRevisions(0);
    assert.equal(await AuditModel.countDocuments({ ref: `settings:municipality:${next.version}` }), 1);
    assert.equal((await verifyAudit()).ok, true);

    const stale = await request(app).patch('/api/v1/settings').set('Authorization', admin.bearer).send({ version: current.version, name: '古い版' });
    assert.equal(stale.status, 409, 'a writer holding the pre-crash version is refused');
  });

  test('the pending sweep completes a crashed change nobody reads, and leaves a writer still at work alone', async () => {
    const current = await SettingsModel.findById('municipality').lean();
    const next = { ...current!, version: current!.version + 1, address: '架空県架空市１－１', updatedAt: new Date(Date.now() - 60_000) };
    const id = `settings:municipality:${next.version}`;
    await PendingMarkerModel.collection.insertOne({ _id: id, entity: 'settings', entityId: 'municipality', version: next.version, at: next.updatedAt } as never);
    await RevisionModel.collection.insertOne({
      _id: id, entity: 'settings', entityId: 'municipality', version: next.version,
      at: next.updatedAt, actor: { kind: 'system', id: 'x' }, action: 'settings.update', image: next, after: { address: next.address },
    } as never);
    // A marker younger than the sweep's grace period belongs to a writer still at work.
    await PendingMarkerModel.collection.insertOne({ _id: 'settings:other:1', entity: 'settings', entityId: 'other', version: 1, at: new Date() } as never);
    assert.equal(await completePendingRevisions(), 1);
    assert.equal((await SettingsModel.findById('municipality').lean())!.address, '架空県架空市１－１');
    assert.equal(await AuditModel.countDocuments({ ref: id }), 1, 'audited once');
    assert.deepEqual((await PendingMarkerModel.find().lean()).map((m) => m._id), ['settings:other:1'], 'only the young marker is left');
    await PendingMarkerModel.deleteOne({ _id: 'settings:other:1' });
  });
});

describe('audit chain tamper detection', () => {
  test('an edited entry is reported with its number', async () => {
    assert.equal((await verifyAudit()).ok, true);
    await AuditModel.collection.updateOne({ _id: 2 } as never, { $set: { action: 'settings.forged' } });
    const result = await verifyAudit();
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.firstBroken.seq, 2);
    assert.match(!result.ok ? result.firstBroken.reason : '', /edited/);
  });

  test('a deleted entry and a truncated tail are reported', async () => {
    const db = mongoose.connection.db!;
    const original = await AuditModel.findById(2).lean();
    // Restore entry 2, then delete entry 3.
    await AuditModel.collection.updateOne({ _id: 2 } as never, { $set: { action: (await RevisionModel.findById(original!.ref).lean())!.action } });
    assert.equal((await verifyAudit()).ok, true);
    const three = await AuditModel.findById(3).lean();
    await AuditModel.collection.deleteOne({ _id: 3 } as never);
    const gap = await verifyAudit();
    assert.equal(gap.ok, false);
    assert.equal(!gap.ok && gap.firstBroken.seq, 3);
    await AuditModel.collection.insertOne(three as never);
    assert.equal((await verifyAudit()).ok, true);

    const total = await AuditModel.countDocuments();
    await db.collection('audit').deleteMany({ _id: { $gt: total - 2 } } as never);
    const truncated = await verifyAudit();
    assert.equal(truncated.ok, false);
    assert.match(!truncated.ok ? truncated.firstBroken.reason : '', /truncated/);
  });
});

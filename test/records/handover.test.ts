import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import mongoose from 'mongoose';
import { useTestDatabase } from '../helpers/db.js';
import { testApp } from '../helpers/app.js';
import { makeDepartment } from '../helpers/auth.js';
import { deactivate, makeCloudService, makeEngagement, makePerson, makeSnsAccount, makeVendor, makeStaff, type TestUser } from '../helpers/records.js';
import { AuditModel } from '../../src/audit/audit.model.js';
import { verifyAudit } from '../../src/audit/log.js';
import { completePendingHandovers, HandoverBatchModel, replacePerson } from '../../src/handover/index.js';
import { engagementStore } from '../../src/engagements/index.js';
import { snsAccountStore } from '../../src/sns-accounts/index.js';
import { cliContext } from '../../src/audit/actor.js';
import type { Department } from '../../src/org/index.js';
import type { Vendor } from '../../src/vendors/index.js';

useTestDatabase();

const PATH = '/api/v1/responsible-persons/transfer';

describe('April hand-over', () => {
  const app = testApp();
  let officer: TestUser;
  let ownA: TestUser;
  let a: Department;
  let b: Department;
  let vendor: Vendor;

  before(async () => {
    [a, b] = await Promise.all([makeDepartment('所管課A'), makeDepartment('所管課B')]);
    [officer, ownA, vendor] = await Promise.all([makeStaff(['ciso']), makeStaff(['procurement'], a._id), makeVendor()]);
  });

  /** A person leaving, named in every role across both departments, and their successor. */
  async function scene() {
    const [leaving, successor, keeper] = await Promise.all([makePerson(a._id, { name: '異動 太郎' }), makePerson(a._id, { name: '後任 花子' }), makePerson(a._id)]);
    const e1 = await makeEngagement(a._id, vendor._id, leaving._id, { administratorId: keeper._id });
    const e2 = await makeEngagement(a._id, vendor._id, keeper._id, { administratorId: leaving._id });
    const c1 = await makeCloudService(a._id, vendor._id, leaving._id);
    const s1 = await makeSnsAccount(a._id, { responsiblePersonId: leaving._id, operatorIds: [successor._id, leaving._id] });
    const eb = await makeEngagement(b._id, vendor._id, leaving._id);
    const untouched = await makeEngagement(a._id, vendor._id, keeper._id);
    return { leaving, successor, keeper, e1, e2, c1, s1, eb, untouched };
  }
  const transfer = (who: TestUser, body: object) => request(app).post(PATH).set('Authorization', who.bearer).send(body);

  test('the preview lists every record and role naming the person, and changes nothing', async () => {
    const s = await scene();
    const res = await transfer(officer, { from: s.leaving._id, to: s.successor._id, preview: true });
    assert.equal(res.status, 200, res.text);
    const got = Object.fromEntries(res.body.items.map((i: { id: string; roles: string[] }) => [i.id, i.roles.join(',')]));
    assert.deepEqual(got, { [s.e1._id]: 'responsiblePerson', [s.e2._id]: 'administrator', [s.eb._id]: 'responsiblePerson', [s.c1._id]: 'serviceAdministrator', [s.s1._id]: 'responsiblePerson,operator' });
    assert.equal(res.body.from.name, '異動 太郎');
    assert.equal(res.body.batchId, null);
    assert.equal((await engagementStore.get(s.e1._id))!.version, 1);
    const scoped = await transfer(ownA, { from: s.leaving._id, to: s.successor._id });
    assert.equal(scoped.body.preview, true, 'preview is the default');
    assert.ok(!scoped.body.items.some((i: { id: string }) => i.id === s.eb._id), 'procurement sees only its own department');
    assert.equal(scoped.body.total, 4);
  });

  test('applying moves every role to the successor, once per record, audited, and the batch is done', async () => {
    const s = await scene();
    const preview = (await transfer(officer, { from: s.leaving._id, to: s.successor._id })).body;
    const res = await transfer(officer, { from: s.leaving._id, to: s.successor._id, preview: false, expected: preview.items.map((i: { kind: string; id: string; version: number }) => ({ kind: i.kind, id: i.id, version: i.version })) });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.total, 5);
    assert.ok(res.body.items.every((i: { version: number }) => i.version === 2));
    const e1 = await engagementStore.get(s.e1._id);
    assert.equal(e1!.responsiblePersonId, s.successor._id);
    assert.equal(e1!.administratorId, s.keeper._id, 'other roles stay');
    assert.equal((await engagementStore.get(s.e2._id))!.administratorId, s.successor._id);
    const sns = await snsAccountStore.get(s.s1._id);
    assert.equal(sns!.responsiblePersonId, s.successor._id);
    assert.deepEqual(sns!.operatorIds, [s.successor._id], 'no person twice among the operators');
    assert.equal((await engagementStore.get(s.untouched._id))!.version, 1);
    const batch = await HandoverBatchModel.findById(res.body.batchId).lean();
    assert.equal(batch!.status, 'done');
    assert.equal(await AuditModel.countDocuments({ action: mongoose.trusted({ $in: ['engagement.handover', 'cloudService.handover', 'snsAccount.handover'] }), entityId: mongoose.trusted({ $in: [s.e1._id, s.e2._id, s.eb._id, s.c1._id, s.s1._id] }) }), 5);
    assert.equal(await AuditModel.countDocuments({ action: 'handover.apply', entityId: res.body.batchId }), 1);
    assert.equal((await verifyAudit()).ok, true);
    const again = await transfer(officer, { from: s.leaving._id, to: s.successor._id, preview: false });
    assert.deepEqual([again.body.total, again.body.batchId], [0, null], 'nothing left to hand over');
  });

  test('a record changed since the preview answers 409 listing it, and nothing is applied', async () => {
    const s = await scene();
    const preview = (await transfer(officer, { from: s.leaving._id, to: s.successor._id })).body;
    const expected = preview.items.map((i: { kind: string; id: string; version: number }) => ({ kind: i.kind, id: i.id, version: i.version }));
    const edit = await request(app).patch(`/api/v1/cloud-services/${s.c1._id}`).set('Authorization', officer.bearer).send({ version: 1, purpose: '並行して編集' });
    assert.equal(edit.status, 200);
    const newcomer = await makeEngagement(a._id, vendor._id, s.leaving._id);
    const res = await transfer(officer, { from: s.leaving._id, to: s.successor._id, preview: false, expected });
    assert.equal(res.status, 409);
    assert.equal(res.body.code, 'handover_stale');
    assert.deepEqual(res.body.stale.map((x: { id: string }) => x.id).sort(), [s.c1._id, newcomer._id].sort());
    assert.equal(res.body.stale.find((x: { id: string }) => x.id === s.c1._id).currentVersion, 2);
    for (const id of [s.e1._id, s.eb._id]) assert.equal((await engagementStore.get(id))!.responsiblePersonId, s.leaving._id, 'nothing applied');
    assert.equal(await HandoverBatchModel.countDocuments({ from: s.leaving._id }), 0, 'no batch written');
  });

  test('procurement applies only within its own department', async () => {
    const s = await scene();
    const res = await transfer(ownA, { from: s.leaving._id, to: s.successor._id, preview: false });
    assert.equal(res.status, 200);
    assert.equal(res.body.total, 4);
    assert.equal((await engagementStore.get(s.eb._id))!.responsiblePersonId, s.leaving._id, 'the other department’s record is untouched');
  });

  test('refuses an inactive or unknown successor, an unknown person and the same person twice', async () => {
    const s = { leaving: await makePerson(a._id), successor: await makePerson(a._id) };
    const gone = await makePerson(a._id);
    await deactivate(gone);
    for (const [body, path] of [
      [{ from: s.leaving._id, to: gone._id }, 'to'],
      [{ from: s.leaving._id, to: 'dddddddddddddddddddddddd' }, 'to'],
      [{ from: 'dddddddddddddddddddddddd', to: s.successor._id }, 'from'],
      [{ from: s.leaving._id, to: s.leaving._id }, 'to'],
      [{ from: { $ne: null }, to: s.successor._id }, 'from'],
    ] as const) {
      const res = await transfer(officer, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.ok(res.body.errors.some((e: { path: string }) => e.path === path), JSON.stringify(res.body));
    }
  });

  test('a batch left pending by a crash is rolled forward by completePendingHandovers, idempotently', async () => {
    const s = await scene();
    const items = [
      { kind: 'engagement', id: s.e1._id, version: 1 },
      { kind: 'cloudService', id: s.c1._id, version: 1 },
      { kind: 'snsAccount', id: s.s1._id, version: 1 },
    ];
    const batchId = new mongoose.Types.ObjectId().toHexString();
    // What a writer leaves behind when it dies after the batch and one of its records.
    await HandoverBatchModel.collection.insertOne({ _id: batchId, from: s.leaving._id, to: s.successor._id, actor: { kind: 'user', id: officer.user._id, name: 'ciso' }, at: new Date(Date.now() - 60_000), departmentId: null, items, status: 'pending', completedAt: null } as never);
    await engagementStore.update(cliContext('test'), 'engagement.handover', s.e1._id, 1, (c) => replacePerson(c, s.leaving._id, s.successor._id)!);

    assert.equal(await completePendingHandovers(), 1);
    assert.equal((await engagementStore.get(s.e1._id))!.version, 2, 'the record already moved is not written again');
    assert.equal((await snsAccountStore.get(s.s1._id))!.responsiblePersonId, s.successor._id);
    assert.equal((await request(app).get(`/api/v1/cloud-services/${s.c1._id}`).set('Authorization', officer.bearer)).body.administratorId, s.successor._id);
    assert.equal((await HandoverBatchModel.findById(batchId).lean())!.status, 'done');
    assert.equal(await AuditModel.countDocuments({ action: 'handover.apply', entityId: batchId }), 1);
    assert.equal(await completePendingHandovers(), 0, 'a done batch is not run again');
    assert.equal((await engagementStore.get(s.eb._id))!.responsiblePersonId, s.leaving._id, 'records outside the batch stay');
  });
});

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { useTestDatabase } from '../helpers/db.js';
import { testApp } from '../helpers/app.js';
import { makeDepartment } from '../helpers/auth.js';
import { deactivate, makePerson, makeVendor, makeStaff, type TestUser } from '../helpers/records.js';
import { cliContext } from '../../src/audit/actor.js';
import { AuditModel } from '../../src/audit/audit.model.js';
import { setLastDecision } from '../../src/records/index.js';
import type { Engagement } from '../../src/engagements/index.js';
import { addMonths, todayInTokyo } from '../../src/shared/dates.js';
import type { Department, Person } from '../../src/org/index.js';
import type { Vendor } from '../../src/vendors/index.js';

useTestDatabase();

describe('/api/v1/engagements', () => {
  const app = testApp();
  const today = todayInTokyo();
  let officer: TestUser;
  let own: TestUser;
  let dept: Department;
  let other: Department;
  let vendor: Vendor;
  let person: Person;
  let person2: Person;

  before(async () => {
    [dept, other] = await Promise.all([makeDepartment('市民課'), makeDepartment('税務課')]);
    [officer, own, vendor, person, person2] = await Promise.all([makeStaff(['security_officer']), makeStaff(['procurement'], dept._id), makeVendor(), makePerson(dept._id, { name: '山田 太郎' }), makePerson(dept._id, { name: '佐藤 花子' })]);
  });

  const body = (over: object = {}) => ({ title: '住民記録システム保守', departmentId: dept._id, vendorId: vendor._id, responsiblePersonId: person._id, period: { start: '2026-04-01', end: '2099-03-31' }, ...over });
  const post = (who: TestUser, b: object) => request(app).post('/api/v1/engagements').set('Authorization', who.bearer).send(b);
  const patch = (who: TestUser, id: string, b: object) => request(app).patch(`/api/v1/engagements/${id}`).set('Authorization', who.bearer).send(b);
  const get = (who: TestUser, path: string) => request(app).get(path).set('Authorization', who.bearer);

  test('computes the tier with its reasons, the warnings and the next review on create', async () => {
    const res = await post(own, body({
      informationAssets: [{ name: '住民票', confidentiality: '3b', personalData: true, myNumber: true }],
      segment: 'mynumber', remoteAccess: true, subcontractors: [{ name: '下請株式会社', scope: '入力' }],
    }));
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.tier.tier, 4);
    assert.deepEqual(res.body.tier.reasons.map((r: { code: string }) => r.code), ['my_number', 'segment_mynumber', 'confidentiality_3ab', 'remote_access']);
    assert.deepEqual(res.body.classification, { level: '3B', rank: 3 });
    assert.equal(res.body.informationAssets[0].personalData, true, '特定個人情報 is personal data');
    assert.deepEqual(res.body.warnings.map((w: { code: string }) => w.code), ['subcontractor_unapproved']);
    assert.match(res.body.warnings[0].message, /下請株式会社/);
    assert.deepEqual(res.body.nextReview, { date: today, reason: 'never_decided', text: res.body.nextReview.text, daysLeft: 0, status: 'due_soon' });
    assert.equal(res.body.status, 'active');
    assert.equal(res.body.lastDecision, null);
    assert.equal(res.body.responsiblePerson.name, '山田 太郎');
    assert.equal(res.body.vendor.name, vendor.name);
    assert.equal(await AuditModel.countDocuments({ entity: 'engagement', entityId: res.body.id }), 1);
  });

  test('refuses bad input field by field: unknown vendor or person, end before start, level not in the scheme, placement, approval without date', async () => {
    const cases: [object, string][] = [
      [{ vendorId: 'aaaaaaaaaaaaaaaaaaaaaaaa' }, 'vendorId'],
      [{ responsiblePersonId: 'aaaaaaaaaaaaaaaaaaaaaaaa' }, 'responsiblePersonId'],
      [{ administratorId: 'aaaaaaaaaaaaaaaaaaaaaaaa' }, 'administratorId'],
      [{ period: { start: '2026-04-01', end: '2026-03-31' } }, 'period.end'],
      [{ period: { start: '2026-02-30', end: '2026-03-31' } }, 'period.start'],
      [{ informationAssets: [{ name: '台帳', confidentiality: '3' }] }, 'informationAssets.0.confidentiality'],
      [{ informationAssets: [{ name: '台帳', confidentiality: '4' }] }, 'informationAssets.0.confidentiality'],
      [{ segment: 'internet', placement: 'alpha_prime' }, 'placement'],
      [{ subcontractors: [{ name: '下請', approved: true }] }, 'subcontractors.0.approvedOn'],
      [{ subcontractors: [{ scope: '名前なし' }] }, 'subcontractors.0.name'],
      [{ subcontractors: [{ vendorId: 'aaaaaaaaaaaaaaaaaaaaaaaa' }] }, 'subcontractors.0.vendorId'],
      [{ title: 'あ'.repeat(201) }, 'title'],
      [{ title: '業務\u0007名' }, 'title'],
      [{ departmentId: { $gt: '' } }, 'departmentId'],
      [{ departmentId: 'aaaaaaaaaaaaaaaaaaaaaaaa' }, 'departmentId'],
    ];
    for (const [over, path] of cases) {
      const res = await post(officer, body(over));
      assert.equal(res.status, 400, `${JSON.stringify(over)} → ${res.status} ${res.text}`);
      assert.ok(res.body.errors.some((e: { path: string }) => e.path === path), `${JSON.stringify(over)}: ${JSON.stringify(res.body.errors)}`);
    }
    const gone = await makePerson(dept._id);
    await deactivate(gone);
    const inactive = await post(officer, body({ responsiblePersonId: gone._id }));
    assert.equal(inactive.status, 400);
    assert.match(inactive.body.errors[0].message, /無効/);
  });

  test('procurement works in its own department only: 403 to create elsewhere, 404 to read or edit elsewhere', async () => {
    const elsewhere = await post(own, body({ departmentId: other._id }));
    assert.equal(elsewhere.status, 403);
    const theirs = (await post(officer, body({ departmentId: other._id }))).body;
    assert.equal((await get(own, `/api/v1/engagements/${theirs.id}`)).status, 404);
    assert.equal((await patch(own, theirs.id, { version: 1, title: '乗っ取り' })).status, 404);
    assert.equal((await request(app).delete(`/api/v1/engagements/${theirs.id}`).set('Authorization', own.bearer)).status, 404);
    assert.equal((await get(own, `/api/v1/engagements/${theirs.id}/history`)).status, 404);
    const mine = (await post(own, body())).body;
    const move = await patch(own, mine.id, { version: 1, departmentId: other._id });
    assert.equal(move.status, 403, 'cannot move a record to another department');
    const list = await get(own, `/api/v1/engagements?departmentId=${other._id}`);
    assert.equal(list.body.total, 0, 'asking for another department shows nothing');
    assert.ok((await get(own, '/api/v1/engagements')).body.items.every((e: { departmentId: string }) => e.departmentId === dept._id));
  });

  test('a PATCH recomputes the tier, keeps omitted fields, and the tier history records the change', async () => {
    const created = (await post(officer, body({ description: '残す説明' }))).body;
    assert.equal(created.tier.tier, 1);
    const res = await patch(officer, created.id, { version: 1, informationAssets: [{ name: '職員情報', confidentiality: '3C', personalData: true }] });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.tier.tier, 3);
    assert.equal(res.body.description, '残す説明');
    const history = (await get(officer, `/api/v1/engagements/${created.id}/tier-history`)).body.items;
    assert.deepEqual(history.map((h: { event: string; tier: number }) => `${h.event}:${h.tier}`), ['computed:1', 'recomputed:3']);
    assert.equal((await patch(officer, created.id, { version: 1, title: '古い版' })).status, 409);
  });

  test('a subcontractor change after the last decision brings the review forward to today', async () => {
    const created = (await post(officer, body({ informationAssets: [{ name: '資料', confidentiality: '2' }] }))).body;
    const decided = (await setLastDecision(cliContext('test'), 'engagement', created.id, { date: '2026-01-15', result: 'approved', openConditionDueDates: [], assessmentId: null })) as Engagement;
    assert.equal(decided.nextReviewDate, addMonths('2026-01-15', 24));
    assert.equal(decided.nextReviewReason, 'interval');
    const changed = await patch(officer, created.id, { version: decided.version, subcontractors: [{ name: '新下請株式会社', approved: true, approvedOn: today }] });
    assert.equal(changed.status, 200, changed.text);
    assert.equal(changed.body.nextReview.reason, 'subcontractor_change');
    assert.equal(changed.body.nextReview.date, today);
    const approvedOnly = await patch(officer, created.id, { version: changed.body.version, description: '説明のみ' });
    assert.equal(approvedOnly.body.nextReview.date, today);
  });

  test('a conditional decision (setLastDecision) makes the review due at its earliest open condition, audited', async () => {
    const created = (await post(officer, body({ informationAssets: [{ name: '資料', confidentiality: '3C' }] }))).body;
    const due = addMonths(today, 2);
    await setLastDecision(cliContext('test'), 'engagement', created.id, { date: today, result: 'conditional', openConditionDueDates: [addMonths(today, 5), due], assessmentId: null });
    const read = (await get(officer, `/api/v1/engagements/${created.id}`)).body;
    assert.deepEqual([read.nextReview.date, read.nextReview.reason, read.lastDecision.result], [due, 'condition_due', 'conditional']);
    assert.equal(await AuditModel.countDocuments({ entityId: created.id, action: 'engagement.decision' }), 1);
  });

  test('incidents: recorded by officers and the own department, listed newest first, moving the review; never in the future', async () => {
    const created = (await post(own, body())).body;
    (await setLastDecision(cliContext('test'), 'engagement', created.id, { date: '2026-01-15', result: 'approved', openConditionDueDates: [], assessmentId: null })) as Engagement;
    const path = `/api/v1/engagements/${created.id}/incidents`;
    const first = await request(app).post(path).set('Authorization', own.bearer).send({ date: '2026-02-01', severity: 'high', summary: 'メール誤送信' });
    assert.equal(first.status, 201, first.text);
    assert.equal(first.body.subject.nextReviewDate, '2026-02-01');
    assert.equal((await request(app).post(path).set('Authorization', officer.bearer).send({ date: '2026-03-01', severity: 'low', summary: '軽微な手順違反' })).status, 201);
    const list = await get(own, path);
    assert.deepEqual(list.body.items.map((i: { date: string }) => i.date), ['2026-03-01', '2026-02-01']);
    const read = (await get(own, `/api/v1/engagements/${created.id}`)).body;
    assert.equal(read.incidentCount, 2);
    assert.equal(read.nextReview.reason, 'incident');
    assert.equal(await AuditModel.countDocuments({ entityId: created.id, action: 'engagement.incident' }), 2);

    const future = await request(app).post(path).set('Authorization', officer.bearer).send({ date: '2999-01-01', severity: 'low', summary: '未来' });
    assert.equal(future.status, 400);
    assert.equal(future.body.errors[0].path, 'date');
    assert.equal((await request(app).post(path).set('Authorization', officer.bearer).send({ date: today, severity: 'unknown', summary: 'x' })).status, 400);
    assert.equal((await request(app).post(path).set('Authorization', officer.bearer).send({ date: today, severity: 'low', summary: '' })).status, 400);
  });

  test('tier override: an officer overrides with a reason; same as computed is refused; it lapses when the facts move the tier', async () => {
    const created = (await post(officer, body({ informationAssets: [{ name: '資料', confidentiality: '2' }] }))).body;
    assert.equal(created.tier.tier, 2);
    const path = `/api/v1/engagements/${created.id}/tier-override`;
    assert.equal((await request(app).post(path).set('Authorization', own.bearer).send({ tier: 3, reason: '自課判断', version: 1 })).status, 403);
    const same = await request(app).post(path).set('Authorization', officer.bearer).send({ tier: 2, reason: '同じ', version: 1 });
    assert.equal(same.status, 400);
    const noReason = await request(app).post(path).set('Authorization', officer.bearer).send({ tier: 3, reason: ' ', version: 1 });
    assert.equal(noReason.status, 400);
    const ok = await request(app).post(path).set('Authorization', officer.bearer).send({ tier: 3, reason: '議会資料を含むため', version: 1 });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.tier.tier, 3);
    assert.equal(ok.body.tier.computedTier, 2);
    assert.equal(ok.body.tier.override.reason, '議会資料を含むため');
    assert.equal((await request(app).post(path).set('Authorization', officer.bearer).send({ tier: 4, reason: '古い版', version: 1 })).status, 409);
    assert.equal((await get(officer, `/api/v1/engagements?tier=3&q=${encodeURIComponent('住民記録')}`)).body.items.some((e: { id: string }) => e.id === created.id), true, 'lists filter on the effective tier');

    const moved = await patch(officer, created.id, { version: ok.body.version, informationAssets: [{ name: '資料', confidentiality: '3C' }] });
    assert.equal(moved.body.tier.override, null, 'the override lapsed');
    assert.equal(moved.body.tier.tier, 3);
    const history = (await get(officer, `/api/v1/engagements/${created.id}/tier-history`)).body.items;
    assert.deepEqual(history.map((h: { event: string }) => h.event), ['computed', 'override', 'override_lapsed']);
    assert.equal(history[1].override.reason, '議会資料を含むため');
  });

  test('list filters: vendor, segment, tier, warning, review due, person; sorts by next review', async () => {
    const v2 = await makeVendor();
    const a = (await post(officer, body({ vendorId: v2._id, segment: 'lgwan', administratorId: person2._id }))).body;
    const q = async (query: string) => (await get(officer, `/api/v1/engagements?limit=200&${query}`)).body.items.map((e: { id: string }) => e.id) as string[];
    assert.deepEqual(await q(`vendorId=${v2._id}`), [a.id]);
    assert.ok((await q('segment=lgwan')).includes(a.id));
    assert.deepEqual(await q(`personId=${person2._id}`), [a.id]);
    assert.ok(!(await q('segment=internet')).includes(a.id));
    assert.ok((await q('reviewDue=soon&days=1')).includes(a.id), 'never decided: due today');
    assert.ok(!(await q('reviewDue=overdue')).includes(a.id));
    assert.ok((await q('warning=subcontractor_unapproved')).length >= 1);
    assert.equal((await get(officer, '/api/v1/engagements?warning=sns_dormant')).body.total, 0, 'a warning of another kind matches nothing');
    for (const bad of ['tier=5', 'warning=nope', 'reviewDue=later', 'sort=secret', 'vendorId=xyz', 'limit=201']) {
      assert.equal((await get(officer, `/api/v1/engagements?${bad}`)).status, 400, bad);
    }
    const sorted = (await get(officer, '/api/v1/engagements?sort=nextReview&limit=200')).body.items.map((e: { nextReview: { date: string } }) => e.nextReview.date);
    assert.deepEqual(sorted, [...sorted].sort());
  });

  test('archiving hides a record from lists, keeps it readable, and freezes it', async () => {
    const created = (await post(own, body({ title: 'アーカイブ対象業務' }))).body;
    const archived = await request(app).delete(`/api/v1/engagements/${created.id}?version=1`).set('Authorization', own.bearer);
    assert.equal(archived.status, 200);
    assert.ok(archived.body.archivedAt);
    const q = encodeURIComponent('アーカイブ対象');
    assert.equal((await get(own, `/api/v1/engagements?q=${q}`)).body.total, 0);
    assert.equal((await get(own, `/api/v1/engagements?q=${q}&archived=include`)).body.total, 1);
    assert.equal((await patch(own, created.id, { version: 2, title: '変更' })).status, 409);
    assert.equal((await request(app).post(`/api/v1/engagements/${created.id}/incidents`).set('Authorization', own.bearer).send({ date: today, severity: 'low', summary: 'x' })).status, 409);
    const history = (await get(own, `/api/v1/engagements/${created.id}/history`)).body;
    assert.deepEqual(history.map((h: { action: string }) => h.action), ['engagement.create', 'engagement.archive']);
  });
});

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { useTestDatabase } from '../helpers/db.js';
import { testApp } from '../helpers/app.js';
import { makeDepartment } from '../helpers/auth.js';
import { makeCloudService, makeEngagement, makePerson, makeSnsAccount, makeVendor, makeStaff, type TestUser } from '../helpers/records.js';
import { addDays, todayInTokyo } from '../../src/shared/dates.js';
import type { Department } from '../../src/org/index.js';

useTestDatabase();

describe('/api/v1/dashboard', () => {
  const app = testApp();
  const today = todayInTokyo();
  let officer: TestUser;
  let ownA: TestUser;
  let a: Department;
  let b: Department;
  const ids: Record<string, string> = {};

  before(async () => {
    [a, b] = await Promise.all([makeDepartment('所管課A'), makeDepartment('所管課B')]);
    [officer, ownA] = await Promise.all([makeStaff(['auditor']), makeStaff(['procurement'], a._id)]);
    const [pa, pb] = await Promise.all([makePerson(a._id), makePerson(b._id)]);
    const cert = (type: string, days: number) => ({ type, number: `N${days}`, validUntil: addDays(today, days) });
    const va = await makeVendor({ name: '株式会社認証多数', certifications: [cert('isms', 5), cert('privacy_mark', 20), cert('iso27017', 50), cert('iso27018', 70), cert('soc2', -3)] });
    const vb = await makeVendor({ name: '株式会社他課専用', certifications: [cert('isms', 10)] });
    await makeVendor({ name: '株式会社未使用', certifications: [cert('isms', 1)] });
    ids.ended = (await makeEngagement(a._id, va._id, pa._id, { title: '終了済み業務', period: { start: '2025-04-01', end: addDays(today, -10) } }))._id;
    ids.ending = (await makeEngagement(a._id, va._id, pa._id, { title: '終了間近業務', period: { start: '2025-04-01', end: addDays(today, 10) }, informationAssets: [{ name: 'x', confidentiality: '3B', myNumber: true }] }))._id;
    ids.closed = (await makeEngagement(a._id, va._id, pa._id, { title: '確認済み業務', period: { start: '2025-04-01', end: addDays(today, -5) }, endOfContract: { assetsReturned: true, erasureCertificate: true, accountsRevoked: true, date: today } }))._id;
    ids.ismap = (await makeCloudService(a._id, va._id, pa._id, { name: 'ISMAP期限間近', ismap: { program: 'ismap', number: 'C-25', scope: '', validUntil: addDays(today, 25) } }))._id;
    ids.sns = (await makeSnsAccount(a._id, { twoFactor: false }))._id;
    ids.other = (await makeEngagement(b._id, vb._id, pb._id, { title: '他課の業務', subcontractors: [{ name: '未承認下請' }] }))._id;
  });

  const dash = async (who: TestUser, q = '') => {
    const res = await request(app).get(`/api/v1/dashboard${q}`).set('Authorization', who.bearer);
    assert.equal(res.status, 200, res.text);
    return res.body;
  };

  test('counts every department for an all-department reader, by kind, status and tier', async () => {
    const d = await dash(officer);
    assert.equal(d.scope.departmentId, null);
    assert.equal(d.counts.engagements.total, 4);
    assert.deepEqual(d.counts.engagements.byStatus, { ended: 2, active: 2 });
    assert.equal(d.counts.engagements.byTier['4'], 1);
    assert.equal(d.counts.cloudServices.total, 1);
    assert.equal(d.counts.snsAccounts.byTier['2'], 1);
    assert.equal(d.counts.vendors.total, 3, 'all live vendors of the master data');
    assert.deepEqual(d.heatmap, []);
    assert.deepEqual(d.due.assessments, []);
    assert.deepEqual(d.due.conditions, []);
  });

  test('procurement sees its own department’s figures only', async () => {
    const d = await dash(ownA);
    assert.equal(d.scope.departmentId, a._id);
    assert.equal(d.counts.engagements.total, 3);
    assert.equal(d.counts.vendors.total, 1, 'vendors its records use');
    const every = [...d.due.reviews, ...d.due.contracts, ...d.gaps.items];
    assert.ok(every.every((x: { departmentId: string }) => x.departmentId === a._id));
    assert.ok(!d.due.certificates.some((c: { name: string }) => c.name === '株式会社他課専用'));
  });

  test('certificates and ISMAP registrations by window: expired, 7, 30 and 60 days; beyond 60 left out', async () => {
    const d = await dash(officer);
    const windows = Object.fromEntries(d.due.certificates.map((c: { number: string; window: string }) => [c.number, c.window]));
    assert.deepEqual(windows, { 'N-3': 'expired', N5: 'within_7_days', N10: 'within_30_days', N20: 'within_30_days', 'C-25': 'within_30_days', N50: 'within_60_days' });
    const ismap = d.due.certificates.find((c: { number: string }) => c.number === 'C-25');
    assert.deepEqual([ismap.source, ismap.id, ismap.certificate], ['ismap', ids.ismap, 'ISMAP']);
    assert.deepEqual(d.due.certificates.map((c: { daysLeft: number }) => c.daysLeft), [-3, 5, 10, 20, 25, 50]);
  });

  test('contracts ended or ending within the window without an end-of-contract record', async () => {
    const d30 = await dash(officer);
    assert.deepEqual(d30.due.contracts.map((c: { id: string; ended: boolean }) => [c.id, c.ended]), [[ids.ended, true], [ids.ending, false]]);
    const d5 = await dash(officer, '?days=5');
    assert.deepEqual(d5.due.contracts.map((c: { id: string }) => c.id), [ids.ended]);
  });

  test('reviews due within the window (never decided: due on registration) and gaps with their codes', async () => {
    const d = await dash(officer, '?days=7');
    assert.equal(d.days, 7);
    assert.equal(d.due.reviews.length, 6);
    assert.ok(d.due.reviews.every((r: { date: string; overdue: boolean }) => r.date === today && !r.overdue));
    assert.equal(d.gaps.byCode.contract_ended_without_record, 1);
    assert.equal(d.gaps.byCode.subcontractor_unapproved, 1);
    assert.equal(d.gaps.byCode.sns_no_two_factor, 1);
    assert.ok(!d.gaps.items.some((g: { id: string }) => g.id === ids.closed), 'a closed contract has no gap');
    const sum = Object.values(d.gaps.byCode as Record<string, number>).reduce((x, y) => x + y, 0);
    assert.equal(sum, d.gaps.items.reduce((n: number, g: { warnings: unknown[] }) => n + g.warnings.length, 0));
  });

  test('refuses a window out of range', async () => {
    for (const q of ['?days=0', '?days=367', '?days=abc', '?days[$gt]=1']) {
      const res = await request(app).get(`/api/v1/dashboard${q}`).set('Authorization', officer.bearer);
      assert.equal(res.status, 400, q);
    }
  });
});

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { useTestDatabase } from '../helpers/db.js';
import { makeStaff, type TestUser } from '../helpers/records.js';
import { testApp } from '../helpers/app.js';
import { cliContext } from '../../src/audit/actor.js';
import { verifyAudit } from '../../src/audit/log.js';
import { existingRecordCounts, seedDemo, SeedRefused } from '../../src/demo/seed.js';
import { isValidCorporateNumber } from '../../src/vendors/corporate-number.js';
import { WARNING_CODES } from '../../src/risk/warnings.js';
import { subjectListFilter } from '../../src/records/list-filters.js';
import { storeOf } from '../../src/records/save.js';
import type { SubjectKind } from '../../src/records/subject.types.js';

useTestDatabase();

const KIND_PATHS = { engagement: 'engagements', cloudService: 'cloud-services', snsAccount: 'sns-accounts' } as const;

describe('seed:demo', () => {
  const app = testApp();
  let officer: TestUser;
  let started = 0;

  before(async () => {
    officer = await makeStaff(['security_officer']);
    started = Date.now();
    await seedDemo(cliContext('seed:demo'));
  });

  const all = async (path: string, query = '') => {
    const res = await request(app).get(`/api/v1/${path}?limit=200${query}`).set('Authorization', officer.bearer);
    assert.equal(res.status, 200, res.text);
    return res.body as { items: Record<string, any>[]; total: number };
  };
  // Each presented list is read once and shared by the tests below.
  const lists = new Map<string, Promise<{ items: Record<string, any>[]; total: number }>>();
  const list = (path: string) => {
    if (!lists.has(path)) lists.set(path, all(path));
    return lists.get(path)!;
  };

  test('loads at least 5 departments, 15 vendors, 20 engagements, 20 cloud services and 10 SNS accounts', async () => {
    console.log(`seed took ${Date.now() - started} ms`);
    assert.ok((await all('departments')).total >= 5);
    assert.ok((await all('people')).total >= 15);
    const vendors = await all('vendors');
    assert.ok(vendors.total >= 15);
    for (const v of vendors.items) if (v.corporateNumber) assert.ok(isValidCorporateNumber(v.corporateNumber), `${v.name}: ${v.corporateNumber}`);
    assert.ok(vendors.items.some((v) => v.country !== 'JP' && v.corporateNumber === null), 'a foreign vendor without 法人番号');
    assert.ok((await list('engagements')).total >= 20);
    assert.ok((await list('cloud-services')).total >= 20);
    assert.ok((await list('sns-accounts')).total >= 10);
  });

  test('represents every tier and every warning code', async () => {
    const records = [...(await list('engagements')).items, ...(await list('cloud-services')).items, ...(await list('sns-accounts')).items];
    assert.deepEqual([...new Set(records.map((r) => r.tier.tier))].sort(), [1, 2, 3, 4]);
    const codes = new Set(records.flatMap((r) => r.warnings.map((w: { code: string }) => w.code)));
    assert.deepEqual(WARNING_CODES.filter((c) => !codes.has(c)), [], 'warning codes missing from the demo');
    assert.ok(records.some((r) => r.tier.override), 'a tier override');
    assert.ok(records.some((r) => r.incidentCount > 0), 'an incident');
    assert.ok(records.some((r) => r.nextReview.status === 'overdue') && records.some((r) => r.nextReview.status === 'due_soon') && records.some((r) => r.nextReview.status === 'scheduled'));
  });

  test('the ?warning= filter selects exactly the records that show the warning, for stored and read-time codes alike', async () => {
    // One presented list per kind, then the filter each code turns into, run against the database directly.
    for (const [kind, path] of Object.entries(KIND_PATHS) as [SubjectKind, string][]) {
      const items = (await list(path)).items;
      for (const code of WARNING_CODES) {
        const expected = items.filter((r) => r.warnings.some((w: { code: string }) => w.code === code)).map((r) => r.id).sort();
        const filter = { ...(await subjectListFilter(kind, { warning: code, days: 30 })), archivedAt: null };
        const got = (await storeOf(kind).model.find(filter, { _id: 1 }).lean()).map((r) => r._id).sort();
        assert.deepEqual(got, expected, `${kind} ?warning=${code}`);
      }
    }
  });

  test('?reviewDue= and ?tier= agree with the records', async () => {
    const items = (await list('engagements')).items;
    const overdue = (await all('engagements', '&reviewDue=overdue')).items.map((r) => r.id).sort();
    assert.deepEqual(overdue, items.filter((r) => r.nextReview.status === 'overdue').map((r) => r.id).sort());
    const soon = (await all('engagements', '&reviewDue=soon&days=30')).items.map((r) => r.id).sort();
    assert.deepEqual(soon, items.filter((r) => r.nextReview.daysLeft >= 0 && r.nextReview.daysLeft <= 30).map((r) => r.id).sort());
    const t4 = (await all('engagements', '&tier=4')).items;
    assert.ok(t4.length > 0 && t4.every((r) => r.tier.tier === 4));
  });

  test('has assessments in every status, with vendor answers, evidence and review comments', async () => {
    const { items } = await all('assessments');
    const statuses = new Set(items.map((a) => a.status));
    for (const s of ['issued', 'in_progress', 'submitted', 'under_review', 'clarification_requested', 'cancelled', 'decided']) assert.ok(statuses.has(s), `an assessment ${s}`);
    assert.ok(items.some((a) => a.respondent === 'staff' && a.status !== 'issued'), 'a staff-answered assessment with answers');
    const details = await Promise.all(items.map(async (a) => (await request(app).get(`/api/v1/assessments/${a.id}`).set('Authorization', officer.bearer)).body));
    const answered = (a: any) => a.questions.filter((q: any) => q.answer !== null).length;
    for (const a of details) {
      if (a.status === 'issued') assert.equal(answered(a), 0, `${a.subject.name}: an issued assessment has no answers yet`);
      if (['submitted', 'under_review', 'clarification_requested', 'decided'].includes(a.status)) {
        assert.equal(a.progress.answered, a.progress.applicable, `${a.subject.name} (${a.status}): every applicable question answered`);
      }
      if (a.respondent === 'vendor' && a.status !== 'cancelled') assert.ok(a.link, `${a.subject.name}: a vendor link was issued`);
    }
    const inProgress = details.filter((a) => a.status === 'in_progress');
    assert.ok(inProgress.every((a) => answered(a) > 0 && a.progress.answered < a.progress.applicable), 'in progress means partly answered');
    const vendorAnswers = details.filter((a) => a.respondent === 'vendor').flatMap((a) => a.questions.filter((q: any) => q.answer));
    assert.ok(vendorAnswers.length > 100 && vendorAnswers.every((q: any) => /（回答者）$/.test(q.answer.by)), 'vendors answered through their link');
    const files = details.flatMap((a) => a.questions.flatMap((q: any) => q.files));
    assert.ok(files.length > 10, 'evidence was uploaded');
    const pdf = await request(app).get(`/api/v1/assessments/${details.find((a) => a.questions.some((q: any) => q.files.length))!.id}/evidence/${files[0].id}`).set('Authorization', officer.bearer);
    assert.equal(pdf.status, 200);
    assert.match(pdf.body.toString('latin1'), /^%PDF-1\.4/);
    const comments = details.flatMap((a) => a.questions.flatMap((q: any) => q.review?.comments ?? []));
    assert.ok(comments.some((c: any) => c.visibleToRespondent) && comments.some((c: any) => !c.visibleToRespondent), 'review comments for the vendor and internal ones');
    const clarification = details.find((a) => a.status === 'clarification_requested')!;
    assert.ok(clarification.clarification.message.length > 0);
    assert.ok(details.some((a) => a.status === 'under_review' && a.questions.some((q: any) => q.review?.answer?.verdict === 'accepted')), 'a review in progress');
    assert.ok(details.find((a) => a.status === 'cancelled')!.cancellation.reason.length > 0);
  });

  test('has decided assessments whose results follow the method, and conditions in every state', async () => {
    const decided = (await all('assessments', '&status=decided')).items;
    const decisions = await Promise.all(decided.map(async (a) => (await request(app).get(`/api/v1/assessments/${a.id}`).set('Authorization', officer.bearer)).body.decision));
    assert.deepEqual([...new Set(decisions.map((d) => d.result))].sort(), ['approved', 'conditional', 'rejected']);
    for (const d of decisions) {
      assert.equal(d.deviates, false, `${d.result}: the demo decides as the method recommends (${d.recommendation.rule})`);
      if (d.result === 'rejected') assert.ok(d.score.gates.failed.length > 0);
    }
    assert.ok(decisions.some((d) => d.score.gates.excepted.length > 0), 'an excepted ◎ gate');
    const conditions = (await all('conditions')).items;
    const states = new Set(conditions.map((c) => (c.overdue ? 'overdue' : c.status)));
    assert.deepEqual([...states].sort(), ['accepted', 'done', 'open', 'overdue']);
    assert.ok(conditions.filter((c) => c.status !== 'open').every((c) => c.done.note.length > 0), 'done with what was done');

    const dashboard = (await request(app).get('/api/v1/dashboard?days=30').set('Authorization', officer.bearer)).body;
    assert.ok(dashboard.heatmap.length > 0, 'a heat map from the decided assessments');
    const reasons = new Set(dashboard.due.assessments.map((a: { reason: string }) => a.reason));
    assert.deepEqual([...reasons].sort(), ['clarification_unanswered', 'due_soon', 'overdue']);
    assert.ok(dashboard.due.conditions.some((c: { overdue: boolean }) => c.overdue));
  });

  test('refuses to run again on a database with records, and with --force adds nothing twice', async () => {
    const before = await existingRecordCounts();
    const assessments = (await all('assessments')).total;
    await assert.rejects(seedDemo(cliContext('seed:demo')), (err: unknown) => err instanceof SeedRefused && /--force/.test(err.message));
    const report = await seedDemo(cliContext('seed:demo'), { force: true });
    assert.deepEqual(Object.values(report.created), [0, 0, 0, 0, 0, 0, 0]);
    assert.deepEqual(await existingRecordCounts(), before);
    assert.equal((await all('assessments')).total, assessments);
    assert.equal((await verifyAudit()).ok, true);
  });
});

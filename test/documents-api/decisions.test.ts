import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { cliContext, SYSTEM } from '../../src/audit/actor.js';
import { completeAllDecisionConditions } from '../../src/decisions/decide.js';
import { issueAssessment } from '../../src/assessments/commands.js';
import { loadAppContent } from '../../src/content.js';
import { setLastDecision } from '../../src/records/index.js';
import type { Department } from '../../src/org/index.js';
import { addDays, todayInTokyo } from '../../src/shared/dates.js';
import { useTestDatabase } from '../helpers/db.js';
import { testApp } from '../helpers/app.js';
import { makeDepartment } from '../helpers/auth.js';
import { makeEngagement, makePerson, makeStaff, makeVendor, type TestUser } from '../helpers/records.js';
import { decideAssessment, download, openWorkbook, setUpMunicipality, sheetXmls, type Decided } from './helpers.js';

useTestDatabase();

describe('decisions: next review, report.xlsx, dashboard, annex conditions', () => {
  const app = testApp();
  const today = todayInTokyo();
  const soon = addDays(today, 20);
  const later = addDays(today, 45);
  let a: Department;
  let ciso: TestUser;
  let auditor: TestUser;
  let ownA: TestUser;
  let ownB: TestUser;
  let roleless: TestUser;
  let engagementId: string;
  let decided: Decided;
  let score: { tier: number; likelihood: number | null; totals: { controlScoreText: string | null; sumWeights: number; sumWeightedPointsHundredths: number } };

  before(async () => {
    await setUpMunicipality();
    let b: Department;
    [a, b] = await Promise.all([makeDepartment('情報政策課'), makeDepartment('市民課')]);
    [ciso, auditor, ownA, ownB, roleless] = await Promise.all([
      makeStaff(['ciso']),
      makeStaff(['auditor']),
      makeStaff(['procurement'], a._id),
      makeStaff(['procurement'], b._id),
      makeStaff([]),
    ]);
    const person = await makePerson(a._id);
    const vendor = await makeVendor({ name: '株式会社条件付', address: '東京都港区芝公園四丁目２番８号' });
    engagementId = (
      await makeEngagement(a._id, vendor._id, person._id, {
        title: '税務システム保守業務',
        systemWork: true,
        informationAssets: [{ name: '課税台帳', confidentiality: '3B', personalData: true, integrity: 2 }],
      })
    )._id;
    decided = await decideAssessment(app, {
      subject: { kind: 'engagement', id: engagementId },
      templateId: 'outsourcing',
      preparer: { id: ownA.user._id },
      decider: ciso.bearer,
      answers: { E02: 4 },
      result: 'conditional',
      conditions: [
        { text: '連絡体制図を提出すること', owner: '委託先', dueDate: later },
        { text: '従事者名簿を提出すること', owner: '委託先', dueDate: soon },
      ],
    });
    score = (await request(app).get(`/api/v1/assessments/${decided.assessmentId}/score`).set('Authorization', ciso.bearer)).body;
  });

  const engagement = async () => (await request(app).get(`/api/v1/engagements/${engagementId}`).set('Authorization', ciso.bearer)).body;

  test('a conditional decision moves the next review to the earliest condition due date; done conditions drop out', async () => {
    const before = await engagement();
    assert.deepEqual(before.lastDecision, { date: today, result: 'conditional', openConditionDueDates: [soon, later], assessmentId: decided.assessmentId });
    assert.equal(before.nextReview.date, soon);
    assert.equal(before.nextReview.reason, 'condition_due');

    const conditions = (await request(app).get(`/api/v1/conditions?assessmentId=${decided.assessmentId}`).set('Authorization', ownA.bearer)).body.items;
    const first = conditions.find((c: { dueDate: string }) => c.dueDate === soon);
    const done = await request(app).post(`/api/v1/conditions/${first.id}/done`).set('Authorization', ownA.bearer).send({ version: first.version, note: '名簿を受領した' });
    assert.equal(done.status, 200, done.text);
    const after = await engagement();
    assert.deepEqual(after.lastDecision.openConditionDueDates, [later]);
    assert.equal(after.nextReview.date, later);
  });

  test('the start-up sweep brings a record whose lastDecision was lost up to date, and then changes nothing', async () => {
    await setLastDecision(cliContext('test'), 'engagement', engagementId, null);
    assert.equal((await engagement()).lastDecision, null);
    assert.ok((await completeAllDecisionConditions(SYSTEM)) >= 1);
    const restored = await engagement();
    assert.equal(restored.lastDecision.assessmentId, decided.assessmentId);
    assert.deepEqual(restored.lastDecision.openConditionDueDates, [later]);
    const version = restored.version;
    assert.equal(await completeAllDecisionConditions(SYSTEM), 0);
    assert.equal((await engagement()).version, version, 'idempotent');
  });

  test('report.xlsx shows C with its sums, the answers with points, and flags a decision that departs from the recommendation', async () => {
    assert.notEqual(decided.recommendation, 'conditional', 'the fixture decides against the recommendation');
    const res = await download(app, `/api/v1/assessments/${decided.assessmentId}/report.xlsx`, auditor.bearer);
    assert.equal(res.status, 200, res.body.toString().slice(0, 300));
    assert.match(decodeURIComponent((res.headers['content-disposition'] as string).split("UTF-8''")[1]!), /^評価報告書_税務システム保守業務\.xlsx$/);
    for (const xml of sheetXmls(res.body)) assert.equal(/<f[ >]/.test(xml), false);
    const wb = await openWorkbook(res.body);
    assert.deepEqual(wb.worksheets.map((w) => w.name), ['概要', '回答', '集計']);
    const summary = new Map<string, ExcelJS.Cell>();
    wb.getWorksheet('概要')!.eachRow((row) => summary.set(row.getCell(1).text, row.getCell(2)));
    assert.equal(summary.get('管理策スコア C')!.text, score.totals.controlScoreText);
    assert.equal(summary.get('Σw（重みの合計）')!.value, score.totals.sumWeights);
    assert.equal(summary.get('Σw·p（加重得点の合計）')!.value, score.totals.sumWeightedPointsHundredths / 100);
    assert.equal(summary.get('固有リスク区分 T')!.value, score.tier);
    const deviation = summary.get('推奨との相違')!;
    assert.match(deviation.text, /^あり：推奨（.+）と異なる判断（条件付き承認）です$/);
    assert.equal((deviation.fill as ExcelJS.FillPattern).fgColor?.argb, 'FFF8CBAD');
    assert.match(summary.get('条件')!.text, /（1）連絡体制図を提出すること／対応: 委託先／期限: .+／状態: 未対応/);
    assert.match(summary.get('条件')!.text, /従事者名簿を提出すること.+状態: 対応済み（確認待ち）/);

    const answers = wb.getWorksheet('回答')!;
    const e02 = [...Array(answers.rowCount).keys()].map((i) => answers.getRow(i + 1)).find((r) => r.getCell(1).text === 'E02')!;
    assert.equal(e02.getCell(6).text, '4時間');
    assert.equal(typeof e02.getCell(9).value, 'number');
    const sums = wb.getWorksheet('集計')!;
    const total = [...Array(sums.rowCount).keys()].map((i) => sums.getRow(i + 1)).find((r) => r.getCell(1).text === '合計')!;
    assert.equal(total.getCell(2).value, score.totals.sumWeights);
    assert.equal(total.getCell(4).text, score.totals.controlScoreText ?? '—');
  });

  test('report.xlsx roles: another department’s procurement 404, no downloads role 403', async () => {
    assert.equal((await request(app).get(`/api/v1/assessments/${decided.assessmentId}/report.xlsx`).set('Authorization', ownA.bearer)).status, 200);
    assert.equal((await request(app).get(`/api/v1/assessments/${decided.assessmentId}/report.xlsx`).set('Authorization', ownB.bearer)).status, 404);
    assert.equal((await request(app).get(`/api/v1/assessments/${decided.assessmentId}/report.xlsx`).set('Authorization', roleless.bearer)).status, 403);
  });

  test('the dashboard counts the decided subject in its tier × likelihood cell and lists open conditions and assessments due', async () => {
    const due = await issueAssessment(cliContext('test'), { id: ownA.user._id, name: '所管課 担当' }, loadAppContent().templates, { subject: { kind: 'engagement', id: engagementId }, templateId: 'outsourcing', dueDate: addDays(today, 10), language: 'ja' }, () => undefined);
    const dash = await request(app).get('/api/v1/dashboard?days=60').set('Authorization', auditor.bearer);
    assert.equal(dash.status, 200, dash.text);
    const d = dash.body;
    assert.deepEqual(d.heatmap, [{ tier: score.tier, likelihood: score.likelihood, residual: score.likelihood === null ? null : score.tier * score.likelihood, count: 1 }]);
    assert.deepEqual(d.due.conditions.map((c: { text: string; dueDate: string; overdue: boolean }) => [c.text, c.dueDate, c.overdue]), [['連絡体制図を提出すること', later, false]]);
    assert.deepEqual(d.due.assessments.map((x: { id: string; reason: string; daysLeft: number }) => [x.id, x.reason, x.daysLeft]), [[due._id, 'due_soon', 10]]);
    const other = (await request(app).get('/api/v1/dashboard?days=60').set('Authorization', ownB.bearer)).body;
    assert.deepEqual([other.heatmap, other.due.conditions, other.due.assessments], [[], [], []]);
  });

  test('the annex carries the decision’s conditions with their deadlines and the first-report hours the vendor answered', async () => {
    const preview = await request(app).get(`/api/v1/engagements/${engagementId}/annex.docx?format=json`).set('Authorization', ownA.bearer);
    assert.equal(preview.status, 200, preview.text);
    assert.deepEqual(preview.body.conditions, [
      { text: '連絡体制図を提出すること', dueDate: later },
      { text: '従事者名簿を提出すること', dueDate: soon },
    ]);
    assert.equal(preview.body.parameters.firstReportHours, 4);
    assert.ok(preview.body.clauses.some((c: { module: string; applies: boolean }) => c.module === '承認の条件' && c.applies));
  });
});

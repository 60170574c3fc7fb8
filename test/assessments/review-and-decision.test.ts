import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { useTestDatabase } from '../helpers/db.js';
import { testApp } from '../helpers/app.js';
import { answerEverything, bestValue, cloudServiceC2, inDays, issue, makeWorld, type World } from '../helpers/assessments.js';
import { runReminders, OutboxModel } from '../../src/assessments/reminders.js';
import { AuditModel } from '../../src/audit/audit.model.js';
import { scoreWith } from '../../src/scoring/index.js';
import { assessmentStore } from '../../src/assessments/assessment.model.js';

useTestDatabase();

describe('review, clarification and decision', () => {
  const app = testApp();
  let w: World;
  let serviceId: string;
  before(async () => {
    w = await makeWorld();
    serviceId = (await cloudServiceC2(w))._id;
  });

  async function submitted(value?: (q: { id: string; answer: { type: string } }) => unknown) {
    const a = await issue(app, w.procurement, { kind: 'cloudService', id: serviceId }, 'cloud-service');
    const token = (await request(app).post(`/api/v1/assessments/${a.body.id}/link`).set('Authorization', w.procurement.bearer).send({})).body.token as string;
    await answerEverything(app, token, value as never);
    assert.equal((await request(app).post(`/api/v1/respond/${token}/submit`)).status, 200);
    return { id: a.body.id as string, token };
  }
  const review = (id: string, who = w.officer, body: Record<string, unknown>) => request(app).post(`/api/v1/assessments/${id}/review`).set('Authorization', who.bearer).send(body);

  test('the whole flow: review, clarification seen by the vendor, resubmission, decision; then immutable', async () => {
    const { id, token } = await submitted();
    assert.equal((await review(id, w.procurement, { action: 'comment', questionId: 'F02', text: 'x', visibleToRespondent: true })).status, 403, 'procurement does not review');
    const c = await review(id, w.officer, { action: 'comment', questionId: 'F02', text: 'ISMAP登録番号の根拠資料を添付してください。', visibleToRespondent: true });
    assert.equal(c.status, 200, c.text);
    assert.equal(c.body.status, 'under_review');
    await review(id, w.officer, { action: 'comment', questionId: 'F02', text: '内部メモ：登録簿で確認済み', visibleToRespondent: false });
    const clar = await review(id, w.officer, { action: 'requestClarification', message: 'F02 について追加資料をお願いします。' });
    assert.equal(clar.body.status, 'clarification_requested');

    const seen = (await request(app).get(`/api/v1/respond/${token}`)).body;
    assert.equal(seen.editable, true);
    assert.match(seen.clarification.message, /追加資料/);
    const f02 = seen.sections.flatMap((s: { questions: { id: string }[] }) => s.questions).find((q: { id: string }) => q.id === 'F02');
    assert.deepEqual(f02.comments.map((x: { text: string }) => x.text), ['ISMAP登録番号の根拠資料を添付してください。'], 'internal notes stay internal');
    const html = await request(app).get(`/q/${token}`);
    assert.match(html.text, /追加資料をお願いします/);
    assert.doesNotMatch(html.text, /内部メモ/);

    const resave = await request(app).put(`/api/v1/respond/${token}/answers/F02`).send({ value: f02.current.value, comment: '登録簿の写しを添付しました', version: f02.current.version });
    assert.equal(resave.status, 200, resave.text);
    assert.equal((await request(app).get(`/api/v1/assessments/${id}`).set('Authorization', w.officer.bearer)).body.status, 'in_progress');
    assert.equal((await request(app).post(`/api/v1/respond/${token}/submit`)).status, 200);

    const score = await request(app).get(`/api/v1/assessments/${id}/score`).set('Authorization', w.officer.bearer);
    assert.equal(score.status, 200);
    assert.equal(score.body.method.name, 'itaku-1');
    assert.ok(score.body.totals.sumWeights > 0);
    assert.equal((await request(app).get(`/api/v1/respond/${token}`)).body.score, undefined);

    // Accept every text/date/file answer and evidence, so the recommendation can be followed.
    const detail = (await request(app).get(`/api/v1/assessments/${id}`).set('Authorization', w.officer.bearer)).body;
    for (const q of detail.questions.filter((x: { applies: boolean }) => x.applies)) {
      if (['text', 'date', 'file'].includes(q.answerType)) await review(id, w.officer, { action: 'accept', questionId: q.id, target: 'answer' });
      if (q.files.length) await review(id, w.officer, { action: 'accept', questionId: q.id, target: 'evidence' });
    }
    const after = (await request(app).get(`/api/v1/assessments/${id}/score`).set('Authorization', w.officer.bearer)).body;
    assert.equal(after.gates.failed.length, 0, JSON.stringify(after.gates));
    assert.ok(['approved', 'conditional', 'escalate'].includes(after.recommendation.result));

    const noReason = await request(app).post(`/api/v1/assessments/${id}/decision`).set('Authorization', w.officer.bearer).send({ result: 'approved', reason: ' ' });
    assert.equal(noReason.status, 400);
    const decider = after.recommendation.result === 'escalate' ? w.ciso : w.officer;
    const decided = await request(app).post(`/api/v1/assessments/${id}/decision`).set('Authorization', decider.bearer).send(
      after.recommendation.result === 'conditional'
        ? { result: 'conditional', reason: '推奨どおり', conditions: after.proposedConditions.map((p: { text: string; questionId: string }) => ({ text: p.text, owner: '情報政策課長', dueDate: inDays(90), questionId: p.questionId })) }
        : { result: 'approved', reason: '必要な対策が確認できたため' },
    );
    assert.equal(decided.status, 200, decided.text);
    assert.equal(decided.body.status, 'decided');
    assert.ok(await AuditModel.findOne({ action: 'assessment.decided', entityId: id }).lean());

    // Immutable: no answers, no review, no cancellation, no second decision; the link stops.
    assert.equal((await request(app).get(`/api/v1/respond/${token}`)).status, 404);
    assert.equal((await review(id, w.officer, { action: 'comment', questionId: 'F02', text: 'x', visibleToRespondent: false })).status, 409);
    assert.equal((await request(app).post(`/api/v1/assessments/${id}/cancel`).set('Authorization', w.officer.bearer).send({ reason: 'x' })).status, 409);
    assert.equal((await request(app).post(`/api/v1/assessments/${id}/decision`).set('Authorization', w.ciso.bearer).send({ result: 'rejected', reason: 'x' })).status, 409);

    // The stored result re-scores identically with its own method.
    const stored = (await assessmentStore.get(id))!.decision as { input: never; score: { method: never } };
    assert.deepEqual(JSON.parse(JSON.stringify(scoreWith(stored.score.method, stored.input))), JSON.parse(JSON.stringify(stored.score)));
  });

  test('the preparer may not decide; a failed ◎ gate blocks approval; escalations need the ciso', async () => {
    const preparerOfficer = w.officer;
    const a = await issue(app, preparerOfficer, { kind: 'cloudService', id: serviceId }, 'cloud-service');
    const token = (await request(app).post(`/api/v1/assessments/${a.body.id}/link`).set('Authorization', preparerOfficer.bearer).send({})).body.token;
    await answerEverything(app, token, (q) => (q.answer.type === 'yes-no' ? 'no' : bestValue(q as never)));
    const sent = await request(app).post(`/api/v1/respond/${token}/submit`);
    assert.equal(sent.status, 200, sent.text);
    await review(a.body.id, w.ciso, { action: 'comment', questionId: 'F02', text: '確認中', visibleToRespondent: false });
    const own = await request(app).post(`/api/v1/assessments/${a.body.id}/decision`).set('Authorization', preparerOfficer.bearer).send({ result: 'rejected', reason: '自分で判断' });
    assert.equal(own.status, 403);
    assert.equal(own.body.code, 'separation_of_duties');
    const gate = await request(app).post(`/api/v1/assessments/${a.body.id}/decision`).set('Authorization', w.ciso.bearer).send({ result: 'approved', reason: '問題なし' });
    assert.equal(gate.status, 409);
    assert.equal(gate.body.code, 'gate_failed');
    const rejected = await request(app).post(`/api/v1/assessments/${a.body.id}/decision`).set('Authorization', w.ciso.bearer).send({ result: 'rejected', reason: '必須項目が未充足' });
    assert.equal(rejected.status, 200);
    assert.equal(rejected.body.decision.deviates, false);
  });

  test('illegal transitions answer 409; cancellation needs a reason and is final', async () => {
    const a = await issue(app, w.procurement, { kind: 'cloudService', id: serviceId }, 'cloud-service');
    assert.equal((await review(a.body.id, w.officer, { action: 'requestClarification', message: 'x' })).status, 409, 'nothing to review before submission');
    assert.equal((await request(app).post(`/api/v1/assessments/${a.body.id}/decision`).set('Authorization', w.officer.bearer).send({ result: 'rejected', reason: 'x' })).status, 409);
    assert.equal((await request(app).post(`/api/v1/assessments/${a.body.id}/cancel`).set('Authorization', w.procurement.bearer).send({ reason: '' })).status, 400);
    const cancelled = await request(app).post(`/api/v1/assessments/${a.body.id}/cancel`).set('Authorization', w.procurement.bearer).send({ reason: '契約方針の変更により中止' });
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.status, 'cancelled');
    assert.equal((await request(app).post(`/api/v1/assessments/${a.body.id}/cancel`).set('Authorization', w.procurement.bearer).send({ reason: 'again' })).status, 409);
    assert.equal((await request(app).post(`/api/v1/assessments/${a.body.id}/link`).set('Authorization', w.procurement.bearer).send({})).status, 409);
  });

  test('reminders are written once, even with two schedulers at once', async () => {
    const a = await issue(app, w.procurement, { kind: 'cloudService', id: serviceId }, 'cloud-service', 7);
    const now = new Date();
    const [x, y] = await Promise.all([runReminders(now), runReminders(now)]);
    assert.ok(x + y >= 1);
    const due7 = await OutboxModel.find({ assessmentId: a.body.id, kind: 'due_7' }).lean();
    assert.equal(due7.length, 1);
    assert.match(due7[0]!.subject, /回答期限まで7日/);
    assert.match(due7[0]!.body, /令和/);
    // A later run in another slot writes nothing new for the same day.
    await runReminders(new Date(now.getTime() + 3_600_000));
    assert.equal(await OutboxModel.countDocuments({ assessmentId: a.body.id, kind: 'due_7' }), 1);
  });
});

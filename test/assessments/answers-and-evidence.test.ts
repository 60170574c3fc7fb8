import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { useTestDatabase } from '../helpers/db.js';
import { testApp } from '../helpers/app.js';
import { answerEverything, cloudServiceC2, issue, makeWorld, PDF, snsFor, type World } from '../helpers/assessments.js';

useTestDatabase();

describe('answers and evidence', () => {
  const app = testApp();
  let w: World;
  let id: string;
  let token: string;
  before(async () => {
    w = await makeWorld();
    const service = await cloudServiceC2(w);
    id = (await issue(app, w.procurement, { kind: 'cloudService', id: service._id }, 'cloud-service')).body.id;
    token = (await request(app).post(`/api/v1/assessments/${id}/link`).set('Authorization', w.procurement.bearer).send({})).body.token;
  });

  const yesNo = async () => {
    const view = (await request(app).get(`/api/v1/respond/${token}`)).body;
    return view.sections.flatMap((s: { questions: { id: string; answer: { type: string } }[] }) => s.questions).filter((q: { answer: { type: string } }) => q.answer.type === 'yes-no') as { id: string }[];
  };

  test('each answer is saved with its own version; a stale save answers 409 with the current value; history is kept', async () => {
    const [q] = await yesNo();
    const first = await request(app).put(`/api/v1/respond/${token}/answers/${q!.id}`).send({ value: 'no', version: 0 });
    assert.equal(first.status, 200);
    assert.equal(first.body.version, 1);
    assert.equal((await request(app).get(`/api/v1/assessments/${id}`).set('Authorization', w.officer.bearer)).body.status, 'in_progress');
    const second = await request(app).put(`/api/v1/respond/${token}/answers/${q!.id}`).send({ value: 'yes', comment: '第三者認証を取得済み', version: 1 });
    assert.equal(second.body.version, 2);
    const stale = await request(app).put(`/api/v1/respond/${token}/answers/${q!.id}`).send({ value: 'no', version: 1 });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.code, 'version_conflict');
    assert.equal(stale.body.currentValue, 'yes');
    assert.equal(stale.body.currentVersion, 2);
    const history = await request(app).get(`/api/v1/assessments/${id}/answers/${q!.id}/history`).set('Authorization', w.officer.bearer);
    assert.deepEqual(history.body.map((h: { value: string }) => h.value), ['no', 'yes']);
    assert.match(history.body[0].by, /回答者/);
  });

  test('two people saving different questions at once lose neither; the same question at once gives one 409', async () => {
    const qs = (await yesNo()).slice(1, 9);
    const results = await Promise.all(qs.map((q, i) => request(app).put(`/api/v1/respond/${token}/answers/${q.id}`).send({ value: i % 2 ? 'yes' : 'no', version: 0 })));
    assert.deepEqual(results.map((r) => r.status), qs.map(() => 200));
    const answers = await request(app).get(`/api/v1/assessments/${id}/answers`).set('Authorization', w.officer.bearer);
    for (const [i, q] of qs.entries()) assert.equal(answers.body.items.find((a: { questionId: string }) => a.questionId === q.id).value, i % 2 ? 'yes' : 'no');
    const target = (await yesNo())[10]!;
    const same = await Promise.all(['yes', 'no', 'partial'].map((value) => request(app).put(`/api/v1/respond/${token}/answers/${target.id}`).send({ value, version: 0 })));
    assert.deepEqual(same.map((r) => r.status).sort(), [200, 409, 409]);
  });

  test('answers are checked against the question; operators and wrong types are refused', async () => {
    const [q] = await yesNo();
    for (const value of ['maybe', 42, { $gt: '' }, ['yes']]) {
      const res = await request(app).put(`/api/v1/respond/${token}/answers/${q!.id}`).send({ value, version: 2 });
      assert.equal(res.status, 400, JSON.stringify(value));
    }
    assert.equal((await request(app).put(`/api/v1/respond/${token}/answers/ZZ99`).send({ value: 'yes', version: 0 })).status, 404);
    assert.equal((await request(app).put(`/api/v1/respond/${token}/answers/${q!.id}`).set('Content-Type', 'text/plain').send('yes')).status, 415);
  });

  test('evidence is typed by content, limited in size, and always downloaded as an attachment', async () => {
    const [q] = await yesNo();
    const up = await request(app).post(`/api/v1/respond/${token}/evidence/${q!.id}`).attach('file', PDF, { filename: '../../監査報告書\u202Efdp.exe', contentType: 'application/octet-stream' });
    assert.equal(up.status, 201, up.text);
    assert.equal(up.body.contentType, 'application/pdf');
    assert.match(up.body.filename, /^監査報告書fdp\.pdf$/);
    const disguised = await request(app).post(`/api/v1/respond/${token}/evidence/${q!.id}`).set('Content-Type', 'application/pdf').set('X-Filename', 'report.pdf').send(Buffer.from('MZ\x90\x00 this is an executable, not a pdf'));
    assert.equal(disguised.status, 415);
    const html = await request(app).post(`/api/v1/respond/${token}/evidence/${q!.id}`).set('Content-Type', 'application/pdf').send(Buffer.from('<html><script>alert(1)</script></html>'));
    assert.equal(html.status, 415);
    const huge = await request(app).post(`/api/v1/respond/${token}/evidence/${q!.id}`).set('Content-Type', 'application/pdf').send(Buffer.concat([PDF, Buffer.alloc(11 * 1024 * 1024)]));
    assert.equal(huge.status, 413);

    for (const path of [`/api/v1/respond/${token}/evidence/${up.body.id}`, `/api/v1/assessments/${id}/evidence/${up.body.id}`]) {
      const req = request(app).get(path);
      const res = path.includes('/assessments/') ? await req.set('Authorization', w.auditor.bearer) : await req;
      assert.equal(res.status, 200, path);
      assert.match(res.headers['content-disposition'] ?? '', /^attachment; filename="[^"]+"; filename\*=UTF-8''/);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.match(res.headers['content-security-policy'] ?? '', /sandbox/);
      assert.deepEqual(Buffer.from(res.body), PDF);
    }
    assert.equal((await request(app).get(`/api/v1/assessments/${id}/evidence/${up.body.id}`).set('Authorization', w.otherProcurement.bearer)).status, 404);
  });

  test('submitting lists the required questions still unanswered, then locks the answers', async () => {
    const refused = await request(app).post(`/api/v1/respond/${token}/submit`);
    assert.equal(refused.status, 422);
    assert.equal(refused.body.code, 'unanswered_required');
    assert.ok(refused.body.errors.length > 0);
    assert.ok(refused.body.errors.every((e: { path: string; message: string }) => /^[A-Z]/.test(e.path) && e.message.startsWith('未回答')));
    await answerEverything(app, token);
    const submitted = await request(app).post(`/api/v1/respond/${token}/submit`);
    assert.equal(submitted.status, 200, submitted.text);
    assert.equal(submitted.body.status, 'submitted');
    const [q] = await yesNo();
    const late = await request(app).put(`/api/v1/respond/${token}/answers/${q!.id}`).send({ value: 'no', version: 2 });
    assert.equal(late.status, 409);
    assert.equal(late.body.code, 'not_answerable');
    const lateFile = await request(app).post(`/api/v1/respond/${token}/evidence/${q!.id}`).set('Content-Type', 'application/pdf').send(PDF);
    assert.equal(lateFile.status, 409);
    const view = (await request(app).get(`/api/v1/respond/${token}`)).body;
    assert.equal(view.editable, false);
  });

  test('staff answer staff questionnaires themselves; vendors-only routes refuse staff answers', async () => {
    const sns = await snsFor(w);
    const a = await issue(app, w.procurement, { kind: 'snsAccount', id: sns._id }, 'sns');
    const first = a.body.questions.find((q: { applies: boolean }) => q.applies);
    const saved = await request(app).put(`/api/v1/assessments/${a.body.id}/answers/${first.id}`).set('Authorization', w.procurement.bearer).send({ value: first.answerType === 'text' ? '広報課長' : 'yes', version: 0 });
    assert.equal(saved.status, 200, saved.text);
    assert.match(saved.body.by, /procurement/);
    assert.equal((await request(app).put(`/api/v1/assessments/${a.body.id}/answers/${first.id}`).set('Authorization', w.otherProcurement.bearer).send({ value: 'yes', version: 1 })).status, 404);
    assert.equal((await request(app).put(`/api/v1/assessments/${a.body.id}/answers/${first.id}`).set('Authorization', w.auditor.bearer).send({ value: 'yes', version: 1 })).status, 403);
    assert.equal((await request(app).put(`/api/v1/assessments/${id}/answers/A01`).set('Authorization', w.procurement.bearer).send({ value: 'yes', version: 0 })).status, 409, 'a vendor questionnaire is not answered by staff');
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { useTestDatabase } from '../helpers/db.js';
import { testApp } from '../helpers/app.js';
import { makeDepartment, makeUser, type TestUser } from '../helpers/auth.js';
import { internetSaas, myNumberSystemWork, termsService } from '../fixtures/questionnaires/subjects.js';
import { cliContext } from '../../src/audit/actor.js';
import { AuditModel } from '../../src/audit/audit.model.js';
import { saveAnswer } from '../../src/assessments/respond.js';
import { answersOf } from '../../src/assessments/answers.model.js';
import { assessmentStore } from '../../src/assessments/assessment.model.js';
import { closeParsePool } from '../../src/workbook/index.js';
import { entriesOf } from './zips.js';
import { fill, openWorkbook, questionSheet, rowOf } from './fill.js';
import { linkFor, makeAssessment, shippedTemplate } from './fixtures.js';
import { download, uploadRaw } from './helpers.js';

useTestDatabase();
after(closeParsePool);

const label = (templateId: string, questionId: string, optionId: string, lang: 'ja' | 'en' = 'ja') => {
  const q = shippedTemplate(templateId).questions.find((x) => x.id === questionId)!;
  const o = (q.answer as { options: { id: string; label: { ja: string; en?: string } }[] }).options.find((x) => x.id === optionId)!;
  return lang === 'en' ? o.label.en! : o.label.ja;
};
const FORMULA_TEXT = '=HYPERLINK("https://example.jp/","クリック")';

describe('the Excel round trip', () => {
  const app = testApp();
  let officer: TestUser;
  let departmentId: string;
  before(async () => {
    departmentId = (await makeDepartment())._id;
    officer = await makeUser(['security_officer']);
  });

  test('a vendor downloads, fills and uploads the workbook: the answers equal what was written (Japanese, dates, numbers)', async () => {
    let a = await makeAssessment({ template: shippedTemplate('cloud-service'), facts: internetSaas(3), departmentId });
    await saveAnswer(cliContext('test'), a, 'A01', { value: 'yes', comment: '規程あり', version: 0 });
    const token = await linkFor(a);
    const xlsx = await download(app, `/q/${token}/questionnaire.xlsx`);

    const wb = await openWorkbook(xlsx);
    assert.deepEqual(wb.worksheets.map((w) => [w.name, w.state]), [['説明', 'visible'], ['質問票', 'visible'], ['_lists', 'veryHidden'], ['_itaku', 'veryHidden']]);
    const ws = questionSheet(wb);
    assert.equal(ws.getCell(rowOf(ws, 'A01'), 7).value, 'はい', 'answers already given are filled in');
    assert.equal(ws.getCell(rowOf(ws, 'A01'), 8).value, '規程あり');
    assert.match(String(ws.getCell(rowOf(ws, 'A02a'), 4).value), /追加の設問: 設問A02の回答 が/, 'a follow-up says when it applies');

    const text = '委託先の再委託は行いません。\n運用拠点：東京都千代田区（第一データセンター）';
    const filled = await fill(xlsx, {
      A02: { answer: label('cloud-service', 'A02', 'certified_in_scope'), evidence: 'ISMS登録証.pdf' },
      A02a: { answer: new Date(Date.UTC(2027, 2, 31)) },
      F02: { answer: label('cloud-service', 'F02', 'ismap') },
      F02b: { answer: '2028-01-15' },
      A06: { answer: text, comment: '親会社なし' },
      C05: { answer: FORMULA_TEXT },
      E02: { answer: 24 },
      F07: { answer: 99.95 },
      F12: { answer: '３６５' },
      E03: { answer: '一部', comment: '年1回の訓練のみ' },
    });
    const res = await uploadRaw(app, token, filled);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.imported.map((i: { questionId: string }) => i.questionId).sort(), ['A02', 'A02a', 'A06', 'C05', 'E02', 'E03', 'F02', 'F02b', 'F07', 'F12']);
    assert.match(res.body.imported[0].cell, /^質問票!G\d+$/);

    const stored = Object.fromEntries((await answersOf(a._id)).map((x) => [x.questionId, x]));
    assert.equal(stored.A01!.value, 'yes', 'a blank cell changes nothing');
    assert.equal(stored.A01!.version, 1);
    assert.equal(stored.A02!.value, 'certified_in_scope');
    assert.equal(stored.A02!.comment, '【証跡の参照】ISMS登録証.pdf');
    assert.equal(stored.A02a!.value, '2027-03-31');
    assert.equal(stored.F02b!.value, '2028-01-15');
    assert.equal(stored.A06!.value, text);
    assert.equal(stored.A06!.comment, '親会社なし');
    assert.equal(stored.C05!.value, FORMULA_TEXT, 'a text starting with = stays that text');
    assert.equal(stored.E02!.value, 24);
    assert.equal(stored.F07!.value, 99.95);
    assert.equal(stored.F12!.value, 365);
    assert.equal(stored.E03!.value, 'partial');
    assert.equal(stored.E03!.by.kind, 'vendor');
    a = (await assessmentStore.get(a._id))!;
    assert.equal(a.status, 'in_progress');
    const audit = await AuditModel.find({ action: 'assessment.workbookImport', entityId: a._id }).lean();
    assert.equal(audit.length, 1);
    assert.equal((audit[0]!.detail as { importId: string }).importId, res.body.importId);

    // The next download shows what was imported, the evidence reference in its own column, and no formula anywhere.
    const again = await download(app, `/api/v1/assessments/${a._id}/questionnaire.xlsx`, officer.bearer);
    const ws2 = questionSheet(await openWorkbook(again));
    assert.equal(ws2.getCell(rowOf(ws2, 'A02'), 7).value, label('cloud-service', 'A02', 'certified_in_scope'));
    assert.equal(ws2.getCell(rowOf(ws2, 'A02'), 9).value, 'ISMS登録証.pdf');
    assert.deepEqual(ws2.getCell(rowOf(ws2, 'A02a'), 7).value, new Date(Date.UTC(2027, 2, 31)));
    assert.equal(ws2.getCell(rowOf(ws2, 'E02'), 7).value, 24);
    assert.equal(ws2.getCell(rowOf(ws2, 'C05'), 7).value, FORMULA_TEXT);
    for (const e of entriesOf(again).filter((x) => x.name.startsWith('xl/worksheets/'))) {
      assert.doesNotMatch(e.data.toString('utf8'), /<f[\s>]/, `${e.name} has no formula`);
    }
    const strings = entriesOf(again).find((e) => e.name === 'xl/sharedStrings.xml')!.data.toString('utf8');
    assert.ok(strings.includes('=HYPERLINK(&quot;https://example.jp/&quot;,&quot;クリック&quot;)') || strings.includes('=HYPERLINK("https://example.jp/","クリック")'));
    assert.doesNotMatch(entriesOf(again).find((e) => e.name === 'xl/styles.xml')!.data.toString('utf8'), /quotePrefix="1"/, 'no apostrophe added');

    // Uploading the same workbook again changes nothing.
    const twice = await uploadRaw(app, token, filled);
    assert.equal(twice.status, 200);
    assert.deepEqual(twice.body.imported, []);
    assert.equal(twice.body.importId, null);
    assert.equal((await answersOf(a._id)).find((x) => x.questionId === 'E02')!.version, 1);
  });

  test('an answer changed in the browser since the download is a 409 naming the question, and nothing is imported', async () => {
    const a = await makeAssessment({ template: shippedTemplate('cloud-service'), facts: internetSaas(3), departmentId });
    const token = await linkFor(a);
    const xlsx = await download(app, `/q/${token}/questionnaire.xlsx`);
    const saved = await request(app).put(`/api/v1/respond/${token}/answers/E03`).send({ value: 'yes', version: 0 });
    assert.equal(saved.status, 200);

    const stale = await fill(xlsx, { E03: { answer: 'いいえ' }, E04: { answer: 'はい' } });
    const res = await uploadRaw(app, token, stale);
    assert.equal(res.status, 409);
    assert.equal(res.body.code, 'version_conflict');
    assert.deepEqual(res.body.questions, ['E03']);
    assert.match(res.body.errors[0].path, /^質問票!G\d+$/);
    assert.match(res.body.errors[0].message, /E03/);
    const afterRefusal = Object.fromEntries((await answersOf(a._id)).map((x) => [x.questionId, x.value]));
    assert.deepEqual(afterRefusal, { E03: 'yes' }, 'E04 was not imported either');

    // The same stale workbook that leaves E03 as it was written is no conflict: the browser's answer stands.
    const ok = await uploadRaw(app, token, await fill(xlsx, { E04: { answer: 'はい' } }));
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    const now = Object.fromEntries((await answersOf(a._id)).map((x) => [x.questionId, x.value]));
    assert.deepEqual(now, { E03: 'yes', E04: 'yes' });
  });

  test('staff import a workbook a vendor e-mailed back (multipart), with several choices', async () => {
    const a = await makeAssessment({ template: shippedTemplate('cloud-terms'), facts: termsService(), departmentId });
    const xlsx = await download(app, `/api/v1/assessments/${a._id}/questionnaire.xlsx`, officer.bearer);
    const filled = await fill(xlsx, {
      G01: { answer: 'はい' },
      G02: { options: [label('cloud-terms', 'G02', 'confidentiality'), label('cloud-terms', 'G02', 'purpose_limitation')], comment: '利用規約 第5条・第8条' },
    });
    const res = await request(app).post(`/api/v1/assessments/${a._id}/questionnaire.xlsx`).set('Authorization', officer.bearer).attach('file', filled, '回答済み.xlsx');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const stored = Object.fromEntries((await answersOf(a._id)).map((x) => [x.questionId, x]));
    assert.deepEqual(stored.G02!.value, ['confidentiality', 'purpose_limitation']);
    assert.equal(stored.G02!.comment, '利用規約 第5条・第8条');
    assert.equal(stored.G02!.by.kind, 'user');
    const audit = await AuditModel.findOne({ action: 'assessment.workbookImport', entityId: a._id }).lean();
    assert.equal(audit?.actor.id, officer.user._id);

    // The options come back marked on the next download.
    const ws = questionSheet(await openWorkbook(await download(app, `/api/v1/assessments/${a._id}/questionnaire.xlsx`, officer.bearer)));
    const r = rowOf(ws, 'G02');
    const marked = [1, 2, 3, 4, 5, 6].filter((i) => ws.getCell(r + i, 7).value === '○').map((i) => ws.getCell(r + i, 3).value);
    assert.deepEqual(marked, [label('cloud-terms', 'G02', 'confidentiality'), label('cloud-terms', 'G02', 'purpose_limitation')]);
  });

  test('an English assessment gets an English workbook, and 該当なし / Not applicable round-trips', async () => {
    const a = await makeAssessment({ template: shippedTemplate('outsourcing'), facts: myNumberSystemWork(), language: 'en', departmentId });
    const token = await linkFor(a);
    const xlsx = await download(app, `/q/${token}/questionnaire.xlsx`);
    const wb = await openWorkbook(xlsx);
    assert.deepEqual(wb.worksheets.filter((w) => w.state === 'visible').map((w) => w.name), ['Instructions', 'Questionnaire']);
    const filled = await fill(xlsx, { A01: { answer: 'Yes' }, D02: { answer: 'Not applicable' }, A08: { answer: 'Not applicable' } });
    const res = await uploadRaw(app, token, filled);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const stored = Object.fromEntries((await answersOf(a._id)).map((x) => [x.questionId, x.value]));
    assert.deepEqual(stored, { A01: 'yes', D02: 'na', A08: 'na' });
  });

  test('another department cannot download or import (404), and a bad link is the same 404 page', async () => {
    const a = await makeAssessment({ departmentId });
    const other = await makeUser(['procurement'], (await makeDepartment())._id);
    assert.equal((await request(app).get(`/api/v1/assessments/${a._id}/questionnaire.xlsx`).set('Authorization', other.bearer)).status, 404);
    assert.equal((await request(app).post(`/api/v1/assessments/${a._id}/questionnaire.xlsx`).set('Authorization', other.bearer).set('Content-Type', 'application/octet-stream').send(Buffer.from('x'))).status, 404);
    const page = await request(app).get(`/q/${'x'.repeat(43)}/questionnaire.xlsx`);
    assert.equal(page.status, 404);
    assert.match(page.text, /リンクが無効です/);
    assert.equal((await uploadRaw(app, 'y'.repeat(43), Buffer.from('x'))).status, 404);
  });

  test('the vendor page form gets an HTML answer: success, or the problems by cell', async () => {
    const a = await makeAssessment({ template: shippedTemplate('cloud-service'), facts: internetSaas(3), departmentId });
    const token = await linkFor(a);
    const xlsx = await download(app, `/q/${token}/questionnaire.xlsx`);
    const good = await request(app).post(`/q/${token}/questionnaire.xlsx`).set('Accept', 'text/html').attach('file', await fill(xlsx, { E03: { answer: 'はい' } }), 'q.xlsx');
    assert.equal(good.status, 200);
    assert.match(good.text, /ワークブックを取り込みました/);
    const bad = await request(app).post(`/q/${token}/questionnaire.xlsx`).set('Accept', 'text/html').attach('file', await fill(xlsx, { E04: { answer: 'たぶん' } }), 'q.xlsx');
    assert.equal(bad.status, 422);
    assert.match(bad.text, /質問票!G\d+/);
    assert.match(bad.text, /一覧にない値です/);
  });
});

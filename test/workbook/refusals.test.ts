import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type ExcelJS from 'exceljs';
import request from 'supertest';
import { useTestDatabase } from '../helpers/db.js';
import { testApp } from '../helpers/app.js';
import { internetSaas } from '../fixtures/questionnaires/subjects.js';
import { cliContext } from '../../src/audit/actor.js';
import { AuditModel } from '../../src/audit/audit.model.js';
import { assessmentStore, type Assessment } from '../../src/assessments/assessment.model.js';
import { answerId, answersOf, answerStore } from '../../src/assessments/answers.model.js';
import { transition } from '../../src/assessments/commands.js';
import { closeParsePool, completePendingImports } from '../../src/workbook/index.js';
import { IMPORT_ACTION, WorkbookImportModel } from '../../src/workbook/import.js';
import { fill, rowOf, type Fill } from './fill.js';
import { linkFor, makeAssessment, shippedTemplate } from './fixtures.js';
import { download, snapshot, uploadRaw } from './helpers.js';
import { entriesOf } from './zips.js';

useTestDatabase();
after(closeParsePool);

describe('workbook refusals: 422 with the problems by sheet and cell, nothing imported', () => {
  const app = testApp();
  let a: Assessment;
  let token: string;
  let xlsx: Buffer;
  before(async () => {
    a = await makeAssessment({ template: shippedTemplate('cloud-service'), facts: internetSaas(3) });
    token = await linkFor(a);
    xlsx = await download(app, `/q/${token}/questionnaire.xlsx`);
    await uploadRaw(app, token, await fill(xlsx, { E03: { answer: 'はい' } }));
    xlsx = await download(app, `/q/${token}/questionnaire.xlsx`);
  });

  /** Uploads a variant and checks the refusal: status, a problem at `path` whose message matches, and no change. */
  async function refused(variant: Buffer, status: number, path: RegExp, message: RegExp) {
    const before = await snapshot(a._id);
    const batches = await WorkbookImportModel.countDocuments({ assessmentId: a._id });
    const res = await uploadRaw(app, token, variant);
    assert.equal(res.status, status, JSON.stringify(res.body));
    assert.equal(res.headers['content-type']?.split(';')[0], 'application/problem+json');
    const hit = (res.body.errors as { path: string; message: string }[]).find((e) => path.test(e.path) && message.test(e.message));
    assert.ok(hit, `expected a problem at ${path} matching ${message}: ${JSON.stringify(res.body.errors)}`);
    assert.deepEqual(await snapshot(a._id), before, 'nothing imported');
    assert.equal(await WorkbookImportModel.countDocuments({ assessmentId: a._id }), batches, 'no batch written');
    return res;
  }
  const edited = (answers: Record<string, Fill>, edit?: (wb: ExcelJS.Workbook, ws: ExcelJS.Worksheet) => void) => fill(xlsx, answers, edit);

  test('a workbook for another assessment', async () => {
    const other = await makeAssessment({ template: shippedTemplate('cloud-service'), facts: internetSaas(3) });
    const theirs = await download(app, `/q/${await linkFor(other)}/questionnaire.xlsx`);
    await refused(await fill(theirs, { E04: { answer: 'はい' } }), 422, /^_itaku!B2$/, /別の評価/);
  });

  test('a workbook for another template version', async () => {
    const b = await makeAssessment({ template: shippedTemplate('cloud-service'), facts: internetSaas(3) });
    const bToken = await linkFor(b);
    const old = await download(app, `/q/${bToken}/questionnaire.xlsx`);
    const current = (await assessmentStore.get(b._id))!;
    await assessmentStore.update(cliContext('test'), 'test.templateBump', b._id, current.version, (c) => ({ ...c, templateVersion: 2, template: { ...c.template, version: 2 } }));
    const res = await uploadRaw(app, bToken, await fill(old, { E04: { answer: 'はい' } }));
    assert.equal(res.status, 422);
    assert.equal(res.body.errors[0].path, '_itaku!B4');
    assert.match(res.body.errors[0].message, /版が異なります/);
  });

  test('a bad signature: a forged answer version in the hidden sheet', async () => {
    await refused(await edited({ E03: { answer: 'いいえ' } }, (wb) => {
      const hidden = wb.getWorksheet('_itaku')!;
      hidden.eachRow((row) => {
        if (row.getCell(2).value === 'E03') row.getCell(4).value = 99;
      });
    }), 422, /^_itaku!B8$/, /署名が一致しません/);
  });

  test('a reworded question', async () => {
    await refused(await edited({}, (_wb, ws) => (ws.getCell(rowOf(ws, 'E04'), 3).value = 'バックアップは不要ですか。')), 422, /^質問票!C\d+$/, /E04 の文言が変更されています/);
  });

  test('a removed question', async () => {
    await refused(await edited({}, (_wb, ws) => ws.spliceRows(rowOf(ws, 'E04'), 1)), 422, /^質問票!A\d+$/, /の行がありません/);
  });

  test('an added question', async () => {
    await refused(await edited({}, (_wb, ws) => {
      const r = ws.rowCount + 1;
      ws.getCell(r, 1).value = 'Z99';
      ws.getCell(r, 3).value = '追加の質問です';
      ws.getCell(r, 7).value = 'はい';
    }), 422, /^質問票!A\d+$/, /設問が追加されています/);
  });

  test('an answer outside the list', async () => {
    await refused(await edited({ E04: { answer: 'たぶん' } }), 422, /^質問票!G\d+$/, /E04: 一覧にない値です/);
  });

  test('wrong types: text in a number cell, a 和暦 date, a number out of range, an error value', async () => {
    const res = await refused(await edited({ E02: { answer: 'たくさん' }, A02: { answer: '取得済み（本サービスを含む）' }, A02a: { answer: '令和9年3月31日' }, F12: { answer: 99999 }, F07: { answer: { error: '#N/A' } as ExcelJS.CellErrorValue } }), 422, /^質問票!G\d+$/, /E02: 数値を入力してください/);
    const messages = (res.body.errors as { message: string }[]).map((e) => e.message).join('\n');
    assert.match(messages, /A02a: 日付を YYYY-MM-DD/);
    assert.match(messages, /F12: 0〜3650日の範囲/);
    assert.match(messages, /F07: エラー値/);
  });

  test('a formula in an answer cell is refused, never evaluated', async () => {
    await refused(await edited({ E04: { answer: { formula: 'IF(1,"はい","いいえ")', result: 'はい' } as ExcelJS.CellFormulaValue } }), 422, /^質問票!G\d+$/, /数式は使えません/);
  });

  test('an answer to a follow-up whose condition does not hold', async () => {
    const none = shippedTemplate('cloud-service').questions.find((q) => q.id === 'A02')!;
    const label = (none.answer as { options: { id: string; label: { ja: string } }[] }).options.find((o) => o.id === 'none')!.label.ja;
    await refused(await edited({ A02: { answer: label }, A02a: { answer: new Date(Date.UTC(2027, 0, 1)) } }), 422, /^質問票!G\d+$/, /A02a は今回の回答では対象外/);
  });

  test('a submitted assessment refuses imports with 409', async () => {
    const b = await makeAssessment({ template: shippedTemplate('cloud-service'), facts: internetSaas(3) });
    const bToken = await linkFor(b);
    const wb = await download(app, `/q/${bToken}/questionnaire.xlsx`);
    await transition(cliContext('test'), b._id, 'submitted');
    const res = await uploadRaw(app, bToken, await fill(wb, { E03: { answer: 'はい' } }));
    assert.equal(res.status, 409);
    assert.equal(res.body.code, 'not_answerable');
  });

  test('an empty body is 400 and a non-workbook type 415', async () => {
    assert.equal((await uploadRaw(app, token, Buffer.alloc(0))).status, 400);
    assert.equal((await request(app).post(`/api/v1/respond/${token}/xlsx`).set('Content-Type', 'text/plain').send('質問票')).status, 415);
  });
});

describe('an import interrupted after its batch was written', () => {
  test('is completed by completePendingImports, once, whatever was already applied', async () => {
    const a = await makeAssessment({ template: shippedTemplate('cloud-service'), facts: internetSaas(3) });
    const actor = { kind: 'vendor' as const, id: a._id, name: '事業者（回答者）' };
    const batch = {
      _id: 'b'.repeat(24), assessmentId: a._id, actor, at: new Date(), file: { sha256: '0'.repeat(64), size: 1 }, state: 'pending' as const,
      items: [
        { questionId: 'E03', row: 10, value: 'yes', comment: '', expectedVersion: 0 },
        { questionId: 'E04', row: 11, value: 'no', comment: '年次で確認', expectedVersion: 0 },
      ],
    };
    await WorkbookImportModel.collection.insertOne(batch as never);
    // The crash happened after the first answer was written.
    await answerStore.create({ actor }, IMPORT_ACTION, { _id: answerId(a._id, 'E03'), assessmentId: a._id, questionId: 'E03', value: 'yes', comment: '', by: actor });

    assert.equal(await completePendingImports(), 1);
    const stored = Object.fromEntries((await answersOf(a._id)).map((x) => [x.questionId, [x.value, x.comment, x.version]]));
    assert.deepEqual(stored, { E03: ['yes', '', 1], E04: ['no', '年次で確認', 1] });
    const done = await WorkbookImportModel.findById(batch._id).lean();
    assert.equal(done?.state, 'applied');
    assert.deepEqual(done?.result, { applied: ['E03', 'E04'], superseded: [] });
    assert.equal((await assessmentStore.get(a._id))!.status, 'in_progress');
    assert.equal(await completePendingImports(), 0, 'nothing left');
    assert.equal(await AuditModel.countDocuments({ ref: `workbookImport:${batch._id}` }), 1, 'audited once');
  });
});

describe('the workbook file itself', () => {
  const app = testApp();
  test('protection, frozen header, print setup, widths, and elements in schema order (no repair prompt)', async () => {
    const a = await makeAssessment({ template: shippedTemplate('cloud-service'), facts: internetSaas(3) });
    const xlsx = await download(app, `/q/${await linkFor(a)}/questionnaire.xlsx`);
    const entries = Object.fromEntries(entriesOf(xlsx).map((e) => [e.name, e.data.toString('utf8')]));
    const book = entries['xl/workbook.xml']!;
    assert.match(book, /name="_itaku" state="veryHidden"/);
    assert.match(book, /_xlnm\.Print_Titles" localSheetId="1">&apos;質問票&apos;!\$1:\$1</);
    const sheet = entries['xl/worksheets/sheet2.xml']!;
    assert.match(sheet, /<pane xSplit="1" ySplit="1" topLeftCell="B2" activePane="bottomRight" state="frozen"\/>/);
    assert.match(sheet, /<pageSetup[^>]*paperSize="9"[^>]*orientation="landscape"[^>]*fitToWidth="1"[^>]*fitToHeight="0"/);
    assert.match(sheet, /<col min="3" max="3" width="56" customWidth="1"\/>/);
    for (const n of [1, 2, 3, 4]) assert.match(entries[`xl/worksheets/sheet${n}.xml`]!, /<sheetProtection sheet="1"/, `sheet ${n} protected`);
    // CT_Worksheet order: sheetProtection … mergeCells … dataValidations … pageMargins, pageSetup, headerFooter.
    const order = ['<sheetData', '<sheetProtection', '<mergeCells', '<dataValidations', '<pageMargins', '<pageSetup', '<headerFooter'].map((t) => sheet.indexOf(t));
    assert.ok(order.every((p) => p > 0), JSON.stringify(order));
    assert.deepEqual([...order].sort((x, y) => x - y), order);
    assert.match(entries['xl/styles.xml']!, /<protection locked="0"\/>/, 'answer cells are unlocked');
    assert.doesNotMatch(Object.values(entries).join(''), /<f[\s>]/);
  });
});

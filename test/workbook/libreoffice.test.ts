// @needs libreoffice
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { useTestDatabase } from '../helpers/db.js';
import { testApp } from '../helpers/app.js';
import { internetSaas } from '../fixtures/questionnaires/subjects.js';
import { cliContext } from '../../src/audit/actor.js';
import { saveAnswer } from '../../src/assessments/respond.js';
import { answersOf } from '../../src/assessments/answers.model.js';
import { closeParsePool } from '../../src/workbook/index.js';
import { fill } from './fill.js';
import { linkFor, makeAssessment, shippedTemplate } from './fixtures.js';
import { download, uploadRaw } from './helpers.js';

const run = promisify(execFile);
useTestDatabase();
after(closeParsePool);

describe('the workbook in LibreOffice Calc', () => {
  const app = testApp();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'itaku-lo-'));
  let token: string;
  let assessmentId: string;
  let xlsx: Buffer;
  before(async () => {
    const a = await makeAssessment({ template: shippedTemplate('cloud-service'), facts: internetSaas(3), subjectName: '電子申請サービス（クラウド）' });
    assessmentId = a._id;
    await saveAnswer(cliContext('test'), a, 'A01', { value: 'yes', comment: '情報セキュリティ基本方針（令和6年改定）', version: 0 });
    token = await linkFor(a);
    xlsx = await download(app, `/q/${token}/questionnaire.xlsx`);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Converts with a private profile and HOME, as STACK-NOTES says LibreOffice needs in tests. */
  async function convert(file: string, to: string): Promise<string> {
    const out = path.join(dir, `out-${to}`);
    await run('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', to, '--outdir', out, file], {
      env: { ...process.env, HOME: dir, XDG_CACHE_HOME: path.join(dir, 'cache') },
      timeout: 90_000,
    });
    const result = path.join(out, `${path.basename(file, '.xlsx')}.${to}`);
    assert.ok(fs.existsSync(result), `LibreOffice wrote ${result}`);
    return result;
  }

  test('opens without repair and prints the Japanese questionnaire (converted to PDF)', async () => {
    const file = path.join(dir, 'questionnaire.xlsx');
    fs.writeFileSync(file, xlsx);
    const pdf = await convert(file, 'pdf');
    const { stdout } = await run('pdftotext', ['-layout', pdf, '-']);
    for (const text of ['情報セキュリティ確認票（Excel 回答用）', '記入のしかた', '電子申請サービス（クラウド）', '令和9年3月31日', '設問ID', '証跡の参照', 'A01', '情報セキュリティ基本方針（令和6年改定）', '取得済み（本サービスを含む）']) {
      assert.ok(stdout.includes(text), `the PDF shows 「${text}」`);
    }
    assert.doesNotMatch(stdout, /_itaku|itaku-workbook/, 'the binding sheet is not printed');
  });

  test('a workbook saved again by LibreOffice Calc imports with the same answers', async () => {
    const text = '再委託先：株式会社サンプル（東京都）\n保管場所：国内2拠点';
    const file = path.join(dir, 'filled.xlsx');
    fs.writeFileSync(file, await fill(xlsx, { E03: { answer: 'はい' }, A02a: { answer: '2027-03-31' }, A02: { answer: '取得済み（本サービスを含む）' }, E02: { answer: 4 }, A06: { answer: text, comment: '補足あり' } }));
    const resaved = await convert(file, 'xlsx');
    const res = await uploadRaw(app, token, fs.readFileSync(resaved));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const stored = Object.fromEntries((await answersOf(assessmentId)).map((x) => [x.questionId, [x.value, x.comment]]));
    assert.deepEqual(stored, {
      A01: ['yes', '情報セキュリティ基本方針（令和6年改定）'],
      A02: ['certified_in_scope', ''],
      A02a: ['2027-03-31', ''],
      A06: [text, '補足あり'],
      E02: [4, ''],
      E03: ['yes', ''],
    });
  });
});

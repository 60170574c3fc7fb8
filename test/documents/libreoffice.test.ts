// @needs libreoffice
/**
 * Proof that the documents open and read right outside our own code: an annex and a register are converted to PDF by
 * LibreOffice (one run for both, to keep the suite fast) and their text is checked with pdftotext. Page 1 of each is
 * kept as a PNG under $ITAKU_TEST_ARTIFACTS for a person to look at.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { after, before, test } from 'node:test';
import { buildAnnex, loadRegisterLayouts, renderAnnexDocx, writeRegister } from '../../src/documents/index.js';
import { myNumberSystemWork } from '../fixtures/questionnaires/subjects.js';
import { annexInput } from './fixtures.js';

const work = mkdtempSync(join(tmpdir(), 'itaku-lo-'));
const artifacts = process.env.ITAKU_TEST_ARTIFACTS ?? resolve('test-artifacts');
const model = buildAnnex(
  annexInput({
    facts: myNumberSystemWork(),
    conditions: [
      { text: '従事者全員の情報セキュリティ研修の受講記録を提出すること', dueDate: '2026-04-30' },
      { text: 'リモート保守の作業記録の保存方法を文書で示すこと', dueDate: '2026-06-30' },
    ],
  }),
);
const text: Record<'annex' | 'register', string> = { annex: '', register: '' };
let fonts = '';
let pages = 0;

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): string {
  const result = spawnSync(cmd, args, { env, encoding: 'utf8', timeout: 120_000 });
  if (result.error) throw new Error(`${cmd} を実行できません（Debian: libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils）: ${result.error.message}`);
  assert.equal(result.status, 0, `${cmd} failed: ${result.stderr}`);
  return result.stdout;
}
/** pdftotext breaks lines wherever the page does: compare without any whitespace (the 全角 space included). */
const squash = (s: string): string => s.replace(/\s/gu, '');

before(async () => {
  const docx = join(work, 'annex.docx');
  writeFileSync(docx, await renderAnnexDocx(model, { issuedAt: new Date('2026-03-10T01:00:00Z') }));
  const xlsx = join(work, 'register.xlsx');
  const out = createWriteStream(xlsx);
  const rows = [
    { contractNumber: 'R8-情-0012', title: '=HYPERLINK("http://x","y")', vendor: '株式会社テスト情報システム', periodStart: '2019-05-01', periodEnd: '2027-03-31', personalData: true, nextReviewDate: '2026-03-31', _overdue: true },
    { contractNumber: 'R8-情-0013', title: '窓口受付業務', vendor: '@SUM(1)', periodStart: '2026-04-01', periodEnd: '2027-03-31', personalData: false, nextReviewDate: '2027-04-01' },
  ];
  await writeRegister(loadRegisterLayouts(['.']).get('engagements')!, rows, out, { title: '委託先台帳', municipality: '架空市', issuedOn: '2026-11-25' });
  await finished(out);

  const home = join(work, 'home');
  run('soffice', [`-env:UserInstallation=file://${join(work, 'profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', work, docx, xlsx], {
    ...process.env,
    HOME: home,
    XDG_CACHE_HOME: join(home, '.cache'),
    FONTCONFIG_FILE: resolve('test/fixtures/fonts.conf'),
  });
  // -raw keeps the order the text was written in; the default reading order splits lines at wide gaps.
  text.annex = run('pdftotext', ['-raw', join(work, 'annex.pdf'), '-']);
  text.register = run('pdftotext', ['-raw', join(work, 'register.pdf'), '-']);
  fonts = run('pdffonts', [join(work, 'annex.pdf')]);
  pages = Number(/Pages:\s+(\d+)/.exec(run('pdfinfo', [join(work, 'annex.pdf')]))?.[1]);
  mkdirSync(artifacts, { recursive: true });
  run('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', join(work, 'annex.pdf'), join(artifacts, 'annex-page1')]);
  run('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', join(work, 'register.pdf'), join(artifacts, 'register-page1')]);
});
after(() => rmSync(work, { recursive: true, force: true }));

test('the annex PDF has every applying clause title in order, numbered 第１条… without gaps', () => {
  const flat = squash(text.annex);
  let from = 0;
  for (const c of model.clauses.filter((x) => x.applies)) {
    const at = flat.indexOf(`（${c.title}）${c.article}`, from);
    assert.ok(at >= from, `（${c.title}）${c.article} follows the previous clause`);
    from = at;
  }
  // Every caption 「（見出し）」 directly followed by an article number, however the clauses were written.
  const numbers = [...flat.matchAll(/（[^（）。、「」]{1,30}）第([０-９]+)条/g)].map((m) => Number(m[1]!.replace(/[０-９]/g, (d) => String(d.charCodeAt(0) - 0xff10))));
  assert.deepEqual(numbers, numbers.map((_, i) => i + 1));
  assert.equal(numbers.length, model.clauses.filter((x) => x.applies).length);
});

test('the annex PDF shows the 和暦 date, the conditions with their due dates, and not the clauses that do not apply', () => {
  const flat = squash(text.annex);
  assert.ok(flat.includes('令和８年４月１日'), 'the annex date');
  assert.ok(flat.includes(squash('（１）従事者全員の情報セキュリティ研修の受講記録を提出すること（期限　令和８年４月３０日）')));
  assert.ok(flat.includes(squash('（２）リモート保守の作業記録の保存方法を文書で示すこと（期限　令和８年６月３０日）')));
  for (const absent of ['（データの保管場所）', '（準拠法及び管轄裁判所）', '（認証情報の管理）', '甲のデータ']) assert.equal(flat.includes(absent), false, absent);
  assert.ok(flat.includes('住民記録システム運用保守業務委託（契約番号R8-情-0012）'), 'the header');
  assert.ok(flat.includes('-1-') && flat.includes(`-${pages}-`), 'page numbers 「- n -」');
  assert.ok(flat.includes('機密性３Ｂ') && flat.includes('㊞'));
});

test('明朝 body and ゴシック captions survive conversion (mapped to Noto Serif / Sans CJK by the test font config)', () => {
  assert.match(fonts, /NotoSerifCJK/);
  assert.match(fonts, /NotoSansCJK/);
});

test('the register PDF keeps formula-like text as text and shows dates in 和暦', () => {
  const flat = squash(text.register);
  assert.ok(flat.includes('架空市委託先台帳'));
  assert.ok(flat.includes('令和8年11月25日現在'));
  assert.ok(flat.includes('=HYPERLINK("http://x","y")'));
  assert.ok(flat.includes('@SUM(1)'));
  for (const d of ['令和元年5月1日', '令和9年3月31日', '令和8年3月31日', '令和9年4月1日']) assert.ok(flat.includes(d), d);
  assert.equal(/\b4\d{4}\b/.test(text.register), false, 'no date shown as a serial number');
});

test('page 1 of each document is kept as a PNG for people to look at', () => {
  assert.ok(existsSync(join(artifacts, 'annex-page1.png')));
  assert.ok(existsSync(join(artifacts, 'register-page1.png')));
});

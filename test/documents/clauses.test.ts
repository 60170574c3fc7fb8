import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { checkClauseLibrary, normalizeClauseText } from '../../src/documents/clauses.js';
import { checkExports, loadClauseLibrary, loadExports } from '../../src/documents/index.js';
import { ContentError } from '../../src/questionnaires/load.js';

const SHIPPED = '.';
const temps: string[] = [];
after(() => temps.forEach((t) => rmSync(t, { recursive: true, force: true })));

/** A CONTENT_DIR override holding the given files (paths relative to exports/). */
function override(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'itaku-exports-'));
  temps.push(root);
  for (const [path, text] of Object.entries(files)) {
    const file = join(root, 'exports', path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return root;
}

/** The 1-based line of the first line containing `marker`. */
const lineOf = (text: string, marker: string): number => text.split('\n').findIndex((l) => l.includes(marker)) + 1;

/** A module file with one clause; `paragraph` is a YAML list item body (already indented for the paragraphs list). */
function moduleYaml(id: string, paragraphs: string, extra = ''): string {
  return `id: ${id}\nlabel: テスト\n${extra}clauses:\n  - id: ${id}-clause\n    title: テスト条項\n    paragraphs:\n${paragraphs}\n`;
}

/** The shipped manifest with `order` extended by the given module ids (before closing). */
function manifestWith(...ids: string[]): string {
  const text = readFileSync('exports/annex/annex.yaml', 'utf8');
  return text.replace('  - closing\n', `${ids.map((id) => `  - ${id}\n`).join('')}  - closing\n`);
}

test('the shipped clause library loads with no problems, every module in order and every clause id once', () => {
  const { library, problems } = checkClauseLibrary([SHIPPED]);
  assert.deepEqual(problems, []);
  assert.ok(library);
  assert.equal(library.version, 1);
  assert.match(library.sha256, /^[0-9a-f]{64}$/);
  assert.deepEqual(
    library.modules.map((m) => m.id),
    ['base', 'cloud', 'personal-data', 'my-number', 'segment-work', 'system-work', 'sns-operation', 'generative-ai', 'supply-chain', 'government-cloud', 'decision-conditions', 'closing'],
  );
  assert.equal(new Set(library.clauses.map((c) => c.id)).size, library.clauses.length);
  assert.equal(library.clauses[0]?.id, 'general', '総則 is the first article');
  assert.equal(checkClauseLibrary([SHIPPED]).library?.sha256, library.sha256, 'the hash is stable');
});

test('every shipped file carries the legal-review note, and the README says so', () => {
  const files = ['exports/annex/annex.yaml', ...readdirSync('exports/annex/modules').map((m) => `exports/annex/modules/${m}`)];
  assert.equal(files.length, 13);
  for (const f of files) assert.match(readFileSync(f, 'utf8'), /要法務確認/, f);
  assert.match(readFileSync('exports/README.md', 'utf8'), /法務/);
});

test('the shipped register layouts load, with the §9 columns of each register', () => {
  const { layouts, problems, library } = checkExports([SHIPPED]);
  assert.deepEqual(problems, []);
  assert.ok(library);
  assert.deepEqual([...layouts.keys()].sort(), ['cloud-services', 'engagements', 'sns-accounts', 'vendors']);
  const headers = (id: 'vendors' | 'engagements' | 'cloud-services' | 'sns-accounts') => layouts.get(id)!.columns.map((c) => c.header);
  for (const h of ['委託先', '契約開始', '契約終了', '所管課', '取扱情報の分類', '接続・配置先', '再委託先', '最新の評価結果', '未完了の条件', '次回見直し', '終了時の返還・消去確認']) {
    assert.ok(headers('engagements').includes(h), h);
  }
  for (const h of ['サービス名', '提供事業者', 'サービス区分', '契約形態', 'ISMAP有効期限', 'データの保存場所', '準拠法', '外部サービス管理者', '承認日']) {
    assert.ok(headers('cloud-services').includes(h), h);
  }
  for (const h of ['プラットフォーム', 'アカウント名', 'URL', 'アカウント責任者', '運用担当者', '二要素認証', '認証情報の管理者', '運用手順', '公式サイト掲載', '最終発信日']) {
    assert.ok(headers('sns-accounts').includes(h), h);
  }
  assert.ok(headers('vendors').includes('法人番号'));
  const dates = layouts.get('engagements')!.columns.filter((c) => c.kind === 'date');
  assert.ok(dates.every((c) => c.width >= 17), 'a 和暦 date fits its column');
});

test('a reference to a clause that can be absent is refused with the line and an example of when it breaks', () => {
  const text = moduleYaml('extra', '      - 乙は、{{ref:cloud-exit}}の規定に従う。  # dangling');
  const root = override({ 'annex/annex.yaml': manifestWith('extra'), 'annex/modules/extra.yaml': text });
  const { library, problems } = checkClauseLibrary([SHIPPED, root]);
  assert.equal(library, undefined);
  assert.equal(problems.length, 1, problems.map((p) => p.message).join('\n'));
  const [p] = problems;
  assert.equal(p?.code, 'dangling_ref');
  assert.equal(p?.file, join(root, 'exports/annex/modules/extra.yaml'));
  assert.equal(p?.line, lineOf(text, '# dangling'));
  assert.match(p?.message ?? '', /契約終了時のデータの返却及び消去.*例えば 対象の種別 = 業務委託/);
});

test('a reference is accepted when the referring text can only appear together with its target', () => {
  const guarded = moduleYaml('extra', '      - text: 乙は、{{ref:cloud-exit}}の規定に従う。\n        when: kind == "cloudService" and confidentiality.rank >= 2');
  assert.deepEqual(checkClauseLibrary([SHIPPED, override({ 'annex/annex.yaml': manifestWith('extra'), 'annex/modules/extra.yaml': guarded })]).problems, []);
  // rank 1 cloud services have no C1 clauses: half a guard is still a dangling reference.
  const half = moduleYaml('extra', '      - text: 乙は、{{ref:cloud-exit}}の規定に従う。\n        when: kind == "cloudService"');
  const { problems } = checkClauseLibrary([SHIPPED, override({ 'annex/annex.yaml': manifestWith('extra'), 'annex/modules/extra.yaml': half })]);
  assert.deepEqual(problems.map((p) => p.code), ['dangling_ref']);
  assert.match(problems[0]!.message, /機密性（3\/2\/1換算） = 1/);
});

test('date conditions are compared exactly: a reference into C8 needs the same 令和9年7月1日 boundary', () => {
  const at = (date: string) =>
    moduleYaml('extra', `      - text: 乙は、{{ref:supply-chain-pledge}}の誓約を更新する。\n        when: systemWork and date >= "${date}"`);
  const ok = checkClauseLibrary([SHIPPED, override({ 'annex/annex.yaml': manifestWith('extra'), 'annex/modules/extra.yaml': at('2027-07-01') })]);
  assert.deepEqual(ok.problems, []);
  const early = checkClauseLibrary([SHIPPED, override({ 'annex/annex.yaml': manifestWith('extra'), 'annex/modules/extra.yaml': at('2027-06-30') })]);
  assert.deepEqual(early.problems.map((p) => p.code), ['dangling_ref']);
  assert.match(early.problems[0]!.message, /令和9年6月30日/);
});

const broken: { name: string; yaml: string; marker: string; code: string; message: RegExp; also?: string[] }[] = [
  { name: 'an unknown placeholder', yaml: moduleYaml('extra', '      - 乙は、{{vendorName}}とする。  # here'), marker: '# here', code: 'placeholder', message: /「\{\{vendorName\}\}」という差込み項目はありません。使える項目: municipality/ },
  { name: 'an unclosed placeholder', yaml: moduleYaml('extra', '      - 乙は、{{vendor とする。  # here'), marker: '# here', code: 'placeholder', message: /対応がとれていません/ },
  { name: 'a reference to no clause', yaml: moduleYaml('extra', '      - "{{ref:no-such-clause}}の規定による。"  # here'), marker: '# here', code: 'unknown_ref', message: /条項「no-such-clause」はありません/ },
  { name: 'half-width digits in clause text', yaml: moduleYaml('extra', '      - 乙は、24時間以内に報告する。  # here'), marker: '# here', code: 'halfwidth_digit', message: /半角数字「24」.*全角数字/ },
  { name: 'a misspelt value in a condition', yaml: moduleYaml('extra', '      - 乙は、報告する。', 'when: segment == "mynumbr"  # here\n'), marker: '# here', code: 'condition', message: /"mynumbr" という値はありません/ },
  { name: 'an unknown field in a condition', yaml: moduleYaml('extra', '      - 乙は、報告する。', 'when: hasConditions  # here\n'), marker: '# here', code: 'condition', message: /項目「hasConditions」はありません/ },
  { name: 'a list of conditions in a clause that is there without conditions', yaml: moduleYaml('extra', '      - text: 乙は、次の条件を履行する。\n        listOf: conditions  # here'), marker: '# here', code: 'list_without_conditions', message: /annex\.hasConditions/ },
  { name: 'a misspelt key', yaml: 'id: extra\nlabel: テスト\nclauses:\n  - id: extra-clause\n    title: テスト\n    paragraph:  # here\n      - 乙は、報告する。\n', marker: '# here', code: 'unknown_key', message: /「paragraph」は使えない項目名です。「paragraphs」のことですか/, also: ['4 missing_key'] },
  { name: 'a clause id used twice', yaml: moduleYaml('extra', '      - 乙は、報告する。').replace('id: extra-clause', 'id: confidentiality  # here'), marker: '# here', code: 'duplicate_id', message: /条項ID「confidentiality」が重複しています（最初は .*base\.yaml:\d+）/ },
];

for (const b of broken) {
  test(`${b.name} is a problem on its line`, () => {
    const root = override({ 'annex/annex.yaml': manifestWith('extra'), 'annex/modules/extra.yaml': b.yaml });
    const { library, problems } = checkClauseLibrary([SHIPPED, root]);
    assert.equal(library, undefined);
    const expected = [`${lineOf(b.yaml, b.marker)} ${b.code}`, ...(b.also ?? [])];
    assert.deepEqual(problems.map((p) => `${p.line} ${p.code}`).sort(), expected.sort(), problems.map((p) => p.message).join('\n'));
    const main = problems.find((p) => p.code === b.code)!;
    assert.equal(main.file, join(root, 'exports/annex/modules/extra.yaml'));
    assert.match(main.message, b.message);
  });
}

test('modules and the order must match: a module left out, a missing file, a file named unlike its id', () => {
  const unplaced = checkClauseLibrary([SHIPPED, override({ 'annex/modules/extra.yaml': moduleYaml('extra', '      - 乙は、報告する。') })]);
  assert.deepEqual(unplaced.problems.map((p) => p.code), ['unplaced_module']);
  const missing = checkClauseLibrary([SHIPPED, override({ 'annex/annex.yaml': manifestWith('ghost') })]);
  assert.deepEqual(missing.problems.map((p) => p.code), ['unknown_module']);
  assert.equal(missing.problems[0]!.line, lineOf(manifestWith('ghost'), '- ghost'));
  const misnamed = checkClauseLibrary([SHIPPED, override({ 'annex/annex.yaml': manifestWith('extra'), 'annex/modules/extra.yaml': moduleYaml('other', '      - 乙は、報告する。') })]);
  assert.deepEqual(misnamed.problems.map((p) => p.code), ['file_name'], 'a misnamed file is not also reported missing');
});

test('an override replaces a shipped module by file name', () => {
  const closing = readFileSync('exports/annex/modules/closing.yaml', 'utf8').replace('title: 協議', 'title: 協議及び管轄');
  const { library, problems } = checkClauseLibrary([SHIPPED, override({ 'annex/modules/closing.yaml': closing })]);
  assert.deepEqual(problems, []);
  assert.equal(library?.clauses.find((c) => c.id === 'consultation')?.title, '協議及び管轄');
  assert.notEqual(library?.sha256, checkClauseLibrary([SHIPPED]).library?.sha256, 'the library hash tracks the text');
});

test('start-up loaders throw one ContentError naming every problem', () => {
  const root = override({ 'annex/annex.yaml': manifestWith('extra'), 'annex/modules/extra.yaml': moduleYaml('extra', '      - 乙は、{{oops}}と24時間。'), 'registers/vendors.yaml': 'id: vendors\n' });
  assert.throws(() => loadClauseLibrary([SHIPPED, root]), (err: unknown) => err instanceof ContentError && err.problems.length === 2);
  assert.throws(() => loadExports([SHIPPED, root]), (err: unknown) => err instanceof ContentError && err.problems.some((p) => p.file.endsWith('registers/vendors.yaml')));
  assert.ok(loadExports([SHIPPED]).library.clauses.length > 40);
});

test('register layouts: unknown flags, duplicate headers, wrong kinds and missing files are problems on their lines', () => {
  const yaml = [
    'id: vendors',
    'version: 1',
    'title: 事業者台帳',
    'sheet: 事業者台帳',
    'flags:',
    '  _overdue: { fill: F8CBAD, label: 見直し期限超過 }',
    'columns:',
    '  - { header: 事業者名, key: name, kind: text }',
    '  - { header: 事業者名, key: other, kind: text }  # duplicate',
    '  - { header: 次回見直し, key: next, kind: date, flag: _late }  # flag',
    '  - { header: 件数, key: count, kind: numbr }  # kind',
  ].join('\n');
  const root = override({ 'registers/vendors.yaml': yaml, 'registers/extra.yaml': 'id: extra\n' });
  const { problems } = checkExports([SHIPPED, root]);
  assert.deepEqual(problems.map((p) => `${p.file.split('/').pop()}:${p.line} ${p.code}`).sort(), ['extra.yaml:1 unknown_file', `vendors.yaml:${lineOf(yaml, '# kind')} invalid_value`]);
  const fixed = yaml.replace('kind: numbr', 'kind: number');
  const second = checkExports([SHIPPED, override({ 'registers/vendors.yaml': fixed })]);
  assert.deepEqual(second.problems.map((p) => `${p.line} ${p.code}`), [`${lineOf(yaml, '# duplicate')} duplicate_header`, `${lineOf(yaml, '# flag')} unknown_flag`]);
});

test('clause text written over several YAML lines reads as one Japanese sentence', () => {
  assert.equal(normalizeClauseText('乙は、甲の\n  承諾を得て {{vendor}} に\n通知する。 '), '乙は、甲の承諾を得て{{vendor}}に通知する。');
  assert.equal(normalizeClauseText('ISO/IEC 27001 に基づく'), 'ISO/IEC 27001に基づく', 'spaces between ASCII words stay');
});

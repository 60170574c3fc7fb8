import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadTemplateFile, type Template } from '../../src/questionnaires/index.js';
import { parseYamlSource } from '../../src/questionnaires/yaml-source.js';

const BROKEN = fileURLToPath(new URL('../fixtures/questionnaires/broken', import.meta.url));

/**
 * Each broken fixture marks where its problems must be reported: `# expect: <code>` at the end of the offending line,
 * or `# expect-at: <line> <code>` in the header when the line cannot carry a comment (inside a literal block).
 */
function expectations(file: string): string[] {
  const out: string[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      const at = /^# expect-at: (\d+) (\w+)/.exec(line);
      if (at) out.push(`${at[1]} ${at[2]}`);
      else for (const m of line.matchAll(/# expect: (\w+)/g)) out.push(`${i + 1} ${m[1]}`);
    });
  return out.sort();
}

const fixtures = readdirSync(BROKEN).filter((f) => f.endsWith('.yaml')).sort();

test('there are broken fixtures, each with at least one expectation', () => {
  assert.ok(fixtures.length >= 20);
  for (const f of fixtures) assert.ok(expectations(join(BROKEN, f)).length > 0, `${f} marks its problems`);
});

for (const name of fixtures) {
  test(`${name}: every problem is reported on its line, and nothing else`, () => {
    const file = join(BROKEN, name);
    const { template, problems } = loadTemplateFile(file);
    assert.equal(template, undefined, 'a broken file gives no template');
    for (const p of problems) {
      assert.equal(p.file, file, 'the problem names the file');
      assert.ok(p.line >= 1, 'and a line');
      assert.ok(p.message.length > 10, 'and a reason');
    }
    assert.deepEqual(problems.map((p) => `${p.line} ${p.code}`).sort(), expectations(file), problems.map((p) => p.message).join('\n'));
  });
}

const messages: { file: string; line: number; column?: number; message: RegExp }[] = [
  { file: 'unknown-key@1.yaml', line: 17, column: 9, message: /「aplies」は使えない項目名です。「applies」のことですか/ },
  { file: 'unknown-field@1.yaml', line: 17, column: 48, message: /条件「confidentiality\.rank >= 2 and segmnt == "lgwan"」: 項目「segmnt」はありません。「segment」のことですか/ },
  { file: 'bad-enum-value@1.yaml', line: 17, column: 29, message: /"mynumbr" という値はありません/ },
  { file: 'later-answer@1.yaml', line: 17, message: /A02 はこの設問より後にあります/ },
  { file: 'block-condition@1.yaml', line: 20, message: /「availabilty」はありません。「availability」のことですか/ },
  { file: 'missing-key@1.yaml', line: 12, message: /必須の項目「weight」がありません/ },
  { file: 'flow-comma@1.yaml', line: 13, message: /「,」が区切りになります/ },
  { file: 'duplicate-id@1.yaml', line: 18, message: /「A01」が重複しています（最初は 12 行目）/ },
  { file: 'must-rules@1.yaml', line: 20, message: /基本の必須度（◎）より厳しく/ },
  { file: 'thresholds@1.yaml', line: 21, message: /小さい順（max）に並べてください（72 の次に 24）/ },
  { file: 'answer-type@1.yaml', line: 14, message: /yes-no, single-choice, multiple-choice, number, date, text, file/ },
  { file: 'wrong-name@1.yaml', line: 2, message: /ファイル名は「other-name@1\.yaml」/ },
  { file: 'yaml-syntax@1.yaml', line: 14, message: /閉じ引用符/ },
  { file: 'alias-bomb@1.yaml', line: 1, message: /エイリアス/ },
];
for (const row of messages) {
  test(`${row.file}:${row.line} says ${row.message.source.slice(0, 40)}`, () => {
    const { problems } = loadTemplateFile(join(BROKEN, row.file));
    const hit = problems.find((p) => p.line === row.line && row.message.test(p.message));
    assert.ok(hit, problems.map((p) => `${p.line}:${p.column}: ${p.message}`).join('\n'));
    if (row.column !== undefined) assert.equal(hit.column, row.column);
  });
}

test('a template that passes every check becomes plain data with parsed conditions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'itaku-template-'));
  const file = join(dir, 'mini@3.yaml');
  writeFileSync(
    file,
    [
      'id: mini',
      'version: 3',
      'status: draft',
      'title: { ja: 小さな様式, en: Small template }',
      'subjects: [engagement, cloudService]',
      'respondent: staff',
      'sections:',
      '  - id: A',
      '    title: 例',
      '    questions:',
      '      - id: A01',
      '        text: 第一報までの時間',
      '        answer: { type: number, unit: 時間, min: 0, max: 720, thresholds: [{ max: 24, points: 1 }, { max: 72, points: 0.5 }] }',
      '        weight: 3',
      '        must: { level: 〇, rules: [{ when: "confidentiality.rank >= 2", level: knockout }] }',
      '        sources: { iso27001: ["5.24-5.26"], contract: [10] }',
      '      - id: A02',
      '        text: 追問',
      '        answer: { type: text }',
      '        weight: 1',
      '        must: scored',
      '        followUp: { of: A01, when: answer.A01 > 24 }',
      '        evidence: { level: required, when: answer.A02 is answered }',
      '        sources: { other: [例] }',
      '',
    ].join('\n'),
  );
  const { template, problems } = loadTemplateFile(file);
  assert.deepEqual(problems, []);
  const t = template as Template;
  assert.equal(t.key, 'mini@3');
  assert.deepEqual(t.title, { ja: '小さな様式', en: 'Small template' });
  assert.equal(t.sections[0]?.title.ja, '例');
  const [a01, a02] = t.questions;
  assert.deepEqual(a01?.must.level, '○', '〇 is read as ○');
  assert.equal(a01?.must.rules[0]?.level, '◎', 'knockout is read as ◎');
  assert.deepEqual(a01?.answer.type === 'number' && a01.answer.thresholds, [
    { bound: 'max', value: 24, points: 1 },
    { bound: 'max', value: 72, points: 0.5 },
  ]);
  assert.equal(a02?.followUp?.of, 'A01');
  assert.equal(a02?.followUp?.when.text, 'answer.A01 > 24');
  assert.equal(a02?.must.level, '△');
  assert.equal(a02?.evidence.level, 'required');
  assert.equal(a02?.line, 17);
  assert.match(t.sha256, /^[0-9a-f]{64}$/);
  assert.deepEqual(JSON.parse(JSON.stringify(t)), t, 'a template survives a JSON round trip (assessment snapshots)');
  rmSync(dir, { recursive: true, force: true });
});

test('a file with a byte-order mark and CRLF line ends reads as the same text', () => {
  const { data, problems } = parseYamlSource('x.yaml', '\uFEFFid: a\r\nversion: 1\r\n');
  assert.deepEqual(problems, []);
  assert.deepEqual(data, { id: 'a', version: 1 });
});

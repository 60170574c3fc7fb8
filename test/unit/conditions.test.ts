import assert from 'node:assert/strict';
import { describe as group, test } from 'node:test';
import {
  ConditionError,
  describe,
  evaluate,
  explain,
  explainText,
  type Expr,
  type FieldInfo,
  LIMITS,
  parseCondition,
  type Scope,
  subjectScope,
  toText,
} from '../../src/conditions/index.js';
import { facts } from '../fixtures/questionnaires/subjects.js';

const origin = { file: 'questionnaires/x@1.yaml', line: 10, column: 20 };

/** Answers for tests: F01 single choice, E02 number, G02 multiple choice, A05 text, X01 date. */
const answerScope: Scope = subjectScope(
  new Map<string, FieldInfo>([
    ['F01', { type: { kind: 'enum', values: ['individual', 'terms', 'na'], nullable: false }, label: { ja: 'F01' } }],
    ['E02', { type: { kind: 'number', min: 0, max: 720, nullable: false, na: true }, label: { ja: 'E02' } }],
    ['G02', { type: { kind: 'set', values: ['confidentiality', 'safe_disposal'] }, label: { ja: 'G02' } }],
    ['A05', { type: { kind: 'opaque' }, label: { ja: 'A05' } }],
    ['X01', { type: { kind: 'date', nullable: false }, label: { ja: 'X01' } }],
  ]),
);

const parse = (text: string, scope: Scope = answerScope): Expr => parseCondition(text, { ...origin, scope });

/** The tree without offsets, to compare a re-parse with the original. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'at').map(([k, v]) => [k, shape(v)]));
  }
  return value;
}

group('parsing and evaluating', () => {
  const rows: { text: string; facts?: Parameters<typeof facts>[0]; answers?: Record<string, unknown>; expected: boolean }[] = [
    { text: 'confidentiality.rank >= 2', expected: true },
    { text: 'confidentiality.rank >= 2', facts: { confidentiality: { level: '1', rank: 1 } }, expected: false },
    { text: 'confidentiality.rank >= 2 and (segment == "mynumber" or myNumber)', facts: { myNumber: true }, expected: true },
    { text: 'confidentiality.rank >= 2 and (segment == "mynumber" or myNumber)', expected: false },
    { text: 'confidentiality.rank >= 2 and segment == "mynumber" or myNumber', facts: { confidentiality: { level: '1', rank: 1 }, myNumber: true }, expected: true },
    { text: 'kind == "cloudService"', facts: { kind: 'cloudService' }, expected: true },
    { text: 'kind != "cloudService"', expected: true },
    { text: 'contractType == "terms"', facts: { contractType: 'terms' }, expected: true },
    { text: 'contractType == null', expected: true },
    { text: 'contractType != null', expected: false },
    { text: 'date >= "2027-07-01"', facts: { date: '2027-07-01' }, expected: true },
    { text: 'date >= "2027-07-01"', facts: { date: '2027-06-30' }, expected: false },
    { text: '"2027-07-01" <= date', facts: { date: '2027-07-02' }, expected: true },
    { text: 'segment in ["mynumber", "lgwan"]', facts: { segment: 'lgwan' }, expected: true },
    { text: 'segment in ["mynumber", "lgwan"]', expected: false },
    { text: 'segment not in ["mynumber", "lgwan"]', expected: true },
    { text: 'not myNumber', expected: true },
    { text: 'not not myNumber', expected: false },
    { text: 'myNumber == false', expected: true },
    { text: 'NOT myNumber AND kind == "engagement"', expected: true },
    { text: 'true', expected: true },
    { text: 'false or availability == 2', facts: { availability: 2 }, expected: true },
    { text: 'confidentiality.level in ["3A", "3B", "3C"]', facts: { confidentiality: { level: '3B', rank: 3 } }, expected: true },
    { text: 'answer.F01 == "terms"', answers: { F01: 'terms' }, expected: true },
    { text: 'answer.F01 == "terms"', expected: false },
    { text: 'answer.F01 != "terms"', expected: true },
    { text: 'answer.F01 is answered', answers: { F01: 'individual' }, expected: true },
    { text: 'answer.F01 is answered', answers: { F01: '  ' }, expected: false },
    { text: 'answer.F01 is not answered', expected: true },
    { text: 'answer.E02 <= 24', answers: { E02: 24 }, expected: true },
    { text: 'answer.E02 <= 24', answers: { E02: 25 }, expected: false },
    { text: 'answer.E02 <= 24', answers: { E02: '12' }, expected: false },
    { text: 'answer.E02 <= 24', answers: { E02: 'na' }, expected: false },
    { text: 'answer.E02 == "na"', answers: { E02: 'na' }, expected: true },
    { text: 'answer.E02 > 0.5', answers: { E02: 0.75 }, expected: true },
    { text: 'answer.G02 contains "safe_disposal"', answers: { G02: ['confidentiality', 'safe_disposal'] }, expected: true },
    { text: 'answer.G02 not contains "safe_disposal"', answers: { G02: ['confidentiality'] }, expected: true },
    { text: 'answer.G02 contains "safe_disposal"', answers: { G02: 'safe_disposal' }, expected: false },
    { text: 'answer.A05 is answered', answers: { A05: { fileId: 'f1' } }, expected: true },
    { text: 'answer.X01 < date', answers: { X01: '2026-01-01' }, expected: true },
    { text: 'answer.X01 >= "2026-12-01"', answers: { X01: '2026-11-30' }, expected: false },
    { text: "confidentiality.level == 'a\\'b\\\\'", facts: { confidentiality: { level: "a'b\\", rank: 2 } }, expected: true },
    { text: '(\n  myNumber\n  or systemWork\n)', facts: { systemWork: true }, expected: true },
  ];
  for (const row of rows) {
    test(`${row.text.replace(/\s+/g, ' ')} → ${row.expected}`, () => {
      const ast = parse(row.text);
      const ctx = { facts: facts(row.facts), answers: row.answers ?? {} };
      assert.equal(evaluate(ast, ctx), row.expected);
      assert.equal(explain(ast, ctx).value, row.expected, 'explain agrees with evaluate');
      assert.deepEqual(shape(parse(toText(ast))), shape(ast), `round trip through ${toText(ast)}`);
    });
  }
});

group('refused conditions name the place and the reason', () => {
  const rows: { text: string; reason: RegExp; column?: number; line?: number }[] = [
    { text: 'segmnt == "lgwan"', reason: /項目「segmnt」はありません。「segment」のことですか/, column: 20 },
    { text: 'myNumber and rank >= 2', reason: /項目「rank」はありません/, column: 33 },
    { text: 'segment == "mynumbr"', reason: /"mynumbr" という値はありません.*"mynumber"/, column: 31 },
    { text: 'kind == null', reason: /null になりません/ },
    { text: 'confidentiality.rank >= 4', reason: /範囲（1〜3）の外/ },
    { text: 'segment >= "lgwan"', reason: /大小比較/ },
    { text: 'myNumber == "true"', reason: /true か false/ },
    { text: 'segment', reason: /真偽値ではありません.*segment == "mynumber"/ },
    { text: '"a" == "b"', reason: /値どうし/ },
    { text: '2', reason: /値だけでは条件になりません/ },
    { text: 'date >= "2027-13-01"', reason: /日付/ },
    { text: 'date >= "2027/07/01"', reason: /日付/ },
    { text: 'myNumber is answered', reason: /回答（answer\.設問ID）にだけ/ },
    { text: 'answer.F01 == "maybe"', reason: /"maybe" という値はありません/ },
    { text: 'answer.F01 contains "terms"', reason: /contains は複数選択/ },
    { text: 'answer.G02 == "safe_disposal"', reason: /contains で調べてください/ },
    { text: 'answer.G02 contains "other"', reason: /選択肢はありません/ },
    { text: 'answer.A05 == "x"', reason: /is answered でしか/ },
    { text: 'answer.Z99 is answered', reason: /設問 Z99 はありません/ },
    { text: 'answer.E02 == "na" and answer.E02 >= 1000', reason: /範囲（0〜720）の外/ },
    { text: 'segment == "lgwan" && myNumber', reason: /and と書いてください/, column: 39 },
    { text: 'segment == "lgwan" || myNumber', reason: /or と書いてください/ },
    { text: 'segment = "lgwan"', reason: /「==」/ },
    { text: '!myNumber', reason: /not/ },
    { text: '（myNumber）', reason: /全角の「（」/, column: 20 },
    { text: 'segment ＝＝ "lgwan"', reason: /全角の「＝」/ },
    { text: 'myNumber\u3000or systemWork', reason: /全角の「　」/ },
    { text: 'myNumber\u0000', reason: /使えない文字「U\+0000」/ },
    { text: 'segment == "lgwan', reason: /閉じ引用符/ },
    { text: 'segment == "lg\nwan"', reason: /閉じ引用符/ },
    { text: 'confidentiality.level == "a\\nb"', reason: /エスケープ/ },
    { text: '(myNumber', reason: /閉じ括弧/ },
    { text: 'myNumber)', reason: /予期しない位置.*閉じ括弧が多すぎます/ },
    { text: '()', reason: /括弧の中が空/ },
    { text: 'myNumber or', reason: /途中で終わって/ },
    { text: 'myNumber systemWork', reason: /予期しない位置/ },
    { text: 'segment in []', reason: /一覧が空/ },
    { text: 'segment in "lgwan"', reason: /「\[」で始まる値の一覧/ },
    { text: 'segment is "lgwan"', reason: /answered か not answered/ },
    { text: '', reason: /条件が空/ },
    { text: '   \n ', reason: /条件が空/ },
    // Inline text with a line break (a quoted YAML string with \n) cannot be mapped line by line: the start is reported.
    { text: 'myNumber or\nsegmnt == "x"', reason: /segmnt/ },
  ];
  for (const row of rows) {
    test(`${JSON.stringify(row.text)} is refused`, () => {
      assert.throws(
        () => parse(row.text),
        (err: unknown) => {
          assert.ok(err instanceof ConditionError, `ConditionError, got ${String(err)}`);
          assert.match(err.reason, row.reason);
          assert.equal(err.file, origin.file);
          assert.equal(err.line, row.line ?? origin.line);
          if (row.column !== undefined) assert.equal(err.column, row.column);
          assert.match(err.message, new RegExp(`^${origin.file.replace(/[.@/]/g, '\\$&')}:${row.line ?? origin.line}`));
          return true;
        },
      );
    });
  }

  test('answers are refused where the scope allows none (a clause evaluated on facts only)', () => {
    assert.throws(() => parseCondition('answer.F01 == "terms"', origin), /ここでは回答（answer\.F01）は使えません/);
  });

  test('a scope can say why an answer id is not readable (e.g. a later question)', () => {
    const scope: Scope = { ...subjectScope(new Map()), unknownAnswer: (id) => `設問 ${id} は後にあります` };
    assert.throws(() => parse('answer.B01 is answered', scope), /設問 B01 は後にあります/);
  });

  test('in a literal block each text line is a file line', () => {
    assert.throws(
      () => parseCondition('myNumber\nor availabilty == 2', { file: 'f.yaml', line: 5, layout: 'lines' }),
      (err: unknown) => err instanceof ConditionError && err.line === 6 && err.column === undefined,
    );
  });
});

group('hostile input', () => {
  const refusals: { name: string; text: string; reason: RegExp }[] = [
    { name: 'nesting beyond the limit', text: `${'('.repeat(LIMITS.maxDepth + 1)}myNumber${')'.repeat(LIMITS.maxDepth + 1)}`, reason: /入れ子が深すぎます/ },
    { name: 'a tower of not', text: `${'not '.repeat(LIMITS.maxDepth + 1)}myNumber`, reason: /入れ子が深すぎます/ },
    { name: 'very long input', text: `myNumber${' or myNumber'.repeat(1000)}`, reason: /条件が長すぎます/ },
    { name: 'a megabyte of parentheses', text: '('.repeat(1_000_000), reason: /条件が長すぎます/ },
    { name: 'too many tokens within the length', text: `${'true or '.repeat(240)}true`, reason: /要素が多すぎます/ },
    { name: 'a list beyond the limit', text: `segment in [${Array.from({ length: LIMITS.maxListItems + 1 }, () => '"lgwan"').join(',')}]`, reason: /一覧の値が多すぎます/ },
    { name: 'a long string', text: `confidentiality.level == "${'x'.repeat(LIMITS.maxStringLength + 1)}"`, reason: /文字列が長すぎます/ },
    { name: 'exponent notation', text: 'confidentiality.rank >= 1e400', reason: /指数表記/ },
    { name: 'a 20-digit number', text: 'confidentiality.rank >= 99999999999999999999', reason: /数値が大きすぎます/ },
    { name: 'a number above 10^12', text: 'answer.E02 <= 1000000000001', reason: /数値が大きすぎます/ },
    { name: 'hexadecimal', text: 'confidentiality.rank >= 0x10', reason: /数値の書き方/ },
    { name: 'Infinity as a name', text: 'confidentiality.rank < Infinity', reason: /項目「Infinity」はありません/ },
    { name: 'NaN as a name', text: 'availability != NaN', reason: /項目「NaN」はありません/ },
    { name: '__proto__', text: '__proto__', reason: /項目「__proto__」はありません/ },
    { name: 'constructor', text: 'constructor == "x"', reason: /項目「constructor」はありません/ },
    { name: 'a prototype path', text: 'confidentiality.__proto__ == "x"', reason: /はありません/ },
    { name: 'toString', text: 'toString', reason: /項目「toString」はありません/ },
    { name: 'an answer named like a prototype key', text: 'answer.constructor is answered', reason: /設問 constructor はありません/ },
    { name: 'code injection', text: 'process.exit(1)', reason: /はありません|予期しない/ },
    { name: 'template literal', text: '`${myNumber}`', reason: /使えない文字/ },
  ];
  for (const row of refusals) {
    test(`refuses ${row.name} quickly`, () => {
      const started = performance.now();
      assert.throws(() => parse(row.text), (err: unknown) => err instanceof ConditionError && row.reason.test(err.reason));
      assert.ok(performance.now() - started < 500, 'refused in well under a second');
    });
  }

  test('accepts nesting exactly at the limit', () => {
    const text = `${'('.repeat(LIMITS.maxDepth)}myNumber${')'.repeat(LIMITS.maxDepth)}`;
    assert.equal(evaluate(parse(text), { facts: facts({ myNumber: true }) }), true);
  });

  test('accepts the largest allowed number and the longest allowed string', () => {
    const any = subjectScope('any');
    assert.equal(evaluate(parse('answer.Q < 1000000000000 and answer.Q > -1000000000000', any), { facts: facts(), answers: { Q: 5 } }), true);
    const level = 'x'.repeat(LIMITS.maxStringLength);
    assert.equal(evaluate(parse(`confidentiality.level == "${level}"`), { facts: facts({ confidentiality: { level, rank: 2 } }) }), true);
  });

  test('a long but legal chain of or is evaluated without recursion trouble', () => {
    const text = Array.from({ length: 120 }, () => 'systemWork').join(' or ');
    assert.equal(evaluate(parse(text), { facts: facts({ systemWork: true }) }), true);
  });

  const asts = [
    'confidentiality.rank >= 2 and (segment == "mynumber" or myNumber)',
    'answer.E02 <= 24 or answer.G02 contains "safe_disposal" or answer.F01 is answered',
    'segment not in ["lgwan"] and date >= "2027-07-01" and answer.X01 < date',
    'not (contractType == "terms" and confidentiality.rank == 1)',
  ].map((t) => parse(t));
  const throwing = Object.defineProperty({}, 'confidentiality', {
    get() {
      throw new Error('boom');
    },
    enumerable: true,
  });
  const hostileContexts: { name: string; ctx: Parameters<typeof evaluate>[1] }[] = [
    { name: 'empty facts', ctx: { facts: {} } },
    { name: 'facts with wrong types', ctx: { facts: { confidentiality: 'x', segment: 5, date: 20270701, myNumber: 'yes' } } },
    { name: 'facts with a throwing getter', ctx: { facts: throwing } },
    { name: 'answers of every odd type', ctx: { facts: facts(), answers: { E02: Number.NaN, G02: { length: 1 }, F01: ['terms'], X01: '2027-02-30' } } },
    { name: 'answers that are null', ctx: { facts: facts(), answers: null as unknown as Record<string, unknown> } },
    { name: 'a prototype-polluted answers object', ctx: { facts: facts(), answers: Object.create({ E02: 1, F01: 'terms' }) as Record<string, unknown> } },
  ];
  for (const { name, ctx } of hostileContexts) {
    test(`evaluation is total: ${name}`, () => {
      for (const ast of asts) {
        const value = evaluate(ast, ctx);
        assert.equal(typeof value, 'boolean');
        assert.equal(typeof explain(ast, ctx).value, 'boolean');
      }
    });
  }

  test('inherited answers are not read (only own keys)', () => {
    const answers = Object.create({ F01: 'terms' }) as Record<string, unknown>;
    assert.equal(evaluate(parse('answer.F01 == "terms"'), { facts: facts(), answers }), false);
  });

  test('a hand-built tree that is malformed or too deep answers false instead of throwing', () => {
    let deep: Expr = { type: 'truthy', field: { type: 'field', name: 'myNumber', at: 0 }, at: 0 };
    for (let i = 0; i < 100_000; i++) deep = { type: 'not', item: deep, at: 0 };
    assert.equal(evaluate(deep, { facts: facts({ myNumber: true }) }), false);
    const broken = [{ type: 'nonsense' }, { type: 'and' }, { type: 'in', field: { name: 'segment' } }, { type: 'compare', op: '<' }, null];
    for (const b of broken) assert.equal(evaluate(b as unknown as Expr, { facts: facts() }), false);
  });
});

group('saying why', () => {
  test('describe reads a condition in Japanese and English with labels', () => {
    const ast = parse('confidentiality.rank >= 2 and (segment == "mynumber" or myNumber)');
    assert.equal(
      describe(ast),
      '機密性（3/2/1換算） が 2 以上 かつ （接続・配置先 が マイナンバー利用事務系 または 特定個人情報（マイナンバー）を取り扱う）',
    );
    assert.equal(
      describe(ast, { lang: 'en' }),
      'confidentiality rank (3/2/1) is at least 2 and (network segment is My Number segment or handles My Number data)',
    );
    assert.equal(describe(parse('date >= "2027-07-01"')), '評価日 が 令和9年7月1日 以降');
  });

  test('explainText names the comparison that decided and the value it saw', () => {
    const ast = parse('confidentiality.rank >= 2 and kind == "cloudService"');
    const why = explain(ast, { facts: facts({ confidentiality: { level: '1', rank: 1 }, kind: 'cloudService' }) });
    assert.equal(why.value, false);
    assert.equal(why.decisive.length, 1, 'only the failing part of an and');
    assert.equal(explainText(why), '機密性（3/2/1換算） が 2 以上: 偽（機密性（3/2/1換算） = 1）');
    assert.equal(explainText(why, { lang: 'en' }), 'confidentiality rank (3/2/1) is at least 2: false (confidentiality rank (3/2/1) = 1)');
  });

  test('a false or lists every part, an unanswered question reads as 未回答', () => {
    const why = explain(parse('answer.F01 == "terms" or myNumber'), { facts: facts(), answers: {} });
    assert.equal(why.decisive.length, 2);
    assert.match(explainText(why, { scope: answerScope }), /F01 = 未回答/);
  });
});

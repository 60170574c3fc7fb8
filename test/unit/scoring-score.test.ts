import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { controlScoreTenths, METHOD, score, scoreWith, ScoringError, type ScoringInput } from '../../src/scoring/index.js';
import { allYes, choice, input, many, type Q, template } from '../fixtures/scoring/build.js';

describe('control score C', () => {
  test('all yes over mixed weights is 100.0', () => {
    const t = template({ A: [...many(3, { weight: 3 }, 'A'), ...many(2, { weight: 1 }, 'B')], B: many(4, { weight: 2 }, 'C') });
    const r = score(input(t, { answers: allYes(t) }));
    assert.equal(r.totals.sumWeights, 3 * 3 + 2 * 1 + 4 * 2);
    assert.equal(r.totals.sumWeightedPointsHundredths, 1900);
    assert.equal(r.totals.controlScore, 100);
    assert.equal(r.totals.controlScoreText, '100.0');
    assert.deepEqual(r.sections.map((s) => s.controlScoreText), ['100.0', '100.0']);
    assert.equal(r.likelihood, 1);
  });

  test('mixed weights and partials, checked by hand, with per-section scores', () => {
    const t = template({
      A: [
        { id: 'A01', weight: 3 }, // yes      1    → 3 × 100 = 300
        { id: 'A02', weight: 2 }, // partial  0.5  → 2 ×  50 = 100
        { id: 'A03', weight: 1 }, // no       0    → 1 ×   0 =   0
      ],
      B: [
        { id: 'B01', weight: 3, answer: choice({ full: 1, some: 0.35, none: 0 }) }, // 0.35 → 3 × 35 = 105
        { id: 'B02', weight: 1, answer: choice({ a: 0.4, b: 0.35 }, 'multiple-choice') }, // 0.75 → 75
      ],
    });
    const r = score(input(t, { answers: { A01: 'yes', A02: 'partial', A03: 'no', B01: 'some', B02: ['a', 'b'] } }));
    assert.deepEqual(r.questions.map((q) => q.contributionHundredths), [300, 100, 0, 105, 75]);
    // Σw = 10, Σw·p = 5.80 → C = 100 × 5.80 / 10 = 58.0
    assert.deepEqual([r.totals.sumWeights, r.totals.sumWeightedPointsHundredths, r.totals.controlScoreText], [10, 580, '58.0']);
    // A: 400 / 6 = 66.67 → 66.7;  B: 180 / 4 = 45.0
    assert.deepEqual(
      r.sections.map((s) => [s.id, s.sumWeights, s.sumWeightedPointsHundredths, s.controlScore, s.controlScoreText]),
      [['A', 6, 400, 66.7, '66.7'], ['B', 4, 180, 45, '45.0']],
    );
    assert.equal(r.likelihood, 3);
  });

  test('a tie is rounded half-up: 19 yes and one 0.05 over 20 questions is 95.25 → 95.3', () => {
    const t = template({ A: [...many(19), { id: 'X01', answer: choice({ tiny: 0.05, none: 0 }) }] });
    const r = score(input(t, { answers: { ...allYes(t, t.questions.slice(0, 19).map((q) => q.id)), X01: 'tiny' } }));
    assert.equal(r.totals.sumWeightedPointsHundredths, 1905);
    assert.equal(r.totals.controlScoreText, '95.3');
  });

  test('a section with nothing scorable has a null score, not 0', () => {
    const t = template({ A: [{ id: 'A01' }], B: [{ id: 'B01', answer: { type: 'text' }, must: '△' }] });
    const r = score(input(t, { answers: { A01: 'yes', B01: '記述' } }));
    assert.deepEqual(r.sections.map((s) => [s.id, s.sumWeights, s.controlScore, s.controlScoreText]), [['A', 1, 100, '100.0'], ['B', 0, null, null]]);
  });
});

/** 100 weight-1 questions: `high` at 0.95, then `yes` at 1, the rest 0 (W = 100, so C = Σ hundredths / 100). */
function hundred(high: number, yes: number): ScoringInput {
  const t = template({ A: many(100, { answer: choice({ yes: 1, high: 0.95, no: 0 }) }) });
  const answers = Object.fromEntries(t.questions.map((q, i) => [q.id, i < high ? 'high' : i < high + yes ? 'yes' : 'no']));
  return input(t, { answers });
}

describe('rounding near the 85 / 70 / 50 bounds', () => {
  const cases: [high: number, yes: number, exact: string, shown: string, likelihood: number][] = [
    [21, 65, '84.95', '85.0', 1],
    [2, 83, '84.90', '84.9', 2],
    [1, 69, '69.95', '70.0', 2],
    [2, 68, '69.90', '69.9', 3],
    [1, 49, '49.95', '50.0', 3],
    [2, 48, '49.90', '49.9', 4],
  ];
  for (const [high, yes, exact, shown, l] of cases) {
    test(`${exact} is shown ${shown} and gives L${l}`, () => {
      const r = score(hundred(high, yes));
      assert.equal(r.totals.sumWeightedPointsHundredths, 95 * high + 100 * yes);
      assert.equal(r.totals.controlScoreText, shown);
      assert.equal(r.likelihood, l);
    });
  }

  test('a sum that floating point gets wrong: 21 × 0.95 + 65 × 1 is 84.95 exactly, so 85.0 and L1', () => {
    let float = 0;
    for (let i = 0; i < 21; i++) float += 0.95;
    for (let i = 0; i < 65; i++) float += 1;
    // The trap is real: summed in binary floating point the score lands just under the bound.
    assert.ok(100 * float / 100 < 84.95);
    assert.equal(Math.round(((100 * float) / 100) * 10) / 10, 84.9);
    const r = score(hundred(21, 65));
    assert.equal(r.totals.controlScore, 85);
    assert.equal(r.likelihood, 1);
  });

  test('rounding once from the exact fraction: 8240 / 97 = 84.948… is 84.9, not 84.95 → 85.0', () => {
    const t = template({ A: many(97, { answer: choice({ yes: 1, some: 0.4, no: 0 }) }) });
    const answers = Object.fromEntries(t.questions.map((q, i) => [q.id, i < 82 ? 'yes' : i === 82 ? 'some' : 'no']));
    const r = score(input(t, { answers }));
    assert.deepEqual([r.totals.sumWeights, r.totals.sumWeightedPointsHundredths], [97, 8240]);
    assert.equal(Math.round((8240 / 97) * 100) / 100, 84.95); // what rounding to hundredths first would keep
    assert.equal(r.totals.controlScoreText, '84.9');
    assert.equal(r.likelihood, 2);
  });

  test('controlScoreTenths is an integer floor-division with half-up rounding', () => {
    const rows: [number, number, number | null][] = [
      [0, 0, null],
      [0, 5, 0],
      [8495, 100, 850],
      [8494, 100, 849],
      [100, 3, 333],
      [200, 3, 667],
      [1905, 20, 953],
      [300 * 150, 450, 1000],
    ];
    for (const [s, w, expected] of rows) assert.equal(controlScoreTenths(s, w), expected, `${s}/${w}`);
  });
});

describe('nothing scorable', () => {
  const cases: [string, Q[], Record<string, string>, Record<string, { notApplicable: 'accepted' }>][] = [
    ['only △ text questions', [{ id: 'A01', answer: { type: 'text' } }], { A01: '記述' }, {}],
    ['every question N/A and accepted', [{ id: 'A01', answer: { type: 'yes-no', notApplicable: true } }], { A01: 'na' }, { A01: { notApplicable: 'accepted' } }],
    ['no question applies', [{ id: 'A01', applies: 'myNumber' }], {}, {}],
  ];
  for (const [name, qs, answers, review] of cases) {
    test(`${name}: C is null and the recommendation is escalate`, () => {
      const r = score(input(template({ A: qs }), { answers, review, tier: 1 }));
      assert.equal(r.totals.sumWeights, 0);
      assert.equal(r.totals.controlScore, null);
      assert.equal(r.totals.controlScoreText, null);
      assert.equal(r.likelihood, null);
      assert.equal(r.residual, null);
      assert.deepEqual([r.recommendation.result, r.recommendation.rule], ['escalate', 'nothing_scorable']);
    });
  }
});

describe('method and version', () => {
  const t = template({
    A: [{ id: 'A01', weight: 3, must: '◎', evidence: 'required' }, { id: 'A02', must: '○' }, { id: 'A03', answer: choice({ x: 0.6, y: 0.3 }, 'multiple-choice') }],
  });
  const stored = input(t, {
    tier: 3,
    answers: { A01: 'yes', A02: 'partial', A03: ['x', 'y'] },
    review: { A01: { evidence: 'accepted' } },
    evidenceCount: { A01: 1 },
  });

  test('every result names itaku-1 version 1', () => {
    assert.deepEqual(METHOD, { name: 'itaku-1', version: 1 });
    assert.deepEqual(score(stored).method, { name: 'itaku-1', version: 1 });
  });

  test('re-scoring the same stored input with the stored method gives a deep-equal result', () => {
    const first = score(stored);
    const reloaded = JSON.parse(JSON.stringify(stored)) as ScoringInput; // as the assessment stores it
    const again = scoreWith(first.method, reloaded);
    assert.deepEqual(again, first);
    assert.deepEqual(JSON.parse(JSON.stringify(first)), first, 'the result is plain JSON: nothing is lost when it is stored');
  });

  test('scoring does not change its input', () => {
    const before = JSON.stringify(stored);
    const r = score(stored);
    (r.questions[2]?.answer as string[]).push('mutated');
    assert.equal(JSON.stringify(stored), before);
  });

  const unknown: [string, { name: string; version: number }][] = [
    ['an unknown name', { name: 'itaku-2', version: 1 }],
    ['an unknown version', { name: 'itaku-1', version: 2 }],
    ['version 0', { name: 'itaku-1', version: 0 }],
    ['a fractional version', { name: 'itaku-1', version: 1.5 }],
    ['a name from Object.prototype', { name: 'constructor', version: 1 }],
  ];
  for (const [name, method] of unknown) {
    test(`refuses ${name}`, () => {
      assert.throws(() => scoreWith(method, stored), (err: unknown) => err instanceof ScoringError && err.code === 'unknown_scoring_method');
    });
  }

  const bad: [string, Partial<ScoringInput>][] = [
    ['a tier outside 1–4', { tier: 5 as never }],
    ['a facts date that is not YYYY-MM-DD', { facts: { ...stored.facts, date: '2026/11/25' } }],
    ['an exception without a measure', { review: { A01: { exception: { measure: ' ', expiresOn: '2027-03-31', by: 'u1' } } } }],
    ['an exception with an impossible expiry', { review: { A01: { exception: { measure: '代替措置', expiresOn: '2027-02-29', by: 'u1' } } } }],
    ['a negative evidence count', { evidenceCount: { A01: -1 } }],
  ];
  for (const [name, change] of bad) {
    test(`refuses stored input with ${name}`, () => {
      assert.throws(() => score({ ...stored, ...change }), (err: unknown) => err instanceof ScoringError && err.code === 'invalid_scoring_input');
    });
  }
});

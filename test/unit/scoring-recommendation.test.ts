import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Likelihood, Tier } from '../../src/risk/inherent-tier.js';
import { type RecommendationResult, score } from '../../src/scoring/index.js';
import { allYes, facts, input, many, template } from '../fixtures/scoring/build.js';

const EXCEPTION = { measure: '操作ログを週次で確認する', expiresOn: '2027-03-31', by: 'security-officer-1' };

describe('gates', () => {
  const t = template({
    A: [
      { id: 'F03', weight: 3, must: '◎', text: '多要素認証を管理者アカウントに適用していますか。' },
      { id: 'F04', weight: 2, must: '○', text: '再委託先に同等の安全管理措置を求めていますか。' },
      ...many(18, { weight: 3 }),
    ],
  });
  const yes = allYes(t);

  test('a failed ◎ makes the result rejected whatever the score', () => {
    const r = score(input(t, { answers: { ...yes, F03: 'no' }, tier: 1 }));
    // F03 0 × 3, F04 1 × 2, 18 × (1 × 3): (0 + 200 + 5400) / 59 = 94.92 → 94.9
    assert.equal(r.totals.controlScoreText, '94.9');
    assert.deepEqual(r.gates.failed.map((g) => g.questionId), ['F03']);
    assert.equal(r.questions.find((q) => q.id === 'F03')?.gate, 'failed');
    assert.deepEqual([r.recommendation.result, r.recommendation.rule], ['rejected', 'failed_gate']);
    assert.match(r.recommendation.ja, /F03/);
    assert.deepEqual(r.proposedConditions, []);
  });

  test('an unanswered ◎ and a ◎ with unaccepted N/A are failed gates too', () => {
    assert.equal(score(input(t, { answers: { ...yes, F03: undefined as never } })).recommendation.result, 'rejected');
    const na = template({ A: [{ id: 'F03', must: '◎', answer: { type: 'yes-no', notApplicable: true } }, { id: 'A01' }] });
    const pending = score(input(na, { answers: { F03: 'na', A01: 'yes' } }));
    assert.deepEqual(pending.gates.failed.map((g) => g.questionId), ['F03']);
    const accepted = score(input(na, { answers: { F03: 'na', A01: 'yes' }, review: { F03: { notApplicable: 'accepted' } } }));
    assert.deepEqual(accepted.gates.failed, []);
    assert.equal(accepted.recommendation.result, 'approved');
  });

  test('a ◎ capped at 0.5 for missing evidence is a failed gate until the evidence is accepted', () => {
    const ev = template({ A: [{ id: 'E02', must: '◎', evidence: 'required' }] });
    assert.equal(score(input(ev, { answers: { E02: 'yes' }, evidenceCount: { E02: 1 } })).recommendation.result, 'rejected');
    const ok = score(input(ev, { answers: { E02: 'yes' }, evidenceCount: { E02: 1 }, review: { E02: { evidence: 'accepted' } } }));
    assert.equal(ok.recommendation.result, 'approved');
  });

  test('an excepted ◎ is conditional, with the exception expiry as the condition due date', () => {
    const r = score(input(t, { answers: { ...yes, F03: 'no' }, review: { F03: { exception: EXCEPTION } }, tier: 1 }));
    assert.deepEqual(r.gates.failed, []);
    assert.deepEqual(r.gates.excepted, [{ questionId: 'F03', level: '◎', pointsHundredths: 0, exception: EXCEPTION }]);
    assert.equal(r.likelihood, 1);
    assert.equal(r.residual, 1);
    assert.deepEqual([r.recommendation.result, r.recommendation.rule], ['conditional', 'residual_low_with_conditions']);
    assert.equal(r.proposedConditions.length, 1);
    const c = r.proposedConditions[0];
    assert.deepEqual([c?.questionId, c?.kind, c?.dueDate], ['F03', 'exception', '2027-03-31']);
    assert.match(c?.text ?? '', /^設問F03（多要素認証を管理者アカウントに適用していますか。）について、.*操作ログを週次で確認する.*令和9年3月31日まで/);
    assert.match(r.questions.find((q) => q.id === 'F03')?.reason.ja ?? '', /例外承認あり/);
  });

  test('an exception counts whatever its expiry: one already expired on the issue date still excepts the gate', () => {
    const expired = { ...EXCEPTION, expiresOn: '2025-03-31' };
    const r = score(input(t, { answers: { ...yes, F03: 'no' }, review: { F03: { exception: expired } } }));
    assert.equal(r.recommendation.result, 'conditional');
    assert.equal(r.proposedConditions[0]?.dueDate, '2025-03-31');
  });

  test('a failed ○ is a remediation and becomes a condition without a due date', () => {
    const r = score(input(t, { answers: { ...yes, F04: 'partial' }, tier: 1 }));
    assert.deepEqual(r.remediations, [{ questionId: 'F04', level: '○', pointsHundredths: 50 }]);
    assert.deepEqual(r.gates, { failed: [], excepted: [] });
    assert.equal(r.recommendation.result, 'conditional');
    assert.deepEqual(r.proposedConditions, [
      { questionId: 'F04', kind: 'remediation', text: '設問F04（再委託先に同等の安全管理措置を求めていますか。）について是正計画を提出し、期限までに対応すること', dueDate: null },
    ]);
  });

  test('an exception on a ○ does not remove the remediation', () => {
    const r = score(input(t, { answers: { ...yes, F04: 'no' }, review: { F04: { exception: EXCEPTION } } }));
    assert.deepEqual(r.remediations.map((g) => g.questionId), ['F04']);
    assert.equal(r.proposedConditions[0]?.kind, 'remediation');
  });

  test('a failed ◎ outranks remediations, exceptions and a low residual risk', () => {
    const r = score(input(t, { answers: { ...yes, F03: 'no', F04: 'no', Q001: 'no' }, review: { Q001: { exception: EXCEPTION } } }));
    assert.equal(r.recommendation.rule, 'failed_gate');
  });
});

describe('a ◎ that applies only from a date', () => {
  const t = template({ A: [{ id: 'H01', must: { level: '○', rules: [{ from: '2027-07-01', level: '◎' }] } }, { id: 'A01' }] });
  const cases: [date: string, level: string, result: RecommendationResult][] = [
    ['2027-06-30', '○', 'conditional'],
    ['2027-07-01', '◎', 'rejected'],
    ['2028-01-05', '◎', 'rejected'],
  ];
  for (const [date, level, result] of cases) {
    test(`issued ${date}: H01 is ${level}, a "no" gives ${result}`, () => {
      const r = score(input(t, { facts: facts({ date }), answers: { H01: 'no', A01: 'yes' } }));
      const h = r.questions.find((q) => q.id === 'H01');
      assert.equal(h?.must.level, level);
      assert.equal(h?.must.ruleIndex, level === '◎' ? 0 : null);
      assert.equal(r.recommendation.result, result);
      assert.equal(r.date, date);
    });
  }
  test('a ◎ raised by a condition on the facts', () => {
    // At rank 1 C01 stays △: a "no" is C 0, L4, and T1 × L4 = 4 is still approved; at rank 2 it is a gate.
    const c = template({ A: [{ id: 'C01', must: { level: '△', rules: [{ when: 'confidentiality.rank >= 2', level: '◎' }] } }] });
    assert.equal(score(input(c, { facts: facts({ confidentiality: { level: '1', rank: 1 } }), answers: { C01: 'no' } })).recommendation.rule, 'residual_low');
    assert.equal(score(input(c, { facts: facts({ confidentiality: { level: '2', rank: 2 } }), answers: { C01: 'no' } })).recommendation.rule, 'failed_gate');
  });
});

describe('follow-ups count only when triggered', () => {
  const t = template({
    A: [
      { id: 'P01', answer: { type: 'yes-no' }, weight: 2 },
      { id: 'P01a', answer: { type: 'text' }, must: '◎', followUp: { of: 'P01', when: 'answer.P01 == "yes"' } },
    ],
  });
  test('not triggered: not asked, no gate even though it has no answer', () => {
    const r = score(input(t, { answers: { P01: 'no' } }));
    assert.deepEqual(r.questions.map((q) => q.id), ['P01']);
    assert.deepEqual(r.notAsked.map((q) => [q.id, q.status]), [['P01a', 'excluded']]);
    assert.deepEqual(r.gates.failed, []);
  });
  test('a stale follow-up answer is ignored once its parent no longer triggers it', () => {
    const r = score(input(t, { answers: { P01: 'no', P01a: '手順あり' }, review: { P01a: { answer: 'rejected' } } }));
    assert.deepEqual(r.gates.failed, []);
  });
  test('parent unanswered: the follow-up waits (pending) and is not scored', () => {
    const r = score(input(t, { answers: {} }));
    assert.deepEqual(r.notAsked.map((q) => [q.id, q.status]), [['P01a', 'pending']]);
  });
  test('triggered: scored like any question, so an unaccepted ◎ follow-up is a failed gate', () => {
    assert.deepEqual(score(input(t, { answers: { P01: 'yes', P01a: '手順あり' } })).gates.failed.map((g) => g.questionId), ['P01a']);
    const ok = score(input(t, { answers: { P01: 'yes', P01a: '手順あり' }, review: { P01a: { answer: 'accepted' } } }));
    assert.deepEqual([ok.totals.sumWeights, ok.totals.controlScoreText, ok.recommendation.result], [3, '100.0', 'approved']);
  });
});

describe('every tier × likelihood cell', () => {
  // 20 weight-1 △ questions: yes count → C: 20 → 100 (L1), 15 → 75 (L2), 12 → 60 (L3), 5 → 25 (L4). △ never gates.
  const t = template({ A: many(20) });
  const yesFor: Record<Likelihood, number> = { 1: 20, 2: 15, 3: 12, 4: 5 };
  const expected: Record<Tier, RecommendationResult[]> = {
    1: ['approved', 'approved', 'approved', 'approved'],
    2: ['approved', 'approved', 'conditional', 'conditional'],
    3: ['approved', 'conditional', 'escalate', 'escalate'],
    4: ['approved', 'conditional', 'escalate', 'escalate'],
  };
  for (const tier of [1, 2, 3, 4] as Tier[]) {
    for (const l of [1, 2, 3, 4] as Likelihood[]) {
      const want = expected[tier][l - 1] as RecommendationResult;
      test(`T${tier} × L${l} = ${tier * l} → ${want}`, () => {
        const answers = Object.fromEntries(t.questions.map((q, i) => [q.id, i < yesFor[l] ? 'yes' : 'no']));
        const r = score(input(t, { tier, answers }));
        assert.equal(r.likelihood, l);
        assert.equal(r.tier, tier);
        assert.equal(r.residual, tier * l);
        assert.equal(r.recommendation.result, want);
        assert.match(r.recommendation.ja, new RegExp(`R = T${tier} × L${l} = ${tier * l}`));
      });
    }
  }
  test('a high residual with remediations escalates and still lists the conditions for the CISO', () => {
    const m = template({ A: [{ id: 'M01', must: '○' }, ...many(3)] });
    const r = score(input(m, { tier: 4, answers: { M01: 'no', Q001: 'yes', Q002: 'yes', Q003: 'no' } }));
    assert.deepEqual([r.likelihood, r.residual, r.recommendation.rule], [3, 12, 'residual_high']); // 2 of 4 at 1: C 50.0
    assert.deepEqual(r.proposedConditions.map((c) => c.questionId), ['M01']);
  });
});

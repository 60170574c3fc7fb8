import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type QuestionScore, type ReviewState, score } from '../../src/scoring/index.js';
import { choice, input, type Q, template } from '../fixtures/scoring/build.js';

/** Scores a one-question template (plus an always-yes anchor, so totals exist) and returns that question's row. */
function row(q: Omit<Q, 'id'>, answer: unknown, review: ReviewState = {}, evidenceCount = 0): QuestionScore {
  const t = template({ A: [{ ...q, id: 'X01' }, { id: 'Z99' }] });
  const r = score(input(t, { answers: { X01: answer as never, Z99: 'yes' }, review: { X01: review }, evidenceCount: { X01: evidenceCount } }));
  const found = r.questions.find((x) => x.id === 'X01');
  assert.ok(found, 'X01 applies');
  return found;
}

type Case = [name: string, answer: unknown, hundredths: number, code: string];

function table(q: Omit<Q, 'id'>, cases: Case[]): void {
  for (const [name, answer, h, code] of cases) {
    test(`${name} → ${h / 100} (${code})`, () => {
      const r = row(q, answer);
      assert.equal(r.pointsHundredths, h);
      assert.equal(r.points, h / 100);
      assert.equal(r.contributionHundredths, h * (q.weight ?? 1));
      assert.equal(r.reason.code, code);
      assert.equal(r.scorable, true);
    });
  }
}

describe('yes-no', () => {
  table({ weight: 3 }, [
    ['yes', 'yes', 100, 'answer'],
    ['partial', 'partial', 50, 'answer'],
    ['no', 'no', 0, 'answer'],
    ['unanswered', undefined, 0, 'unanswered'],
    ['blank string', '  ', 0, 'unanswered'],
    ['a value that is not an option', 'maybe', 0, 'invalid_answer'],
    ['a name from Object.prototype', 'constructor', 0, 'invalid_answer'],
  ]);
  table({ answer: { type: 'yes-no', partial: false } }, [['partial where partial is not offered', 'partial', 0, 'invalid_answer']]);
});

describe('single choice gets its option points', () => {
  table({ answer: choice({ full: 1, some: 0.35, none: 0 }), weight: 2 }, [
    ['full', 'full', 100, 'answer'],
    ['some', 'some', 35, 'answer'],
    ['none', 'none', 0, 'answer'],
    ['unknown option', 'other', 0, 'invalid_answer'],
    ['an array', ['full'], 0, 'invalid_answer'],
  ]);
});

describe('multiple choice gets min(1, sum of chosen points)', () => {
  table({ answer: { ...choice({ a: 0.4, b: 0.35, c: 0.5 }, 'multiple-choice'), notApplicable: true } }, [
    ['one option', ['a'], 40, 'answer'],
    ['two options', ['a', 'b'], 75, 'answer'],
    ['sum 1.25 capped at 1', ['a', 'b', 'c'], 100, 'answer'],
    ['the same option twice counts once', ['a', 'a'], 40, 'answer'],
    ['empty list', [], 0, 'unanswered'],
    ['an unknown option spoils the answer', ['a', 'zz'], 0, 'invalid_answer'],
    ['na mixed with options', ['na', 'a'], 0, 'invalid_answer'],
    ['na as a list, not yet accepted', ['na'], 0, 'na_pending'],
    ['a single string', 'a', 0, 'invalid_answer'],
  ]);
});

describe("number thresholds with bound 'max' (lower is better), bounds inclusive", () => {
  const answer = { type: 'number', unit: '時間', min: 0, max: 720, thresholds: [{ max: 24, points: 1 }, { max: 72, points: 0.5 }] };
  table({ answer }, [
    ['0', 0, 100, 'answer'],
    ['24 (on the first bound)', 24, 100, 'answer'],
    ['24.5', 24.5, 50, 'answer'],
    ['72 (on the second bound)', 72, 50, 'answer'],
    ['73 meets no threshold (otherwise defaults to 0)', 73, 0, 'answer'],
    ['720 (the range maximum)', 720, 0, 'answer'],
    ['721 outside the range', 721, 0, 'invalid_answer'],
    ['-1 outside the range', -1, 0, 'invalid_answer'],
    ['a numeric string', '24', 0, 'invalid_answer'],
  ]);
});

describe("number thresholds with bound 'min' (higher is better), bounds inclusive, otherwise from the template", () => {
  const answer = { type: 'number', unit: '%', min: 0, max: 100, thresholds: [{ min: 99.9, points: 1 }, { min: 99, points: 0.5 }], otherwise: 0.1 };
  table({ answer }, [
    ['100', 100, 100, 'answer'],
    ['99.9 (on the first bound)', 99.9, 100, 'answer'],
    ['99.89', 99.89, 50, 'answer'],
    ['99 (on the second bound)', 99, 50, 'answer'],
    ['98.99 gets otherwise', 98.99, 10, 'answer'],
  ]);
  table({ answer: { type: 'number', unit: '日', min: 0, max: 30, integer: true, thresholds: [{ max: 7, points: 1 }] } }, [
    ['7 on an integer question', 7, 100, 'answer'],
    ['1.5 on an integer question', 1.5, 0, 'invalid_answer'],
  ]);
});

describe('not applicable leaves the sums only when a reviewer accepted it', () => {
  const q = { answer: { type: 'yes-no', notApplicable: true }, weight: 2 as const };
  const t = template({ A: [{ ...q, id: 'X01' }, { id: 'Z99' }] });
  const cases: [string, ReviewState, boolean, string, string][] = [
    ['not reviewed', {}, true, 'na_pending', '33.3'],
    ['rejected', { notApplicable: 'rejected' }, true, 'na_rejected', '33.3'],
    ['accepted', { notApplicable: 'accepted' }, false, 'na_accepted', '100.0'],
  ];
  for (const [name, review, scorable, code, total] of cases) {
    test(`N/A ${name}: scorable ${scorable}, C ${total}`, () => {
      const r = score(input(t, { answers: { X01: 'na', Z99: 'yes' }, review: { X01: review } }));
      const x = r.questions.find((x) => x.id === 'X01');
      assert.equal(x?.scorable, scorable);
      assert.equal(x?.reason.code, code);
      assert.equal(x?.notApplicable, review.notApplicable ?? 'pending');
      assert.equal(x?.pointsHundredths, 0);
      // Z99 is weight 1 at 1; X01 (weight 2) at 0 while it counts: 100 × 1 / 3 = 33.3; left out: 100 × 1 / 1.
      assert.equal(r.totals.controlScoreText, total);
    });
  }
  test('N/A on a question that does not offer it counts as unanswered, even if a reviewer accepted it', () => {
    const r = row({}, 'na', { notApplicable: 'accepted' });
    assert.equal(r.scorable, true);
    assert.equal(r.reason.code, 'na_not_allowed');
    assert.equal(r.pointsHundredths, 0);
  });
});

describe('required evidence caps the points at 0.5 until a reviewer accepts it', () => {
  const q = { evidence: { level: 'required', what: '規程の写し' } };
  const cases: [string, unknown, ReviewState, number, number, boolean, RegExp][] = [
    ['yes, no evidence uploaded', 'yes', {}, 0, 50, true, /証跡が未提出/],
    ['yes, evidence not reviewed', 'yes', {}, 2, 50, true, /証跡が未承認/],
    ['yes, evidence rejected', 'yes', { evidence: 'rejected' }, 1, 50, true, /証跡が認められなかった/],
    ['yes, evidence accepted', 'yes', { evidence: 'accepted' }, 1, 100, false, /^回答「はい」: 1$/],
    ['partial is already at the cap', 'partial', {}, 0, 50, false, /^回答「一部」: 0.5$/],
    ['no stays 0', 'no', { evidence: 'accepted' }, 1, 0, false, /^回答「いいえ」: 0$/],
  ];
  for (const [name, answer, review, count, h, capped, why] of cases) {
    test(`${name} → ${h / 100}`, () => {
      const r = row(q, answer, review, count);
      assert.equal(r.pointsHundredths, h);
      assert.equal(r.evidence.required, true);
      assert.equal(r.evidence.capped, capped);
      assert.equal(r.evidence.count, count);
      assert.match(r.reason.ja, why);
    });
  }
  test('optional evidence never caps', () => assert.equal(row({ evidence: 'optional' }, 'yes').pointsHundredths, 100));
  test('evidence required only for some answers caps only those', () => {
    const e = { evidence: { level: 'required', when: 'answer.X01 == "yes"' }, answer: { ...choice({ yes: 1, own: 0.8 }) } };
    assert.equal(row(e, 'own').pointsHundredths, 80);
    assert.equal(row(e, 'own').evidence.required, false);
    assert.equal(row(e, 'yes').pointsHundredths, 50);
  });
});

describe('text, date and file score only at ◎ or ○: 1 when a reviewer accepted the answer, else 0', () => {
  const kinds: [string, Record<string, unknown>, unknown, number][] = [
    ['text', { type: 'text' }, '委託先管理規程に定める', 0],
    ['date', { type: 'date' }, '2026-04-01', 0],
    ['file', { type: 'file' }, undefined, 1],
    ['number without thresholds', { type: 'number', unit: '名', min: 0, max: 1000 }, 12, 0],
  ];
  for (const [kind, answer, value, count] of kinds) {
    test(`${kind} at △ is left out of the sums even when accepted`, () => {
      const r = row({ answer, must: '△' }, value, { answer: 'accepted' }, count);
      assert.equal(r.scorable, false);
      assert.equal(r.reason.code, 'not_scored');
      assert.equal(r.contributionHundredths, 0);
    });
    for (const level of ['○', '◎']) {
      test(`${kind} at ${level}: accepted 1, not reviewed 0, rejected 0`, () => {
        assert.equal(row({ answer, must: level }, value, { answer: 'accepted' }, count).pointsHundredths, 100);
        const pending = row({ answer, must: level }, value, {}, count);
        assert.deepEqual([pending.scorable, pending.pointsHundredths, pending.reason.code], [true, 0, 'review_pending']);
        assert.equal(row({ answer, must: level }, value, { answer: 'rejected' }, count).reason.code, 'review_rejected');
      });
    }
  }
  test('a file question without an uploaded file is unanswered whatever the review says', () => {
    const r = row({ answer: { type: 'file' }, must: '○' }, undefined, { answer: 'accepted' }, 0);
    assert.deepEqual([r.pointsHundredths, r.reason.code], [0, 'unanswered']);
  });
  test('an impossible date is not an answer a reviewer can accept', () => {
    const r = row({ answer: { type: 'date' }, must: '○' }, '2026-02-30', { answer: 'accepted' });
    assert.deepEqual([r.pointsHundredths, r.reason.code], [0, 'invalid_answer']);
  });
  test('a text longer than its maxLength is not an answer a reviewer can accept', () => {
    const r = row({ answer: { type: 'text', maxLength: 10 }, must: '○' }, 'あ'.repeat(11), { answer: 'accepted' });
    assert.deepEqual([r.pointsHundredths, r.reason.code], [0, 'invalid_answer']);
    assert.equal(row({ answer: { type: 'text', maxLength: 10 }, must: '○' }, 'あ'.repeat(10), { answer: 'accepted' }).pointsHundredths, 100);
  });
  test('an accepted text answer with required evidence still waits for the evidence', () => {
    const r = row({ answer: { type: 'text' }, must: '◎', evidence: 'required' }, '手順書あり', { answer: 'accepted' }, 1);
    assert.equal(r.pointsHundredths, 50);
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applicableQuestions, checkContent, shippedContentRoot, type Question, type SubjectFacts } from '../../src/questionnaires/index.js';
import { decidingQuestionIds, decidingQuestionIdsFor } from '../../src/assessments/respond.js';
import { internetSaas, myNumberSystemWork, plainOutsourcing, snsAccount, termsService } from '../fixtures/questionnaires/subjects.js';
import { facts as scoringFacts, template as fixtureTemplate } from '../fixtures/scoring/build.js';

const { templates } = checkContent([shippedContentRoot()]);

/** A small deterministic generator, so a failure can be replayed from its seed. */
function random(seed: number) {
  let x = seed >>> 0 || 1;
  return () => ((x = (x * 1103515245 + 12345) >>> 0), x / 2 ** 32);
}

function randomAnswer(q: Question, r: () => number): unknown {
  if (r() < 0.25) return undefined;
  if (q.answer.notApplicable && r() < 0.1) return 'na';
  const a = q.answer;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  switch (a.type) {
    case 'yes-no':
      return pick(a.partial === false ? ['yes', 'no'] : ['yes', 'partial', 'no']);
    case 'single-choice':
      return pick(a.options).id;
    case 'multiple-choice':
      return a.options.filter(() => r() < 0.5).map((o) => o.id);
    case 'number':
      return Math.round(a.min + r() * (a.max - a.min));
    case 'date':
      return pick(['2025-04-01', '2026-10-01', '2027-03-31']);
    case 'text':
      return 'テキスト';
    case 'file':
      return undefined;
  }
}

const SUBJECTS: SubjectFacts[] = [myNumberSystemWork(), plainOutsourcing(), internetSaas(1), internetSaas(2), internetSaas(3), termsService(), snsAccount()];

test('what decides one question is a subset of what decides any, and follows follow-ups to their parents', () => {
  for (const t of templates) {
    const all = new Set(decidingQuestionIds(t));
    for (const q of t.questions) {
      const mine = decidingQuestionIdsFor(t, q.id);
      for (const id of mine) assert.ok(all.has(id) || q.followUp?.of === id || t.questions.some((x) => x.followUp?.of === id), `${t.id} ${q.id}: ${id}`);
      if (q.followUp) assert.ok(mine.includes(q.followUp.of), `${t.id} ${q.id} reads its parent ${q.followUp.of}`);
    }
  }
});

test('a question is decided the same from its own deciding answers as from all answers (random answer sets)', () => {
  let compared = 0;
  for (const t of templates) {
    for (const [s, facts] of SUBJECTS.entries()) {
      for (let seed = 1; seed <= 40; seed++) {
        const r = random(seed * 7919 + s);
        const answers: Record<string, unknown> = {};
        for (const q of t.questions) {
          const v = randomAnswer(q, r);
          if (v !== undefined) answers[q.id] = v;
        }
        const full = applicableQuestions(t, facts, answers).questions;
        for (const q of t.questions) {
          const only = Object.fromEntries(decidingQuestionIdsFor(t, q.id).filter((id) => id in answers).map((id) => [id, answers[id]]));
          const partial = applicableQuestions(t, facts, only).questions.find((d) => d.id === q.id);
          assert.deepEqual(partial, full.find((d) => d.id === q.id), `${t.id} ${q.id}, subject ${s}, seed ${seed}`);
          compared++;
        }
      }
    }
  }
  assert.ok(compared > 10_000, `${compared} decisions compared`);
});

test('a chain: C1 reads B1, which applies only when A1 says so — saving C1 reads A1 too', () => {
  const t = fixtureTemplate({
    S: [
      { id: 'A1' },
      { id: 'B1', followUp: { of: 'A1', when: 'answer.A1 == "yes"' } },
      { id: 'C1', applies: 'answer.B1 == "yes"' },
      { id: 'D1' },
    ],
  });
  assert.deepEqual(decidingQuestionIdsFor(t, 'C1').sort(), ['A1', 'B1']);
  assert.deepEqual(decidingQuestionIdsFor(t, 'D1'), []);
  // With B answered but A now "no", B does not apply, so its answer does not count and C does not apply either.
  const f = scoringFacts();
  const all = { A1: 'no', B1: 'yes' };
  const only = Object.fromEntries(decidingQuestionIdsFor(t, 'C1').map((id) => [id, all[id as 'A1' | 'B1']]));
  const c = (answers: Record<string, unknown>) => applicableQuestions(t, f, answers).questions.find((d) => d.id === 'C1')!;
  assert.equal(c(all).applies, false);
  assert.deepEqual(c(only), c(all));
});

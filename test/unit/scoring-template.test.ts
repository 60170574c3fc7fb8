import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applicableQuestions, loadContent, type Question, shippedContentRoot, type Template } from '../../src/questionnaires/index.js';
import { inherentTier } from '../../src/risk/inherent-tier.js';
import { type AnswerValue, type ReviewState, score, type ScoringInput } from '../../src/scoring/index.js';
import { facts } from '../fixtures/scoring/build.js';

const { templates, problems } = loadContent([shippedContentRoot()]);
assert.deepEqual(problems, []);
const outsourcing = templates.find((t) => t.id === 'outsourcing') as Template;
assert.ok(outsourcing);

/** The best answer a question allows. */
function best(q: Question, date: string): AnswerValue | undefined {
  const a = q.answer;
  switch (a.type) {
    case 'yes-no':
      return 'yes';
    case 'single-choice':
      return [...a.options].sort((x, y) => y.points - x.points)[0]?.id;
    case 'multiple-choice':
      return a.options.filter((o) => o.points > 0).map((o) => o.id);
    case 'number':
      return a.thresholds[0]?.bound === 'min' ? a.max : a.min;
    case 'date':
      return date;
    case 'text':
      return '当社の規程に定め、運用しています。';
    case 'file':
      return undefined;
  }
}

/** A model vendor: every question that applies answered at its best, every answer and piece of evidence accepted. */
function perfect(t: Template, subject = mnSystemWork()): ScoringInput {
  const answers: Record<string, AnswerValue | undefined> = {};
  // Answers can switch follow-ups on, so answer until the set of applicable questions stops growing.
  for (let seen = -1; ; ) {
    const ids = applicableQuestions(t, subject, answers).applicable;
    if (ids.length === seen) break;
    seen = ids.length;
    for (const id of ids) answers[id] ??= best(t.questions.find((q) => q.id === id) as Question, subject.date);
  }
  const review: Record<string, ReviewState> = {};
  const evidenceCount: Record<string, number> = {};
  for (const q of t.questions) {
    review[q.id] = { answer: 'accepted', evidence: 'accepted' };
    evidenceCount[q.id] = 1;
  }
  return { template: t, facts: subject, tier: inherentTier(subject).tier, answers, review, evidenceCount };
}

/** Development and operation of a 住民記録 system in the My Number segment: the strictest outsourcing. */
const mnSystemWork = () =>
  facts({
    confidentiality: { level: '3B', rank: 3 },
    integrity: 2,
    availability: 2,
    personalData: true,
    myNumber: true,
    segment: 'mynumber',
    systemWork: true,
    workLocation: 'onsite',
    remoteAccess: true,
  });

test('a full 業務委託 questionnaire answered perfectly scores 100.0 and is approved at T4 × L1', () => {
  const stored = perfect(outsourcing);
  const r = score(stored);
  const applicable = applicableQuestions(outsourcing, stored.facts, stored.answers).applicable;
  assert.ok(applicable.length >= 40, `${applicable.length} questions apply`);
  assert.deepEqual(r.questions.map((q) => q.id), applicable);
  const scorable = r.questions.filter((q) => q.scorable);
  // Only △ text/date questions drop out, and they do so for that reason.
  for (const q of r.questions.filter((x) => !x.scorable)) assert.deepEqual([q.must.level, q.reason.code], ['△', 'not_scored']);
  assert.equal(r.totals.sumWeights, scorable.reduce((s, q) => s + q.weight, 0));
  assert.equal(r.totals.sumWeightedPointsHundredths, 100 * r.totals.sumWeights);
  assert.equal(r.totals.controlScoreText, '100.0');
  for (const s of r.sections) assert.ok(s.controlScoreText === '100.0' || s.controlScoreText === null, `section ${s.id}`);
  assert.deepEqual([r.tier, r.likelihood, r.residual], [4, 1, 4]);
  assert.deepEqual([r.recommendation.result, r.recommendation.rule], ['approved', 'residual_low']);
  assert.deepEqual(r.template, { id: 'outsourcing', version: 1, key: 'outsourcing@1', sha256: outsourcing.sha256 });
});

test('the same questionnaire with one ◎ answered "no" is rejected, with one ○ "no" conditional', () => {
  const stored = perfect(outsourcing);
  const first = score(stored);
  const knockout = first.questions.find((q) => q.must.level === '◎' && q.answerType === 'yes-no');
  const required = first.questions.find((q) => q.must.level === '○' && q.answerType === 'yes-no');
  assert.ok(knockout && required);

  const rejected = score({ ...stored, answers: { ...stored.answers, [knockout.id]: 'no' } });
  assert.deepEqual(rejected.gates.failed.map((g) => g.questionId), [knockout.id]);
  assert.equal(rejected.recommendation.result, 'rejected');

  const conditional = score({ ...stored, answers: { ...stored.answers, [required.id]: 'no' } });
  assert.equal(conditional.recommendation.result, 'conditional');
  assert.deepEqual(conditional.proposedConditions.map((c) => [c.questionId, c.kind, c.dueDate]), [[required.id, 'remediation', null]]);
  assert.match(conditional.proposedConditions[0]?.text ?? '', new RegExp(`^設問${required.id}（.+）について是正計画を提出し、期限までに対応すること$`));
});

test('without accepted evidence the evidence-required ◎ questions fail their gates', () => {
  const stored = perfect(outsourcing);
  const r = score({ ...stored, review: Object.fromEntries(Object.keys(stored.review).map((id) => [id, { answer: 'accepted' as const }])) });
  const capped = r.questions.filter((q) => q.evidence.capped);
  assert.ok(capped.length > 0);
  for (const q of capped) assert.equal(q.pointsHundredths, 50);
  assert.deepEqual(
    r.gates.failed.map((g) => g.questionId),
    capped.filter((q) => q.must.level === '◎').map((q) => q.id),
  );
  assert.equal(r.recommendation.result, 'rejected');
});

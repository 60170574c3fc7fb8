import { score, scoreWith, type ReviewState, type ScoreResult, type ScoringInput } from '../scoring/index.js';
import type { Assessment } from './assessment.model.js';
import { answersFor } from './answers.model.js';
import { evidenceOf } from './evidence.js';
import { reviewsOf } from './review.js';

/**
 * The scoring input of an assessment as it stands: the issued template, facts and tier, the current answers, and the
 * review verdicts that still apply (a verdict on an answer version or on files that have since changed is dropped, so
 * the question counts as not reviewed).
 */
export async function scoringInputOf(a: Assessment): Promise<ScoringInput> {
  const [answers, reviews, files] = await Promise.all([answersFor(a), reviewsOf(a), evidenceOf(a._id)]);
  const answerById = new Map(answers.map((x) => [x.questionId, x]));
  const evidenceCount: Record<string, number> = {};
  for (const f of files) evidenceCount[f.questionId] = (evidenceCount[f.questionId] ?? 0) + 1;
  const review: Record<string, ReviewState> = {};
  for (const r of reviews) {
    const answer = answerById.get(r.questionId);
    const state: ReviewState = {};
    const answerVersion = answer?.version ?? 0;
    if (r.answer && r.answer.answerVersion === answerVersion) state.answer = r.answer.verdict;
    if (r.notApplicable && answer && r.notApplicable.answerVersion === answerVersion) state.notApplicable = r.notApplicable.verdict;
    const current = files.filter((f) => f.questionId === r.questionId).map((f) => f._id).sort();
    if (r.evidence && JSON.stringify([...r.evidence.fileIds].sort()) === JSON.stringify(current)) state.evidence = r.evidence.verdict;
    if (r.exception) state.exception = { measure: r.exception.measure, expiresOn: r.exception.expiresOn, by: r.exception.by };
    review[r.questionId] = state;
  }
  const values: ScoringInput['answers'] = {};
  for (const x of answers) if (x.value !== null) values[x.questionId] = x.value;
  return { template: a.template, facts: a.facts, tier: a.tier.tier, answers: values, review, evidenceCount };
}

/** The score: the stored one of a decided assessment (re-scored with its own method to prove it), else the current one. */
export async function scoreOf(a: Assessment): Promise<ScoreResult> {
  const decided = a.decision as { score?: ScoreResult; input?: ScoringInput } | null;
  if (a.status === 'decided' && decided?.score && decided.input) return scoreWith(decided.score.method, decided.input);
  return score(await scoringInputOf(a));
}

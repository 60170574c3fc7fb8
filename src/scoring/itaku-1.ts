/**
 * Scoring method itaku-1 (requirements §8, issue 8): control score C, gates, likelihood, residual risk and a
 * recommendation, each part explained per question. Pure: the result depends on the input alone, so a stored input
 * re-scores to the stored result for as long as this version is kept unchanged. Any change to what it computes is a new
 * version beside this one, never an edit of it.
 */
import { isIsoDate, toWareki } from '../conditions/index.js';
import { applicableQuestions } from '../questionnaires/preview.js';
import type { Question } from '../questionnaires/template.js';
import { controlScoreTenths, hundredthsToPoints, tenthsToNumber, tenthsToText } from './arithmetic.js';
import { ScoringError } from './errors.js';
import { questionPoints } from './points.js';
import { gatesOf, likelihoodFromTenths, proposedConditions, recommend } from './recommend.js';
import type { GateException, QuestionScore, ScoreResult, ScoringInput, ScoringMethod, SectionScore } from './types.js';

export const ITAKU_1: Readonly<ScoringMethod> = Object.freeze({ name: 'itaku-1', version: 1 });

const own = <T>(record: Record<string, T | undefined>, key: string): T | undefined =>
  record !== null && typeof record === 'object' && Object.hasOwn(record, key) ? record[key] : undefined;

/** Stored data is checked rather than trusted: a malformed exception or tier would otherwise score silently wrong. */
function checkInput(input: ScoringInput): void {
  const bad = (what: string): never => {
    throw new ScoringError('invalid_scoring_input', `scoring input: ${what}`);
  };
  if (![1, 2, 3, 4].includes(input.tier)) bad(`tier must be 1–4, got ${String(input.tier)}`);
  if (!isIsoDate(input.facts?.date)) bad(`facts.date must be YYYY-MM-DD, got ${String(input.facts?.date)}`);
  for (const [id, count] of Object.entries(input.evidenceCount ?? {})) {
    if (count !== undefined && !(Number.isSafeInteger(count) && count >= 0)) bad(`evidenceCount.${id} must be a whole number ≥ 0`);
  }
  for (const [id, state] of Object.entries(input.review ?? {})) {
    const e = state?.exception;
    if (e === undefined) continue;
    if (typeof e.measure !== 'string' || e.measure.trim() === '') bad(`review.${id}.exception.measure is empty`);
    if (!isIsoDate(e.expiresOn)) bad(`review.${id}.exception.expiresOn must be YYYY-MM-DD`);
    if (typeof e.by !== 'string' || e.by.trim() === '') bad(`review.${id}.exception.by is empty`);
  }
}

function exceptionNote(e: GateException): { ja: string; en: string } {
  return {
    ja: `。例外承認あり（代替措置: ${e.measure.trim()}、期限 ${toWareki(e.expiresOn)}、記録者 ${e.by}）`,
    en: `; exception recorded (compensating measure: ${e.measure.trim()}, expires ${e.expiresOn}, by ${e.by})`,
  };
}

function sum(rows: QuestionScore[]): { sumWeights: number; sumWeightedPointsHundredths: number } {
  let w = 0;
  let s = 0;
  for (const q of rows) {
    if (!q.scorable) continue;
    w += q.weight;
    s += q.contributionHundredths;
  }
  return { sumWeights: w, sumWeightedPointsHundredths: s };
}

/**
 * Scores an assessment with itaku-1. Questions are those that apply to `facts` with the current answers (follow-ups
 * only when triggered); must levels stand on `facts.date`, the frozen issue date. Throws ScoringError
 * ('invalid_scoring_input') when the stored input is malformed.
 */
export function scoreItaku1(input: ScoringInput): ScoreResult {
  checkInput(input);
  const { template, facts, tier } = input;
  const preview = applicableQuestions(template, facts, input.answers);
  const byId = new Map<string, Question>(template.questions.map((q) => [q.id, q]));

  const questions: QuestionScore[] = [];
  const notAsked: ScoreResult['notAsked'] = [];
  for (const decision of preview.questions) {
    if (!decision.applies) {
      notAsked.push({ id: decision.id, section: decision.section, status: decision.status === 'pending' ? 'pending' : 'excluded', reason: decision.reason });
      continue;
    }
    const q = byId.get(decision.id) as Question;
    const value = own(input.answers, q.id);
    const review = own(input.review, q.id) ?? {};
    const p = questionPoints(q, decision, value, review, own(input.evidenceCount, q.id) ?? 0);
    const h = p.scorable ? p.twentieths * 5 : 0;
    const must = decision.must ?? { level: q.must.level, ruleIndex: null, reason: { ja: '基本の必須度', en: 'base level' } };
    questions.push({
      id: q.id,
      section: q.section,
      text: { ...q.text },
      answerType: q.answer.type,
      weight: q.weight,
      must: { level: must.level, ruleIndex: must.ruleIndex, reason: must.reason },
      answer: Array.isArray(value) ? [...value] : (value ?? null),
      notApplicable: p.notApplicable,
      evidence: p.evidence,
      scorable: p.scorable,
      points: hundredthsToPoints(h),
      pointsHundredths: h,
      contributionHundredths: q.weight * h,
      reason: p.reason,
      gate: null,
      remediation: false,
      exception: review.exception ? { ...review.exception } : null,
    });
  }

  const { gates, remediations } = gatesOf(questions);
  for (const q of questions) {
    if (q.gate === 'excepted' && q.exception) {
      const note = exceptionNote(q.exception);
      q.reason = { ...q.reason, ja: q.reason.ja + note.ja, en: q.reason.en + note.en };
    }
  }

  const sections: SectionScore[] = template.sections.map((s) => {
    const sums = sum(questions.filter((q) => q.section === s.id));
    const tenths = controlScoreTenths(sums.sumWeightedPointsHundredths, sums.sumWeights);
    return { id: s.id, title: s.title, ...sums, controlScore: tenthsToNumber(tenths), controlScoreText: tenthsToText(tenths) };
  });
  const totals = sum(questions);
  const tenths = controlScoreTenths(totals.sumWeightedPointsHundredths, totals.sumWeights);
  const likelihood = likelihoodFromTenths(tenths);
  const { residual, ...recommendation } = recommend(tier, likelihood, gates, remediations);

  return {
    method: { ...ITAKU_1 },
    template: { id: template.id, version: template.version, key: template.key, sha256: template.sha256 },
    date: facts.date,
    subject: preview.subject,
    questions,
    notAsked,
    sections,
    totals: { ...totals, controlScore: tenthsToNumber(tenths), controlScoreText: tenthsToText(tenths) },
    gates,
    remediations,
    likelihood,
    tier,
    residual,
    recommendation,
    proposedConditions: proposedConditions(questions, recommendation.result),
  };
}

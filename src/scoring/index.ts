/**
 * Scoring: pure, versioned methods that turn an assessment's answers and reviews into a control score, gates, residual
 * risk and a recommendation (requirements §8). Every result carries the method that made it; `scoreWith` re-runs that
 * exact method, so a stored result re-scores identically. No I/O, no database.
 */
import { ScoringError } from './errors.js';
import { ITAKU_1, scoreItaku1 } from './itaku-1.js';
import type { ScoreResult, ScoringInput, ScoringMethod } from './types.js';

/** The method new assessments are scored with. */
export const METHOD = ITAKU_1;

// Old versions stay here for as long as stored results name them; a method is never edited in place.
const METHODS: Readonly<Record<string, Readonly<Record<number, (input: ScoringInput) => ScoreResult>>>> = Object.freeze({
  'itaku-1': Object.freeze({ 1: scoreItaku1 }),
});

/** Scores with the current method (METHOD). */
export function score(input: ScoringInput): ScoreResult {
  return scoreWith(METHOD, input);
}

/**
 * Scores with a named method and version, e.g. the one stored with an old result. Throws ScoringError
 * ('unknown_scoring_method') for a name or version this code does not have, rather than falling back to another.
 */
export function scoreWith(method: ScoringMethod, input: ScoringInput): ScoreResult {
  const versions = typeof method?.name === 'string' && Object.hasOwn(METHODS, method.name) ? METHODS[method.name] : undefined;
  const fn = versions && Number.isInteger(method.version) && Object.hasOwn(versions, method.version) ? versions[method.version] : undefined;
  if (!fn) {
    throw new ScoringError('unknown_scoring_method', `unknown scoring method ${String(method?.name)} version ${String(method?.version)}`);
  }
  return fn(input);
}

/** Whether this code can score with a method (a stored result's method, say). */
export function isKnownMethod(method: ScoringMethod): boolean {
  const versions = Object.hasOwn(METHODS, method.name) ? METHODS[method.name] : undefined;
  return versions !== undefined && Object.hasOwn(versions, method.version);
}

export { ScoringError, type ScoringErrorCode } from './errors.js';
export { scoreItaku1 } from './itaku-1.js';
export { controlScoreTenths, tenthsToText } from './arithmetic.js';
export type {
  AnswerValue,
  EvidenceState,
  GateException,
  GateRef,
  NotAsked,
  ProposedCondition,
  QuestionScore,
  Reason,
  ReasonCode,
  RecommendationResult,
  RecommendationRule,
  ReviewState,
  ReviewVerdict,
  ScoreResult,
  ScoringInput,
  ScoringMethod,
  SectionScore,
} from './types.js';

/**
 * What the scoring method reads and writes. Both sides are plain JSON-able data: an assessment stores the input it was
 * scored on and the result, and re-scoring the stored input with the stored method must give the stored result.
 */
import type { SubjectFacts } from '../questionnaires/facts.js';
import type { LocalText, MustLevel, Template } from '../questionnaires/template.js';
import type { Likelihood, Tier } from '../risk/inherent-tier.js';

/**
 * yes-no: 'yes' | 'partial' | 'no' | 'na'; single choice: an option id or 'na'; multiple choice: option ids, or 'na'
 * (also ['na']); number; date 'YYYY-MM-DD' or 'na'; text or 'na'. A file question needs no value: it is answered when
 * evidence was uploaded for it (`evidenceCount`).
 */
export type AnswerValue = string | number | string[];

export type ReviewVerdict = 'accepted' | 'rejected';

/** A security officer's exception to a failed ◎ question, recorded during review. */
export interface GateException {
  /** The compensating measure (代替措置). */
  measure: string;
  /** YYYY-MM-DD; becomes the due date of the condition the exception turns into. */
  expiresOn: string;
  /** Who recorded it (a user id or name, as the assessment stores it). */
  by: string;
}

/** What reviewers decided about one question. Missing keys mean "not reviewed yet". */
export interface ReviewState {
  answer?: ReviewVerdict;
  notApplicable?: ReviewVerdict;
  evidence?: ReviewVerdict;
  exception?: GateException;
}

export interface ScoringInput {
  /** The template snapshot the assessment was issued with. */
  template: Template;
  /** The snapshot of the subject's facts; `facts.date` is the assessment's issue date in Asia/Tokyo, frozen. */
  facts: SubjectFacts;
  /** The inherent tier frozen on the assessment. */
  tier: Tier;
  answers: Record<string, AnswerValue | undefined>;
  review: Record<string, ReviewState | undefined>;
  evidenceCount: Record<string, number | undefined>;
}

export interface ScoringMethod {
  name: string;
  version: number;
}

export type ReasonCode =
  | 'answer'
  | 'unanswered'
  | 'invalid_answer'
  | 'na_accepted'
  | 'na_pending'
  | 'na_rejected'
  | 'na_not_allowed'
  | 'review_accepted'
  | 'review_pending'
  | 'review_rejected'
  | 'not_scored';

export interface Reason extends LocalText {
  code: ReasonCode;
  en: string;
}

export interface EvidenceState {
  /** Evidence is required for this question with the answer given (the template's `evidence.when` read it). */
  required: boolean;
  count: number;
  review: ReviewVerdict | 'pending';
  /** The points were capped at 0.5 because required evidence is not accepted. */
  capped: boolean;
}

export interface QuestionScore {
  id: string;
  section: string;
  /** Question text, for explaining the row and for condition sentences. */
  text: LocalText;
  answerType: Template['questions'][number]['answer']['type'];
  weight: 1 | 2 | 3;
  /** The must level as it stands on facts.date, and the rule that gave it (null: the base level). */
  must: { level: MustLevel; ruleIndex: number | null; reason: LocalText };
  /** The answer as given (null when none). */
  answer: AnswerValue | null;
  notApplicable: ReviewVerdict | 'pending' | null;
  evidence: EvidenceState;
  /** False when the question is left out of both sums (accepted N/A, or a △ text/date/file question). */
  scorable: boolean;
  /** p in [0, 1], a multiple of 0.05 (for display; pointsHundredths is the exact value). 0 when not scorable. */
  points: number;
  pointsHundredths: number;
  /** w × pointsHundredths; 0 when not scorable. */
  contributionHundredths: number;
  reason: Reason;
  gate: 'failed' | 'excepted' | null;
  remediation: boolean;
  exception: GateException | null;
}

export interface NotAsked {
  id: string;
  section: string;
  status: 'excluded' | 'pending';
  reason: LocalText;
}

export interface SectionScore {
  id: string;
  title: LocalText;
  sumWeights: number;
  sumWeightedPointsHundredths: number;
  /** C of the section, one decimal; null when nothing in it is scorable. */
  controlScore: number | null;
  controlScoreText: string | null;
}

export interface GateRef {
  questionId: string;
  level: MustLevel;
  pointsHundredths: number;
}

export type RecommendationResult = 'approved' | 'conditional' | 'rejected' | 'escalate';

export type RecommendationRule =
  | 'failed_gate'
  | 'nothing_scorable'
  | 'residual_low'
  | 'residual_low_with_conditions'
  | 'residual_moderate'
  | 'residual_high';

export interface ProposedCondition {
  questionId: string;
  kind: 'remediation' | 'exception';
  text: string;
  /** The exception's expiry; null for a remediation (the decision sets its date). */
  dueDate: string | null;
}

export interface ScoreResult {
  method: ScoringMethod;
  template: { id: string; version: number; key: string; sha256: string };
  /** The date must levels were evaluated on (facts.date). */
  date: string;
  subject: { matches: boolean; reason: LocalText };
  questions: QuestionScore[];
  notAsked: NotAsked[];
  sections: SectionScore[];
  totals: {
    sumWeights: number;
    sumWeightedPointsHundredths: number;
    controlScore: number | null;
    controlScoreText: string | null;
  };
  gates: { failed: GateRef[]; excepted: (GateRef & { exception: GateException })[] };
  remediations: GateRef[];
  likelihood: Likelihood | null;
  tier: Tier;
  residual: number | null;
  recommendation: { result: RecommendationResult; rule: RecommendationRule; ja: string; en: string };
  proposedConditions: ProposedCondition[];
}

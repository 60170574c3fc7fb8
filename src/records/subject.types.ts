/**
 * Shapes shared by the three subject kinds (engagements, cloud services, SNS accounts). Types only — the pure risk
 * functions import them without pulling in the database layer.
 */
import type { Versioned } from '../db/versioned.js';
import type { SubjectKind } from '../questionnaires/facts.js';
import type { Tier, TierReason } from '../risk/inherent-tier.js';
import type { NextReviewReason } from '../risk/next-review.js';
import type { Classification } from './classification.js';

export type { SubjectKind } from '../questionnaires/facts.js';

/** One kind of information the subject handles, with its classification (情報資産). */
export interface InformationAsset {
  name: string;
  confidentiality: Classification;
  integrity: 1 | 2;
  availability: 1 | 2;
  personalData: boolean;
  /** 特定個人情報; implies personalData. */
  myNumber: boolean;
}

/** A contract period: plain dates, both inclusive. */
export interface Period {
  start: string;
  end: string;
}

export type IncidentSeverity = 'low' | 'medium' | 'high' | 'critical';

export interface Incident {
  id: string;
  date: string;
  severity: IncidentSeverity;
  summary: string;
  recordedAt: Date;
  recordedBy: { kind: string; id: string; name: string | null };
}

export type DecisionResult = 'approved' | 'conditional' | 'rejected';

/** The latest assessment decision; owned by the scoring issue (null until it exists). */
export interface LastDecision {
  date: string;
  result: DecisionResult;
  openConditionDueDates: string[];
  assessmentId: string | null;
}

export interface TierOverride {
  tier: Tier;
  reason: string;
  by: { kind: string; id: string; name: string | null };
  at: Date;
  /** The computed tier the officer overrode; when the facts move the computed tier, the override lapses. */
  computedTier: Tier;
}

/** Dates of changes that call for a review (subcontractors, data locations), oldest first. */
export interface ReviewTriggers {
  subcontractorChanges: string[];
  dataLocationChanges: string[];
}

/**
 * Fields computed on every save (derive.ts) and stored, because lists filter and sort on them and FerretDB cannot
 * index or compute them in a query. Time- and people-dependent facts (dormancy, expiry relative to today, inactive
 * people) are not here: they are computed when read.
 */
export interface DerivedFields {
  /** Highest confidentiality of the information assets; null when none are recorded. */
  classification: Classification | null;
  computedTier: Tier;
  tierReasons: TierReason[];
  tierOverride: TierOverride | null;
  /** Effective tier: the override when there is one, else the computed tier. */
  tier: Tier;
  /** Codes of the warnings that depend on the record alone ('stored' in the warning catalogue). */
  warningCodes: string[];
  nextReviewDate: string;
  nextReviewReason: NextReviewReason;
  /** One Japanese sentence: why this date. */
  nextReviewText: string;
}

export interface SubjectBase extends Versioned, DerivedFields {
  kind: SubjectKind;
  departmentId: string;
  /** Tokyo date of registration: a record never decided is due for review on it. */
  registeredOn: string;
  incidents: Incident[];
  lastDecision: LastDecision | null;
  reviewTriggers: ReviewTriggers;
}

/**
 * Inherent risk of a subject before any control is looked at (requirements §8): the tier T 1–4 sets how deep the
 * questionnaire goes and how often the subject is reviewed. Every rule that fires is reported, not only the deciding
 * one, so a reviewer can see why a subject landed where it did and what would have to change to move it.
 */
import type { SubjectFacts } from '../questionnaires/facts.js';

export type Tier = 1 | 2 | 3 | 4;
export type Likelihood = 1 | 2 | 3 | 4;

/** 'r6': 自治体機密性 3A/3B/3C/2/1 (since 令和6年10月); 'legacy': the earlier 3/2/1, still used by many municipalities. */
export type ClassificationScheme = 'r6' | 'legacy';

export type TierReasonCode =
  | 'my_number'
  | 'segment_mynumber'
  | 'confidentiality_3ab'
  | 'critical_dependency'
  | 'confidentiality_3c'
  | 'confidentiality2_personal'
  | 'remote_access'
  | 'system_work_c2'
  | 'government_cloud'
  | 'sns_disaster'
  | 'confidentiality2'
  | 'integrity_availability2'
  | 'sns_account'
  | 'baseline';

export interface TierReason {
  code: TierReasonCode;
  tier: Tier;
  text: string;
}

export interface InherentTier {
  tier: Tier;
  reasons: TierReason[];
}

const LEVEL_RANK: Record<ClassificationScheme, Record<string, 1 | 2 | 3>> = {
  r6: { '3A': 3, '3B': 3, '3C': 3, '2': 2, '1': 1 },
  legacy: { '3': 3, '2': 2, '1': 1 },
};

interface Rule {
  code: TierReasonCode;
  tier: Tier;
  fires(f: SubjectFacts, scheme: ClassificationScheme): boolean;
  text(scheme: ClassificationScheme): string;
}

/** Under the old scheme, level 3 with personal data stands in for 3A/3B (residents' data), without it for 3C. */
function isConfidentiality3ab(f: SubjectFacts, scheme: ClassificationScheme): boolean {
  const level = f.confidentiality.level;
  return scheme === 'r6' ? level === '3A' || level === '3B' : level === '3' && f.personalData;
}

function isConfidentiality3c(f: SubjectFacts, scheme: ClassificationScheme): boolean {
  const level = f.confidentiality.level;
  return scheme === 'r6' ? level === '3C' : level === '3' && !f.personalData;
}

// Declaration order is the order reasons are listed within a tier; keep it stable, documents quote it.
const RULES: readonly Rule[] = [
  { code: 'my_number', tier: 4, fires: (f) => f.myNumber, text: () => '特定個人情報（マイナンバー）を取り扱うため。' },
  {
    code: 'segment_mynumber',
    tier: 4,
    fires: (f) => f.segment === 'mynumber',
    text: () => 'マイナンバー利用事務系で利用するため。',
  },
  {
    code: 'confidentiality_3ab',
    tier: 4,
    fires: isConfidentiality3ab,
    text: (s) => (s === 'r6' ? '機密性3A又は3Bの情報を取り扱うため。' : '個人情報を含む機密性3の情報を取り扱うため。'),
  },
  {
    code: 'critical_dependency',
    tier: 4,
    fires: (f) => f.criticalDependency,
    text: () => '停止できない業務を単独で担う委託先・サービスであるため。',
  },
  {
    code: 'confidentiality_3c',
    tier: 3,
    fires: isConfidentiality3c,
    text: (s) => (s === 'r6' ? '機密性3Cの情報を取り扱うため。' : '機密性3の情報（個人情報を含まない）を取り扱うため。'),
  },
  {
    code: 'confidentiality2_personal',
    tier: 3,
    fires: (f) => f.confidentiality.rank === 2 && f.personalData,
    text: () => '個人情報を含む機密性2の情報を取り扱うため。',
  },
  {
    code: 'remote_access',
    tier: 3,
    fires: (f) => f.remoteAccess,
    text: () => '庁内ネットワークへのリモートアクセス又は管理者アクセスがあるため。',
  },
  {
    code: 'system_work_c2',
    tier: 3,
    fires: (f) => f.systemWork && f.confidentiality.rank >= 2,
    text: () => '機密性2以上の情報を扱うシステムの開発又は運用を行うため。',
  },
  {
    code: 'government_cloud',
    tier: 3,
    fires: (f) => f.segment === 'government_cloud',
    text: () => 'ガバメントクラウドで利用するため。',
  },
  {
    code: 'sns_disaster',
    tier: 3,
    fires: (f) => f.kind === 'snsAccount' && f.disasterInformation,
    text: () => '災害情報の発信に利用するソーシャルメディアのアカウントであるため。',
  },
  {
    code: 'confidentiality2',
    tier: 2,
    fires: (f) => f.confidentiality.rank === 2,
    text: () => '機密性2の情報を取り扱うため。',
  },
  {
    code: 'integrity_availability2',
    tier: 2,
    fires: (f) => f.integrity === 2 || f.availability === 2,
    text: () => '完全性2又は可用性2の情報を取り扱うため。',
  },
  {
    code: 'sns_account',
    tier: 2,
    fires: (f) => f.kind === 'snsAccount',
    text: () => 'ソーシャルメディアのアカウントであるため。',
  },
];

const BASELINE: TierReason = Object.freeze({
  code: 'baseline',
  tier: 1,
  text: 'より高い区分に当たる事実がないため。',
});

/**
 * A level the scheme does not know, or a rank that disagrees with the level, is refused rather than guessed: reading
 * an unknown '3B' under the legacy scheme as "no level-3 rule fired" would quietly under-rate the subject.
 */
function assertClassification(f: SubjectFacts, scheme: ClassificationScheme): void {
  const { level, rank } = f.confidentiality;
  const expected = Object.hasOwn(LEVEL_RANK[scheme], level) ? LEVEL_RANK[scheme][level] : undefined;
  if (expected === undefined) {
    throw new RangeError(`confidentiality level ${JSON.stringify(level)} is not part of the '${scheme}' scheme`);
  }
  if (expected !== rank) throw new RangeError(`confidentiality level ${level} has rank ${expected}, facts say ${rank}`);
}

/**
 * The inherent tier: the highest tier any rule gives, with every rule that fired, highest tier first. T1 ('baseline')
 * is reported only when nothing else fired. Throws RangeError when the confidentiality level does not fit the scheme.
 */
export function inherentTier(facts: SubjectFacts, scheme: ClassificationScheme = 'r6'): InherentTier {
  assertClassification(facts, scheme);
  const reasons: TierReason[] = RULES.filter((rule) => rule.fires(facts, scheme))
    .map((rule) => ({ code: rule.code, tier: rule.tier, text: rule.text(scheme) }))
    .sort((a, b) => b.tier - a.tier); // Array.prototype.sort is stable: declaration order holds within a tier.
  if (reasons.length === 0) return { tier: 1, reasons: [{ ...BASELINE }] };
  return { tier: reasons[0]!.tier, reasons };
}

/**
 * Months between routine reviews (requirements §8): T4 and T3 yearly, T2 every two years. T1 has no fixed cycle —
 * null means "at contract renewal or end, or 36 months where there is no contract"; the caller knows which applies.
 */
export function reviewIntervalMonths(tier: Tier): 12 | 24 | null {
  assertTier(tier, 'tier');
  return tier >= 3 ? 12 : tier === 2 ? 24 : null;
}

/** Months after which a T1 subject without a contract end is reviewed anyway. */
export const T1_REVIEW_WITHOUT_CONTRACT_MONTHS = 36;

/**
 * Likelihood L from the control score C (0–100): the better the controls, the less likely a breach. Bands are closed
 * below (85 → 1, 84.99 → 2). A null C (nothing scorable) has no likelihood; callers must decide that case, not this.
 */
export function likelihoodFromScore(c: number): Likelihood {
  if (typeof c !== 'number' || Number.isNaN(c) || c < 0 || c > 100) {
    throw new RangeError(`control score must be a number from 0 to 100, got ${c}`);
  }
  if (c >= 85) return 1;
  if (c >= 70) return 2;
  if (c >= 50) return 3;
  return 4;
}

export type ResidualBand = 'approved' | 'conditional' | 'escalate';

export interface ResidualRisk {
  /** R = T × L, 1–16. */
  value: number;
  /** ≤4 承認可, 6–8 条件付き, ≥9 要エスカレーション／不可. (5 and 7 cannot occur as products of 1–4.) */
  band: ResidualBand;
}

/** Residual risk R = T × L and the recommendation band it falls in (requirements §8). */
export function residualRisk(t: Tier, l: Likelihood): ResidualRisk {
  assertTier(t, 'tier');
  assertTier(l, 'likelihood');
  const value = t * l;
  return { value, band: value <= 4 ? 'approved' : value <= 8 ? 'conditional' : 'escalate' };
}

function assertTier(n: number, what: string): void {
  if (n !== 1 && n !== 2 && n !== 3 && n !== 4) throw new RangeError(`${what} must be 1, 2, 3 or 4, got ${n}`);
}

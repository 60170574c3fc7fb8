/**
 * Recomputes a record's stored, derived fields (DerivedFields) from its own fields: classification, tier with reasons,
 * stored warnings, review triggers and the next review date. Pure; every save path calls it, so what lists filter on
 * can never disagree with what the record says.
 */
import { factsOf } from '../risk/facts-of.js';
import { inherentTier, type ClassificationScheme } from '../risk/inherent-tier.js';
import { nextReview } from '../risk/next-review.js';
import { storedWarnings } from '../risk/warnings.js';
import { canonicalJson } from '../audit/canonical.js';
import { highest } from './classification.js';
import { contractEndOf, type SubjectDraft } from './subject.js';
import type { ReviewTriggers } from './subject.types.js';

export interface DeriveContext {
  scheme: ClassificationScheme;
  /** Tokyo date of the save: change triggers are dated with it. */
  today: string;
  /** validUntil of the certifications of the record's vendor (engagement: the contractor; service: the provider). */
  certificateExpiryDates: readonly string[];
}

const MAX_TRIGGERS = 50;

function subcontractorShape(r: SubjectDraft): string | null {
  if (r.kind !== 'engagement') return null;
  // Approval is the answer to a change, not a change: only who does what, where, with which data counts.
  const rows = r.subcontractors.map((s) => [s.vendorId ?? '', s.name, s.location, s.scope, s.dataHandled].join('\u0001')).sort();
  return canonicalJson(rows);
}

function locationShape(r: SubjectDraft): string | null {
  if (r.kind !== 'cloudService') return null;
  const { data, backups, logs } = r.dataLocations;
  return canonicalJson([[...data].sort(), [...backups].sort(), [...logs].sort()]);
}

function triggers(next: SubjectDraft, previous: SubjectDraft | null, today: string): ReviewTriggers {
  const t: ReviewTriggers = {
    subcontractorChanges: [...(previous?.reviewTriggers?.subcontractorChanges ?? [])],
    dataLocationChanges: [...(previous?.reviewTriggers?.dataLocationChanges ?? [])],
  };
  if (previous) {
    const add = (list: string[]) => {
      if (list.at(-1) !== today) list.push(today);
      list.splice(0, Math.max(0, list.length - MAX_TRIGGERS));
    };
    if (subcontractorShape(previous) !== subcontractorShape(next)) add(t.subcontractorChanges);
    if (locationShape(previous) !== locationShape(next)) add(t.dataLocationChanges);
  }
  return t;
}

/**
 * The record with its derived fields recomputed. `previous` is the stored state before this save (null on create).
 * An officer's tier override survives only while the computed tier is the one it overrode: when the facts move the
 * computed tier, the judgement no longer applies and the override lapses (recorded in the tier history).
 * Throws RangeError when a confidentiality level is not in `scheme` (callers validate input first).
 */
export function derive<T extends SubjectDraft>(draft: T, previous: SubjectDraft | null, ctx: DeriveContext): T {
  const classification = draft.kind === 'snsAccount' ? null : highest(draft.informationAssets.map((a) => a.confidentiality));
  const withFacts = { ...draft, classification, reviewTriggers: triggers(draft, previous, ctx.today) } as T;
  const computed = inherentTier(factsOf(withFacts, ctx.today), ctx.scheme);
  const override = withFacts.tierOverride && withFacts.tierOverride.computedTier === computed.tier ? withFacts.tierOverride : null;
  const tier = override?.tier ?? computed.tier;
  const review = nextReview({
    tier,
    registeredOn: withFacts.registeredOn,
    contractEnd: contractEndOf(withFacts),
    lastDecision: withFacts.lastDecision,
    incidentDates: withFacts.incidents.map((i) => i.date),
    subcontractorChangeDates: withFacts.reviewTriggers.subcontractorChanges,
    dataLocationChangeDates: withFacts.reviewTriggers.dataLocationChanges,
    certificateExpiryDates: ctx.certificateExpiryDates,
    ismapExpiryDates: withFacts.kind === 'cloudService' && withFacts.ismap ? [withFacts.ismap.validUntil] : [],
  });
  const result = {
    ...withFacts,
    computedTier: computed.tier,
    tierReasons: computed.reasons,
    tierOverride: override,
    tier,
    nextReviewDate: review.date,
    nextReviewReason: review.reason,
    nextReviewText: review.text,
  } as T;
  result.warningCodes = storedWarnings(result).map((w) => w.code);
  return result;
}

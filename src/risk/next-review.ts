/**
 * When a subject is next due for review (requirements §8): the earliest of the routine date set by the tier and the
 * events that call for an earlier look. Pure; the scoring issue supplies `lastDecision` once decisions exist.
 */
import { addMonths, compareDates } from '../shared/dates.js';
import { toWareki } from '../shared/wareki.js';
import { reviewIntervalMonths, T1_REVIEW_WITHOUT_CONTRACT_MONTHS, type Tier } from './inherent-tier.js';

export type NextReviewReason =
  | 'never_decided'
  | 'interval'
  | 'contract_end'
  | 'no_contract_interval'
  | 'incident'
  | 'subcontractor_change'
  | 'data_location_change'
  | 'certificate_expiry'
  | 'ismap_expiry'
  | 'condition_due';

export interface NextReviewInput {
  /** Effective tier (an officer's override counts). */
  tier: Tier;
  registeredOn: string;
  /** End of the contract period; null when there is none (SNS accounts, services without a period). */
  contractEnd: string | null;
  lastDecision: { date: string; result: 'approved' | 'conditional' | 'rejected'; openConditionDueDates: readonly string[] } | null;
  incidentDates?: readonly string[];
  subcontractorChangeDates?: readonly string[];
  dataLocationChangeDates?: readonly string[];
  /** validUntil of the vendor's certifications (ISMS, Pマーク, …). */
  certificateExpiryDates?: readonly string[];
  /** validUntil of the service's ISMAP / ISMAP-LIU registration. */
  ismapExpiryDates?: readonly string[];
}

export interface NextReview {
  date: string;
  reason: NextReviewReason;
  /** One Japanese sentence saying why this date. */
  text: string;
}

const EVENT_TEXT: Record<'incident' | 'subcontractor_change' | 'data_location_change' | 'certificate_expiry' | 'ismap_expiry' | 'condition_due', (d: string) => string> = {
  incident: (d) => `${toWareki(d)}にインシデントが発生したため、見直しが必要です。`,
  subcontractor_change: (d) => `${toWareki(d)}に再委託先が変更されたため、見直しが必要です。`,
  data_location_change: (d) => `${toWareki(d)}にデータの保存場所が変更されたため、見直しが必要です。`,
  certificate_expiry: (d) => `事業者の認証の有効期限（${toWareki(d)}）を迎えるため、見直しが必要です。`,
  ismap_expiry: (d) => `ISMAP登録の有効期限（${toWareki(d)}）を迎えるため、見直しが必要です。`,
  condition_due: (d) => `条件付き承認の条件の期限（${toWareki(d)}）を迎えるため、見直しが必要です。`,
};

/**
 * The next review date and why.
 *
 * - Never decided: due on the registration date (events cannot make it later, and earlier makes no sense).
 * - Decided: decision date + 12 months (T3, T4) or 24 months (T2); T1 at the contract end, or decision + 36 months
 *   without a contract.
 * - Events strictly after the decision date pull the date forward: incidents, subcontractor and data-location
 *   changes, certificate and ISMAP expiries. Events on or before the decision are taken as covered by it.
 * - A `conditional` decision is also due at the earliest due date of its open conditions.
 * On equal dates the routine reason is reported first, then events in the order above.
 */
export function nextReview(input: NextReviewInput): NextReview {
  const decision = input.lastDecision;
  if (!decision) {
    return { date: input.registeredOn, reason: 'never_decided', text: '登録後、まだ評価・判定が行われていないため、見直しが必要です。' };
  }
  const months = reviewIntervalMonths(input.tier);
  const candidates: NextReview[] = [];
  if (months !== null) {
    candidates.push({ date: addMonths(decision.date, months), reason: 'interval', text: `前回の判定（${toWareki(decision.date)}）から${months}か月の定期見直しです。` });
  } else if (input.contractEnd) {
    candidates.push({ date: input.contractEnd, reason: 'contract_end', text: `契約期間の満了（${toWareki(input.contractEnd)}）に合わせて見直します。` });
  } else {
    candidates.push({
      date: addMonths(decision.date, T1_REVIEW_WITHOUT_CONTRACT_MONTHS),
      reason: 'no_contract_interval',
      text: `契約期間の定めがないため、前回の判定（${toWareki(decision.date)}）から${T1_REVIEW_WITHOUT_CONTRACT_MONTHS}か月で見直します。`,
    });
  }
  const after = (dates: readonly string[] | undefined) => (dates ?? []).filter((d) => compareDates(d, decision.date) > 0);
  const events: [keyof typeof EVENT_TEXT, readonly string[]][] = [
    ['incident', after(input.incidentDates)],
    ['subcontractor_change', after(input.subcontractorChangeDates)],
    ['data_location_change', after(input.dataLocationChangeDates)],
    ['certificate_expiry', after(input.certificateExpiryDates)],
    ['ismap_expiry', after(input.ismapExpiryDates)],
    ['condition_due', decision.result === 'conditional' ? decision.openConditionDueDates : []],
  ];
  for (const [reason, dates] of events) {
    const first = [...dates].sort(compareDates)[0];
    if (first) candidates.push({ date: first, reason, text: EVENT_TEXT[reason](first) });
  }
  return candidates.reduce((best, c) => (compareDates(c.date, best.date) < 0 ? c : best));
}

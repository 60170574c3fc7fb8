/** How the console shows dates, tiers, statuses and people: Japanese first, 和暦 where people read dates. */
import { html, type Html } from '../html.js';
import { toWareki } from '../../shared/wareki.js';
import { isPlainDate, toTokyoDate } from '../../shared/dates.js';
import { ROLE_LABELS, type Role } from '../../auth/roles.js';
// The words for stored codes are the documents' own, so a page and a register never name a code differently.
export { CONDITION_STATUS_LABELS, CONTRACT_TYPE_LABELS, PLACEMENT_LABELS, RESULT_LABELS, SEGMENT_LABELS, SERVICE_MODEL_LABELS } from '../../documents/labels.js';

/** 「令和8年4月1日」 for a plain date; the text itself when it is not one; 「—」 for none. */
export function wareki(date: string | null | undefined): string {
  if (!date) return '—';
  if (!isPlainDate(date)) return date;
  try {
    return toWareki(date);
  } catch {
    return date;
  }
}

/** A date people read, with the ISO date for machines (and tests) in a <time> element. */
export function dateCell(date: string | null | undefined): Html {
  if (!date) return html`—`;
  return html`<time datetime="${date}">${wareki(date)}</time>`;
}

/** A timestamp in Tokyo time: 「令和8年4月1日 09:30」. */
export function dateTime(value: Date | string | null | undefined): Html {
  if (!value) return html`—`;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return html`—`;
  const day = toTokyoDate(d);
  const time = new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit', hour12: false }).format(d);
  return html`<time datetime="${d.toISOString()}">${wareki(day)} ${time}</time>`;
}

export const TIER_TEXT: Record<number, string> = { 1: '低', 2: '中', 3: '高', 4: '最高' };

export function tierBadge(tier: number | null | undefined): Html {
  if (!tier) return html`<span class="tier">—</span>`;
  return html`<span class="tier tier-${tier}" title="固有リスク区分 T${tier}（${TIER_TEXT[tier] ?? ''}）">T${tier}</span>`;
}

export const SUBJECT_STATUS_LABELS: Record<string, string> = { upcoming: '契約前', active: '利用中', ended: '終了', dormant: '休眠' };

export function rolesText(roles: readonly Role[]): string {
  return roles.map((r) => ROLE_LABELS[r] ?? r).join('、');
}

export function yesNo(v: boolean | null | undefined): string {
  return v ? 'はい' : 'いいえ';
}

export const WORK_LOCATION_LABELS: Record<string, string> = { onsite: '庁内', vendor_site: '事業者の拠点', remote: 'リモート' };
export const SEVERITY_LABELS: Record<string, string> = { low: '軽微', medium: '中', high: '重大', critical: '緊急' };

/** Options for a <select> from a label table. */
export function optionsOf(labels: Record<string, string>): { value: string; label: string }[] {
  return Object.entries(labels).map(([value, label]) => ({ value, label }));
}

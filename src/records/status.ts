import { compareDates } from '../shared/dates.js';
import { dormancy } from '../risk/warnings.js';
import { contractEndOf, contractStartOf, type SubjectDraft } from './subject.js';

export type SubjectStatus = 'upcoming' | 'active' | 'ended' | 'dormant';

/**
 * Where a record stands today: engagements and services by their contract period (a service without one is active),
 * SNS accounts active or dormant. Computed when read; archived records are counted apart by their callers.
 */
export function statusOf(r: SubjectDraft, today: string, dormancyDays: number): SubjectStatus {
  if (r.kind === 'snsAccount') return dormancy(r, today, dormancyDays).dormant ? 'dormant' : 'active';
  const start = contractStartOf(r);
  const end = contractEndOf(r);
  if (start && compareDates(today, start) < 0) return 'upcoming';
  if (end && compareDates(today, end) > 0) return 'ended';
  return 'active';
}

/** Plain calendar dates (`YYYY-MM-DD`) in conditions: the shared helpers, wrapped so nothing here can throw. */
import { isPlainDate } from '../shared/dates.js';
import { toWareki as sharedToWareki } from '../shared/wareki.js';

/** True for a real calendar date in `YYYY-MM-DD` form (2027-02-30 is false). */
export function isIsoDate(text: unknown): text is string {
  return isPlainDate(text);
}

/** `2027-07-01` → `令和9年7月1日`; a date the era table cannot show stays as it is. */
export function toWareki(iso: string): string {
  try {
    return sharedToWareki(iso);
  } catch {
    return iso;
  }
}

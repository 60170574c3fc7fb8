import { addDays, addMonths } from '../shared/dates.js';
import { fiscalYear } from '../shared/wareki.js';

/** Dates of the demo, relative to the day it is loaded, so due dates, expiries and dormancy always show. */
export function demoDates(today: string) {
  const fy = fiscalYear(today);
  return {
    today,
    day: (n: number) => addDays(today, n),
    month: (n: number) => addMonths(today, n),
    /** This fiscal year (April–March), the previous one, and a three-year term ending with this one. */
    fy: { start: fy.start, end: fy.end },
    lastFy: { start: addMonths(fy.start, -12), end: addMonths(fy.end, -12) },
    threeYears: { start: addMonths(fy.start, -24), end: fy.end },
  };
}
export type DemoDates = ReturnType<typeof demoDates>;

/** Extra state a demo record is loaded with (what the API cannot set: history before today). */
export interface DemoExtras {
  registeredOn?: string;
  lastDecision?: { date: string; result: 'approved' | 'conditional' | 'rejected'; openConditionDueDates: string[] };
  incidents?: { date: string; severity: 'low' | 'medium' | 'high' | 'critical'; summary: string }[];
  override?: { tier: 1 | 2 | 3 | 4; reason: string };
}

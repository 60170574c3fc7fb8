/**
 * Plain calendar dates (`YYYY-MM-DD`) and "today" in Asia/Tokyo.
 *
 * Contract periods, due dates and expiry dates are days on the municipality's calendar, not instants: they are kept
 * as strings and computed with integer arithmetic, never through a local-time `Date`, so a server running in UTC (or
 * anywhere else) gets the same answers as one in Japan.
 */

const PLAIN_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/**
 * Japan has observed no daylight saving time since 1951 and is UTC+9 today, but that is a fact about the tz database,
 * not something this code should re-derive: Intl reads the zone rules, so a future change arrives with Node's ICU data.
 * formatToParts with the Gregorian calendar and Latin digits keeps the output independent of locale formatting habits.
 */
const TOKYO = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Asia/Tokyo',
  calendar: 'gregory',
  numberingSystem: 'latn',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

export interface DateParts {
  year: number;
  month: number;
  day: number;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days in a month of the proleptic Gregorian calendar (month 1–12). */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function format({ year, month, day }: DateParts): string {
  if (year < 1 || year > 9999) throw new RangeError(`date out of range (years 0001–9999): year ${year}`);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

function partsOrNull(s: unknown): DateParts | null {
  if (typeof s !== 'string') return null;
  const m = PLAIN_DATE.exec(s);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

/**
 * Strict check for a stored or submitted plain date: exactly `YYYY-MM-DD`, year 0001–9999, and a day that exists
 * (2026-02-30 and 2025-02-29 are refused). `Date.parse` is not used because it accepts and silently rolls over both.
 */
export function isPlainDate(s: unknown): s is string {
  return partsOrNull(s) !== null;
}

/** Splits a plain date into numbers, throwing a RangeError for anything `isPlainDate` refuses. */
export function parsePlainDate(s: string): DateParts {
  const parts = partsOrNull(s);
  if (!parts) throw new RangeError(`not a valid YYYY-MM-DD date: ${JSON.stringify(s)}`);
  return parts;
}

/** The calendar day in Tokyo at the instant `d`; every date shown to people and every "today" uses this zone. */
export function toTokyoDate(d: Date): string {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new RangeError('invalid Date');
  let year = 0;
  let month = 0;
  let day = 0;
  for (const part of TOKYO.formatToParts(d)) {
    if (part.type === 'year') year = Number(part.value);
    else if (part.type === 'month') month = Number(part.value);
    else if (part.type === 'day') day = Number(part.value);
  }
  return format({ year, month, day });
}

/** "Today" for due dates and review schedules; `now` is injectable so tests and batch runs can fix the clock. */
export function todayInTokyo(now: Date = new Date()): string {
  return toTokyoDate(now);
}

function toEpochDay(s: string): number {
  const { year, month, day } = parsePlainDate(s);
  // Date.UTC would read years 0–99 as 1900–1999; setUTCFullYear takes the year as given.
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return d.getTime() / MS_PER_DAY;
}

function fromEpochDay(epochDay: number): string {
  const d = new Date(epochDay * MS_PER_DAY);
  if (Number.isNaN(d.getTime())) throw new RangeError('date out of range');
  return format({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
}

function requireInteger(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} must be an integer, got ${n}`);
}

/**
 * Review dates and contract terms move by calendar months. A day that does not exist in the target month is clamped to
 * its last day (2026-01-31 + 1 → 2026-02-28), which is how a "12-month" review of a 31st-of-month decision is read:
 * never spilling into the following month.
 */
export function addMonths(date: string, n: number): string {
  requireInteger(n, 'months');
  const { year, month, day } = parsePlainDate(date);
  const index = year * 12 + (month - 1) + n;
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  return format({ year: y, month: m, day: Math.min(day, daysInMonth(y, m)) });
}

/** Whole-day offsets (reminders, grace periods); negative n moves back. */
export function addDays(date: string, n: number): string {
  requireInteger(n, 'days');
  return fromEpochDay(toEpochDay(date) + n);
}

/** Signed number of days from `a` to `b`: positive when `b` is later, so "days left" is `daysBetween(today, due)`. */
export function daysBetween(a: string, b: string): number {
  return toEpochDay(b) - toEpochDay(a);
}

/** A sort comparator (−1, 0, 1) that refuses malformed input instead of ordering it somewhere arbitrary. */
export function compareDates(a: string, b: string): -1 | 0 | 1 {
  parsePlainDate(a);
  parsePlainDate(b);
  // Fixed-width, zero-padded ISO dates order correctly as strings.
  return a < b ? -1 : a > b ? 1 : 0;
}

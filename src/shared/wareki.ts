/**
 * 和暦 for documents (annexes, registers, reports): municipal paperwork dates in the Japanese era calendar.
 *
 * The era table is written out here rather than taken from Intl's `ja-JP-u-ca-japanese`: ICU prints 「令和1年」 where a
 * document needs 「令和元年」, and its era boundaries are a data dependency we would have to trust blindly. The tests
 * cross-check this table against ICU for every boundary day instead.
 */
import { parsePlainDate, type DateParts } from './dates.js';

export interface Era {
  name: string;
  /** First day of the era, YYYY-MM-DD (Gregorian). */
  start: string;
}

/**
 * Start days as proclaimed: 大正 began on 1912-07-30, 昭和 on 1926-12-25 (both the day the previous emperor died, so
 * that day already belongs to the new era), 平成 on 1989-01-08 (1989-01-07 is 昭和64年), 令和 on 2019-05-01.
 * 明治 is listed from 1873-01-01 because Japan adopted the Gregorian calendar on 明治6年1月1日: earlier dates were
 * written in the lunisolar calendar, so a Gregorian day before then has no faithful 明治 month and day.
 */
export const ERAS: readonly Readonly<Era>[] = Object.freeze(
  [
    { name: '明治', start: '1873-01-01' },
    { name: '大正', start: '1912-07-30' },
    { name: '昭和', start: '1926-12-25' },
    { name: '平成', start: '1989-01-08' },
    { name: '令和', start: '2019-05-01' },
  ].map((era) => Object.freeze(era)),
);

/** First Gregorian year of each era's 元年 (明治元年 is 1868 although the table above starts in 1873). */
const FIRST_YEAR: Record<string, number> = { 明治: 1868, 大正: 1912, 昭和: 1926, 平成: 1989, 令和: 2019 };

export interface WarekiOptions {
  /** 全角 digits (令和８年４月１日), as many municipal templates print them; half-width when false or absent. */
  fullWidth?: boolean;
}

/**
 * Excel number format that shows a real date cell as 「令和8年4月1日」, with 「令和元年」 in the first year of an era.
 * It is the format Excel offers in its 和暦 date list once 元年 display is available (Microsoft's 2019 era update):
 * the `[$-ja-JP-x-gannen]` locale tag selects the Japanese calendar with the 元年 rule, `ggg` is the era name, `e` the
 * era year, and `;@` shows text cells unchanged. Excel builds without that update, LibreOffice and some viewers ignore
 * the gannen tag and print 「1年」. The cell keeps a true date value, so sorting and filters work; where the exact text
 * matters (an annex, a printed register column), write `toWareki()` into a text cell instead.
 */
export const WAREKI_EXCEL_NUMFMT = '[$-ja-JP-x-gannen]ggge"年"m"月"d"日";@';

/** Replaces ASCII digits with 全角 digits (０–９); everything else is left as it is. */
export function toFullWidthDigits(s: string): string {
  return s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
}

interface EraYear {
  era: string;
  year: number;
}

function eraOf(date: string): EraYear & DateParts {
  const parts = parsePlainDate(date);
  let era: Era | undefined;
  for (const candidate of ERAS) if (candidate.start <= date) era = candidate;
  if (!era) {
    throw new RangeError(`和暦 is supported from ${ERAS[0]!.start} (明治6年, the Gregorian calendar's adoption): ${date}`);
  }
  return { ...parts, era: era.name, year: parts.year - FIRST_YEAR[era.name]! + 1 };
}

function yearLabel(year: number): string {
  return year === 1 ? '元' : String(year);
}

function finish(s: string, opts: WarekiOptions | undefined): string {
  return opts?.fullWidth ? toFullWidthDigits(s) : s;
}

/** 「令和8年4月1日」 for a YYYY-MM-DD date; the first year of an era is 元年. Throws RangeError for invalid dates. */
export function toWareki(date: string, opts?: WarekiOptions): string {
  const w = eraOf(date);
  return finish(`${w.era}${yearLabel(w.year)}年${w.month}月${w.day}日`, opts);
}

/**
 * 「令和8年4月」 (monthly reports, 「○月分」). Takes a full date because the era can change inside a month
 * (1989-01-07 is 昭和64年1月, 1989-01-08 平成元年1月), so the month alone does not decide it.
 */
export function toWarekiYearMonth(date: string, opts?: WarekiOptions): string {
  const w = eraOf(date);
  return finish(`${w.era}${yearLabel(w.year)}年${w.month}月`, opts);
}

export interface FiscalYear {
  /** Calendar year in which the fiscal year starts (April 1). */
  year: number;
  /** 「令和8年度」. */
  label: string;
  /** YYYY-04-01. */
  start: string;
  /** (year+1)-03-31. */
  end: string;
}

/**
 * The Japanese fiscal year (April–March) a date falls in. The label names the fiscal year after its starting calendar
 * year as that year is known at its end: FY2019 is 令和元年度 (not 平成31年度, though it began under 平成), FY1988 is
 * 昭和63年度 (平成 only began in January 1989). This matches how government and municipal documents written after an
 * era change name such years. (The April start dates from 明治19年度, 1886; earlier years get the same rule.)
 */
export function fiscalYear(date: string, opts?: WarekiOptions): FiscalYear {
  const { year: y, month } = parsePlainDate(date);
  const year = month >= 4 ? y : y - 1;
  if (year + 1 > 9999) throw new RangeError(`fiscal year ${year} ends after 9999-12-31`);
  const yyyy = String(year).padStart(4, '0');
  const w = eraOf(`${yyyy}-12-31`);
  return {
    year,
    label: finish(`${w.era}${yearLabel(w.year)}年度`, opts),
    start: `${yyyy}-04-01`,
    end: `${String(year + 1).padStart(4, '0')}-03-31`,
  };
}

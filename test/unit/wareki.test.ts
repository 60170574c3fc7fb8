import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import { addDays } from '../../src/shared/dates.js';
import {
  ERAS,
  WAREKI_EXCEL_NUMFMT,
  fiscalYear,
  toFullWidthDigits,
  toWareki,
  toWarekiYearMonth,
} from '../../src/shared/wareki.js';

describe('toWareki', () => {
  const cases: [string, string, string][] = [
    ['2026-04-01', '令和8年4月1日', '令和８年４月１日'],
    ['2025-10-10', '令和7年10月10日', '令和７年１０月１０日'],
    ['2019-05-01', '令和元年5月1日', '令和元年５月１日'],
    ['2019-12-31', '令和元年12月31日', '令和元年１２月３１日'],
    ['2020-01-01', '令和2年1月1日', '令和２年１月１日'],
    ['2019-04-30', '平成31年4月30日', '平成３１年４月３０日'],
    ['1989-01-08', '平成元年1月8日', '平成元年１月８日'],
    ['1989-01-07', '昭和64年1月7日', '昭和６４年１月７日'],
    ['1926-12-25', '昭和元年12月25日', '昭和元年１２月２５日'],
    ['1926-12-24', '大正15年12月24日', '大正１５年１２月２４日'],
    ['1912-07-30', '大正元年7月30日', '大正元年７月３０日'],
    ['1912-07-29', '明治45年7月29日', '明治４５年７月２９日'],
    ['1873-01-01', '明治6年1月1日', '明治６年１月１日'],
    ['2118-12-31', '令和100年12月31日', '令和１００年１２月３１日'],
  ];
  for (const [date, half, full] of cases) {
    test(`${date} is ${half}`, () => {
      assert.equal(toWareki(date), half);
      assert.equal(toWareki(date, { fullWidth: false }), half);
      assert.equal(toWareki(date, { fullWidth: true }), full);
    });
  }

  const invalid = ['2026-02-30', '2025-02-29', 'garbage', '', '2026-4-1', '2026/04/01', '2026-04-01T00:00:00Z'];
  for (const date of invalid) {
    test(`refuses ${JSON.stringify(date)} with a RangeError`, () => {
      assert.throws(() => toWareki(date), RangeError);
      assert.throws(() => toWarekiYearMonth(date), RangeError);
      assert.throws(() => fiscalYear(date), RangeError);
    });
  }

  test('refuses dates before 明治6年 (1873-01-01), when Japan still used the lunisolar calendar', () => {
    assert.throws(() => toWareki('1872-12-31'), RangeError);
    assert.throws(() => toWareki('1868-10-23'), RangeError);
  });

  // ICU's Japanese calendar is an independent source for the era boundaries. It writes 1 where documents write 元.
  const icu = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', {
    era: 'long',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    timeZone: 'UTC',
  });
  function icuWareki(date: string): string {
    const parts = Object.fromEntries(icu.formatToParts(new Date(`${date}T00:00:00Z`)).map((p) => [p.type, p.value]));
    const year = parts.year === '1' ? '元' : parts.year;
    return `${parts.era}${year}年${parts.month}月${parts.day}日`;
  }

  test('agrees with ICU for 40 days either side of every era boundary after 1873', () => {
    for (const era of ERAS.slice(1)) {
      for (let d = -40; d <= 40; d++) {
        const date = addDays(era.start, d);
        assert.equal(toWareki(date), icuWareki(date), date);
      }
    }
  });

  test('agrees with ICU on every 97th day from 1873 to 2100', () => {
    for (let date = '1873-01-01'; date < '2100-01-01'; date = addDays(date, 97)) {
      assert.equal(toWareki(date), icuWareki(date), date);
    }
  });
});

describe('toWarekiYearMonth', () => {
  const cases: [string, string, string][] = [
    ['2026-04-15', '令和8年4月', '令和８年４月'],
    ['2019-05-31', '令和元年5月', '令和元年５月'],
    ['2019-04-01', '平成31年4月', '平成３１年４月'],
    ['1989-01-07', '昭和64年1月', '昭和６４年１月'],
    ['1989-01-08', '平成元年1月', '平成元年１月'],
    ['2026-12-01', '令和8年12月', '令和８年１２月'],
  ];
  for (const [date, half, full] of cases) {
    test(`${date} is ${half}`, () => {
      assert.equal(toWarekiYearMonth(date), half);
      assert.equal(toWarekiYearMonth(date, { fullWidth: true }), full);
    });
  }
});

describe('fiscalYear', () => {
  const cases: [string, number, string, string, string][] = [
    ['2026-04-01', 2026, '令和8年度', '2026-04-01', '2027-03-31'],
    ['2027-03-31', 2026, '令和8年度', '2026-04-01', '2027-03-31'],
    ['2026-03-31', 2025, '令和7年度', '2025-04-01', '2026-03-31'],
    ['2026-01-01', 2025, '令和7年度', '2025-04-01', '2026-03-31'],
    ['2026-12-31', 2026, '令和8年度', '2026-04-01', '2027-03-31'],
    // FY2019 began under 平成 but is named after the year it started in, which ended as 令和元年.
    ['2019-04-01', 2019, '令和元年度', '2019-04-01', '2020-03-31'],
    ['2019-04-30', 2019, '令和元年度', '2019-04-01', '2020-03-31'],
    ['2020-03-31', 2019, '令和元年度', '2019-04-01', '2020-03-31'],
    ['2020-04-01', 2020, '令和2年度', '2020-04-01', '2021-03-31'],
    ['2019-03-31', 2018, '平成30年度', '2018-04-01', '2019-03-31'],
    // FY1988 ended under 平成, but 1988 itself was never a 平成 year.
    ['1989-01-08', 1988, '昭和63年度', '1988-04-01', '1989-03-31'],
    ['1989-03-31', 1988, '昭和63年度', '1988-04-01', '1989-03-31'],
    ['1989-04-01', 1989, '平成元年度', '1989-04-01', '1990-03-31'],
  ];
  for (const [date, year, label, start, end] of cases) {
    test(`${date} is in ${label}`, () => {
      assert.deepEqual(fiscalYear(date), { year, label, start, end });
    });
  }

  test('labels with 全角 digits on request', () => {
    assert.equal(fiscalYear('2026-04-01', { fullWidth: true }).label, '令和８年度');
    assert.equal(fiscalYear('2019-06-01', { fullWidth: true }).label, '令和元年度');
  });

  test('every day of 2015–2030 lies within its fiscal year, which starts on 1 April', () => {
    for (let date = '2015-01-01'; date <= '2030-12-31'; date = addDays(date, 1)) {
      const fy = fiscalYear(date);
      assert.ok(fy.start <= date && date <= fy.end, date);
      assert.equal(fy.start, `${fy.year}-04-01`);
    }
  });
});

describe('toFullWidthDigits', () => {
  const cases: [string, string][] = [
    ['0123456789', '０１２３４５６７８９'],
    ['令和8年度', '令和８年度'],
    ['No.10 (R8)', 'No.１０ (R８)'],
    ['令和元年', '令和元年'],
    ['０１', '０１'],
    ['', ''],
  ];
  for (const [input, expected] of cases) {
    test(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => {
      assert.equal(toFullWidthDigits(input), expected);
    });
  }

  test('maps each digit to the code point NFKC folds back to it', () => {
    for (const d of '0123456789') {
      const full = toFullWidthDigits(d);
      assert.notEqual(full, d);
      assert.equal(full.normalize('NFKC'), d);
    }
  });
});

describe('WAREKI_EXCEL_NUMFMT', () => {
  test('asks Excel for the 元年 rule, the era name and era year, and leaves text cells alone', () => {
    assert.ok(WAREKI_EXCEL_NUMFMT.startsWith('[$-ja-JP-x-gannen]'));
    assert.match(WAREKI_EXCEL_NUMFMT, /ggge"年"m"月"d"日"/);
    assert.ok(WAREKI_EXCEL_NUMFMT.endsWith(';@'));
  });

  test('survives an exceljs write and read with the cell still a real date', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('台帳');
    const cell = sheet.getCell('A1');
    cell.value = new Date(Date.UTC(2019, 4, 1));
    cell.numFmt = WAREKI_EXCEL_NUMFMT;
    const buffer = await workbook.xlsx.writeBuffer();

    const reread = new ExcelJS.Workbook();
    await reread.xlsx.load(buffer as ArrayBuffer);
    const back = reread.getWorksheet('台帳')!.getCell('A1');
    assert.equal(back.numFmt, WAREKI_EXCEL_NUMFMT);
    assert.ok(back.value instanceof Date);
    assert.equal(back.value.toISOString(), '2019-05-01T00:00:00.000Z');
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  addDays,
  addMonths,
  compareDates,
  daysBetween,
  daysInMonth,
  isPlainDate,
  parsePlainDate,
  todayInTokyo,
  toTokyoDate,
} from '../../src/shared/dates.js';

/** Deterministic pseudo-random numbers so a failing case can be reproduced. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('isPlainDate', () => {
  const valid = ['2026-04-01', '2024-02-29', '2000-02-29', '2026-12-31', '0001-01-01', '9999-12-31', '2026-09-30'];
  for (const s of valid) test(`accepts ${s}`, () => assert.equal(isPlainDate(s), true));

  const invalid: [string, unknown][] = [
    ['a day February does not have', '2026-02-30'],
    ['29 February in a common year', '2025-02-29'],
    ['29 February in a century year that is not leap', '1900-02-29'],
    ['31 April', '2026-04-31'],
    ['month 13', '2026-13-01'],
    ['month 00', '2026-00-10'],
    ['day 00', '2026-04-00'],
    ['year 0000', '0000-01-01'],
    ['unpadded parts', '2026-4-1'],
    ['no separators', '20260401'],
    ['slashes', '2026/04/01'],
    ['a timestamp', '2026-04-01T00:00:00Z'],
    ['leading space', ' 2026-04-01'],
    ['trailing newline', '2026-04-01\n'],
    ['全角 digits', '２０２６-０４-０１'],
    ['five-digit year', '12026-04-01'],
    ['garbage', 'garbage'],
    ['empty string', ''],
    ['null', null],
    ['a number', 20260401],
    ['a Date', new Date('2026-04-01T00:00:00Z')],
  ];
  for (const [name, s] of invalid) test(`refuses ${name}`, () => assert.equal(isPlainDate(s), false));

  test('parsePlainDate throws RangeError for what isPlainDate refuses', () => {
    assert.throws(() => parsePlainDate('2026-02-30'), RangeError);
    assert.deepEqual(parsePlainDate('2026-04-01'), { year: 2026, month: 4, day: 1 });
  });

  test('daysInMonth agrees with the platform calendar for every month of 1896–2104', () => {
    for (let y = 1896; y <= 2104; y++) {
      for (let m = 1; m <= 12; m++) {
        // Day 0 of the next month is the last day of this one.
        assert.equal(daysInMonth(y, m), new Date(Date.UTC(y, m, 0)).getUTCDate(), `${y}-${m}`);
      }
    }
  });
});

describe('toTokyoDate and todayInTokyo', () => {
  const cases: [string, string][] = [
    ['2026-03-31T14:59:59.999Z', '2026-03-31'],
    ['2026-03-31T15:00:00.000Z', '2026-04-01'], // midnight in Tokyo: a new fiscal year there, still March in UTC
    ['2026-12-31T15:00:00Z', '2027-01-01'],
    ['2024-02-28T15:00:00Z', '2024-02-29'],
    ['2026-04-01T00:00:00+09:00', '2026-04-01'],
    ['2026-04-01T23:59:59+09:00', '2026-04-01'],
    ['2026-04-01T00:00:00-10:00', '2026-04-01'], // 19:00 in Tokyo the same day
    ['2026-04-01T06:00:00-10:00', '2026-04-02'],
  ];
  for (const [instant, expected] of cases) {
    test(`${instant} is ${expected} in Tokyo`, () => {
      assert.equal(toTokyoDate(new Date(instant)), expected);
      assert.equal(todayInTokyo(new Date(instant)), expected);
    });
  }

  test('matches UTC+9 for random instants 1960–2100 (Japan has kept UTC+9 without DST since 1951)', () => {
    const next = rng(42);
    const from = Date.UTC(1960, 0, 1);
    const to = Date.UTC(2100, 0, 1);
    for (let i = 0; i < 2000; i++) {
      const t = Math.floor(from + next() * (to - from));
      const expected = new Date(t + 9 * 3_600_000).toISOString().slice(0, 10);
      assert.equal(toTokyoDate(new Date(t)), expected, new Date(t).toISOString());
    }
  });

  test('does not depend on the process time zone', () => {
    const saved = process.env.TZ;
    try {
      for (const tz of ['America/Los_Angeles', 'UTC', 'Pacific/Kiritimati']) {
        process.env.TZ = tz;
        assert.equal(toTokyoDate(new Date('2026-03-31T15:30:00Z')), '2026-04-01', tz);
        assert.equal(toTokyoDate(new Date('2026-03-31T14:30:00Z')), '2026-03-31', tz);
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  test('todayInTokyo without an argument is the Tokyo date of the current clock', () => {
    const before = toTokyoDate(new Date());
    const today = todayInTokyo();
    const after = toTokyoDate(new Date());
    assert.ok(today === before || today === after);
    assert.ok(isPlainDate(today));
  });

  test('an invalid Date is a RangeError', () => {
    assert.throws(() => toTokyoDate(new Date('nonsense')), RangeError);
    assert.throws(() => todayInTokyo(new Date(NaN)), RangeError);
  });
});

describe('addMonths', () => {
  const cases: [string, number, string][] = [
    ['2026-01-31', 1, '2026-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2026-03-31', -1, '2026-02-28'],
    ['2026-08-31', 1, '2026-09-30'],
    ['2026-05-31', -1, '2026-04-30'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2024-02-29', 48, '2028-02-29'],
    ['2026-01-31', 25, '2028-02-29'],
    ['2026-04-01', 12, '2027-04-01'],
    ['2026-04-01', 24, '2028-04-01'],
    ['2026-12-15', 1, '2027-01-15'],
    ['2026-01-15', -1, '2025-12-15'],
    ['2026-01-15', -13, '2024-12-15'],
    ['2026-02-28', 1, '2026-03-28'],
    ['2026-04-01', 0, '2026-04-01'],
    ['2026-04-01', 36, '2029-04-01'],
  ];
  for (const [date, n, expected] of cases) {
    test(`${date} + ${n} months = ${expected}`, () => assert.equal(addMonths(date, n), expected));
  }

  test('refuses a non-integer count, an invalid date, and results outside 0001–9999', () => {
    assert.throws(() => addMonths('2026-04-01', 1.5), RangeError);
    assert.throws(() => addMonths('2026-04-01', Number.NaN), RangeError);
    assert.throws(() => addMonths('2026-02-30', 1), RangeError);
    assert.throws(() => addMonths('9999-12-01', 1), RangeError);
    assert.throws(() => addMonths('0001-01-01', -1), RangeError);
  });
});

describe('addDays and daysBetween', () => {
  const cases: [string, number, string][] = [
    ['2026-02-28', 1, '2026-03-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2026-01-01', -1, '2025-12-31'],
    ['2026-04-01', 365, '2027-04-01'],
    ['2027-04-01', 366, '2028-04-01'],
    ['1989-01-07', 1, '1989-01-08'],
    ['2026-04-01', 0, '2026-04-01'],
    ['0050-01-01', 1, '0050-01-02'], // two-digit years must not be read as 19xx
    ['1900-02-28', 1, '1900-03-01'],
  ];
  for (const [date, n, expected] of cases) {
    test(`${date} + ${n} days = ${expected}, and back`, () => {
      assert.equal(addDays(date, n), expected);
      assert.equal(daysBetween(date, expected), n);
      assert.equal(daysBetween(expected, date), 0 - n); // not -n: -0 !== 0 for assert.equal
    });
  }

  test('daysBetween is positive when the second date is later', () => {
    assert.equal(daysBetween('2026-04-01', '2026-04-10'), 9);
    assert.equal(daysBetween('2026-04-10', '2026-04-01'), -9);
    assert.equal(daysBetween('2026-04-01', '2026-04-01'), 0);
  });

  test('addDays and daysBetween are inverse for random dates and offsets', () => {
    const next = rng(7);
    for (let i = 0; i < 1000; i++) {
      const start = addDays('1900-01-01', Math.floor(next() * 80_000));
      const n = Math.floor(next() * 4000) - 2000;
      const end = addDays(start, n);
      assert.ok(isPlainDate(end), end);
      assert.equal(daysBetween(start, end), n, `${start} + ${n}`);
    }
  });

  test('refuses non-integers and invalid dates', () => {
    assert.throws(() => addDays('2026-04-01', 0.5), RangeError);
    assert.throws(() => addDays('2026-13-01', 1), RangeError);
    assert.throws(() => daysBetween('2026-04-01', 'tomorrow'), RangeError);
    assert.throws(() => addDays('9999-12-31', 1), RangeError);
  });
});

describe('compareDates', () => {
  test('orders dates chronologically, as a sort comparator', () => {
    const sorted = ['2026-04-01', '1989-01-08', '2026-03-31', '2019-05-01', '1989-01-07'].sort(compareDates);
    assert.deepEqual(sorted, ['1989-01-07', '1989-01-08', '2019-05-01', '2026-03-31', '2026-04-01']);
  });

  test('returns -1, 0 and 1', () => {
    assert.equal(compareDates('2026-04-01', '2026-04-02'), -1);
    assert.equal(compareDates('2026-04-02', '2026-04-01'), 1);
    assert.equal(compareDates('2026-04-01', '2026-04-01'), 0);
  });

  test('refuses malformed dates instead of ordering them somewhere', () => {
    assert.throws(() => compareDates('2026-4-1', '2026-04-01'), RangeError);
    assert.throws(() => compareDates('2026-04-01', '2026-02-30'), RangeError);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  checkCorporateNumber,
  corporateNumberCheckDigit,
  isValidCorporateNumber,
} from '../../src/vendors/corporate-number.js';

// Numbers published on 国税庁's 法人番号公表サイト.
const PUBLISHED: [string, string][] = [
  ['国税庁', '7000012050002'],
  ['東京都', '8000020130001'],
  ['トヨタ自動車株式会社', '1180301018771'],
  ['ソニーグループ株式会社', '5010401067252'],
];

describe('published corporate numbers', () => {
  for (const [name, number] of PUBLISHED) {
    test(`${name} ${number}: the check digit computed from its 基礎番号 is its first digit, and it validates`, () => {
      assert.equal(corporateNumberCheckDigit(number.slice(1)), Number(number[0]));
      assert.equal(isValidCorporateNumber(number), true);
      assert.deepEqual(checkCorporateNumber(number), { ok: true });
    });
  }
});

describe('corporateNumberCheckDigit', () => {
  // Worked by hand, counting P_n from the rightmost digit with weights 1, 2, 1, 2, …
  const cases: [string, number, string][] = [
    ['000012050002', 7, '2·1 + 5·1 + 2·1 + 1·2 = 11; 11 mod 9 = 2; 9 − 2 = 7'],
    ['123456789012', 7, '2+2+0+18+8+14+6+10+4+6+2+2 = 74; 74 mod 9 = 2; 9 − 2 = 7'],
    ['000000000001', 8, 'n = 1 (odd, weight 1): sum 1; 9 − 1 = 8'],
    ['000000000010', 7, 'n = 2 (even, weight 2): sum 2; 9 − 2 = 7'],
    ['010000000000', 8, 'n = 11 (odd, weight 1): sum 1'],
    ['100000000000', 7, 'n = 12 (even, weight 2): sum 2'],
    ['000000000000', 9, 'sum 0; 9 − 0 = 9: the check digit is never 0'],
    ['999999999999', 9, '6·9·1 + 6·9·2 = 162 ≡ 0 (mod 9); 9'],
    ['000000000004', 5, 'sum 4; 9 − 4 = 5'],
    ['000000000040', 1, 'sum 8; 9 − 8 = 1'],
  ];
  for (const [base, expected, working] of cases) {
    test(`${base} → ${expected} (${working})`, () => {
      assert.equal(corporateNumberCheckDigit(base), expected);
      assert.equal(isValidCorporateNumber(`${expected}${base}`), true);
    });
  }

  test('always gives 1–9, and exactly one leading digit validates each base', () => {
    let seed = 12345;
    const sixDigits = (): string => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return String(seed % 10 ** 6).padStart(6, '0');
    };
    for (let i = 0; i < 2000; i++) {
      const base = sixDigits() + sixDigits();
      const digit = corporateNumberCheckDigit(base);
      assert.ok(digit >= 1 && digit <= 9, base);
      const valid = '0123456789'.split('').filter((d) => isValidCorporateNumber(`${d}${base}`));
      assert.deepEqual(valid, [String(digit)], base);
    }
  });

  const bad = ['00001205000', '0000120500021', '00001205000a', '０００012050002', ' 00012050002', '', '-00012050002'];
  for (const base of bad) {
    test(`refuses the base ${JSON.stringify(base)} with a RangeError`, () => {
      assert.throws(() => corporateNumberCheckDigit(base), RangeError);
    });
  }
});

describe('isValidCorporateNumber and checkCorporateNumber', () => {
  const refused: [string, unknown, string][] = [
    ['a wrong check digit', '8000012050002', 'check_digit'],
    ['a leading 0, which no check digit can be', '0000012050002', 'check_digit'],
    ['a changed base digit', '7000012050003', 'check_digit'],
    ['12 digits (the 基礎番号 alone)', '000012050002', 'wrong_length'],
    ['14 digits', '70000120500020', 'wrong_length'],
    ['an empty string', '', 'wrong_length'],
    ['全角 digits', '７００００１２０５０００２', 'full_width_digits'],
    ['a single 全角 digit among ASCII ones', '700001205000２', 'full_width_digits'],
    ['a lone 全角 ９ (top of the range)', '700001205000９', 'full_width_digits'],
    ['a lone 全角 ０ (bottom of the range)', '70000120500０2', 'full_width_digits'],
    ['hyphens', '7-0000-1205-0002', 'not_digits'],
    ['spaces around it', ' 7000012050002 ', 'not_digits'],
    ['Arabic-Indic digits', '٧٠٠٠٠١٢٠٥٠٠٠٢', 'not_digits'],
    ['letters', 'T7000012050002', 'not_digits'],
    ['a number, which loses leading zeros elsewhere', 7000012050002, 'not_a_string'],
    ['null', null, 'not_a_string'],
  ];
  for (const [name, input, reason] of refused) {
    test(`refuses ${name} (${reason})`, () => {
      assert.equal(isValidCorporateNumber(input), false);
      const result = checkCorporateNumber(input);
      assert.equal(result.ok, false);
      if (!result.ok) {
        assert.equal(result.reason, reason);
        assert.match(result.message, /法人番号/);
      }
    });
  }

  test('the message for 全角 digits tells the user to use 半角', () => {
    const result = checkCorporateNumber('７００００１２０５０００２');
    assert.ok(!result.ok && result.message.includes('半角'));
  });

  test('catches every single-digit typo except 0↔9, which mod 9 cannot see', () => {
    const number = '7000012050002';
    for (let i = 0; i < 13; i++) {
      for (const d of '0123456789') {
        if (d === number[i]) continue;
        const typo = number.slice(0, i) + d + number.slice(i + 1);
        const zeroNineSwap = i > 0 && ((number[i] === '0' && d === '9') || (number[i] === '9' && d === '0'));
        assert.equal(isValidCorporateNumber(typo), zeroNineSwap, typo);
      }
    }
  });
});

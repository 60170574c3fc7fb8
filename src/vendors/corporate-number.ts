/**
 * 法人番号 (corporate number, 13 digits) as assigned by 国税庁: a check digit followed by the 12-digit 基礎番号
 * (for companies, the 会社法人等番号 from the commercial register).
 *
 * Only ASCII digits are accepted. 全角 digits are refused with their own reason rather than normalised: the number is
 * an identifier compared byte for byte and stored as entered, and silently rewriting it here would hide the fact that
 * something upstream let unnormalised input through. A form can still say exactly what to fix (「半角数字で」).
 */

export type CorporateNumberProblem =
  | 'not_a_string'
  | 'full_width_digits'
  | 'not_digits'
  | 'wrong_length'
  | 'check_digit';

export type CorporateNumberCheck = { ok: true } | { ok: false; reason: CorporateNumberProblem; message: string };

const MESSAGES: Record<CorporateNumberProblem, string> = {
  not_a_string: '法人番号は文字列で指定してください。',
  full_width_digits: '法人番号は半角数字で入力してください（全角数字が含まれています）。',
  not_digits: '法人番号は数字のみで入力してください（ハイフンや空白は不要です）。',
  wrong_length: '法人番号は13桁で入力してください。',
  check_digit: '法人番号の検査用数字（先頭の1桁）が一致しません。番号を確認してください。',
};

/**
 * The check digit (1–9) for a 12-digit 基礎番号, per 法人番号の指定等に関する省令 第2条:
 * 9 − ((Σ_{n=1..12} P_n × Q_n) mod 9), with P_n the n-th digit counted from the rightmost and Q_n = 1 for odd n,
 * 2 for even n. (The ordinance's own typesetting reads as if the mod applied inside the sum; it applies to the sum.)
 */
export function corporateNumberCheckDigit(twelveDigits: string): number {
  if (!/^[0-9]{12}$/.test(twelveDigits)) {
    throw new RangeError(`基礎番号 must be exactly 12 ASCII digits: ${JSON.stringify(twelveDigits)}`);
  }
  let sum = 0;
  for (let n = 1; n <= 12; n++) {
    const p = twelveDigits.charCodeAt(12 - n) - 0x30;
    sum += p * (n % 2 === 1 ? 1 : 2);
  }
  return 9 - (sum % 9);
}

/** Why a submitted 法人番号 is refused, with a Japanese message a form can show as is. */
export function checkCorporateNumber(s: unknown): CorporateNumberCheck {
  const fail = (reason: CorporateNumberProblem): CorporateNumberCheck => {
    return { ok: false, reason, message: MESSAGES[reason] };
  };
  if (typeof s !== 'string') return fail('not_a_string');
  if (/[０-９]/.test(s)) return fail('full_width_digits');
  if (!/^[0-9]*$/.test(s)) return fail('not_digits');
  if (s.length !== 13) return fail('wrong_length');
  if (corporateNumberCheckDigit(s.slice(1)) !== s.charCodeAt(0) - 0x30) return fail('check_digit');
  return { ok: true };
}

/** True for a 13-ASCII-digit 法人番号 whose first digit matches the check digit of the other twelve. */
export function isValidCorporateNumber(s: unknown): s is string {
  return checkCorporateNumber(s).ok;
}

/**
 * Input hygiene shared by every schema: what text may contain, how names are normalised, how searches are escaped.
 */

// C0 controls except TAB, LF, CR; DEL; C1 controls (U+0080–U+009F, which include NEL U+0085).
const CONTROL_MULTI_LINE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;

// Every C0/C1 control including TAB, LF, CR; the bidirectional embeddings, overrides and isolates
// (U+202A–U+202E, U+2066–U+2069); and the Unicode line and paragraph separators (U+2028, U+2029), which break a line
// as surely as LF does.
const UNSAFE_SINGLE_LINE = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;

/**
 * For multi-line fields (notes, answers, reasons): refuses control characters, which have no place in text a person
 * typed and can corrupt the documents we generate (xlsx and docx are XML, where most C0 controls are illegal), while
 * allowing the TAB and line breaks such text legitimately holds.
 */
export function hasControlChars(s: string): boolean {
  return CONTROL_MULTI_LINE.test(s);
}

/**
 * For single-line names (vendor, service, account, person): also refuses TAB and line breaks, which would split a
 * register cell or a log line, and the bidirectional controls, which can make a name display as something other
 * than what it is (the "Trojan Source" trick: U+202E before 'gpj.exe' makes it render as 'exe.jpg').
 */
export function hasSingleLineControlChars(s: string): boolean {
  return UNSAFE_SINGLE_LINE.test(s);
}

/**
 * Makes user text match literally inside a regular expression (the `?q=` name search): without it `.*` or `(a+)+$`
 * typed into a search box would be run as a pattern. Only the ECMAScript syntax characters and `/` are escaped, so
 * the result is also valid with the `u` flag and in MongoDB's PCRE `$regex`. (`RegExp.escape` arrived after Node 20.)
 */
export function escapeRegExp(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

/**
 * The stored form of a name, so that the same vendor typed two ways is the same string.
 *
 * NFKC is the right fold for names: it turns half-width katakana into full-width (ｶﾌﾞｼｷｶﾞｲｼｬ → カブシキガイシャ,
 * recombining the separate ﾞ/ﾟ marks), full-width Latin letters and digits into ASCII (ＡＢＣ１ → ABC1), the
 * ideographic space U+3000 into a plain space, and compatibility ligatures such as ㈱ into (株) — all variants that
 * Japanese input methods and old systems produce for what people consider one name. It does not touch kanji variants
 * (髙 and 高 stay distinct, as they are different legal names), nor letter case. Its one lossy corner — ① becoming 1,
 * ™ becoming TM — is immaterial for names. Afterwards, leading and trailing whitespace is dropped and inner runs of
 * whitespace become one space, so 「株式会社　 委託」 and 「株式会社 委託」 match.
 */
export function normaliseName(s: string): string {
  return s.normalize('NFKC').trim().replace(/\s+/gu, ' ');
}

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { escapeRegExp, hasControlChars, hasSingleLineControlChars, normaliseName } from '../../src/shared/text.js';

const hex = (c: string): string => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
const BIDI = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069'];

describe('hasControlChars (multi-line fields)', () => {
  const allowed: [string, string][] = [
    ['plain Japanese', '委託先の管理体制について回答します。'],
    ['TAB, LF and CR', '一行目\r\n二行目\t（補足）\n'],
    ['an emoji', '対応済み ✅ 👍'],
    ['a no-break space and an ideographic space', 'a\u00A0b\u3000c'],
    ['a right-to-left override (only single-line fields refuse it)', 'abc\u202Edef'],
    ['the empty string', ''],
  ];
  for (const [name, s] of allowed) test(`allows ${name}`, () => assert.equal(hasControlChars(s), false));

  const refused: [string, string][] = [
    ['NUL', 'a\u0000b'],
    ['BEL', '\u0007'],
    ['backspace', 'x\bx'],
    ['vertical tab', 'a\u000Bb'],
    ['form feed', 'a\u000Cb'],
    ['ESC (terminal escape sequences)', '\u001B[31mred'],
    ['unit separator U+001F', '\u001F'],
    ['DEL', 'a\u007Fb'],
    ['NEL U+0085', 'a\u0085b'],
    ['C1 U+0080', '\u0080'],
    ['C1 U+009F', '\u009F'],
  ];
  for (const [name, s] of refused) test(`refuses ${name}`, () => assert.equal(hasControlChars(s), true));

  test('refuses exactly the Unicode Cc characters other than TAB, LF and CR, over the whole BMP', () => {
    for (let cp = 0; cp <= 0xffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const c = String.fromCodePoint(cp);
      const expected = /\p{Cc}/u.test(c) && c !== '\t' && c !== '\n' && c !== '\r';
      assert.equal(hasControlChars(`x${c}x`), expected, hex(c));
    }
  });
});

describe('hasSingleLineControlChars (names)', () => {
  const allowed: [string, string][] = [
    ['a company name', '株式会社委託 東京支店'],
    ['an ideographic space', '株式会社　委託'],
    ['half-width katakana', 'ｶﾌﾞｼｷｶﾞｲｼｬ'],
    ['an SNS handle', '@itaku_city-official'],
    ['left-to-right and right-to-left marks (not overrides)', 'a\u200Eb\u200Fc'],
    ['a zero-width joiner inside an emoji', '👩\u200D💻'],
  ];
  for (const [name, s] of allowed) test(`allows ${name}`, () => assert.equal(hasSingleLineControlChars(s), false));

  const refused: [string, string][] = [
    ['TAB', '株式会社\t委託'],
    ['LF', '株式会社\n委託'],
    ['CR', '株式会社\r委託'],
    ['line separator U+2028', 'a\u2028b'],
    ['paragraph separator U+2029', 'a\u2029b'],
    ['NUL', 'a\u0000'],
    ['NEL U+0085', 'a\u0085b'],
    ['a Trojan Source file name', 'invoice\u202Egpj.exe'],
  ];
  for (const [name, s] of refused) test(`refuses ${name}`, () => assert.equal(hasSingleLineControlChars(s), true));

  for (const c of BIDI) {
    test(`refuses the bidirectional control ${hex(c)}`, () => {
      assert.equal(hasSingleLineControlChars(`abc${c}def`), true);
    });
  }

  test('refuses exactly Cc, Zl, Zp and the bidi embeddings, overrides and isolates, over the whole BMP', () => {
    for (let cp = 0; cp <= 0xffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const c = String.fromCodePoint(cp);
      const expected = /[\p{Cc}\p{Zl}\p{Zp}]/u.test(c) || BIDI.includes(c);
      assert.equal(hasSingleLineControlChars(c), expected, hex(c));
    }
  });

  test('anything the multi-line check refuses, the single-line check refuses too', () => {
    for (let cp = 0; cp <= 0x3000; cp++) {
      const c = String.fromCodePoint(cp);
      if (hasControlChars(c)) assert.equal(hasSingleLineControlChars(c), true, hex(c));
    }
  });
});

describe('escapeRegExp', () => {
  const tricky = [
    '.*',
    '(a+)+$',
    'a|b',
    '[x]',
    'x{2,}',
    '\\d+',
    '^株式会社$',
    'C++',
    '?q=1&sort=name',
    'a/b',
    '(株)委託',
    '$100',
    '',
    '\\',
    '[\\]^-',
    '}{)(][',
  ];
  for (const s of tricky) {
    test(`${JSON.stringify(s)} matches only itself, with and without the u flag`, () => {
      const escaped = escapeRegExp(s);
      for (const flags of ['', 'u', 'i', 'iu']) {
        const exact = new RegExp(`^${escaped}$`, flags);
        assert.equal(exact.test(s), true, flags);
        assert.equal(new RegExp(escaped, flags).test(`前${s}後`), true, flags);
      }
    });
  }

  const nonMatches: [string, string][] = [
    ['.*', 'anything'],
    ['a.c', 'abc'],
    ['a|b', 'a'],
    ['[x]', 'x'],
    ['x{2}', 'xx'],
    ['\\d', '5'],
    ['C++', 'CCC'],
    ['(株)', '株'],
  ];
  for (const [pattern, text] of nonMatches) {
    test(`${JSON.stringify(pattern)} is literal: it does not match ${JSON.stringify(text)}`, () => {
      assert.equal(new RegExp(`^${escapeRegExp(pattern)}$`).test(text), false);
      assert.equal(new RegExp(escapeRegExp(pattern)).test(text), false);
    });
  }

  test('random strings over every ASCII character and some Japanese match themselves exactly', () => {
    const alphabet = [...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)), '株', '式', 'ｶ', '　', '\n'];
    let seed = 99;
    for (let i = 0; i < 2000; i++) {
      let s = '';
      const length = i % 12;
      for (let j = 0; j < length; j++) {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        s += alphabet[seed % alphabet.length];
      }
      const re = new RegExp(`^${escapeRegExp(s)}$`, 'u');
      assert.equal(re.test(s), true, JSON.stringify(s));
      assert.equal(re.test(`${s}x`), false, JSON.stringify(s));
    }
  });
});

describe('normaliseName', () => {
  const cases: [string, string, string][] = [
    ['half-width katakana with voiced marks', 'ｶﾌﾞｼｷｶﾞｲｼｬ ｲﾀｸ', 'カブシキガイシャ イタク'],
    ['half-width katakana with a semi-voiced mark', 'ﾊﾟﾅｿﾆｯｸ', 'パナソニック'],
    ['full-width Latin letters and digits', 'ＡＢＣ商事１２３', 'ABC商事123'],
    ['the ㈱ ligature', '㈱委託', '(株)委託'],
    ['the ㍿ ligature', '委託㍿', '委託株式会社'],
    ['surrounding spaces, ideographic included', '　 株式会社委託 　', '株式会社委託'],
    ['inner runs of mixed whitespace', '株式会社　 \t委託\n東京支店', '株式会社 委託 東京支店'],
    ['a no-break space', 'Itaku\u00A0Inc.', 'Itaku Inc.'],
    ['decomposed kana (NFD) recomposed', 'か\u3099いしゃ', 'がいしゃ'],
    ['letter case is kept', 'Itaku KK', 'Itaku KK'],
    ['kanji variants are kept: 髙 is not 高', '髙橋建設', '髙橋建設'],
    ['an already normal name', '株式会社委託', '株式会社委託'],
    ['only whitespace', ' \u3000 ', ''],
    ['the empty string', '', ''],
  ];
  for (const [name, input, expected] of cases) {
    test(`${name}: ${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => {
      assert.equal(normaliseName(input), expected);
    });
  }

  test('the two ways a name is commonly typed normalise to the same string', () => {
    assert.equal(normaliseName('ｱｲﾃｨｰ　ｻｰﾋﾞｽ㈱'), normaliseName('アイティー サービス(株)'));
    assert.equal(normaliseName('ＮＴＴ　データ'), normaliseName('NTT データ'));
  });

  test('is idempotent', () => {
    for (const [, input] of cases) {
      const once = normaliseName(input);
      assert.equal(normaliseName(once), once, JSON.stringify(input));
    }
  });
});

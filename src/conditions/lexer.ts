/**
 * Splits condition text into tokens. Hand-written (no regular expression over the whole input) so that hostile text
 * costs linear time, and so that the usual slips of people typing in a Japanese IME — full-width brackets, `＝`,
 * an ideographic space, `&&` from programming habit — get a message that says what to type instead.
 */

export const LIMITS = Object.freeze({
  /** Characters in one condition. */
  maxLength: 2000,
  /** Tokens in one condition. */
  maxTokens: 400,
  /** Nesting of parentheses and `not`. */
  maxDepth: 16,
  /** Items in one `in [...]` list. */
  maxListItems: 100,
  /** Characters in one string literal. */
  maxStringLength: 200,
  /** Largest absolute number. */
  maxNumber: 1e12,
  /** Digits in one number literal. */
  maxDigits: 15,
});

export type TokenKind = 'name' | 'string' | 'number' | 'op' | 'punct' | 'keyword' | 'eof';

export interface Token {
  kind: TokenKind;
  /** For names and keywords the lower-cased keyword or the name as written; for strings the unescaped value. */
  text: string;
  value?: string | number;
  at: number;
}

export const KEYWORDS = new Set([
  'and',
  'or',
  'not',
  'in',
  'is',
  'answered',
  'contains',
  'true',
  'false',
  'null',
]);

export class LexError extends Error {
  constructor(
    readonly reason: string,
    readonly at: number,
  ) {
    super(reason);
  }
}

const FULL_WIDTH_HINTS: Readonly<Record<string, string>> = {
  '（': '(',
  '）': ')',
  '［': '[',
  '］': ']',
  '＝': '==',
  '＜': '<',
  '＞': '>',
  '！': '!',
  '，': ',',
  '、': ',',
  '　': '半角スペース',
  '“': '"',
  '”': '"',
  '≧': '>=',
  '≦': '<=',
  '≠': '!=',
};

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isNameStart = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isNamePart = (c: string): boolean => isNameStart(c) || isDigit(c);

export function tokenize(text: string): Token[] {
  if (text.length > LIMITS.maxLength) {
    throw new LexError(`条件が長すぎます（${text.length}文字、上限${LIMITS.maxLength}文字）`, LIMITS.maxLength);
  }
  const tokens: Token[] = [];
  let i = 0;
  const push = (token: Token): void => {
    if (tokens.length >= LIMITS.maxTokens) {
      throw new LexError(`条件の要素が多すぎます（上限${LIMITS.maxTokens}）。条件を分けてください`, token.at);
    }
    tokens.push(token);
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const start = i;
    if (isNameStart(c)) {
      while (i < text.length && (isNamePart(text[i] as string) || (text[i] === '.' && isNameStart(text[i + 1] ?? '')))) {
        i++;
      }
      const word = text.slice(start, i);
      const lower = word.toLowerCase();
      if (KEYWORDS.has(lower)) push({ kind: 'keyword', text: lower, at: start });
      else push({ kind: 'name', text: word, at: start });
      continue;
    }
    if (isDigit(c) || (c === '-' && isDigit(text[i + 1] ?? ''))) {
      i++;
      while (i < text.length && isDigit(text[i] as string)) i++;
      if (text[i] === '.' && isDigit(text[i + 1] ?? '')) {
        i++;
        while (i < text.length && isDigit(text[i] as string)) i++;
      }
      if (i < text.length && (isNamePart(text[i] as string) || text[i] === '.')) {
        throw new LexError('数値の書き方が正しくありません（指数表記・16進数・単位は使えません）', start);
      }
      const literal = text.slice(start, i);
      const digits = literal.replace(/[^0-9]/g, '').length;
      const value = Number(literal);
      if (digits > LIMITS.maxDigits || !Number.isFinite(value) || Math.abs(value) > LIMITS.maxNumber) {
        throw new LexError(`数値が大きすぎます（絶対値${LIMITS.maxNumber}以下、${LIMITS.maxDigits}桁まで）`, start);
      }
      push({ kind: 'number', text: literal, value, at: start });
      continue;
    }
    if (c === '"' || c === "'") {
      i++;
      let value = '';
      for (;;) {
        if (i >= text.length || text[i] === '\n') throw new LexError('文字列の閉じ引用符がありません', start);
        const d = text[i] as string;
        if (d === c) break;
        if (d === '\\') {
          const next = text[i + 1];
          if (next !== '\\' && next !== '"' && next !== "'") {
            throw new LexError('文字列で使えるエスケープは \\" \\\' \\\\ だけです', i);
          }
          value += next;
          i += 2;
        } else {
          value += d;
          i++;
        }
        if (value.length > LIMITS.maxStringLength) {
          throw new LexError(`文字列が長すぎます（上限${LIMITS.maxStringLength}文字）`, start);
        }
      }
      i++;
      push({ kind: 'string', text: value, value, at: start });
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '==' || two === '!=' || two === '<=' || two === '>=') {
      push({ kind: 'op', text: two, at: start });
      i += 2;
      continue;
    }
    if (two === '&&') throw new LexError('「&&」ではなく and と書いてください', start);
    if (two === '||') throw new LexError('「||」ではなく or と書いてください', start);
    if (c === '<' || c === '>') {
      push({ kind: 'op', text: c, at: start });
      i++;
      continue;
    }
    if (c === '=') throw new LexError('等しいことは「==」で書いてください', start);
    if (c === '!') throw new LexError('否定は not、不一致は「!=」で書いてください', start);
    if (c === '(' || c === ')' || c === '[' || c === ']' || c === ',') {
      push({ kind: 'punct', text: c, at: start });
      i++;
      continue;
    }
    const hint = FULL_WIDTH_HINTS[c];
    if (hint !== undefined) throw new LexError(`全角の「${c}」は使えません。「${hint}」を使ってください`, start);
    const code = c.codePointAt(0) ?? 0;
    const shown = code < 0x20 || code === 0x7f ? `U+${code.toString(16).toUpperCase().padStart(4, '0')}` : c;
    throw new LexError(`使えない文字「${shown}」があります`, start);
  }
  tokens.push({ kind: 'eof', text: '', at: text.length });
  return tokens;
}

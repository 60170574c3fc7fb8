/**
 * Clause text with placeholders: `{{vendor}}` takes a value from the annex input, `{{ref:confidentiality}}` becomes
 * the final article number of another clause (第５条), so numbering stays right when clauses drop out. Parsed once when
 * the library loads into plain segments; rendering is string concatenation.
 */
import { toFullWidthDigits } from '../shared/wareki.js';

/** The placeholders a clause may use, with what each holds (shown in problems and in exports/README.md). */
export const PLACEHOLDERS = {
  municipality: '甲の名称（例: 〇〇市）',
  mayorTitle: '甲の代表者の職名（例: 〇〇市長）',
  vendor: '乙の名称',
  contractTitle: '契約の件名',
  contractStart: '契約期間の初日（和暦。なければ「本契約の締結の日」）',
  contractEnd: '契約期間の末日（和暦。なければ「本契約の終了の日」）',
  annexDate: 'この特記事項の日付（契約期間の初日、なければ発行日。和暦）',
  firstReportHours: '事故等の第一報までの時間（全角数字。既定は２４）',
  dataLocation: 'データの保管場所（既定は「日本国内」）',
  court: '管轄裁判所（既定は「甲の所在地を管轄する地方裁判所」）',
} as const;

/** A placeholder a clause may use, `{{name}}`. */
export type PlaceholderName = keyof typeof PLACEHOLDERS;
/** The text each placeholder stands for in one annex. */
export type PlaceholderValues = Readonly<Record<PlaceholderName, string>>;

/** A piece of parsed clause text: literal text, a placeholder, or a reference to another clause. */
export type Segment = { kind: 'text'; text: string } | { kind: 'value'; name: PlaceholderName } | { kind: 'ref'; id: string };

/** A problem found while parsing one text; `offset` is the character where it starts. */
export interface TextProblem {
  code: 'placeholder' | 'halfwidth_digit';
  message: string;
  offset: number;
}

const isPlaceholder = (name: string): name is PlaceholderName => Object.hasOwn(PLACEHOLDERS, name);
const CLAUSE_REF = /^ref:([a-z][a-z0-9-]{1,40})$/;

/**
 * Splits a text into literal parts and placeholders. Unknown names, unclosed braces and half-width digits (contract
 * text uses 全角 digits; values such as hours are converted when rendered) are problems, all reported at once.
 */
export function parseClauseText(text: string): { segments: Segment[]; problems: TextProblem[] } {
  const segments: Segment[] = [];
  const problems: TextProblem[] = [];
  const literal = (part: string, offset: number): void => {
    if (part === '') return;
    const stray = part.search(/\{\{|\}\}/);
    if (stray >= 0) {
      problems.push({ code: 'placeholder', offset: offset + stray, message: '「{{」と「}}」の対応がとれていません' });
    }
    const digit = part.search(/[0-9]/);
    if (digit >= 0) {
      problems.push({
        code: 'halfwidth_digit',
        offset: offset + digit,
        message: `半角数字「${part.slice(digit).match(/^[0-9]+/)?.[0] ?? ''}」があります。条項の本文では全角数字（例: ${toFullWidthDigits('24')}）を使ってください`,
      });
    }
    const last = segments[segments.length - 1];
    if (last?.kind === 'text') last.text += part;
    else segments.push({ kind: 'text', text: part });
  };
  const pattern = /\{\{\s*([^{}]*?)\s*\}\}/g;
  let at = 0;
  for (const m of text.matchAll(pattern)) {
    const start = m.index;
    literal(text.slice(at, start), at);
    at = start + m[0].length;
    const name = m[1] ?? '';
    const ref = CLAUSE_REF.exec(name);
    if (ref) segments.push({ kind: 'ref', id: ref[1]! });
    else if (isPlaceholder(name)) segments.push({ kind: 'value', name });
    else {
      problems.push({
        code: 'placeholder',
        offset: start,
        message: `「{{${name}}}」という差込み項目はありません。使える項目: ${Object.keys(PLACEHOLDERS).join(', ')}、条項の参照 ref:条項ID`,
      });
    }
  }
  literal(text.slice(at), at);
  return { segments, problems };
}

/** The clause ids a text refers to, in order, without duplicates. */
export function refsOf(segments: readonly Segment[]): string[] {
  return [...new Set(segments.flatMap((s) => (s.kind === 'ref' ? [s.id] : [])))];
}

/**
 * The text with its placeholders filled in. `articleOf` gives the article (第５条) of a clause in this annex; the
 * library check makes an absent target impossible, so a miss here is a programming error and throws.
 */
export function renderClauseText(segments: readonly Segment[], values: PlaceholderValues, articleOf: (id: string) => string | undefined): string {
  return segments
    .map((s) => {
      if (s.kind === 'text') return s.text;
      if (s.kind === 'value') return values[s.name];
      const article = articleOf(s.id);
      if (article === undefined) throw new Error(`clause reference to "${s.id}", which is not in this annex`);
      return article;
    })
    .join('');
}

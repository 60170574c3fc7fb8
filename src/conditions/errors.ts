/** Where a condition's text sits in its file, so an error can name the file, line and column. */
export interface ConditionOrigin {
  file: string;
  /** 1-based line of the first character of the condition text. */
  line: number;
  /** 1-based column of the first character, when the text sits on one line of the file. */
  column?: number;
  /**
   * How characters of the text map to the file: `inline` (one line, column known), `lines` (a YAML literal block:
   * each newline in the text is a new line in the file) or `start` (folded text: report the start only).
   */
  layout?: 'inline' | 'lines' | 'start';
}

/** A condition that cannot be parsed or names something unknown. Carries the exact place for the author. */
export class ConditionError extends Error {
  override readonly name = 'ConditionError';
  constructor(
    readonly reason: string,
    readonly file: string,
    readonly line: number,
    readonly column: number | undefined,
    /** Offset of the offending character in the condition text. */
    readonly offset: number,
  ) {
    super(`${file}:${line}${column === undefined ? '' : `:${column}`}: ${reason}`);
  }
}

/** Maps an offset in the condition text to a place in the file. */
export function placeOf(text: string, offset: number, origin: ConditionOrigin): { line: number; column?: number } {
  const layout = origin.layout ?? 'inline';
  if (layout === 'start') return { line: origin.line, column: origin.column };
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const newlines = before.split('\n').length - 1;
  if (newlines === 0) {
    return { line: origin.line, column: origin.column === undefined ? undefined : origin.column + offset };
  }
  // In a literal block each text line is a file line; its indentation is unknown here, so no column.
  return { line: layout === 'lines' ? origin.line + newlines : origin.line };
}

/**
 * One register value → one cell value, by the column's kind. Text always becomes an inline rich-text string — never a
 * plain value exceljs might treat otherwise, never a formula object — so a vendor named `=HYPERLINK(...)` is that
 * text in the file, exactly, with no `<f>` element and no apostrophe added. Dates become real date values (sorting
 * and filters work) shown in 和暦 by the column's number format.
 */
import { isPlainDate, toTokyoDate } from '../../shared/dates.js';
import type { RegisterColumn } from '../layouts.js';

/** An inline string: exceljs writes `t="inlineStr"` for rich text, which Excel and LibreOffice read as plain text. */
export interface InlineText {
  richText: [{ text: string }];
}
/** What a register cell holds: an inline string, a date, a number or nothing. */
export type CellValue = InlineText | Date | number | null;

/** Excel refuses longer cell text. */
export const MAX_CELL_TEXT = 32_767;
// Characters XML 1.0 cannot carry at all, and lone surrogates: one of them makes the whole workbook unreadable.
const XML_ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text as an inline-string cell value. */
export const inlineText = (text: string): InlineText => ({ richText: [{ text }] });

/** Text as it can be stored: XML-illegal characters dropped, cut to Excel's limit. */
export function cleanText(text: string): string {
  const clean = text.replace(XML_ILLEGAL, '');
  return clean.length > MAX_CELL_TEXT ? `${clean.slice(0, MAX_CELL_TEXT - 1)}…` : clean;
}

/** Thrown for a value a column cannot hold: a mapping mistake in the caller, not something to write silently. */
export class RegisterValueError extends TypeError {
  override readonly name = 'RegisterValueError';
}

/** Reads a dotted key from a row (own properties only, so `constructor.name` reads nothing). */
export function readKey(row: Record<string, unknown>, key: string): unknown {
  let current: unknown = row;
  for (const part of key.split('.')) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function textOf(column: RegisterColumn, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value === 'boolean') return value ? column.yes : column.no;
  if (value instanceof Date) return toTokyoDate(value);
  if (Array.isArray(value)) {
    const parts = value.map((v) => textOf(column, v)).filter((v): v is string => v !== null && v !== '');
    return parts.join('、');
  }
  throw new RegisterValueError(`台帳の列「${column.header}」（${column.key}）に文字にできない値があります`);
}

/** Midnight UTC of a plain date: exceljs turns a Date into an Excel serial day from its UTC time. */
function dateOf(column: RegisterColumn, value: unknown): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const plain = value instanceof Date && !Number.isNaN(value.getTime()) ? toTokyoDate(value) : value;
  if (!isPlainDate(plain)) throw new RegisterValueError(`台帳の列「${column.header}」（${column.key}）の日付が YYYY-MM-DD ではありません`);
  return new Date(`${plain}T00:00:00Z`);
}

/** The cell value of one column of one row. */
export function cellValue(column: RegisterColumn, value: unknown): CellValue {
  switch (column.kind) {
    case 'date':
      return dateOf(column, value);
    case 'number':
      if (value === null || value === undefined) return null;
      if (typeof value !== 'number') throw new RegisterValueError(`台帳の列「${column.header}」（${column.key}）は数値の列です`);
      return Number.isFinite(value) ? value : null;
    case 'boolean':
      if (value === null || value === undefined) return null;
      if (typeof value !== 'boolean') throw new RegisterValueError(`台帳の列「${column.header}」（${column.key}）は真偽値の列です`);
      return inlineText(value ? column.yes : column.no);
    case 'text':
    case 'list': {
      const text = textOf(column, value);
      return text === null || text === '' ? null : inlineText(cleanText(text));
    }
  }
}

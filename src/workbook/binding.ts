/**
 * The hidden `_itaku` sheet: which assessment, template version and answer versions a workbook was written for, and a
 * keyed signature (HMAC-SHA256 with ITAKU_DATA_KEY) over those and the question ids and texts. The signature is what
 * makes the recorded answer versions trustworthy: without it a vendor could claim a newer version and overwrite a
 * change made in the browser without a conflict.
 */
import crypto from 'node:crypto';
import { BINDING_KEYS as KEYS, WORKBOOK_FORMAT } from './constants.js';
import type { PlainSheet } from './plain.js';

export interface BindingRow {
  row: number;
  questionId: string;
  /** '' for a question's own row. */
  optionId: string;
  /** The answer's version when written (question rows; 0 for option rows and unanswered questions). */
  version: number;
}

export interface Binding {
  format: string;
  assessmentId: string;
  templateId: string;
  templateVersion: number;
  language: string;
  sheet: string;
  generatedAt: string;
  rows: BindingRow[];
  signature: string;
}

/** First row of the row table in the binding sheet (after the keys and a header). */
export const BINDING_TABLE_ROW = KEYS.length + 2;

/** `texts` maps a sheet row to the text in its question column, as written or as read back. */
export function signatureOf(key: Buffer, b: Omit<Binding, 'signature' | 'generatedAt'>, texts: (row: number) => string): string {
  const canonical = JSON.stringify([
    b.format, b.assessmentId, b.templateId, b.templateVersion, b.language, b.sheet,
    b.rows.map((r) => [r.row, r.questionId, r.optionId, r.version, texts(r.row)]),
  ]);
  return crypto.createHmac('sha256', key).update(canonical, 'utf8').digest('base64url');
}

export function signatureMatches(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/** The binding as rows of cells: keys in A/B, then the row table (row | questionId | optionId | version). */
export function bindingCells(b: Binding): (string | number)[][] {
  return [
    ...KEYS.map((k) => [k, String(b[k])]),
    ['row', 'questionId', 'optionId', 'version'],
    ...b.rows.map((r) => [r.row, r.questionId, r.optionId, r.version]),
  ];
}

const text = (sheet: PlainSheet, ref: string): string => {
  const c = sheet.cells[ref];
  return c && (c.t === 's' || c.t === 'n') ? String(c.v) : '';
};

/** Reads the binding back; null when the sheet is not one Itaku wrote (a problem the caller names). */
export function readBinding(sheet: PlainSheet): Binding | null {
  const values = Object.fromEntries(KEYS.map((k, i) => [k, text(sheet, `B${i + 1}`)]));
  if (KEYS.some((k, i) => text(sheet, `A${i + 1}`) !== k) || values.format !== WORKBOOK_FORMAT) return null;
  const rows: BindingRow[] = [];
  for (let r = BINDING_TABLE_ROW; r < BINDING_TABLE_ROW + sheet.maxRow; r++) {
    const row = text(sheet, `A${r}`);
    if (row === '') break;
    const version = text(sheet, `D${r}`);
    if (!/^\d{1,6}$/.test(row) || !/^\d{1,9}$/.test(version)) return null;
    rows.push({ row: Number(row), questionId: text(sheet, `B${r}`), optionId: text(sheet, `C${r}`), version: Number(version) });
  }
  const templateVersion = Number(values.templateVersion);
  if (!Number.isInteger(templateVersion) || rows.length === 0) return null;
  return { ...(values as Record<(typeof KEYS)[number], string>), templateVersion, rows };
}

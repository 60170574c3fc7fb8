/**
 * What the parse child sends back: plain data only (no exceljs objects), small and bounded, so a hostile file cannot
 * push anything into the service's process but these few shapes.
 */

/** s text, n number, d date (YYYY-MM-DD, UTC day of the cell), b boolean, f formula (never evaluated), e error. */
export type PlainCell =
  | { t: 's'; v: string }
  | { t: 'n'; v: number }
  | { t: 'd'; v: string }
  | { t: 'b'; v: boolean }
  | { t: 'f'; v: string }
  | { t: 'e'; v: string };

export interface PlainSheet {
  name: string;
  /** Highest row with any cell read. */
  maxRow: number;
  /** By address ('G12'); only the columns the import reads. */
  cells: Record<string, PlainCell>;
}

export interface PlainWorkbook {
  sheetNames: string[];
  binding: PlainSheet | null;
  questions: PlainSheet | null;
}

export interface ParseProblem {
  path: string;
  message: string;
}

export type ParseOutcome =
  | { ok: true; workbook: PlainWorkbook }
  | { ok: false; code: string; message: string; problems: ParseProblem[] };

/** Messages between the pool and its children. */
export type ToChild = { type: 'parse'; id: number; data: Uint8Array };
export type FromChild =
  | { type: 'ready' }
  | { type: 'done'; id: number; outcome: ParseOutcome; maxRssBytes: number; ms: number };

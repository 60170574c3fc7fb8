/**
 * The parse child: the only place an uploaded workbook meets exceljs. It runs in its own process with a capped heap
 * (pool.ts), receives the bytes over IPC and sends back plain data (plain.ts), so whatever a file does to the parser —
 * exhaust memory, loop, throw from a stream — ends at most this process. It never sees secrets or the database.
 */
import ExcelJS from 'exceljs';
import { inflateEntries, inspectZip, storedZip, ZipRefusal } from './inspect.js';
import { BINDING_SHEET, COL, SHEET_NAME_CELL } from './constants.js';
import type { FromChild, ParseOutcome, ParseProblem, PlainCell, PlainSheet, ToChild } from './plain.js';

/** The question sheet of a 150-question template has ~300 rows. */
const MAX_ROWS = 3000;
/** Our workbook has ~3,000 cells; exceljs spends ~15 µs and ~300 bytes on each, so this bounds a parse to ~1.5 s. */
const MAX_CELLS = 100_000;
/** Longer than any answer or comment accepts, so an over-long text is still reported as too long. */
const MAX_TEXT = 20_001;

const refuse = (code: string, message: string, problems: ParseProblem[] = []): ParseOutcome => ({ ok: false, code, message, problems });

/** Raw XML checks before exceljs: it fails on rows and cells without their `r` address (STACK-NOTES), and would follow external references. */
function xmlProblems(files: Map<string, Buffer>): ParseOutcome | null {
  const types = files.get('[Content_Types].xml')?.toString('utf8') ?? '';
  if (/macroEnabled|vbaProject/i.test(types)) return refuse('workbook_macros', 'マクロ有効ブック（.xlsm）は受け付けません。.xlsx 形式で保存してください。');
  const book = files.get('xl/workbook.xml')?.toString('utf8') ?? '';
  if (/<(?:\w+:)?externalReference\b/.test(book)) return refuse('workbook_external_links', '外部ブックへのリンクを含むワークブックは受け付けません。リンクを解除してから保存してください。');
  const problems: ParseProblem[] = [];
  let cells = 0;
  for (const [name, data] of files) {
    if (!/^xl\/worksheets\/[^/]+\.xml$/i.test(name)) continue;
    const xml = data.toString('utf8');
    const tag = /<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^>]*)>/g;
    for (let m = tag.exec(xml); m; m = tag.exec(xml)) {
      if (m[1] === 'c' && ++cells > MAX_CELLS) return refuse('workbook_too_many_cells', `セルが多すぎます（上限 ${MAX_CELLS.toLocaleString('ja-JP')} セル）`);
      if (!/(^|\s)r\s*=/.test(m[2] ?? '')) {
        problems.push({ path: name, message: m[1] === 'row' ? '行の位置（r 属性）がない行があります' : 'セルの位置（r 属性）がないセルがあります' });
        break;
      }
    }
  }
  return problems.length ? refuse('workbook_unreadable', 'ワークブックの形式が正しくないため読み取れません。Excel 又は LibreOffice で開いて保存し直してください。', problems) : null;
}

function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && 'richText' in v && Array.isArray((v as ExcelJS.CellRichTextValue).richText)) return (v as ExcelJS.CellRichTextValue).richText.map((r) => String(r.text ?? '')).join('');
  return String(v ?? '');
}

function plainCell(cell: ExcelJS.Cell): PlainCell | null {
  const v = cell.value as unknown;
  if (v === null || v === undefined) return null;
  if (cell.type === ExcelJS.ValueType.Formula || (typeof v === 'object' && ('formula' in v || 'sharedFormula' in v))) {
    return { t: 'f', v: String(cell.formula ?? (v as { formula?: string }).formula ?? '').slice(0, 200) };
  }
  if (typeof v === 'string') return { t: 's', v: v.slice(0, MAX_TEXT) };
  if (typeof v === 'number') return Number.isFinite(v) ? { t: 'n', v } : { t: 'e', v: 'NaN' };
  if (typeof v === 'boolean') return { t: 'b', v };
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? { t: 'e', v: 'date' } : { t: 'd', v: v.toISOString().slice(0, 10) };
  if (typeof v === 'object' && 'error' in v) return { t: 'e', v: String((v as { error: unknown }).error).slice(0, 40) };
  if (typeof v === 'object' && 'text' in v) return { t: 's', v: text((v as { text: unknown }).text).slice(0, MAX_TEXT) };
  if (typeof v === 'object' && 'richText' in v) return { t: 's', v: text(v).slice(0, MAX_TEXT) };
  return { t: 'e', v: 'unknown' };
}

function plainSheet(ws: ExcelJS.Worksheet, columns: number): PlainSheet | ParseOutcome {
  if (ws.rowCount > MAX_ROWS) return refuse('workbook_too_many_rows', `「${ws.name}」シートの行が多すぎます（${ws.rowCount} 行、上限 ${MAX_ROWS} 行）`, [{ path: ws.name, message: '行が多すぎます' }]);
  const cells: Record<string, PlainCell> = {};
  let maxRow = 0;
  ws.eachRow({ includeEmpty: false }, (row, r) => {
    for (let c = 1; c <= columns; c++) {
      const cell = row.getCell(c);
      if (cell.isMerged && cell.master !== cell) continue;
      const p = plainCell(cell);
      if (p) {
        cells[`${String.fromCharCode(64 + c)}${r}`] = p;
        maxRow = Math.max(maxRow, r);
      }
    }
  });
  return { name: ws.name, maxRow, cells };
}

/** Unzips under the limits, checks the raw XML, then lets exceljs read the re-packed bytes. */
export async function parseWorkbook(data: Buffer): Promise<ParseOutcome> {
  let files: Map<string, Buffer>;
  try {
    files = inflateEntries(data, inspectZip(data));
  } catch (err) {
    if (err instanceof ZipRefusal) return refuse(err.code, err.message);
    throw err;
  }
  const early = xmlProblems(files);
  if (early) return early;
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(storedZip(files) as unknown as ExcelJS.Buffer);
  } catch {
    return refuse('workbook_unreadable', 'ワークブックを読み取れません。ファイルが壊れているか、Excel ワークブック（.xlsx）ではありません。');
  }
  files.clear();
  const sheetNames = wb.worksheets.map((w) => w.name);
  const bindingWs = wb.getWorksheet(BINDING_SHEET);
  const binding = bindingWs ? plainSheet(bindingWs, 4) : null;
  if (binding && 'ok' in binding) return binding;
  const named = binding?.cells[SHEET_NAME_CELL];
  const name = named?.t === 's' ? named.v : '';
  const questionsWs = name ? wb.getWorksheet(name) : undefined;
  const questions = questionsWs ? plainSheet(questionsWs, COL.evidence) : null;
  if (questions && 'ok' in questions) return questions;
  return { ok: true, workbook: { sheetNames, binding, questions } };
}

if (process.send) {
  const send = (m: FromChild) => process.send!(m);
  // The parent's death closes the channel: never outlive it.
  process.on('disconnect', () => process.exit(0));
  process.on('message', (m: ToChild) => {
    if (m?.type !== 'parse') return;
    const started = Date.now();
    parseWorkbook(Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength))
      .catch((): ParseOutcome => refuse('workbook_unreadable', 'ワークブックを読み取れません。ファイルが壊れている可能性があります。'))
      .then((outcome) => send({ type: 'done', id: m.id, outcome, maxRssBytes: process.resourceUsage().maxRSS * 1024, ms: Date.now() - started }));
  });
  send({ type: 'ready' });
}

/**
 * Writes a 台帳 as .xlsx with exceljs's streaming writer, one committed row at a time, so a register of 100,000 rows
 * needs no more memory than one of ten: a title and the issue date in 和暦, a legend row, a frozen header with an auto
 * filter, column widths for Japanese text, real dates shown in 和暦, coloured cells for overdue reviews and expired
 * certificates, and A4 landscape printing fitted to the page width with the header repeated on every page.
 */
import { EventEmitter } from 'node:events';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { isPlainDate } from '../../shared/dates.js';
import { toWareki } from '../../shared/wareki.js';
import type { RegisterColumn, RegisterLayout } from '../layouts.js';
import { cellValue, cleanText, inlineText, readKey } from './cells.js';

/** What the title rows of a register say. */
export interface RegisterMeta {
  /** Shown in the title row, e.g. 「委託先台帳」 or 「委託先台帳（情報政策課）」 when filtered. */
  title: string;
  municipality: string;
  /** YYYY-MM-DD (Asia/Tokyo). */
  issuedOn: string;
}

/** Rows 1–2 are the title and the legend; the column headers are row 3. */
export const HEADER_ROW = 3;
const FONT = { name: 'Yu Gothic', size: 10 };
const THIN = { style: 'thin' as const, color: { argb: 'FF808080' } };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };
/**
 * 和暦 for date cells that both Excel and LibreOffice show. The shared WAREKI_EXCEL_NUMFMT selects 元年 with the
 * `[$-ja-JP-x-gannen]` tag, which LibreOffice 7.4 does not understand at all: it printed the serial number (43586)
 * instead of a date. The LCID form `[$-411]ggge` works in both but prints 令和1年, so the 元年 months of 令和
 * (2019-05-01 = serial 43586 to 2019-12-31, serial 43830) get a section of their own; `@` keeps text as it is.
 */
export const REGISTER_DATE_NUMFMT = '[<43586][$-411]ggge"年"m"月"d"日";[<43831]"令和元年"m"月"d"日";[$-411]ggge"年"m"月"d"日";@';
/** Rows between yields to the event loop: lets zlib compress and the output drain while rows are produced. */
const YIELD_EVERY = 256;

type Style = Partial<ExcelJS.Style>;

/** Column letters: 1 → A, 27 → AA. */
export function columnLetter(n: number): string {
  let s = '';
  for (let i = n; i > 0; i = Math.floor((i - 1) / 26)) s = String.fromCharCode(65 + ((i - 1) % 26)) + s;
  return s;
}

const fill = (rgb: string): ExcelJS.Fill => ({ type: 'pattern', pattern: 'solid', fgColor: { argb: `FF${rgb.toUpperCase()}` } });

/**
 * One style object per column (and per flag colour), shared by every cell of the column: exceljs caches styles by
 * object identity, so a shared object costs nothing per cell where a fresh one per cell is serialised each time.
 */
function columnStyles(layout: RegisterLayout, column: RegisterColumn): { plain: Style; flagged?: Style } {
  const plain: Style = {
    font: FONT,
    border: BORDER,
    alignment: { vertical: 'top', wrapText: column.kind === 'text' || column.kind === 'list', ...(column.kind === 'boolean' ? { horizontal: 'center' } : {}) },
    ...(column.kind === 'date' ? { numFmt: REGISTER_DATE_NUMFMT } : column.numFmt ? { numFmt: column.numFmt } : {}),
  };
  const flag = column.flag ? layout.flags[column.flag] : undefined;
  return flag ? { plain, flagged: { ...plain, fill: fill(flag.fill) } } : { plain };
}

/**
 * exceljs hands each sheet to archiver through a PassThrough (from readable-stream) and ignores its backpressure, so
 * rows produced faster than zlib compresses pile up as uncompressed XML (about 130 MB for 100,000 rows). Waiting for
 * that PassThrough to drain keeps memory flat. It is reached through internals (`sheet.stream.pipes[0]` in exceljs
 * 4.4, `_writableState` of readable-stream 2); if they change this finds nothing, and the writer still works, only
 * without the bound.
 */
function sheetBacklog(sheet: unknown): EventEmitter | undefined {
  const pipe = (sheet as { stream?: { pipes?: unknown[] } }).stream?.pipes?.[0];
  const state = (pipe as { _writableState?: { needDrain?: unknown } } | undefined)?._writableState;
  return pipe instanceof EventEmitter && state?.needDrain === true ? pipe : undefined;
}

/** Resolves on 'drain', or on 'close' or 'error' (the caller checks for failure itself). */
function waitForDrain(emitter: EventEmitter): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      emitter.off('drain', done);
      emitter.off('close', done);
      emitter.off('error', done);
      resolve();
    };
    emitter.on('drain', done);
    emitter.on('close', done);
    emitter.on('error', done);
  });
}

/**
 * Streams a register to `out` and resolves with the number of data rows once the file is complete. Rows are plain
 * objects read by the layout's keys; a row may carry flags (`_overdue: true`) that colour the columns naming them.
 * Rejects with RegisterValueError when a value does not fit its column, with the rows' own error, or with the
 * stream's error if `out` fails; part of the file may then have been written, so the caller destroys `out` (an HTTP
 * response is aborted rather than ended). `out` is ended when the file is complete.
 */
export async function writeRegister(
  layout: RegisterLayout,
  rows: AsyncIterable<Record<string, unknown>> | Iterable<Record<string, unknown>>,
  out: NodeJS.WritableStream,
  meta: RegisterMeta,
): Promise<{ rows: number }> {
  if (!isPlainDate(meta.issuedOn)) throw new RangeError(`issuedOn must be YYYY-MM-DD: ${meta.issuedOn}`);
  const stream = out as Writable;
  let failure: unknown;
  const onError = (err: unknown): void => {
    failure ??= err;
  };
  stream.on('error', onError);
  try {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
    workbook.creator = 'Itaku';
    const cols = layout.columns;
    const last = columnLetter(cols.length);
    const sheet = workbook.addWorksheet(layout.sheet, {
      views: [{ state: 'frozen', ySplit: HEADER_ROW, topLeftCell: `A${HEADER_ROW + 1}` }],
      pageSetup: {
        paperSize: 9,
        orientation: 'landscape',
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
        printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}`,
        margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
      },
      headerFooter: { oddFooter: '&C- &P -' },
    });
    sheet.columns = cols.map((c) => ({ width: c.width }));

    const title = sheet.getRow(1);
    title.getCell(1).value = inlineText(cleanText(`${meta.municipality}　${meta.title}`));
    title.getCell(1).style = { font: { ...FONT, size: 14, bold: true } };
    title.height = 24;
    title.commit();

    // The issue date, and over each coloured column what its colour means.
    const legend = sheet.getRow(2);
    legend.getCell(1).value = inlineText(`${toWareki(meta.issuedOn)}現在`);
    legend.getCell(1).style = { font: FONT };
    cols.forEach((c, i) => {
      const flag = c.flag ? layout.flags[c.flag] : undefined;
      if (!flag || i === 0) return;
      legend.getCell(i + 1).value = inlineText(flag.label);
      legend.getCell(i + 1).style = { font: { ...FONT, size: 9 }, fill: fill(flag.fill), alignment: { wrapText: true, vertical: 'bottom' } };
    });
    legend.commit();

    const header = sheet.getRow(HEADER_ROW);
    const headerStyle: Style = {
      font: { ...FONT, bold: true },
      border: BORDER,
      fill: fill('D9D9D9'),
      alignment: { horizontal: 'center', vertical: 'middle', wrapText: true },
    };
    cols.forEach((c, i) => {
      const cell = header.getCell(i + 1);
      cell.value = inlineText(c.header);
      cell.style = headerStyle;
    });
    header.commit();

    const styles = cols.map((c) => columnStyles(layout, c));
    let count = 0;
    for await (const data of rows) {
      if (failure) break;
      const row = sheet.getRow(HEADER_ROW + 1 + count);
      cols.forEach((c, i) => {
        const cell = row.getCell(i + 1);
        cell.value = cellValue(c, readKey(data, c.key));
        const style = styles[i]!;
        cell.style = style.flagged && c.flag && data?.[c.flag] === true ? style.flagged : style.plain;
      });
      row.commit();
      count++;
      if (count % YIELD_EVERY === 0) {
        await new Promise((resolve) => setImmediate(resolve));
        const backlog = sheetBacklog(sheet);
        if (backlog) await waitForDrain(backlog);
        if (stream.writableNeedDrain) await waitForDrain(stream);
      }
    }
    if (failure) throw failure;
    sheet.autoFilter = `A${HEADER_ROW}:${last}${HEADER_ROW + Math.max(count, 1)}`;
    sheet.commit();
    await workbook.commit();
    if (failure) throw failure;
    return { rows: count };
  } finally {
    stream.off('error', onError);
  }
}

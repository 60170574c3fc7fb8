/**
 * The questionnaire workbook for offline answering. Written with exceljs's in-memory writer: the streaming writer
 * puts <dataValidations> before <sheetProtection>, which Excel repairs (STACK-NOTES); this workbook is small.
 * Every text goes in as a plain string, never a formula object, so a text starting with `=` stays that text.
 */
import crypto from 'node:crypto';
import ExcelJS from 'exceljs';
import type { Assessment } from '../assessments/assessment.model.js';
import { answersOf } from '../assessments/answers.model.js';
import { answerMap } from '../assessments/respond.js';
import { toWareki } from '../shared/wareki.js';
import { bindingCells, signatureOf, type Binding, type BindingRow } from './binding.js';
import { BINDING_SHEET, CHOSEN, COL, choicesOf, formatText, HEADER_ROW, includedQuestions, layoutFor, LISTS_SHEET, pick, splitComment, valueToCell, WORKBOOK_FORMAT, type QuestionRow } from './layout.js';
import { WORDS } from './words.js';

const WIDTHS = [10, 18, 56, 48, 20, 24, 28, 36, 28];
const LOCKED_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
const HEAD_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
const SECTION_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE2EFDA' } };
const THIN: ExcelJS.Borders = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } } as ExcelJS.Borders;
const FONT = { name: 'Yu Gothic', size: 10 };

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Display width in column units: full-width (CJK) characters take two. */
function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return w;
}

/** Rows get explicit heights, so wrapped Japanese text shows whole in Excel, LibreOffice and print alike. */
function heightFor(texts: [string, number][]): number {
  let lines = 1;
  for (const [text, width] of texts) {
    const n = text.split('\n').reduce((sum, line) => sum + Math.max(1, Math.ceil((displayWidth(line) * 1.1) / Math.max(1, width - 1))), 0);
    lines = Math.max(lines, n);
  }
  return Math.min(409, 14 * lines + 4);
}

function colName(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

/** Choice lists live on a hidden sheet (labels may hold commas, and inline lists stop at 255 characters); equal lists share a column. */
function listSheet(wb: ExcelJS.Workbook) {
  const ws = wb.addWorksheet(LISTS_SHEET, { state: 'veryHidden' });
  const columns = new Map<string, string>();
  return {
    ws,
    ref(labels: string[]): string {
      const key = JSON.stringify(labels);
      let ref = columns.get(key);
      if (!ref) {
        const c = colName(columns.size + 1);
        labels.forEach((l, i) => (ws.getCell(`${c}${i + 1}`).value = l));
        ref = `'${LISTS_SHEET}'!$${c}$1:$${c}$${labels.length}`;
        columns.set(key, ref);
      }
      return ref;
    },
  };
}

function validationFor(qr: QuestionRow, lang: 'ja' | 'en', lists: ReturnType<typeof listSheet>, address: string): ExcelJS.DataValidation | null {
  const w = WORDS[lang];
  const a = qr.question.answer;
  const common = { allowBlank: true, showErrorMessage: true, errorStyle: 'stop', errorTitle: w.headers[6], error: formatText(qr.question, lang).slice(0, 255), showInputMessage: true, prompt: formatText(qr.question, lang).slice(0, 255) } as const;
  const choices = choicesOf(qr.question, lang);
  if (choices.length) return { type: 'list', formulae: [lists.ref(choices.map((c) => c.label))], ...common };
  const na = `${address}="${w.na.replace(/"/g, '""')}"`;
  switch (a.type) {
    case 'number':
      if (a.notApplicable) return { type: 'custom', formulae: [`OR(AND(ISNUMBER(${address}),${address}>=${a.min},${address}<=${a.max}),${na})`], ...common };
      return { type: a.integer ? 'whole' : 'decimal', operator: 'between', formulae: [a.min, a.max], ...common };
    case 'date':
      if (a.notApplicable) return { type: 'custom', formulae: [`OR(ISNUMBER(${address}),${na})`], ...common };
      return { type: 'date', operator: 'greaterThan', formulae: [new Date(Date.UTC(1900, 0, 2))], ...common };
    case 'text':
      return { type: 'textLength', operator: 'lessThanOrEqual', formulae: [a.maxLength], ...common };
    default:
      return null;
  }
}

function instructions(ws: ExcelJS.Worksheet, a: Assessment, now: Date) {
  const w = WORDS[a.language];
  ws.columns = [{ width: 22 }, { width: 100 }];
  const add = (values: string[], style: Partial<ExcelJS.Style> = {}) => {
    const row = ws.addRow(values);
    row.eachCell((c) => (c.style = { font: FONT, alignment: { wrapText: true, vertical: 'top' }, ...style }));
    row.height = heightFor([[values[1] ?? '', 100], [values[0] ?? '', 22]]);
  };
  add([w.title], { font: { ...FONT, size: 14, bold: true } });
  ws.mergeCells('A1:B1');
  ws.getRow(1).height = 24;
  add([]);
  const due = a.language === 'ja' ? `${a.dueDate}（${toWareki(a.dueDate)}）` : a.dueDate;
  add([w.facts.template, `${pick(a.template.title, a.language)}（${a.template.id}@${a.template.version}）`]);
  add([w.facts.subject, a.subject.name]);
  add([w.facts.vendor, a.vendorName ?? '']);
  add([w.facts.issued, a.issuedOn]);
  add([w.facts.due, due], { font: { ...FONT, bold: true } });
  add([w.facts.created, now.toISOString()]);
  add([]);
  add([w.stepsTitle], { font: { ...FONT, bold: true, size: 12 } });
  w.steps.forEach((s, i) => add([String(i + 1), s]));
  add([]);
  add([w.formatsTitle], { font: { ...FONT, bold: true, size: 12 } });
  for (const [k, v] of w.formats) add([k, v]);
  add([]);
  add(['', w.footer]);
  ws.pageSetup = { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0, margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 } };
}

function questionSheet(ws: ExcelJS.Worksheet, a: Assessment, rows: ReturnType<typeof layoutFor>, values: Map<string, { value: unknown; comment: string }>, musts: Map<string, string>, lists: ReturnType<typeof listSheet>) {
  const lang = a.language;
  const w = WORDS[lang];
  ws.columns = WIDTHS.map((width) => ({ width }));
  const head = ws.getRow(HEADER_ROW);
  w.headers.forEach((h, i) => (head.getCell(i + 1).value = h));
  head.eachCell((c) => (c.style = { font: { ...FONT, bold: true }, fill: HEAD_FILL, border: THIN, alignment: { vertical: 'middle', horizontal: 'center', wrapText: true } }));
  head.height = 20;
  const locked = (c: ExcelJS.Cell, extra: Partial<ExcelJS.Style> = {}) => {
    c.style = { font: FONT, fill: LOCKED_FILL, border: THIN, alignment: { wrapText: true, vertical: 'top' }, ...extra };
    return c;
  };
  const open = (c: ExcelJS.Cell, numFmt = '@') => {
    c.style = { font: FONT, border: THIN, numFmt, alignment: { wrapText: true, vertical: 'top' }, protection: { locked: false } };
    return c;
  };
  for (const s of rows.sections) {
    const row = ws.getRow(s.row);
    row.getCell(1).value = s.title;
    for (let c = 1; c <= WIDTHS.length; c++) row.getCell(c).style = { font: { ...FONT, bold: true }, fill: SECTION_FILL, border: THIN };
    ws.mergeCells(s.row, 1, s.row, WIDTHS.length);
    row.height = 18;
  }
  for (const qr of rows.questions) {
    const q = qr.question;
    const row = ws.getRow(qr.row);
    const current = values.get(q.id);
    const { comment, evidence } = splitComment(current?.comment ?? '');
    const e = q.evidence;
    const help = [pick(q.help, lang), qr.whenNote ?? '', e.level !== 'none' ? w.evidence(pick(e.what, lang), e.level === 'required') : ''].filter(Boolean).join('\n');
    const cells: [number, string][] = [[COL.id, q.id], [COL.section, qr.sectionTitle], [COL.text, qr.text], [COL.help, help], [COL.must, w.must[musts.get(q.id) ?? q.must.level] ?? ''], [COL.format, formatText(q, lang)]];
    for (const [c, v] of cells) locked(row.getCell(c)).value = v;
    const answer = row.getCell(COL.answer);
    const cellValue = valueToCell(q, current?.value as never, lang);
    const typed = choicesOf(q, lang).length > 0 || ['number', 'date', 'text'].includes(q.answer.type);
    if (typed) {
      open(answer, q.answer.type === 'date' ? 'yyyy-mm-dd' : q.answer.type === 'number' ? 'General' : '@');
      answer.value = cellValue;
      const v = validationFor(qr, lang, lists, answer.address);
      if (v) answer.dataValidation = v;
    } else {
      locked(answer, { font: { ...FONT, color: { argb: 'FF808080' } } });
      answer.value = q.answer.type === 'file' ? w.fileCell : w.multiCell;
    }
    open(row.getCell(COL.comment)).value = comment || null;
    row.getCell(COL.comment).dataValidation = { type: 'textLength', operator: 'lessThanOrEqual', formulae: [4000], allowBlank: true, showErrorMessage: true };
    open(row.getCell(COL.evidence)).value = evidence || null;
    row.getCell(COL.evidence).dataValidation = { type: 'textLength', operator: 'lessThanOrEqual', formulae: [1000], allowBlank: true, showErrorMessage: true };
    row.height = heightFor([[qr.text, WIDTHS[2]!], [help, WIDTHS[3]!], [formatText(q, lang), WIDTHS[5]!], [comment, WIDTHS[7]!], [String(cellValue ?? ''), WIDTHS[6]!], [qr.sectionTitle, WIDTHS[1]!]]);
    const chosen = Array.isArray(current?.value) ? (current.value as string[]) : [];
    for (const o of qr.options) {
      const orow = ws.getRow(o.row);
      for (let c = 1; c <= WIDTHS.length; c++) if (c !== COL.answer) locked(orow.getCell(c));
      orow.getCell(COL.section).value = qr.sectionTitle;
      orow.getCell(COL.text).value = o.label;
      orow.getCell(COL.text).alignment = { wrapText: true, vertical: 'top', indent: 2 };
      orow.getCell(COL.format).value = w.optionHint;
      const cell = orow.getCell(COL.answer);
      open(cell);
      cell.value = chosen.includes(o.optionId) ? CHOSEN : null;
      cell.dataValidation = { type: 'list', formulae: [lists.ref([CHOSEN])], allowBlank: true, showErrorMessage: true, errorStyle: 'stop', error: w.optionHint };
      orow.height = heightFor([[o.label, WIDTHS[2]! - 4], [qr.sectionTitle, WIDTHS[1]!]]);
    }
  }
  ws.views = [{ state: 'frozen', xSplit: 1, ySplit: HEADER_ROW, topLeftCell: 'B2', activeCell: `${String.fromCharCode(64 + COL.answer)}${HEADER_ROW + 2}` }];
  ws.pageSetup = {
    paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}`,
    margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 },
  };
  ws.headerFooter = { oddFooter: `&L${a.subject.name.replace(/&/g, '&&')}&R&P / &N` };
}

/**
 * Builds the workbook for an assessment as it stands: its questions in the assessment's language, answers already
 * given, and the signed binding. `dataKey` keys the signature (ITAKU_DATA_KEY).
 */
export async function buildWorkbook(a: Assessment, dataKey: Buffer, now = new Date()): Promise<Buffer> {
  const answers = await answersOf(a._id);
  const values = answerMap(answers);
  const { decisions, included } = includedQuestions(a, values);
  const layout = layoutFor(a, included, new Map(answers.map((x) => [x.questionId, x.version])));
  const musts = new Map(decisions.filter((d) => d.must).map((d) => [d.id, d.must!.level as string]));
  const w = WORDS[a.language];

  const wb = new ExcelJS.Workbook();
  wb.creator = 'Itaku';
  wb.created = now;
  wb.modified = now;
  const intro = wb.addWorksheet(w.sheets.instructions);
  const qs = wb.addWorksheet(w.sheets.questions);
  const lists = listSheet(wb);
  const hidden = wb.addWorksheet(BINDING_SHEET, { state: 'veryHidden' });
  instructions(intro, a, now);
  questionSheet(qs, a, layout, new Map(answers.map((x) => [x.questionId, x])), musts, lists);

  const rows: BindingRow[] = layout.questions.flatMap((qr) => [
    { row: qr.row, questionId: qr.question.id, optionId: '', version: qr.version },
    ...qr.options.map((o) => ({ row: o.row, questionId: qr.question.id, optionId: o.optionId, version: 0 })),
  ]);
  const texts = new Map(layout.questions.flatMap((qr) => [[qr.row, qr.text] as const, ...qr.options.map((o) => [o.row, o.label] as const)]));
  const unsigned = { format: WORKBOOK_FORMAT, assessmentId: a._id, templateId: a.templateId, templateVersion: a.templateVersion, language: a.language, sheet: w.sheets.questions, rows };
  const binding: Binding = { ...unsigned, generatedAt: now.toISOString(), signature: signatureOf(dataKey, unsigned, (r) => texts.get(r) ?? '') };
  bindingCells(binding).forEach((values, i) => values.forEach((v, j) => (hidden.getCell(i + 1, j + 1).value = v)));

  // Protection is not the security boundary (the signature is); it stops accidental edits. The password is random and
  // never told, so a low spin count loses nothing and keeps the hash from blocking the event loop (~0.45 s at 100,000).
  await qs.protect(crypto.randomBytes(16).toString('base64url'), { spinCount: 1000, selectLockedCells: true, selectUnlockedCells: true, formatColumns: true, formatRows: true });
  const protection = (qs as unknown as { sheetProtection: Record<string, unknown> }).sheetProtection;
  for (const ws of [intro, lists.ws, hidden]) (ws as unknown as { sheetProtection: Record<string, unknown> }).sheetProtection = { ...protection, formatColumns: false, formatRows: false };
  wb.views = [{ x: 0, y: 0, width: 20000, height: 12000, firstSheet: 0, activeTab: 1, visibility: 'visible' }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export function workbookFilename(a: Assessment): string {
  const safe = a.subject.name.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').slice(0, 60);
  return `${a.language === 'en' ? 'questionnaire' : '質問票'}_${safe}_${a.templateId}-${a.templateVersion}.xlsx`;
}

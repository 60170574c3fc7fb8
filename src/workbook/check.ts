/**
 * Checks a parsed workbook against the assessment it claims to be for, and works out what the import would change.
 * Pure: the caller reads the assessment and its answers, this decides. Problems are named by sheet and cell
 * (`質問票!G12`) so a vendor can find each one; nothing is imported while any remain.
 */
import type { Assessment } from '../assessments/assessment.model.js';
import type { Answer, AnswerValue } from '../assessments/answers.model.js';
import { checkAnswerValue } from '../assessments/answer-value.js';
import type { FieldError } from '../http/errors.js';
import { applicableQuestions, type Question } from '../questionnaires/index.js';
import { NA } from '../questionnaires/schema.js';
import { hasControlChars } from '../shared/text.js';
import { readBinding, signatureMatches, signatureOf, type Binding } from './binding.js';
import { cellText, readAnswer } from './cells.js';
import { BINDING_KEYS, BINDING_SHEET, COL, HEADER_ROW } from './constants.js';
import { cellRef, joinComment, pick, splitComment, type OptionRow } from './layout.js';
import type { PlainSheet, PlainWorkbook } from './plain.js';

/** One answer to write: `value` undefined keeps the stored value (only the comment changed). */
export interface ImportItem {
  questionId: string;
  row: number;
  value?: AnswerValue | null;
  comment: string;
  /** The answer's version the workbook was written against (what the write expects to find). */
  expectedVersion: number;
}

export interface CheckResult {
  problems: FieldError[];
  conflicts: (FieldError & { questionId: string })[];
  items: ImportItem[];
  /** Questions with something filled in that equals what is stored. */
  unchanged: number;
}

/** An answer as it was at a version (from its revision; version 0 is no answer). */
export type AtVersion = (questionId: string, version: number) => { value: AnswerValue | null; comment: string } | undefined;

const MAX_COMMENT = 4000;
const keyCell = (key: (typeof BINDING_KEYS)[number]) => `${BINDING_SHEET}!B${BINDING_KEYS.indexOf(key) + 1}`;
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function bindingProblems(a: Assessment, wb: PlainWorkbook): { binding: Binding; sheet: PlainSheet } | FieldError[] {
  if (!wb.binding) return [{ path: BINDING_SHEET, message: 'Itaku でダウンロードしたワークブックではありません（照合用の隠しシートがありません）。質問票のワークブックをダウンロードし直してください。' }];
  const b = readBinding(wb.binding);
  if (!b) return [{ path: BINDING_SHEET, message: 'ワークブックの照合情報が壊れています。ワークブックをダウンロードし直してください。' }];
  if (b.assessmentId !== a._id) return [{ path: keyCell('assessmentId'), message: `このワークブックは別の評価（${b.assessmentId.slice(0, 40)}）のものです。この評価のワークブックをダウンロードして回答してください。` }];
  if (b.templateId !== a.templateId || b.templateVersion !== a.templateVersion) {
    return [{ path: keyCell('templateVersion'), message: `質問票の版が異なります（ワークブック: ${b.templateId.slice(0, 40)} 第${b.templateVersion}版、この評価: ${a.templateId} 第${a.templateVersion}版）。` }];
  }
  if (b.language !== a.language) return [{ path: keyCell('language'), message: 'ワークブックの言語がこの評価と異なります。ダウンロードし直してください。' }];
  if (!wb.questions || wb.questions.name !== b.sheet) return [{ path: b.sheet.slice(0, 40), message: `シート「${b.sheet.slice(0, 40)}」がありません（シート名を変えたり削除したりしないでください）。` }];
  return { binding: b, sheet: wb.questions };
}

/** Rows where they were written, texts as written, nothing added: the texts expected come from the issued template. */
function structureProblems(a: Assessment, b: Binding, sheet: PlainSheet): FieldError[] {
  const problems: FieldError[] = [];
  const at = (col: number, row: number) => `${sheet.name}!${cellRef(col, row)}`;
  const textAt = (col: number, row: number) => cellText(sheet.cells[cellRef(col, row)]) ?? '';
  const bound = new Set<number>();
  for (const r of b.rows) {
    bound.add(r.row);
    const q = a.template.questions.find((x) => x.id === r.questionId);
    const option = q && r.optionId && 'options' in q.answer ? q.answer.options.find((o) => o.id === r.optionId) : undefined;
    if (!q || (r.optionId && !option)) {
      problems.push({ path: at(COL.id, r.row), message: `設問 ${r.questionId.slice(0, 20)} はこの質問票にありません` });
      continue;
    }
    const id = textAt(COL.id, r.row);
    if (id !== (r.optionId ? '' : q.id)) {
      problems.push({ path: at(COL.id, r.row), message: `設問 ${q.id} の行がありません（行が削除・移動・追加されています）` });
      continue;
    }
    const expected = option ? pick(option.label, a.language) : pick(q.text, a.language);
    if (textAt(COL.text, r.row) !== expected) problems.push({ path: at(COL.text, r.row), message: `設問 ${q.id} の${option ? '選択肢の' : ''}文言が変更されています` });
  }
  const headings = new Set(a.template.sections.map((s) => `${s.id} ${pick(s.title, a.language)}`));
  for (let row = HEADER_ROW + 1; row <= sheet.maxRow; row++) {
    const id = textAt(COL.id, row);
    if (id && !bound.has(row) && !headings.has(id)) problems.push({ path: at(COL.id, row), message: `設問が追加されています（「${id.slice(0, 20)}」）。行を追加しないでください` });
  }
  return problems;
}

/** A workbook whose binding, structure and signature hold, with its question sheet. */
export interface Verified {
  binding: Binding;
  sheet: PlainSheet;
}

/**
 * The checks that need no answers: the binding names this assessment and template version, rows and texts are as
 * written, nothing added, the signature holds, no formulas. Cheap, so a tampered or foreign file is refused before the
 * database is asked anything.
 */
export function verifyWorkbook(a: Assessment, wb: PlainWorkbook, dataKey: Buffer): Verified | FieldError[] {
  const bound = bindingProblems(a, wb);
  if (Array.isArray(bound)) return bound;
  const { binding: b, sheet } = bound;
  const structure = structureProblems(a, b, sheet);
  if (structure.length) return structure;
  const signature = signatureOf(dataKey, b, (row) => cellText(sheet.cells[cellRef(COL.text, row)]) ?? '');
  if (!signatureMatches(signature, b.signature)) {
    return [{ path: keyCell('signature'), message: '署名が一致しません。照合情報が変更されたか、別のサーバーで作成されたワークブックです。ダウンロードし直してください。' }];
  }
  const formulas = Object.entries(sheet.cells).filter(([, cell]) => cell.t === 'f');
  return formulas.length ? formulas.map(([ref]) => ({ path: `${sheet.name}!${ref}`, message: '数式は使えません（計算はしません）。値を直接入力してください' })) : bound;
}

/**
 * The answers of a verified workbook against the stored ones: values by the browser's rules, applicability with the
 * merged answers, and finally conflicts: a question the workbook edits whose answer also changed since the download.
 * A question the workbook leaves as written is no conflict, whatever happened to it meanwhile.
 */
export function checkAnswers(a: Assessment, { binding: b, sheet }: Verified, current: Answer[], atVersion: AtVersion): CheckResult {
  const result: CheckResult = { problems: [], conflicts: [], items: [], unchanged: 0 };
  const at = (col: number, row: number) => `${sheet.name}!${cellRef(col, row)}`;
  const byId = new Map(current.map((x) => [x.questionId, x]));
  const edits: { q: Question; row: number; value: AnswerValue | null | undefined; comment: string; version: number; stale: boolean }[] = [];
  for (const r of b.rows.filter((x) => !x.optionId)) {
    const q = a.template.questions.find((x) => x.id === r.questionId)!;
    const options: { row: OptionRow; cell: (typeof sheet.cells)[string] | undefined }[] = b.rows
      .filter((x) => x.questionId === q.id && x.optionId)
      .map((x) => ({ row: { row: x.row, optionId: x.optionId, label: '' }, cell: sheet.cells[cellRef(COL.answer, x.row)] }));
    const read = readAnswer(q, sheet.cells[cellRef(COL.answer, r.row)], a.language, options);
    let value: AnswerValue | null | undefined;
    if (!read.ok) result.problems.push({ path: at(COL.answer, r.row), message: `設問 ${q.id}: ${read.message}` });
    else if (read.raw !== undefined) {
      const checked = checkAnswerValue(q, read.raw);
      if (!checked.ok) result.problems.push({ path: at(COL.answer, r.row), message: `設問 ${q.id}: ${checked.message}` });
      else value = checked.value;
    }
    const commentCell = cellText(sheet.cells[cellRef(COL.comment, r.row)]);
    const evidenceCell = cellText(sheet.cells[cellRef(COL.evidence, r.row)]);
    // Edits are what differs from the workbook as written; a blank cell is never an edit.
    const stored = byId.get(q.id);
    const stale = (stored?.version ?? 0) !== r.version;
    const written = stale ? atVersion(q.id, r.version) : { value: stored?.value ?? null, comment: stored?.comment ?? '' };
    if (!written) {
      result.problems.push({ path: at(COL.answer, r.row), message: `設問 ${q.id}: ワークブックに記録された回答の版（${r.version}）が見つかりません` });
      continue;
    }
    const then = splitComment(written.comment);
    const edited = (value !== undefined && !same(value, written.value)) || (commentCell !== undefined && commentCell !== then.comment) || (evidenceCell !== undefined && evidenceCell !== then.evidence);
    if (!edited) {
      if (value !== undefined || commentCell !== undefined || evidenceCell !== undefined) result.unchanged++;
      continue;
    }
    const now = splitComment(stored?.comment ?? '');
    const comment = joinComment(commentCell ?? now.comment, evidenceCell ?? now.evidence);
    // Already so (the same workbook uploaded twice): nothing to write, and no conflict.
    if ((value === undefined || same(value, stored?.value)) && comment === (stored?.comment ?? '')) {
      result.unchanged++;
      continue;
    }
    if (comment.length > MAX_COMMENT) result.problems.push({ path: at(COL.comment, r.row), message: `設問 ${q.id}: 補足と証跡の参照は合わせて${MAX_COMMENT}文字以内にしてください` });
    else if (hasControlChars(comment)) result.problems.push({ path: at(COL.comment, r.row), message: `設問 ${q.id}: 補足に制御文字は使えません` });
    edits.push({ q, row: r.row, value, comment, version: r.version, stale });
  }
  if (result.problems.length) return result;

  // Follow-ups are judged with the answers as they would be after the import.
  const merged: Record<string, AnswerValue> = {};
  for (const x of current) if (x.value !== null && x.value !== undefined) merged[x.questionId] = x.value;
  for (const e of edits) if (e.value !== undefined && e.value !== null) merged[e.q.id] = e.value;
  const decisions = new Map(applicableQuestions(a.template, a.facts, merged).questions.map((d) => [d.id, d]));
  for (const e of edits) {
    const d = decisions.get(e.q.id);
    if (!d?.applies) {
      const why = (a.language === 'en' ? d?.reason.en : d?.reason.ja) ?? '';
      result.problems.push({ path: at(COL.answer, e.row), message: `設問 ${e.q.id} は今回の回答では対象外のため、空欄にしてください（${why}）` });
    } else if (e.q.answer.type === 'file' && e.value !== undefined && e.value !== NA) {
      result.problems.push({ path: at(COL.answer, e.row), message: `設問 ${e.q.id}: ファイルはWeb画面で添付してください` });
    }
  }
  if (result.problems.length) return result;

  for (const e of edits) {
    if (e.stale) {
      result.conflicts.push({ questionId: e.q.id, path: at(COL.answer, e.row), message: `設問 ${e.q.id}: ワークブックのダウンロード後に、Web画面などで回答が変更されています。最新のワークブックをダウンロードしてから入力し直してください。` });
      continue;
    }
    result.items.push({ questionId: e.q.id, row: e.row, ...(e.value !== undefined ? { value: e.value } : {}), comment: e.comment, expectedVersion: e.version });
  }
  return result;
}

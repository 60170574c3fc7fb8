/**
 * What the questionnaire workbook holds, independent of exceljs: which questions go on which rows, the words shown,
 * and how an answer value maps to a cell and back. The writer (build.ts) and the import check (check.ts) share it, so
 * what is written is exactly what is expected back.
 */
import { describe } from '../conditions/index.js';
import type { Assessment } from '../assessments/assessment.model.js';
import type { AnswerValue } from '../assessments/answers.model.js';
import { applicableQuestions, templateScope, type LocalText, type Question, type QuestionDecision } from '../questionnaires/index.js';
import { NA } from '../questionnaires/schema.js';
import { WORDS, type Lang } from './words.js';

import { HEADER_ROW } from './constants.js';

export { BINDING_SHEET, COL, HEADER_ROW, LISTS_SHEET, WORKBOOK_FORMAT } from './constants.js';
/** The evidence-reference column is kept in the answer's comment after this marker, so it comes back on the next download. */
export const EVIDENCE_MARKER = '【証跡の参照】';
/** What marks a chosen option of a multiple-choice question. */
export const CHOSEN = '○';
export const CHOSEN_ALIASES = new Set(['○', '〇', '◯', '●', '✓', '✔']);

export const pick = (t: LocalText | undefined, lang: Lang): string => (t ? (lang === 'en' && t.en ? t.en : t.ja) : '');
export const columnLetter = (c: number) => String.fromCharCode(64 + c);
export const cellRef = (col: number, row: number) => `${columnLetter(col)}${row}`;

export interface OptionRow {
  row: number;
  optionId: string;
  label: string;
}

export interface QuestionRow {
  row: number;
  question: Question;
  sectionTitle: string;
  text: string;
  /** Rows of a multiple-choice question's options, each marked ○ or left blank. */
  options: OptionRow[];
  /** For follow-ups: when they are to be answered. */
  whenNote: string | null;
  /** The stored answer's version when the workbook was written (0: none). */
  version: number;
}

export interface SectionRow {
  row: number;
  title: string;
}

export interface Layout {
  lang: Lang;
  sections: SectionRow[];
  questions: QuestionRow[];
  lastRow: number;
}

/**
 * Decision: questions that apply now, plus follow-ups (and other answer-dependent questions) that would apply with
 * some answer, each with a note saying when to answer it. A vendor working offline can change the answer a follow-up
 * hangs on, and has no browser to make it appear; questions left out by the subject's facts are not in the workbook.
 */
export function includedQuestions(assessment: Assessment, values: Record<string, AnswerValue>): { decisions: QuestionDecision[]; included: Set<string> } {
  const now = applicableQuestions(assessment.template, assessment.facts, values);
  const open = applicableQuestions(assessment.template, assessment.facts, {});
  const included = new Set([...now.applicable, ...open.questions.filter((d) => d.status !== 'excluded').map((d) => d.id)]);
  return { decisions: now.questions, included };
}

export function whenNote(assessment: Assessment, q: Question, lang: Lang): string | null {
  const cond = q.followUp?.when ?? q.applies;
  if (!cond || !cond.text.includes('answer.')) return null;
  return WORDS[lang].followUpNote(describe(cond.ast, { lang, scope: templateScope(assessment.template) }));
}

/** Rows of the question sheet: a heading row per section, then its questions, options under their question. */
export function layoutFor(assessment: Assessment, included: Set<string>, versions: Map<string, number>): Layout {
  const lang = assessment.language;
  const sections: SectionRow[] = [];
  const questions: QuestionRow[] = [];
  let row = HEADER_ROW;
  for (const s of assessment.template.sections) {
    const qs = s.questionIds.filter((id) => included.has(id)).map((id) => assessment.template.questions.find((q) => q.id === id)!);
    if (qs.length === 0) continue;
    const title = `${s.id} ${pick(s.title, lang)}`;
    sections.push({ row: ++row, title });
    for (const q of qs) {
      const qr: QuestionRow = { row: ++row, question: q, sectionTitle: title, text: pick(q.text, lang), options: [], whenNote: whenNote(assessment, q, lang), version: versions.get(q.id) ?? 0 };
      if (q.answer.type === 'multiple-choice') qr.options = q.answer.options.map((o) => ({ row: ++row, optionId: o.id, label: pick(o.label, lang) }));
      questions.push(qr);
    }
  }
  return { lang, sections, questions, lastRow: row };
}

/** The drop-down choices of an answer cell, value and label; empty when the cell takes typed input. */
export function choicesOf(q: Question, lang: Lang): { value: string; label: string }[] {
  const w = WORDS[lang];
  const a = q.answer;
  const na = a.notApplicable ? [{ value: NA, label: w.na }] : [];
  switch (a.type) {
    case 'yes-no':
      return [{ value: 'yes', label: w.yes }, ...(a.partial ? [{ value: 'partial', label: w.partial }] : []), { value: 'no', label: w.no }, ...na];
    case 'single-choice':
      return [...a.options.map((o) => ({ value: o.id, label: pick(o.label, lang) })), ...na];
    case 'multiple-choice':
    case 'file':
      return na;
    default:
      return [];
  }
}

/** A stored value as the answer cell shows it: labels for choices, a real date for dates (ISO, no 和暦). */
export function valueToCell(q: Question, value: AnswerValue | null | undefined, lang: Lang): string | number | Date | null {
  if (value === null || value === undefined) return null;
  if (value === NA) return WORDS[lang].na;
  const a = q.answer;
  if (a.type === 'yes-no' || a.type === 'single-choice') return choicesOf(q, lang).find((c) => c.value === value)?.label ?? String(value);
  if (a.type === 'date' && typeof value === 'string') return new Date(`${value}T00:00:00Z`);
  if (a.type === 'multiple-choice') return null;
  return value as string | number;
}

export function splitComment(stored: string): { comment: string; evidence: string } {
  const at = stored.lastIndexOf(`\n${EVIDENCE_MARKER}`);
  if (stored.startsWith(EVIDENCE_MARKER)) return { comment: '', evidence: stored.slice(EVIDENCE_MARKER.length) };
  if (at < 0) return { comment: stored, evidence: '' };
  return { comment: stored.slice(0, at), evidence: stored.slice(at + 1 + EVIDENCE_MARKER.length) };
}

export function joinComment(comment: string, evidence: string): string {
  if (!evidence) return comment;
  return comment ? `${comment}\n${EVIDENCE_MARKER}${evidence}` : `${EVIDENCE_MARKER}${evidence}`;
}

/** The format column: what kind of answer, its range or length, and whether 該当なし is allowed. */
export function formatText(q: Question, lang: Lang): string {
  const w = WORDS[lang];
  const a = q.answer;
  const base = (() => {
    switch (a.type) {
      case 'yes-no':
      case 'single-choice':
        return w.formatChoice(choicesOf(q, lang).map((c) => c.label));
      case 'multiple-choice':
        return w.formatMulti;
      case 'number':
        return w.formatNumber(a.min, a.max, pick(a.unit, lang), a.integer);
      case 'date':
        return w.formatDate;
      case 'text':
        return w.formatText(a.maxLength);
      case 'file':
        return w.formatFile;
    }
  })();
  return a.notApplicable && a.type !== 'yes-no' && a.type !== 'single-choice' ? `${base}${w.naAllowed}` : base;
}

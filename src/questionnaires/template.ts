/**
 * A questionnaire template after loading: plain data (conditions carried as text and syntax tree), so an assessment
 * can store it as its snapshot and score against exactly what was issued.
 */
import type { Expr, FieldInfo, Label, Scope } from '../conditions/index.js';
import { subjectScope } from '../conditions/index.js';
import type { SubjectKind } from './facts.js';
import { type MustLevel, NA } from './schema.js';

export type { MustLevel };

export interface LocalText {
  ja: string;
  en?: string;
}

/** A condition as written and as parsed; `line` is where it sits in its file. */
export interface CompiledCondition {
  text: string;
  ast: Expr;
  line: number;
}

export interface OptionSpec {
  id: string;
  label: LocalText;
  points: number;
}

/** Number thresholds: with `max`, the first threshold whose max ≥ the value gives its points (ascending);
 * with `min`, the first whose min ≤ the value (descending). Bounds are inclusive. */
export interface ThresholdSpec {
  bound: 'max' | 'min';
  value: number;
  points: number;
}

export type AnswerSpec =
  | { type: 'yes-no'; partial: boolean; notApplicable: boolean }
  | { type: 'single-choice'; options: OptionSpec[]; notApplicable: boolean }
  | { type: 'multiple-choice'; options: OptionSpec[]; notApplicable: boolean }
  | {
      type: 'number';
      unit: LocalText;
      min: number;
      max: number;
      integer: boolean;
      thresholds: ThresholdSpec[];
      /** Points for a value no threshold covers. */
      otherwise: number;
      notApplicable: boolean;
    }
  | { type: 'date'; notApplicable: boolean }
  | { type: 'text'; maxLength: number; notApplicable: boolean }
  | { type: 'file'; notApplicable: boolean };

export type AnswerType = AnswerSpec['type'];

export interface MustRuleSpec {
  when?: CompiledCondition;
  /** YYYY-MM-DD: the rule holds from this date (facts.date) on. */
  from?: string;
  level: MustLevel;
}

export interface MustSpec {
  level: MustLevel;
  rules: MustRuleSpec[];
}

export interface EvidenceSpec {
  level: 'none' | 'optional' | 'required';
  what?: LocalText;
  /** When evidence is asked for at all (may read this question's own answer). */
  when?: CompiledCondition;
}

export interface Sources {
  guideline?: string[];
  iso27001?: string[];
  iso27017?: string[];
  ismap?: string[];
  law?: string[];
  contract?: number[];
  other?: string[];
}

export interface Question {
  id: string;
  section: string;
  text: LocalText;
  help?: LocalText;
  answer: AnswerSpec;
  weight: 1 | 2 | 3;
  must: MustSpec;
  evidence: EvidenceSpec;
  applies?: CompiledCondition;
  followUp?: { of: string; when: CompiledCondition };
  sources: Sources;
  line: number;
}

export interface Section {
  id: string;
  title: LocalText;
  questionIds: string[];
}

export interface Template {
  id: string;
  version: number;
  /** `<id>@<version>`, also the file name without `.yaml`. */
  key: string;
  status: 'draft' | 'published';
  title: LocalText;
  notes?: LocalText;
  subjects: SubjectKind[];
  respondent: 'vendor' | 'staff';
  /** When this template is the one for a subject (besides its kind being in `subjects`). */
  when?: CompiledCondition;
  sections: Section[];
  /** All questions in document order. */
  questions: Question[];
  file: string;
  /** sha256 of the file (BOM removed, CRLF as LF), as recorded in the lock file. */
  sha256: string;
  origin: 'shipped' | 'override';
}

const YES_NO_LABELS: Record<string, Label> = {
  yes: { ja: 'はい', en: 'yes' },
  partial: { ja: '一部', en: 'partly' },
  no: { ja: 'いいえ', en: 'no' },
  [NA]: { ja: '該当なし', en: 'not applicable' },
};

/** The values an answer can hold, as a condition field type (`answer.A02 == "certified"` is checked against it). */
export function answerField(question: { id: string; answer: AnswerSpec }): FieldInfo {
  const label = { ja: `設問${question.id}の回答`, en: `answer to ${question.id}` };
  const a = question.answer;
  const withNa = (values: string[]): string[] => (a.notApplicable ? [...values, NA] : values);
  const optionLabels = (options: OptionSpec[]): Record<string, Label> =>
    Object.fromEntries([...options.map((o) => [o.id, o.label] as const), [NA, YES_NO_LABELS[NA] as Label]]);
  switch (a.type) {
    case 'yes-no': {
      const values = withNa(a.partial ? ['yes', 'partial', 'no'] : ['yes', 'no']);
      return { type: { kind: 'enum', values, nullable: false, labels: YES_NO_LABELS }, label };
    }
    case 'single-choice':
      return {
        type: { kind: 'enum', values: withNa(a.options.map((o) => o.id)), nullable: false, labels: optionLabels(a.options) },
        label,
      };
    case 'multiple-choice':
      return { type: { kind: 'set', values: a.options.map((o) => o.id), labels: optionLabels(a.options) }, label };
    case 'number':
      return { type: { kind: 'number', min: a.min, max: a.max, nullable: false, na: a.notApplicable }, label };
    case 'date':
      return { type: { kind: 'date', nullable: false, na: a.notApplicable }, label };
    default:
      return { type: { kind: 'opaque' }, label };
  }
}

/** The scope for explaining a template's conditions: the subject's facts plus every question's answer. */
export function templateScope(template: Pick<Template, 'questions'>): Scope {
  return subjectScope(new Map(template.questions.map((q) => [q.id, answerField(q)])));
}

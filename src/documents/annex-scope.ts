/**
 * What a clause's `when` may read: the subject's facts (the same names as questionnaires) plus what only an annex
 * knows. Kept apart from the loader so the builder and the reference check evaluate against exactly one definition.
 */
import { type FieldInfo, type Scope, subjectFields } from '../conditions/index.js';
import type { SubjectFacts } from '../questionnaires/facts.js';

/** Fields a clause may use beyond SubjectFacts. Documented in exports/README.md. */
export const annexFields = {
  'annex.hasConditions': {
    type: { kind: 'boolean' },
    label: { ja: '承認に条件が付されている', en: 'the decision has conditions' },
  },
} as const satisfies Record<string, FieldInfo>;

// In an annex `date` is the annex date (contract start, else issue date), not the day of an assessment.
const annexDate: FieldInfo = { ...subjectFields.date, label: { ja: '特記事項の日付', en: 'annex date' } };

/** The scope of clause conditions: facts and annex fields, never questionnaire answers (an annex has none). */
export function annexScope(): Scope {
  return { fields: { ...subjectFields, date: annexDate, ...annexFields }, answers: 'none' };
}

/** The object clause conditions read: the facts, dated on the annex date, and the annex fields under `annex`. */
export function annexFacts(facts: SubjectFacts, annexDate: string, hasConditions: boolean): object {
  return { ...facts, date: annexDate, annex: { hasConditions } };
}

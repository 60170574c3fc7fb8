/**
 * What a condition may name, and what each name holds. The parser checks every field and every literal against this,
 * so a typo in a template ("segment == \"mynumbr\"") stops start-up instead of silently never matching.
 */

/** A label in Japanese and, where written, English. */
export interface Label {
  ja: string;
  en?: string;
}

export type FieldType =
  | { kind: 'boolean' }
  | { kind: 'enum'; values: readonly string[]; nullable: boolean; labels?: Readonly<Record<string, Label>> }
  | { kind: 'number'; min: number; max: number; nullable: boolean; na?: boolean }
  | { kind: 'string' }
  | { kind: 'date'; nullable: boolean; na?: boolean }
  /** A multiple-choice answer: a set of option ids. */
  | { kind: 'set'; values: readonly string[]; labels?: Readonly<Record<string, Label>> }
  /** A text or file answer: only `is answered` applies. */
  | { kind: 'opaque' }
  /** An answer whose question is not known to the parser (scope `answers: 'any'`): any comparison is accepted. */
  | { kind: 'unknown' };

export interface FieldInfo {
  type: FieldType;
  label: Label;
}

/**
 * The names a condition may use. `answers` lists the questions whose answers may be read as `answer.<id>`:
 * `'none'` forbids answers (e.g. a clause evaluated before any questionnaire), `'any'` accepts any well-formed id
 * without type checks (useful in tools and tests).
 */
export interface Scope {
  fields: Readonly<Record<string, FieldInfo>>;
  answers: 'none' | 'any' | ReadonlyMap<string, FieldInfo>;
  /** Explains why an answer id is not in `answers` (e.g. "the question comes later"); a generic message otherwise. */
  unknownAnswer?: (id: string) => string | undefined;
}

export const ANSWER_PREFIX = 'answer.';

/** Looks a name up in the scope; undefined when unknown. */
export function fieldInfo(scope: Scope, name: string): FieldInfo | undefined {
  if (name.startsWith(ANSWER_PREFIX)) {
    const id = name.slice(ANSWER_PREFIX.length);
    if (scope.answers === 'none') return undefined;
    if (scope.answers === 'any') return { type: { kind: 'unknown' }, label: { ja: `回答 ${id}`, en: `answer ${id}` } };
    return scope.answers.get(id);
  }
  return Object.hasOwn(scope.fields, name) ? scope.fields[name] : undefined;
}

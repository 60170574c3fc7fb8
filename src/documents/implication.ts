/**
 * "Whenever clause A is in an annex, is clause B too?" — decided exactly for the condition language, so a reference
 * from A to B (第５条) can never dangle. Conditions only compare fields with literals, so the literals split each
 * field's values into a few classes; trying one value of every class, for every field the two conditions read, covers
 * every case. A counterexample is returned so the problem can say when the reference would break.
 */
import { type Expr, evaluate, fieldInfo, fieldsOf, type FieldType, type LiteralValue, type Scope } from '../conditions/index.js';
import { addDays } from '../shared/dates.js';

/** More combinations than this is not hand-written content; the author is asked to simplify. */
export const MAX_COMBINATIONS = 100_000;

/** Values for the fields two conditions read: a subject for which the implication fails. */
export type Assignment = ReadonlyMap<string, unknown>;

function literalsFor(exprs: readonly Expr[], name: string): LiteralValue[] {
  const out: LiteralValue[] = [];
  const visit = (e: Expr): void => {
    switch (e.type) {
      case 'and':
      case 'or':
        e.items.forEach(visit);
        return;
      case 'not':
        visit(e.item);
        return;
      case 'compare':
        if (e.left.type === 'field' && e.left.name === name && e.right.type === 'literal') out.push(e.right.value);
        if (e.right.type === 'field' && e.right.name === name && e.left.type === 'literal') out.push(e.left.value);
        return;
      case 'in':
        if (e.field.name === name) out.push(...e.list.map((l) => l.value));
        return;
      case 'contains':
        if (e.field.name === name) out.push(e.value.value);
        return;
      default:
        return;
    }
  };
  exprs.forEach(visit);
  return out;
}

/** One representative value per class of values the literals distinguish. */
function domainOf(type: FieldType, literals: LiteralValue[]): unknown[] {
  const withNull = (values: unknown[], nullable: boolean): unknown[] => (nullable ? [...values, null] : values);
  switch (type.kind) {
    case 'boolean':
      return [true, false];
    case 'enum':
      return withNull([...type.values], type.nullable);
    case 'number': {
      const values = new Set<unknown>(literals.filter((l) => typeof l === 'number'));
      if (type.max - type.min <= 50) for (let n = type.min; n <= type.max; n++) values.add(n);
      for (const l of literals) if (typeof l === 'number') values.add(l - 0.5).add(l + 0.5);
      return withNull([...values], type.nullable);
    }
    case 'date': {
      const dates = literals.filter((l): l is string => typeof l === 'string');
      const values = new Set<unknown>(dates.length ? [] : ['2000-01-01']);
      for (const d of dates) values.add(addDays(d, -1)).add(d).add(addDays(d, 1));
      return withNull([...values], type.nullable);
    }
    case 'string':
      return [...new Set(literals.filter((l) => typeof l === 'string')), '\u0000その他'];
    default:
      return [undefined];
  }
}

function factsOf(assignment: Assignment): object {
  const root: Record<string, unknown> = {};
  for (const [name, value] of assignment) {
    const parts = name.split('.');
    let node = root;
    for (const part of parts.slice(0, -1)) {
      node[part] ??= {};
      node = node[part] as Record<string, unknown>;
    }
    node[parts[parts.length - 1]!] = value;
  }
  return root;
}

/**
 * An assignment of the fields read where `given` holds and `then` does not, or null when `given` implies `then`.
 * An absent condition is "always". `'too_complex'` when the fields have more than MAX_COMBINATIONS value classes.
 */
export function counterexample(given: Expr | undefined, then: Expr | undefined, scope: Scope): Assignment | null | 'too_complex' {
  if (!then) return null;
  const exprs = given ? [given, then] : [then];
  const names = [...new Set(exprs.flatMap(fieldsOf))];
  const domains = names.map((name) => {
    const info = fieldInfo(scope, name);
    return info ? domainOf(info.type, literalsFor(exprs, name)) : [undefined];
  });
  if (domains.reduce((n, d) => n * d.length, 1) > MAX_COMBINATIONS) return 'too_complex';
  const index = names.map(() => 0);
  for (;;) {
    const assignment = new Map(names.map((name, i) => [name, domains[i]![index[i]!]]));
    const ctx = { facts: factsOf(assignment) };
    if ((!given || evaluate(given, ctx)) && !evaluate(then, ctx)) return assignment;
    // Odometer over the domains.
    let i = 0;
    while (i < index.length && index[i]! + 1 >= domains[i]!.length) index[i++] = 0;
    if (i === index.length) return null;
    index[i] = index[i]! + 1;
  }
}

/** Both conditions at once; either may be absent ("always"). */
export function both(a: Expr | undefined, b: Expr | undefined): Expr | undefined {
  if (!a) return b;
  if (!b) return a;
  return { type: 'and', items: [a, b], at: 0 };
}

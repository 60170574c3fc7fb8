import type { Expr, Leaf, Operand } from './ast.js';
import { ANSWER_PREFIX } from './scope.js';
import { isIsoDate } from './dates.js';

/**
 * Answers by question id. A value is an option id (`"yes"`, `"partial"`, `"no"`, `"na"` or a choice's id), a number,
 * a `YYYY-MM-DD` date, a text, an array of option ids (multiple choice) or an object (a file). Anything else is
 * treated as an answer that matches no literal.
 */
export type Answers = Readonly<Record<string, unknown>>;

export interface EvalContext {
  /** The subject's facts (SubjectFacts) or any object the scope describes. */
  facts: object;
  answers?: Answers;
}

/** What a field held when a condition was evaluated; `undefined` is "not answered" / missing. */
export interface Observation {
  name: string;
  value: unknown;
}

// Deeper trees cannot come from parseCondition; a hand-built one is answered false as a whole (not flipped by the
// `not`s above the cut) rather than overflowing the stack.
const MAX_EVAL_DEPTH = 64;

/** Reads a field: `answer.<id>` from the answers, anything else as a dotted path into the facts (own keys only). */
export function readField(ctx: EvalContext, name: string): unknown {
  if (name.startsWith(ANSWER_PREFIX)) {
    const answers = ctx.answers;
    const id = name.slice(ANSWER_PREFIX.length);
    return answers && typeof answers === 'object' && Object.hasOwn(answers, id) ? answers[id] : undefined;
  }
  let current: unknown = ctx.facts;
  for (const part of name.split('.')) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

export function isAnswered(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

function equals(value: unknown, other: unknown): boolean {
  if (other === null || other === undefined) return value === null || value === undefined;
  if (typeof other === 'number') return typeof value === 'number' && value === other;
  return value === other;
}

function ordered(a: unknown, b: unknown): number | null {
  if (typeof a === 'number' && typeof b === 'number' && Number.isFinite(a) && Number.isFinite(b)) return a - b;
  if (typeof a === 'string' && typeof b === 'string' && isIsoDate(a) && isIsoDate(b)) return a < b ? -1 : a > b ? 1 : 0;
  return null;
}

function operandValue(ctx: EvalContext, operand: Operand): unknown {
  return operand.type === 'field' ? readField(ctx, operand.name) : operand.value;
}

function evalLeaf(leaf: Leaf, ctx: EvalContext): boolean {
  switch (leaf.type) {
    case 'const':
      return leaf.value === true;
    case 'truthy':
      return readField(ctx, leaf.field.name) === true;
    case 'answered':
      return isAnswered(readField(ctx, leaf.field.name)) !== (leaf.negated === true);
    case 'in': {
      const value = readField(ctx, leaf.field.name);
      const found = Array.isArray(leaf.list) && leaf.list.some((item) => equals(value, item?.value));
      return found !== (leaf.negated === true);
    }
    case 'contains': {
      const value = readField(ctx, leaf.field.name);
      const found = Array.isArray(value) && value.includes(leaf.value?.value);
      return found !== (leaf.negated === true);
    }
    case 'compare': {
      const a = operandValue(ctx, leaf.left);
      const b = operandValue(ctx, leaf.right);
      if (leaf.op === '==') return equals(a, b);
      if (leaf.op === '!=') return !equals(a, b);
      const diff = ordered(a, b);
      if (diff === null) return false;
      switch (leaf.op) {
        case '<':
          return diff < 0;
        case '<=':
          return diff <= 0;
        case '>':
          return diff > 0;
        case '>=':
          return diff >= 0;
        default:
          return false;
      }
    }
    default:
      return false;
  }
}

/** Thrown (and caught in evaluate/explain) when a hand-built tree is deeper than any parsed one can be. */
const TOO_DEEP = Symbol('too deep');

function evalAt(expr: Expr, ctx: EvalContext, depth: number): boolean {
  if (depth > MAX_EVAL_DEPTH) throw TOO_DEEP;
  if (expr === null || typeof expr !== 'object') return false;
  switch (expr.type) {
    case 'and':
      return Array.isArray(expr.items) && expr.items.every((item) => evalAt(item, ctx, depth + 1));
    case 'or':
      return Array.isArray(expr.items) && expr.items.some((item) => evalAt(item, ctx, depth + 1));
    case 'not':
      return !evalAt(expr.item, ctx, depth + 1);
    default:
      return evalLeaf(expr, ctx);
  }
}

/**
 * Evaluates a condition. Pure and total: it reads only `ctx`, never throws for a tree from parseCondition, and a
 * missing fact or an unanswered question simply matches nothing (`==` false, `!=` true, `<` false, `in` false).
 */
export function evaluate(expr: Expr, ctx: EvalContext): boolean {
  try {
    return evalAt(expr, ctx, 0);
  } catch {
    // Only reachable with a hand-built tree or a hostile object (a throwing getter); false is the safe answer.
    return false;
  }
}

export interface Explanation {
  value: boolean;
  /** The comparisons that decided the result, with what each field held. */
  decisive: { leaf: Leaf; value: boolean; observed: Observation[] }[];
}

function observe(leaf: Leaf, ctx: EvalContext): Observation[] {
  const names: string[] = [];
  if (leaf.type === 'compare') {
    for (const side of [leaf.left, leaf.right]) if (side.type === 'field') names.push(side.name);
  } else if (leaf.type !== 'const') {
    names.push(leaf.field.name);
  }
  return names.map((name) => ({ name, value: readField(ctx, name) }));
}

function explainAt(expr: Expr, ctx: EvalContext, depth: number): Explanation {
  if (depth > MAX_EVAL_DEPTH) throw TOO_DEEP;
  switch (expr.type) {
    case 'and':
    case 'or': {
      const parts = expr.items.map((item) => explainAt(item, ctx, depth + 1));
      const value = expr.type === 'and' ? parts.every((p) => p.value) : parts.some((p) => p.value);
      // An `and` that failed is explained by its first false part; an `or` that held, by its first true part;
      // otherwise every part counted.
      const short = expr.type === 'and' ? !value : value;
      const decisive = short ? (parts.find((p) => p.value === value)?.decisive ?? []) : parts.flatMap((p) => p.decisive);
      return { value, decisive };
    }
    case 'not': {
      const inner = explainAt(expr.item, ctx, depth + 1);
      return { value: !inner.value, decisive: inner.decisive };
    }
    default: {
      const value = evalLeaf(expr, ctx);
      return { value, decisive: [{ leaf: expr, value, observed: observe(expr, ctx) }] };
    }
  }
}

/** Evaluates and says why: the comparisons that decided the result and the values they saw. Same result as evaluate. */
export function explain(expr: Expr, ctx: EvalContext): Explanation {
  try {
    return explainAt(expr, ctx, 0);
  } catch {
    return { value: false, decisive: [] };
  }
}

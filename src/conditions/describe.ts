/**
 * Conditions back to text: `toText` gives the canonical form (parseable again, same tree), `describe` gives a reading
 * for people in Japanese or English using the field and value labels of the scope, and `explainText` says why a
 * condition came out true or false with the values it saw.
 */
import type { CompareOp, Expr, Leaf, Literal, LiteralValue, Operand } from './ast.js';
import type { Explanation, Observation } from './evaluate.js';
import { isAnswered } from './evaluate.js';
import { type FieldInfo, fieldInfo, type Scope } from './scope.js';
import { isIsoDate, toWareki } from './dates.js';
import { subjectScope } from './subject-fields.js';

export type Lang = 'ja' | 'en';

function quote(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

function numberText(n: number): string {
  const plain = String(n);
  if (!plain.includes('e')) return plain;
  return n.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
}

export function literalText(value: LiteralValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number') return numberText(value);
  return String(value);
}

const operandText = (o: Operand): string => (o.type === 'field' ? o.name : literalText(o.value));

/** The canonical text of a condition: parseCondition(toText(e)) gives back the same tree (apart from offsets). */
export function toText(expr: Expr): string {
  switch (expr.type) {
    case 'and':
      return expr.items.map((e) => (e.type === 'and' || e.type === 'or' ? `(${toText(e)})` : toText(e))).join(' and ');
    case 'or':
      return expr.items.map((e) => (e.type === 'or' ? `(${toText(e)})` : toText(e))).join(' or ');
    case 'not':
      return expr.item.type === 'and' || expr.item.type === 'or' ? `not (${toText(expr.item)})` : `not ${toText(expr.item)}`;
    case 'const':
      return String(expr.value);
    case 'truthy':
      return expr.field.name;
    case 'compare':
      return `${operandText(expr.left)} ${expr.op} ${operandText(expr.right)}`;
    case 'in':
      return `${expr.field.name} ${expr.negated ? 'not in' : 'in'} [${expr.list.map((l) => literalText(l.value)).join(', ')}]`;
    case 'contains':
      return `${expr.field.name} ${expr.negated ? 'not contains' : 'contains'} ${literalText(expr.value.value)}`;
    case 'answered':
      return `${expr.field.name} is ${expr.negated ? 'not answered' : 'answered'}`;
  }
}

interface Ctx {
  lang: Lang;
  scope?: Scope;
}

function info(ctx: Ctx, name: string): FieldInfo | undefined {
  return ctx.scope ? fieldInfo(ctx.scope, name) : undefined;
}

function fieldLabel(ctx: Ctx, name: string): string {
  const label = info(ctx, name)?.label;
  if (!label) return name;
  return ctx.lang === 'en' ? (label.en ?? label.ja) : label.ja;
}

/** A value as people read it: enum and option labels, 和暦 dates in Japanese, 未回答 for a missing answer. */
export function valueText(ctx: Ctx, name: string, value: unknown): string {
  const ja = ctx.lang === 'ja';
  if (value === undefined || (name.startsWith('answer.') && !isAnswered(value))) return ja ? '未回答' : 'not answered';
  if (value === null) return ja ? '未設定' : 'not set';
  if (value === 'na') return ja ? '該当なし' : 'not applicable';
  if (typeof value === 'boolean') return value ? (ja ? 'はい' : 'yes') : ja ? 'いいえ' : 'no';
  const type = info(ctx, name)?.type;
  const labelOf = (v: string): string => {
    if (type && (type.kind === 'enum' || type.kind === 'set')) {
      const label = type.labels?.[v];
      if (label) return ja ? label.ja : (label.en ?? label.ja);
    }
    if (ja && isIsoDate(v)) return toWareki(v);
    return v;
  };
  if (typeof value === 'string') return labelOf(value);
  if (typeof value === 'number') return numberText(value);
  if (Array.isArray(value)) return value.map((v) => labelOf(String(v))).join(ja ? '・' : ', ');
  return ja ? '回答あり' : 'answered';
}

const JA_OPS: Record<CompareOp, (v: string, date: boolean) => string> = {
  '==': (v) => `が ${v}`,
  '!=': (v) => `が ${v} 以外`,
  '<': (v, d) => (d ? `が ${v} より前` : `が ${v} 未満`),
  '<=': (v, d) => (d ? `が ${v} 以前` : `が ${v} 以下`),
  '>': (v, d) => (d ? `が ${v} より後` : `が ${v} を超える`),
  '>=': (v, d) => (d ? `が ${v} 以降` : `が ${v} 以上`),
};
const EN_OPS: Record<CompareOp, string> = {
  '==': 'is',
  '!=': 'is not',
  '<': 'is below',
  '<=': 'is at most',
  '>': 'is above',
  '>=': 'is at least',
};
const FLIP: Record<CompareOp, CompareOp> = { '==': '==', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

function describeLeaf(leaf: Leaf, ctx: Ctx): string {
  const ja = ctx.lang === 'ja';
  switch (leaf.type) {
    case 'const':
      return leaf.value ? (ja ? '常に' : 'always') : ja ? '常に偽' : 'never';
    case 'truthy':
      return fieldLabel(ctx, leaf.field.name);
    case 'answered': {
      const label = fieldLabel(ctx, leaf.field.name);
      if (ja) return leaf.negated ? `${label} が未回答` : `${label} に回答あり`;
      return leaf.negated ? `${label} is not answered` : `${label} is answered`;
    }
    case 'contains': {
      const label = fieldLabel(ctx, leaf.field.name);
      const v = valueText(ctx, leaf.field.name, leaf.value.value);
      if (ja) return `${label} に「${v}」を${leaf.negated ? '含まない' : '含む'}`;
      return `${label} ${leaf.negated ? 'does not include' : 'includes'} "${v}"`;
    }
    case 'in': {
      const label = fieldLabel(ctx, leaf.field.name);
      const values = leaf.list.map((l: Literal) => valueText(ctx, leaf.field.name, l.value));
      if (ja) return `${label} が ${values.join('・')} ${leaf.negated ? 'のいずれでもない' : 'のいずれか'}`;
      return `${label} is ${leaf.negated ? 'none of' : 'one of'} ${values.join(', ')}`;
    }
    case 'compare': {
      const [field, other, op] =
        leaf.left.type === 'field' ? [leaf.left, leaf.right, leaf.op] : [leaf.right, leaf.left, FLIP[leaf.op]];
      const label = fieldLabel(ctx, field.type === 'field' ? field.name : '');
      if (other.type === 'literal' && typeof other.value === 'boolean' && (op === '==' || op === '!=')) {
        const positive = other.value === (op === '==');
        if (positive) return label;
        return ja ? `「${label}」ではない` : `not: ${label}`;
      }
      const name = field.type === 'field' ? field.name : '';
      const v = other.type === 'field' ? fieldLabel(ctx, other.name) : valueText(ctx, name, other.value);
      const isDate = other.type === 'literal' && typeof other.value === 'string' && isIsoDate(other.value);
      return ja ? `${label} ${JA_OPS[op](v, isDate)}` : `${label} ${EN_OPS[op]} ${v}`;
    }
  }
}

function describeAt(expr: Expr, ctx: Ctx): string {
  const ja = ctx.lang === 'ja';
  switch (expr.type) {
    case 'and':
    case 'or': {
      const joiner = expr.type === 'and' ? (ja ? ' かつ ' : ' and ') : ja ? ' または ' : ' or ';
      return expr.items
        .map((e) => (e.type === 'and' || e.type === 'or' ? (ja ? `（${describeAt(e, ctx)}）` : `(${describeAt(e, ctx)})`) : describeAt(e, ctx)))
        .join(joiner);
    }
    case 'not':
      return ja ? `「${describeAt(expr.item, ctx)}」ではない` : `not (${describeAt(expr.item, ctx)})`;
    default:
      return describeLeaf(expr, ctx);
  }
}

/** A condition in words, e.g. `機密性（3/2/1換算） が 2 以上 または 特定個人情報（マイナンバー）を取り扱う`. */
export function describe(expr: Expr, options: { lang?: Lang; scope?: Scope } = {}): string {
  return describeAt(expr, { lang: options.lang ?? 'ja', scope: options.scope ?? subjectScope('any') });
}

function observationText(o: Observation, ctx: Ctx): string {
  return `${fieldLabel(ctx, o.name)} = ${valueText(ctx, o.name, o.value)}`;
}

/**
 * Why a condition came out as it did, e.g. `偽: 機密性（3/2/1換算） が 2 以上（機密性（3/2/1換算） = 1）`.
 * Lists the deciding comparisons (every one for a false `or`, the first false one for an `and`).
 */
export function explainText(explanation: Explanation, options: { lang?: Lang; scope?: Scope } = {}): string {
  const ctx: Ctx = { lang: options.lang ?? 'ja', scope: options.scope ?? subjectScope('any') };
  const ja = ctx.lang === 'ja';
  const parts = explanation.decisive.map(({ leaf, value, observed }) => {
    const seen = observed.map((o) => observationText(o, ctx)).join(ja ? '、' : ', ');
    const verdict = value ? (ja ? '真' : 'true') : ja ? '偽' : 'false';
    const body = describeLeaf(leaf, ctx);
    if (!seen) return `${body}: ${verdict}`;
    return ja ? `${body}: ${verdict}（${seen}）` : `${body}: ${verdict} (${seen})`;
  });
  return parts.join(ja ? '／' : '; ');
}

/**
 * Static checks run while parsing: every name must exist in the scope and every literal must be a value that field
 * can hold. A condition that passes can still be false, but it can no longer be wrong by a typo.
 */
import type { CompareOp, FieldRef, Literal, Operand } from './ast.js';
import { ANSWER_PREFIX, type FieldInfo, type FieldType, fieldInfo, type Scope } from './scope.js';
import { isIsoDate } from './dates.js';

export class TypeError_ extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

const show = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : String(value));

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? 99;
}

function knownNames(scope: Scope): string[] {
  const names = Object.keys(scope.fields);
  if (scope.answers !== 'none' && scope.answers !== 'any') {
    for (const id of scope.answers.keys()) names.push(ANSWER_PREFIX + id);
  }
  return names;
}

export function resolveField(scope: Scope, ref: FieldRef): FieldInfo {
  const info = fieldInfo(scope, ref.name);
  if (info) return info;
  if (ref.name.startsWith(ANSWER_PREFIX)) {
    const id = ref.name.slice(ANSWER_PREFIX.length);
    if (scope.answers === 'none') throw new TypeError_(`ここでは回答（${ref.name}）は使えません`, ref.at);
    const hint = scope.unknownAnswer?.(id);
    throw new TypeError_(hint ?? `設問 ${id} はありません`, ref.at);
  }
  const near = knownNames(scope)
    .map((name) => ({ name, d: editDistance(name, ref.name) }))
    .filter((c) => c.d <= 2)
    .sort((x, y) => x.d - y.d)[0];
  const suggestion = near ? `。「${near.name}」のことですか` : `。使える項目: ${Object.keys(scope.fields).join(', ')}`;
  throw new TypeError_(`項目「${ref.name}」はありません${suggestion}`, ref.at);
}

function valuesHint(type: Extract<FieldType, { values: readonly string[] }>): string {
  return `使える値: ${type.values.map((v) => JSON.stringify(v)).join(', ')}`;
}

export function checkTruthy(scope: Scope, ref: FieldRef): void {
  const { type } = resolveField(scope, ref);
  if (type.kind === 'boolean' || type.kind === 'unknown') return;
  const example =
    type.kind === 'enum'
      ? `${ref.name} == ${JSON.stringify(type.values[0] ?? '')}`
      : type.kind === 'number'
        ? `${ref.name} >= ${type.min}`
        : `${ref.name} is answered`;
  throw new TypeError_(`「${ref.name}」は真偽値ではありません。比較して書いてください（例: ${example}）`, ref.at);
}

/** Checks one field against one literal for `==`, `!=`, `<`, `<=`, `>`, `>=` and list membership. */
function checkLiteral(ref: FieldRef, type: FieldType, op: CompareOp, lit: Literal): void {
  const equality = op === '==' || op === '!=';
  const bad = (reason: string): never => {
    throw new TypeError_(reason, lit.at);
  };
  const onlyEquality = (): void => {
    if (!equality) throw new TypeError_(`「${ref.name}」には大小比較（${op}）は使えません。== か != を使ってください`, lit.at);
  };
  const v = lit.value;
  switch (type.kind) {
    case 'unknown':
      return;
    case 'boolean':
      onlyEquality();
      if (typeof v !== 'boolean') bad(`「${ref.name}」は true か false と比べてください`);
      return;
    case 'enum':
      onlyEquality();
      if (v === null) {
        if (!type.nullable) bad(`「${ref.name}」は null になりません`);
        return;
      }
      if (typeof v !== 'string' || !type.values.includes(v)) bad(`「${ref.name}」に ${show(v)} という値はありません。${valuesHint(type)}`);
      return;
    case 'string':
      onlyEquality();
      if (typeof v !== 'string') bad(`「${ref.name}」は文字列と比べてください`);
      return;
    case 'number':
      if (v === null || v === 'na') {
        onlyEquality();
        if (v === null && !type.nullable) bad(`「${ref.name}」は null になりません`);
        if (v === 'na' && !type.na) bad(`「${ref.name}」は「該当なし」を選べない設問です`);
        return;
      }
      if (typeof v !== 'number') bad(`「${ref.name}」は数値と比べてください`);
      if ((v as number) < type.min || (v as number) > type.max) {
        bad(`${show(v)} は「${ref.name}」の範囲（${type.min}〜${type.max}）の外です`);
      }
      return;
    case 'date':
      if (v === null || v === 'na') {
        onlyEquality();
        if (v === null && !type.nullable) bad(`「${ref.name}」は null になりません`);
        if (v === 'na' && !type.na) bad(`「${ref.name}」は「該当なし」を選べない設問です`);
        return;
      }
      if (typeof v !== 'string' || !isIsoDate(v)) bad(`「${ref.name}」は "2027-07-01" の形の日付と比べてください`);
      return;
    case 'set':
      throw new TypeError_(`複数選択の回答「${ref.name}」は contains で調べてください`, ref.at);
    case 'opaque':
      throw new TypeError_(`回答「${ref.name}」（文章・ファイル）は is answered でしか調べられません`, ref.at);
  }
}

const FLIP: Record<CompareOp, CompareOp> = { '==': '==', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

export function checkCompare(scope: Scope, op: CompareOp, left: Operand, right: Operand, at: number): void {
  if (left.type === 'literal' && right.type === 'literal') {
    throw new TypeError_('値どうしを比べています。片方は項目名にしてください', at);
  }
  if (left.type === 'field' && right.type === 'field') {
    const a = resolveField(scope, left).type;
    const b = resolveField(scope, right).type;
    const comparable =
      a.kind === 'unknown' || b.kind === 'unknown' || (a.kind === b.kind && (a.kind === 'number' || a.kind === 'date'));
    if (!comparable) throw new TypeError_(`「${left.name}」と「${right.name}」は比べられません（数値どうし・日付どうしのみ）`, at);
    return;
  }
  const [field, lit, flipped] = left.type === 'field' ? [left, right as Literal, op] : [right as FieldRef, left, FLIP[op]];
  checkLiteral(field, resolveField(scope, field).type, flipped, lit);
}

export function checkIn(scope: Scope, field: FieldRef, list: Literal[]): void {
  const { type } = resolveField(scope, field);
  if (type.kind === 'set') throw new TypeError_(`複数選択の回答「${field.name}」は contains で調べてください`, field.at);
  for (const item of list) checkLiteral(field, type, '==', item);
}

export function checkContains(scope: Scope, field: FieldRef, value: Literal): void {
  const { type } = resolveField(scope, field);
  if (type.kind === 'unknown') return;
  if (type.kind !== 'set') throw new TypeError_(`contains は複数選択の回答にだけ使えます。「${field.name}」には == か in を使ってください`, field.at);
  if (typeof value.value !== 'string' || !type.values.includes(value.value)) {
    throw new TypeError_(`「${field.name}」に ${show(value.value)} という選択肢はありません。${valuesHint(type)}`, value.at);
  }
}

export function checkAnswered(scope: Scope, field: FieldRef): void {
  if (!field.name.startsWith(ANSWER_PREFIX)) {
    throw new TypeError_(`is answered は回答（answer.設問ID）にだけ使えます。「${field.name}」は常に値があります`, field.at);
  }
  resolveField(scope, field);
}

/**
 * Reading content YAML (questionnaire templates here, the annex clause library in exports/ later) so that every
 * problem can name its file and line: parse with a LineCounter, keep the node tree beside the plain data, and map a
 * data path (from zod or from our own checks) back to the node it came from.
 */
import { readFileSync, statSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { ConditionError, type ConditionOrigin, type Expr, parseCondition, type Scope } from '../conditions/index.js';
import { zodIssueMessage } from './zod-messages.js';

/** One problem in one content file. `code` is stable (for tests and tools); `message` is for people (Japanese). */
export interface ContentProblem {
  file: string;
  line: number;
  column?: number;
  code: string;
  message: string;
}

export type DataPath = readonly (string | number)[];

export interface YamlSource {
  file: string;
  /** The text as parsed (byte-order mark removed). */
  text: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
}

export const MAX_CONTENT_FILE_BYTES = 512 * 1024;
/** Aliases expand when converted to data; a handful is plenty for content and stops "billion laughs" files. */
const MAX_ALIAS_COUNT = 50;

/** Plain-language hints for the YAML mistakes people make most when editing by hand. */
const YAML_HINTS: Readonly<Record<string, string>> = {
  BLOCK_IN_FLOW: '（{ } や [ ] の中の値に「: 」があるときは "…" で囲んでください）',
  TAB_AS_INDENT: '（字下げにタブは使えません。半角スペースにしてください）',
  MISSING_CHAR: '（閉じ引用符・閉じ括弧を確かめてください）',
  BAD_INDENT: '（字下げの幅を確かめてください）',
  MULTIPLE_DOCS: '（1ファイルに1テンプレートです。「---」を消してください）',
};

export function problem(file: string, line: number, code: string, message: string, column?: number): ContentProblem {
  return column === undefined ? { file, line, code, message } : { file, line, column, code, message };
}

/** Parses YAML text. `data` is undefined when the file cannot be used at all; `problems` say why, with lines. */
export function parseYamlSource(file: string, rawText: string): { source: YamlSource; data: unknown; problems: ContentProblem[] } {
  const text = rawText.startsWith('\uFEFF') ? rawText.slice(1) : rawText;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true, version: '1.2' });
  const source: YamlSource = { file, text, doc, lineCounter };
  const problems: ContentProblem[] = [];
  const at = (offset: number | undefined): { line: number; col: number } => lineCounter.linePos(offset ?? 0);
  for (const err of doc.errors) {
    const pos = at(err.pos[0]);
    const hint = YAML_HINTS[err.code] ?? '';
    const message = err.code === 'DUPLICATE_KEY' ? '同じ項目名が二度書かれています' : `YAMLの書き方に誤りがあります${hint}: ${err.message}`;
    problems.push(problem(file, pos.line, err.code === 'DUPLICATE_KEY' ? 'yaml_duplicate_key' : 'yaml_syntax', message, pos.col));
  }
  for (const warning of doc.warnings) {
    const pos = at(warning.pos[0]);
    problems.push(problem(file, pos.line, 'yaml_warning', `YAMLの警告: ${warning.message}`, pos.col));
  }
  if (problems.length > 0) return { source, data: undefined, problems };
  try {
    const data: unknown = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    return { source, data, problems };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return { source, data: undefined, problems: [problem(file, 1, 'yaml_alias', `別名（エイリアス）を展開できません: ${reason}`)] };
  }
}

/** Reads and parses one content file, refusing files too large to be hand-written content. */
export function readYamlFile(file: string): { source?: YamlSource; data: unknown; problems: ContentProblem[] } {
  const size = statSync(file).size;
  if (size > MAX_CONTENT_FILE_BYTES) {
    return {
      data: undefined,
      problems: [problem(file, 1, 'file_too_large', `ファイルが大きすぎます（${size}バイト、上限${MAX_CONTENT_FILE_BYTES}バイト）`)],
    };
  }
  return parseYamlSource(file, readFileSync(file, 'utf8'));
}

/**
 * The node at a data path, or the deepest node on the way there (`complete` false) — a missing key is reported on
 * the line of the map that should hold it.
 */
export function nodeAt(source: YamlSource, path: DataPath): { node: Node | null; keyNode: Node | null; complete: boolean } {
  let node: unknown = source.doc.contents;
  let keyNode: Node | null = null;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) return { node: node as Node, keyNode, complete: false };
      keyNode = pair.key as Node;
      if (pair.value === null || pair.value === undefined) return { node: keyNode, keyNode, complete: true };
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
      keyNode = null;
      node = node.items[segment];
    } else {
      return { node: (node as Node | null) ?? null, keyNode, complete: false };
    }
  }
  return { node: (node as Node | null) ?? null, keyNode, complete: true };
}

/** Line and column (1-based) of the node at a path; for a key, `key: true` points at the key instead of its value. */
export function positionOf(source: YamlSource, path: DataPath, options: { key?: boolean } = {}): { line: number; column: number } {
  const found = nodeAt(source, path);
  const target = options.key && found.complete ? (found.keyNode ?? found.node) : found.node;
  const offset = target?.range?.[0] ?? 0;
  const pos = source.lineCounter.linePos(offset);
  return { line: pos.line, column: pos.col };
}

/** A problem placed at a data path. */
export function problemAt(source: YamlSource, path: DataPath, code: string, message: string, options: { key?: boolean } = {}): ContentProblem {
  const pos = positionOf(source, path, options);
  return problem(source.file, pos.line, code, message, pos.column);
}

/** Where the text of a scalar starts, in the form the condition parser needs to report exact lines and columns. */
export function originOf(source: YamlSource, path: DataPath): ConditionOrigin {
  const found = nodeAt(source, path);
  const node = found.node;
  if (!found.complete || !node || !isScalar(node) || !node.range) {
    const pos = positionOf(source, path);
    return { file: source.file, line: pos.line, layout: 'start' };
  }
  const start = source.lineCounter.linePos(node.range[0]);
  const end = source.lineCounter.linePos(Math.max(node.range[0], node.range[1] - 1));
  switch (node.type) {
    case 'BLOCK_LITERAL':
      return { file: source.file, line: start.line + 1, layout: 'lines' };
    case 'BLOCK_FOLDED':
      return { file: source.file, line: start.line + 1, layout: 'start' };
    case 'QUOTE_DOUBLE':
    case 'QUOTE_SINGLE':
      return start.line === end.line
        ? { file: source.file, line: start.line, column: start.col + 1, layout: 'inline' }
        : { file: source.file, line: start.line, layout: 'start' };
    default:
      return start.line === end.line
        ? { file: source.file, line: start.line, column: start.col, layout: 'inline' }
        : { file: source.file, line: start.line, layout: 'start' };
  }
}

/** Parses the condition held at a path; a problem (with the exact line) instead of a throw. */
export function conditionAt(
  source: YamlSource,
  path: DataPath,
  text: string,
  scope: Scope,
): { ast: Expr; problem?: undefined } | { ast?: undefined; problem: ContentProblem } {
  try {
    return { ast: parseCondition(text, { ...originOf(source, path), scope }) };
  } catch (err) {
    if (!(err instanceof ConditionError)) throw err;
    return { problem: problem(err.file, err.line, 'condition', `条件「${clip(text)}」: ${err.reason}`, err.column) };
  }
}

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 80 ? `${oneLine.slice(0, 77)}…` : oneLine;
}

/** Readable place in the data: array items named by their `id` where they have one (`sections.A.questions.A01.must`). */
export function describePath(data: unknown, path: DataPath): string {
  const parts: string[] = [];
  let current: unknown = data;
  for (const segment of path) {
    const next: unknown =
      current !== null && typeof current === 'object' ? (current as Record<string | number, unknown>)[segment] : undefined;
    const id = next !== null && typeof next === 'object' ? (next as { id?: unknown }).id : undefined;
    parts.push(typeof segment === 'number' && typeof id === 'string' ? id : String(segment));
    current = next;
  }
  return parts.join('.');
}

/** Turns zod issues into problems on the lines they refer to. `knownKeys` feeds "did you mean" hints for typos. */
export function zodProblems(source: YamlSource, data: unknown, error: z.ZodError, knownKeys: readonly string[] = []): ContentProblem[] {
  const out: ContentProblem[] = [];
  for (const issue of error.issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const where = describePath(data, path);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        // In a flow map `{ ja: …, en: a, b }` a comma ends the value: "b" turns up as a key.
        const parent = nodeAt(source, path).node;
        const inFlow = isMap(parent) && parent.flow === true;
        const hint = suggest(key, knownKeys) ||
          (inFlow || !/^[A-Za-z][A-Za-z0-9_]*$/.test(key) ? '。{ } の中では「,」が区切りになります。値に「,」や「:」を含むときは "…" で囲んでください' : '');
        out.push(problemAt(source, [...path, key], 'unknown_key', `${where ? `${where}: ` : ''}「${key}」は使えない項目名です${hint}`, { key: true }));
      }
      continue;
    }
    const found = nodeAt(source, path);
    if (!found.complete && issue.code === 'invalid_type') {
      const missing = path[path.length - 1];
      out.push(problemAt(source, path, 'missing_key', `${describePath(data, path.slice(0, -1)) || '最上位'}: 必須の項目「${String(missing)}」がありません`));
      continue;
    }
    out.push(problemAt(source, path, 'invalid_value', `${where ? `${where}: ` : ''}${zodIssueMessage(issue)}`));
  }
  return out;
}

function suggest(key: string, known: readonly string[]): string {
  const lower = key.toLowerCase();
  const close = known.find((k) => k.toLowerCase() === lower) ?? known.find((k) => distance(k.toLowerCase(), lower) <= 2);
  return close ? `。「${close}」のことですか` : '';
}

function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    prev = row;
  }
  return prev[b.length] ?? 3;
}

/**
 * Register layouts (exports/registers/<id>.yaml): which columns a 台帳 has, what each reads from a row and how it is
 * shown. Checked like every content file (file, line, reason). The format is in exports/README.md.
 */
import { z } from 'zod';
import { ContentError } from '../questionnaires/load.js';
import { type ContentProblem, problem, problemAt, readYamlFile, zodProblems } from '../questionnaires/yaml-source.js';
import { jaErrorMap } from '../questionnaires/zod-messages.js';
import { listContentFiles } from './content-files.js';

/** The folder of the register layouts under exports/. */
export const REGISTERS_DIR = 'registers';
/** The four registers of CONTRACT.md (`GET /api/v1/registers/<id>.xlsx`), one layout file each. */
export const REGISTER_IDS = ['vendors', 'engagements', 'cloud-services', 'sns-accounts'] as const;
/** One of the four registers. */
export type RegisterId = (typeof REGISTER_IDS)[number];
/** How a column's values are written (exports/README.md). */
export type ColumnKind = 'text' | 'date' | 'number' | 'boolean' | 'list';

/** One column as loaded, its width and boolean words resolved. */
export interface RegisterColumn {
  header: string;
  /** Dotted path into the row object (`ismap.validUntil`). */
  key: string;
  kind: ColumnKind;
  /** Excel column width in half-width characters (a Japanese character counts 2). */
  width: number;
  /** Row flag (e.g. `_overdue`) that colours this cell when the row carries it as true. */
  flag?: string;
  /** Number columns: Excel number format. */
  numFmt?: string;
  /** Boolean columns: the words for true and false. */
  yes: string;
  no: string;
}

/** A row flag's colour and what it means. */
export interface RegisterFlag {
  /** RGB fill, e.g. `F8CBAD`. */
  fill: string;
  /** What the colour means, for the legend under the title. */
  label: string;
}

/** One register layout as loaded. */
export interface RegisterLayout {
  id: RegisterId;
  version: number;
  title: string;
  sheet: string;
  flags: Readonly<Record<string, RegisterFlag>>;
  columns: readonly RegisterColumn[];
  file: string;
}

const FLAG = /^_[a-z][A-Za-z0-9]{0,30}$/;
const KEY = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*){0,4}$/;

const Column = z.strictObject({
  header: z.string().trim().min(1).max(40),
  key: z.string().regex(KEY, { error: 'key は英字で始まる英数字を「.」でつないだ名前です（例: ismap.validUntil）。「_」で始まる名前は行の印に使います' }),
  kind: z.enum(['text', 'date', 'number', 'boolean', 'list'], { error: 'kind は text・date・number・boolean・list のいずれかです' }),
  width: z.number().min(4).max(100).optional(),
  flag: z.string().regex(FLAG, { error: '印の名前は「_」で始まる英数字です（例: _overdue）' }).optional(),
  numFmt: z.string().trim().min(1).max(60).optional(),
  yes: z.string().trim().min(1).max(10).optional(),
  no: z.string().trim().min(1).max(10).optional(),
});

const LayoutFile = z.strictObject({
  id: z.enum(REGISTER_IDS, { error: `id は ${REGISTER_IDS.join('・')} のいずれかです` }),
  version: z.number().int().min(1),
  title: z.string().trim().min(1).max(60),
  sheet: z
    .string()
    .trim()
    .min(1)
    .max(31)
    .refine((s) => !/[[\]:*?/\\']/.test(s), { error: 'シート名に [ ] : * ? / \\ \' は使えません（31文字まで）' }),
  note: z.string().trim().min(1).max(2000).optional(),
  flags: z.record(z.string().regex(FLAG, { error: '印の名前は「_」で始まる英数字です（例: _overdue）' }), z.strictObject({
    fill: z.string().regex(/^[0-9A-Fa-f]{6}$/, { error: '色は6桁の16進数で書いてください（例: F8CBAD）' }),
    label: z.string().trim().min(1).max(40),
  })).optional(),
  columns: z.array(Column).min(1).max(50),
});

const KNOWN_KEYS = ['id', 'version', 'title', 'sheet', 'note', 'flags', 'fill', 'label', 'columns', 'header', 'key', 'kind', 'width', 'flag', 'numFmt', 'yes', 'no'];

/** Display width in half-width characters: a Japanese (wide) character takes two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += ch.codePointAt(0)! > 0xff ? 2 : 1;
  return width;
}

/** Narrowest width that shows a whole value of each kind (a 和暦 date such as 令和10年12月31日 needs 16). */
const MIN_WIDTH: Record<ColumnKind, number> = { text: 12, date: 17, number: 8, boolean: 6, list: 20 };

function compileLayout(file: string): { layout?: RegisterLayout; problems: ContentProblem[] } {
  const read = readYamlFile(file);
  if (!read.source || read.problems.length > 0) return { problems: read.problems };
  const source = read.source;
  const parsed = LayoutFile.safeParse(read.data, { error: jaErrorMap });
  if (!parsed.success) return { problems: zodProblems(source, read.data, parsed.error, KNOWN_KEYS) };
  const d = parsed.data;
  const problems: ContentProblem[] = [];
  if (!file.endsWith(`/${d.id}.yaml`)) problems.push(problemAt(source, ['id'], 'file_name', `ファイル名は「${d.id}.yaml」にしてください（id から決まります）`));
  const flags = d.flags ?? {};
  const headers = new Map<string, number>();
  d.columns.forEach((c, i) => {
    const path = ['columns', i];
    const first = headers.get(c.header);
    if (first !== undefined) problems.push(problemAt(source, [...path, 'header'], 'duplicate_header', `見出し「${c.header}」が ${first + 1} 列目と重複しています`));
    headers.set(c.header, i);
    if (c.flag && !Object.hasOwn(flags, c.flag)) problems.push(problemAt(source, [...path, 'flag'], 'unknown_flag', `印「${c.flag}」が flags に定義されていません`));
    if (c.numFmt && c.kind !== 'number') problems.push(problemAt(source, [...path, 'numFmt'], 'invalid_value', 'numFmt は kind: number の列にだけ書けます'));
    if ((c.yes || c.no) && c.kind !== 'boolean') problems.push(problemAt(source, [...path, c.yes ? 'yes' : 'no'], 'invalid_value', 'yes・no は kind: boolean の列にだけ書けます'));
  });
  if (problems.length > 0) return { problems };
  const columns = d.columns.map((c): RegisterColumn => ({
    header: c.header,
    key: c.key,
    kind: c.kind,
    width: c.width ?? Math.max(MIN_WIDTH[c.kind], displayWidth(c.header) + 2),
    yes: c.yes ?? '○',
    no: c.no ?? '×',
    ...(c.flag ? { flag: c.flag } : {}),
    ...(c.numFmt ? { numFmt: c.numFmt } : {}),
  }));
  return { problems, layout: { id: d.id, version: d.version, title: d.title, sheet: d.sheet, flags, columns, file } };
}

/** Loads every register layout (shipped, then CONTENT_DIR overrides by file name) with every problem. */
export function checkRegisterLayouts(roots: readonly (string | null | undefined)[]): { layouts: Map<RegisterId, RegisterLayout>; problems: ContentProblem[] } {
  const { files, problems } = listContentFiles(roots, REGISTERS_DIR);
  const layouts = new Map<RegisterId, RegisterLayout>();
  for (const f of files) {
    if (!(REGISTER_IDS as readonly string[]).includes(f.name.replace(/\.yaml$/, ''))) {
      problems.push(problem(f.file, 1, 'unknown_file', `台帳の様式は ${REGISTER_IDS.map((id) => `${id}.yaml`).join('・')} です`));
      continue;
    }
    const compiled = compileLayout(f.file);
    problems.push(...compiled.problems);
    if (compiled.layout) layouts.set(compiled.layout.id, compiled.layout);
  }
  const where = files[0]?.file.replace(/[^/]+$/, '') ?? `${REGISTERS_DIR}/`;
  for (const id of REGISTER_IDS) {
    if (!files.some((f) => f.name === `${id}.yaml`)) problems.push(problem(`${where}${id}.yaml`, 1, 'missing_file', `台帳の様式 ${id}.yaml がありません`));
  }
  return { layouts, problems };
}

/** For start-up: every register layout, or a ContentError listing every problem. */
export function loadRegisterLayouts(roots: readonly (string | null | undefined)[]): ReadonlyMap<RegisterId, RegisterLayout> {
  const { layouts, problems } = checkRegisterLayouts(roots);
  if (problems.length > 0) throw new ContentError(problems);
  return layouts;
}

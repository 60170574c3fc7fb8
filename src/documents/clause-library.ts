/**
 * The clause library as loaded from exports/annex/: plain data (no classes), so it can be kept with an issued annex
 * and an annex can be rebuilt from exactly the text it was issued with. The file format is in exports/README.md.
 */
import { z } from 'zod';
import type { Expr } from '../conditions/index.js';
import type { Segment } from './clause-text.js';

/** A parsed condition with the text and line it came from (the reason shown for a clause quotes it). */
export interface LibraryCondition {
  text: string;
  ast: Expr;
  line: number;
}

/** A 号 (numbered item) of a paragraph. */
export interface LibraryItem {
  segments: Segment[];
  when?: LibraryCondition;
}

/** A 項 (paragraph) of a clause. `listOf: 'conditions'` appends the decision's conditions as its items. */
export interface LibraryParagraph {
  segments: Segment[];
  when?: LibraryCondition;
  items: LibraryItem[];
  listOf?: 'conditions';
}

/** A clause as loaded: its 項, and the condition (ANDed with its module's) under which it is in an annex. */
export interface LibraryClause {
  id: string;
  title: string;
  moduleId: string;
  when?: LibraryCondition;
  paragraphs: LibraryParagraph[];
}

/** A module (one file of annex/modules/): its label for previews and its condition. */
export interface LibraryModule {
  id: string;
  label: string;
  when?: LibraryCondition;
  file: string;
}

/** The whole library, in document order, with the version people cite and the hash that proves the text. */
export interface ClauseLibrary {
  /** The `version` written in annex.yaml: what people cite. */
  version: number;
  /** SHA-256 over every file of the library (BOM and line endings ignored): what proves the exact text. */
  sha256: string;
  title: string;
  /** Modules in document order. */
  modules: LibraryModule[];
  /** Every clause in document order (module by module). */
  clauses: LibraryClause[];
  /** The sentence above the signatures. */
  signatureStatement: Segment[];
  assets: { title: string; none: string };
}

const MODULE_ID = /^[a-z][a-z0-9-]{1,40}$/;
const CLAUSE_ID = /^[a-z][a-z0-9-]{1,40}$/;

const Line = (max: number) => z.string().trim().min(1).max(max);
const Condition = z.string().trim().min(1, { error: '条件が空です' });
const Id = (re: RegExp, what: string) => z.string().regex(re, { error: `${what}は英小文字で始まる英小文字・数字・- の2〜41文字です（例: data-location）` });

const Item = z.union([Line(1000), z.strictObject({ text: Line(1000), when: Condition.optional() })], {
  error: '号は文字列か「{ text: …, when: … }」の形で書いてください',
});

const Paragraph = z.union(
  [
    Line(2000),
    z.strictObject({
      text: Line(2000),
      when: Condition.optional(),
      items: z.array(Item).min(1).max(30).optional(),
      listOf: z.literal('conditions', { error: 'listOf に使える値は conditions だけです' }).optional(),
    }),
  ],
  { error: '項は文字列か「{ text: …, when: …, items: [...] }」の形で書いてください' },
);

const Clause = z.strictObject({
  id: Id(CLAUSE_ID, '条項ID'),
  title: Line(40),
  when: Condition.optional(),
  /** For editors: why the clause reads as it does. Never rendered. */
  note: Line(2000).optional(),
  paragraphs: z.array(Paragraph).min(1).max(20),
});

/** The shape of annex/modules/<id>.yaml as written. */
export const ModuleFile = z.strictObject({
  id: Id(MODULE_ID, 'モジュールID'),
  label: Line(60),
  when: Condition.optional(),
  note: Line(2000).optional(),
  clauses: z.array(Clause).min(1).max(60),
});

/** The shape of annex/annex.yaml as written. */
export const ManifestFile = z.strictObject({
  version: z.number().int().min(1),
  title: Line(60),
  note: Line(2000).optional(),
  order: z.array(Id(MODULE_ID, 'モジュールID')).min(1).max(40),
  signature: Line(1000),
  assets: z.strictObject({ title: Line(100), none: Line(200) }),
});

/** A module file after the schema check. */
export type ModuleFileData = z.infer<typeof ModuleFile>;
/** The manifest after the schema check. */
export type ManifestFileData = z.infer<typeof ManifestFile>;

/** Every key the two file kinds use, for "did you mean" hints. */
export const LIBRARY_KEYS = ['id', 'label', 'when', 'note', 'clauses', 'title', 'paragraphs', 'text', 'items', 'listOf', 'version', 'order', 'signature', 'assets', 'none'];

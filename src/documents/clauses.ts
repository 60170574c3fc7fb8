/**
 * Loads and checks the annex clause library (exports/annex/annex.yaml and exports/annex/modules/*.yaml) the way
 * questionnaire templates are checked: every problem at once, each with file, line and reason. Beyond the schema it
 * checks conditions (names and values), placeholders, that every `{{ref:…}}` names a clause that is in the annex
 * whenever the referring text is, and that a list of decision conditions only appears when there are conditions.
 */
import { type Expr, fieldInfo, valueText } from '../conditions/index.js';
import { ContentError } from '../questionnaires/load.js';
import { contentHash } from '../questionnaires/lock.js';
import {
  type ContentProblem,
  conditionAt,
  type DataPath,
  describePath,
  problem,
  positionOf,
  problemAt,
  readYamlFile,
  type YamlSource,
  zodProblems,
} from '../questionnaires/yaml-source.js';
import { jaErrorMap } from '../questionnaires/zod-messages.js';
import { annexScope } from './annex-scope.js';
import {
  type ClauseLibrary,
  LIBRARY_KEYS,
  type LibraryClause,
  type LibraryCondition,
  type LibraryModule,
  type LibraryParagraph,
  ManifestFile,
  ModuleFile,
  type ManifestFileData,
  type ModuleFileData,
} from './clause-library.js';
import { parseClauseText, refsOf, type Segment } from './clause-text.js';
import { listContentFiles } from './content-files.js';
import { type Assignment, both, counterexample } from './implication.js';

/** Folders and file of the clause library under exports/. */
export const ANNEX_DIR = 'annex';
export const MODULES_DIR = 'annex/modules';
export const MANIFEST_FILE = 'annex.yaml';

/**
 * Line breaks and half-width spaces next to Japanese text are dropped: YAML folds a long paragraph written over
 * several lines with spaces, which have no place in Japanese prose (a deliberate gap is the 全角 space).
 */
export function normalizeClauseText(text: string): string {
  return text
    .replace(/[ \t]*\n[ \t]*/g, '')
    .replace(/ +(?=[^\x00-\x7f])|(?<=[^\x00-\x7f]) +/g, '')
    .trim();
}

/** Where a text that refers to other clauses sits, and when it is in the annex. */
interface Site {
  source: YamlSource;
  path: DataPath;
  given: Expr | undefined;
}

class LibraryCompiler {
  readonly problems: ContentProblem[] = [];
  readonly modules: LibraryModule[] = [];
  readonly clauses: LibraryClause[] = [];
  private readonly refSites: (Site & { ids: string[] })[] = [];
  private readonly listSites: Site[] = [];
  private readonly clauseLines = new Map<string, string>();
  private readonly scope = annexScope();

  private condition(source: YamlSource, path: DataPath, text: string | undefined): LibraryCondition | undefined {
    if (text === undefined) return undefined;
    const result = conditionAt(source, path, text, this.scope);
    if (result.problem) {
      this.problems.push(result.problem);
      return undefined;
    }
    return { text, ast: result.ast, line: positionOf(source, path).line };
  }

  private text(source: YamlSource, data: unknown, path: DataPath, raw: string): Segment[] {
    const { segments, problems } = parseClauseText(normalizeClauseText(raw));
    for (const p of problems) this.problems.push(problemAt(source, path, p.code, `${describePath(data, path)}: ${p.message}`));
    return segments;
  }

  module(source: YamlSource, data: ModuleFileData): void {
    const moduleWhen = this.condition(source, ['when'], data.when);
    this.modules.push({ id: data.id, label: data.label, file: source.file, ...(moduleWhen ? { when: moduleWhen } : {}) });
    data.clauses.forEach((c, ci) => {
      const base: DataPath = ['clauses', ci];
      const first = this.clauseLines.get(c.id);
      if (first) {
        this.problems.push(problemAt(source, [...base, 'id'], 'duplicate_id', `条項ID「${c.id}」が重複しています（最初は ${first}）`));
        return;
      }
      this.clauseLines.set(c.id, `${source.file}:${positionOf(source, [...base, 'id']).line}`);
      const clauseWhen = this.condition(source, [...base, 'when'], c.when);
      const clauseGiven = both(moduleWhen?.ast, clauseWhen?.ast);
      const paragraphs = c.paragraphs.map((p, pi): LibraryParagraph => {
        const path: DataPath = [...base, 'paragraphs', pi];
        const head = this.part(source, data, path, p, clauseGiven);
        const spec = typeof p === 'string' ? undefined : p;
        const items = (spec?.items ?? []).map((item, ii) => {
          const part = this.part(source, data, [...path, 'items', ii], item, head.given);
          return { segments: part.segments, ...(part.when ? { when: part.when } : {}) };
        });
        if (spec?.listOf) this.listSites.push({ source, path: [...path, 'listOf'], given: head.given });
        return { segments: head.segments, items, ...(head.when ? { when: head.when } : {}), ...(spec?.listOf ? { listOf: spec.listOf } : {}) };
      });
      this.clauses.push({ id: c.id, title: c.title, moduleId: data.id, paragraphs, ...(clauseWhen ? { when: clauseWhen } : {}) });
    });
  }

  /**
   * A paragraph or an item, written as a string or as `{ text, when }`. `given` is when its clause (or paragraph) is
   * in the annex; the result's `given` adds its own condition, for the reference checks of what it contains.
   */
  private part(source: YamlSource, data: unknown, path: DataPath, spec: string | { text: string; when?: string | undefined }, given: Expr | undefined) {
    const { text, when: condition } = typeof spec === 'string' ? { text: spec, when: undefined } : spec;
    const textPath = typeof spec === 'string' ? path : [...path, 'text'];
    const when = this.condition(source, [...path, 'when'], condition);
    const inAnnex = both(given, when?.ast);
    const segments = this.text(source, data, textPath, text);
    const ids = refsOf(segments);
    if (ids.length) this.refSites.push({ source, path: textPath, given: inAnnex, ids });
    return { segments, when, given: inAnnex };
  }

  private example(assignment: Assignment): string {
    const parts = [...assignment].map(([name, value]) => {
      const label = fieldInfo(this.scope, name)?.label.ja ?? name;
      return `${label} = ${valueText({ lang: 'ja', scope: this.scope }, name, value)}`;
    });
    return parts.length ? `（例えば ${parts.join('、')} のとき）` : '';
  }

  /** The checks that need the whole library: references and condition lists. */
  crossCheck(): void {
    const moduleWhen = new Map(this.modules.map((m) => [m.id, m.when?.ast]));
    const target = new Map(this.clauses.map((c) => [c.id, { title: c.title, when: both(moduleWhen.get(c.moduleId), c.when?.ast) }]));
    for (const site of this.refSites) {
      for (const id of site.ids) {
        const found = target.get(id);
        if (!found) {
          this.problems.push(problemAt(site.source, site.path, 'unknown_ref', `「{{ref:${id}}}」: 条項「${id}」はありません`));
          continue;
        }
        const missing = counterexample(site.given, found.when, this.scope);
        if (missing === 'too_complex') {
          this.problems.push(problemAt(site.source, site.path, 'ref_too_complex', `「{{ref:${id}}}」: 条件が複雑すぎて参照先が必ず含まれるか確かめられません。条件を簡単にしてください`));
        } else if (missing) {
          this.problems.push(
            problemAt(site.source, site.path, 'dangling_ref', `「{{ref:${id}}}」: 参照先の条項「${found.title}」（${id}）は、この文が含まれるのに含まれないことがあります${this.example(missing)}。参照先の条件に合わせて、この文にも条件を付けてください`),
          );
        }
      }
    }
    const hasConditions: Expr = { type: 'truthy', field: { type: 'field', name: 'annex.hasConditions', at: 0 }, at: 0 };
    for (const site of this.listSites) {
      const missing = counterexample(site.given, hasConditions, this.scope);
      if (missing) {
        this.problems.push(
          problemAt(site.source, site.path, 'list_without_conditions', `listOf: conditions は、承認の条件があるときだけ含まれる条項に書いてください（条件に「annex.hasConditions」を含めます）${missing === 'too_complex' ? '' : this.example(missing)}`),
        );
      }
    }
  }
}

function parseFile(file: string): { source?: YamlSource; data: unknown; problems: ContentProblem[] } {
  const read = readYamlFile(file);
  if (read.problems.length === 0 && (read.data === null || typeof read.data !== 'object' || Array.isArray(read.data)) && read.source) {
    return { ...read, problems: [problemAt(read.source, [], 'invalid_value', 'ファイルは「id: …」などの項目の集まりで書いてください')] };
  }
  return read;
}

/** Loads the clause library from content roots (shipped first, CONTENT_DIR overrides by file name), with every problem. */
export function checkClauseLibrary(roots: readonly (string | null | undefined)[]): { library?: ClauseLibrary; problems: ContentProblem[] } {
  const compiler = new LibraryCompiler();
  const problems = compiler.problems;
  const annexFiles = listContentFiles(roots, ANNEX_DIR);
  const moduleFiles = listContentFiles(roots, MODULES_DIR);
  problems.push(...annexFiles.problems, ...moduleFiles.problems);
  const hashes: string[] = [];

  const manifestFile = annexFiles.files.find((f) => f.name === MANIFEST_FILE);
  for (const f of annexFiles.files) {
    if (f !== manifestFile) problems.push(problem(f.file, 1, 'unknown_file', `${ANNEX_DIR}/ には ${MANIFEST_FILE} だけを置きます。モジュールは ${MODULES_DIR}/ に置いてください`));
  }
  let manifest: { source: YamlSource; data: ManifestFileData } | undefined;
  if (!manifestFile) {
    problems.push(problem(ANNEX_DIR, 1, 'missing_file', `${MANIFEST_FILE} がありません`));
  } else {
    const read = parseFile(manifestFile.file);
    problems.push(...read.problems);
    if (read.source && read.problems.length === 0) {
      hashes.push(`${MANIFEST_FILE}\u0000${contentHash(read.source.text)}`);
      const parsed = ManifestFile.safeParse(read.data, { error: jaErrorMap });
      if (parsed.success) manifest = { source: read.source, data: parsed.data };
      else problems.push(...zodProblems(read.source, read.data, parsed.error, LIBRARY_KEYS));
    }
  }

  const byId = new Map<string, { source: YamlSource; data: ModuleFileData }>();
  for (const f of moduleFiles.files) {
    const read = parseFile(f.file);
    problems.push(...read.problems);
    if (!read.source || read.problems.length > 0) continue;
    hashes.push(`modules/${f.name}\u0000${contentHash(read.source.text)}`);
    const parsed = ModuleFile.safeParse(read.data, { error: jaErrorMap });
    if (!parsed.success) {
      problems.push(...zodProblems(read.source, read.data, parsed.error, LIBRARY_KEYS));
      continue;
    }
    if (f.name !== `${parsed.data.id}.yaml`) {
      problems.push(problemAt(read.source, ['id'], 'file_name', `ファイル名は「${parsed.data.id}.yaml」にしてください（id から決まります）`));
      continue;
    }
    byId.set(parsed.data.id, { source: read.source, data: parsed.data });
  }

  if (manifest) {
    const seen = new Set<string>();
    manifest.data.order.forEach((id, i) => {
      const mod = byId.get(id);
      if (seen.has(id)) problems.push(problemAt(manifest.source, ['order', i], 'duplicate_id', `モジュール「${id}」が二度並んでいます`));
      else if (!mod) {
        // A file that exists but has problems of its own is not also "missing".
        if (!moduleFiles.files.some((f) => f.name === `${id}.yaml`)) {
          problems.push(problemAt(manifest.source, ['order', i], 'unknown_module', `モジュール「${id}」のファイル（${MODULES_DIR}/${id}.yaml）がありません`));
        }
      }
      else compiler.module(mod.source, mod.data);
      seen.add(id);
    });
    for (const [id, mod] of byId) {
      if (!seen.has(id)) problems.push(problemAt(mod.source, ['id'], 'unplaced_module', `モジュール「${id}」が ${MANIFEST_FILE} の order にありません`));
    }
    compiler.crossCheck();
  }
  if (!manifest || problems.length > 0) return { problems };

  const signature = parseClauseText(normalizeClauseText(manifest.data.signature));
  for (const p of signature.problems) problems.push(problemAt(manifest.source, ['signature'], p.code, p.message));
  if (signature.segments.some((s) => s.kind === 'ref')) {
    problems.push(problemAt(manifest.source, ['signature'], 'unknown_ref', '署名欄の前文では条項を参照できません'));
  }
  if (problems.length > 0) return { problems };
  return {
    problems,
    library: {
      version: manifest.data.version,
      sha256: contentHash(hashes.sort().join('\n')),
      title: manifest.data.title,
      modules: compiler.modules,
      clauses: compiler.clauses,
      signatureStatement: signature.segments,
      assets: manifest.data.assets,
    },
  };
}

/** For start-up: the clause library, or a ContentError listing every problem with file and line. */
export function loadClauseLibrary(roots: readonly (string | null | undefined)[]): ClauseLibrary {
  const { library, problems } = checkClauseLibrary(roots);
  if (!library || problems.length > 0) throw new ContentError(problems);
  return library;
}

/**
 * Loads the questionnaire templates of the shipped content folder and of an optional CONTENT_DIR override, checks
 * them all and reports every problem at once (file, line, reason), so an editor fixes a file in one pass.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkLock, contentHash, type LockSubject, readLock } from './lock.js';
import type { Template } from './template.js';
import { compileTemplate } from './validate.js';
import { type ContentProblem, MAX_CONTENT_FILE_BYTES, parseYamlSource, positionOf, problem } from './yaml-source.js';

export const QUESTIONNAIRES_DIR = 'questionnaires';

export interface LoadedContent {
  /** Every template that loaded cleanly, override files replacing shipped files of the same name. */
  templates: Template[];
  problems: ContentProblem[];
}

/** The folder holding the shipped `questionnaires/` (the package root, found from this module in src/ or dist/). */
export function shippedContentRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, QUESTIONNAIRES_DIR))) return dir;
    dir = dirname(dir);
  }
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

/** `[shipped root, CONTENT_DIR]`: what start-up and `templates:check` load. */
export function defaultContentRoots(contentDir?: string | null): string[] {
  return contentDir ? [shippedContentRoot(), contentDir] : [shippedContentRoot()];
}

/**
 * Checks one template file on its own (no lock, no override): for editors and tests. The file name must still
 * match the id and version inside.
 */
export function loadTemplateFile(file: string, origin: 'shipped' | 'override' = 'shipped'): { template?: Template; problems: ContentProblem[] } {
  const size = statSync(file).size;
  if (size > MAX_CONTENT_FILE_BYTES) {
    return { problems: [problem(file, 1, 'file_too_large', `ファイルが大きすぎます（${size}バイト、上限${MAX_CONTENT_FILE_BYTES}バイト）`)] };
  }
  const text = readFileSync(file, 'utf8');
  const { source, data, problems } = parseYamlSource(file, text);
  if (problems.length > 0) return { problems };
  return compileTemplate({ source, data, origin, sha256: contentHash(text) });
}

interface FolderResult {
  dir: string;
  templates: Template[];
  subjects: LockSubject[];
  problems: ContentProblem[];
}

function loadFolder(dir: string, origin: 'shipped' | 'override'): FolderResult {
  const result: FolderResult = { dir, templates: [], subjects: [], problems: [] };
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    // An override folder may hold only exports/; the shipped one must exist.
    if (origin === 'shipped') result.problems.push(problem(dir, 1, 'missing_folder', 'テンプレートのフォルダがありません'));
    return result;
  }
  const names = readdirSync(dir).sort();
  for (const name of names) {
    const file = join(dir, name);
    if (name.endsWith('.yml')) {
      result.problems.push(problem(file, 1, 'file_name', '拡張子は .yaml にしてください'));
      continue;
    }
    if (!name.endsWith('.yaml') || !statSync(file).isFile()) continue;
    const size = statSync(file).size;
    if (size > MAX_CONTENT_FILE_BYTES) {
      result.problems.push(problem(file, 1, 'file_too_large', `ファイルが大きすぎます（${size}バイト、上限${MAX_CONTENT_FILE_BYTES}バイト）`));
      continue;
    }
    const text = readFileSync(file, 'utf8');
    const sha256 = contentHash(text);
    const { source, data, problems } = parseYamlSource(file, text);
    const status = (data as { status?: unknown } | undefined)?.status;
    result.subjects.push({
      name,
      file,
      sha256,
      ...(status === 'draft' || status === 'published' ? { status, statusLine: positionOf(source, ['status']).line } : {}),
    });
    if (problems.length > 0) {
      result.problems.push(...problems);
      continue;
    }
    const compiled = compileTemplate({ source, data, origin, sha256 });
    result.problems.push(...compiled.problems);
    if (compiled.template) result.templates.push(compiled.template);
  }
  const { lock, problems } = readLock(dir);
  result.problems.push(...problems, ...checkLock(dir, lock, result.subjects));
  return result;
}

/**
 * Loads templates from content roots (folders holding `questionnaires/`): the first is the shipped content, later
 * ones (CONTENT_DIR) override files of the same name. An override may not replace a shipped published version with
 * different text: a published `id@version` means one text everywhere.
 */
export function loadContent(roots: readonly (string | null | undefined)[]): LoadedContent {
  const problems: ContentProblem[] = [];
  const byKey = new Map<string, Template>();
  const lockedShipped = new Map<string, string>();
  roots
    .filter((r): r is string => typeof r === 'string' && r !== '')
    .forEach((root, i) => {
      const origin = i === 0 ? 'shipped' : 'override';
      const folder = loadFolder(join(root, QUESTIONNAIRES_DIR), origin);
      problems.push(...folder.problems);
      if (origin === 'shipped') {
        for (const s of folder.subjects) if (s.status === 'published') lockedShipped.set(s.name.replace(/\.yaml$/, ''), s.sha256);
      }
      for (const template of folder.templates) {
        const shippedHash = lockedShipped.get(template.key);
        if (origin === 'override' && shippedHash !== undefined && shippedHash !== template.sha256) {
          problems.push(
            problem(template.file, 1, 'override_published', `「${template.key}」は同梱の公開版と内容が違います。公開版は上書きできません。別の版番号か別のIDで作成してください`),
          );
          continue;
        }
        byKey.set(template.key, template);
      }
    });
  const templates = [...byKey.values()].sort((a, b) => a.id.localeCompare(b.id) || a.version - b.version);
  return { templates, problems };
}

/** Same as loadContent: what `npm run cli -- templates:check` reports. */
export const checkContent = loadContent;

/** One line per problem: `file:line[:column]: message`. */
export function formatProblems(problems: readonly ContentProblem[]): string {
  return problems.map((p) => `${p.file}:${p.line}${p.column === undefined ? '' : `:${p.column}`}: ${p.message}`).join('\n');
}

/** Thrown at start-up when content has problems; the message lists every one. */
export class ContentError extends Error {
  override readonly name = 'ContentError';
  readonly code = 'content_invalid';
  constructor(readonly problems: readonly ContentProblem[]) {
    super(`テンプレートに ${problems.length} 件の問題があります:\n${formatProblems(problems)}`);
  }
}

/** For start-up: loads the content or throws one ContentError naming every problem. */
export function loadContentOrThrow(roots: readonly (string | null | undefined)[]): Template[] {
  const { templates, problems } = loadContent(roots);
  if (problems.length > 0) throw new ContentError(problems);
  return templates;
}

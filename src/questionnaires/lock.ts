/**
 * Published template versions are locked by hash: an assessment issued with `outsourcing@1` must mean the same
 * questions forever, so changing a published file is refused and a change becomes a new version.
 *
 * `questionnaires/published.lock.json` (one per content folder) maps each published file name to the sha256 of its
 * text. The hash ignores a byte-order mark and CRLF line ends, so a Windows checkout does not "change" a template.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { type ContentProblem, problem } from './yaml-source.js';

export const LOCK_FILE = 'published.lock.json';
const LOCK_FORMAT = 'itaku-template-lock/1';

const LockData = z.strictObject({
  format: z.literal(LOCK_FORMAT),
  published: z.record(
    z.string().regex(/^[a-z][a-z0-9-]{1,40}@\d{1,4}\.yaml$/),
    z.strictObject({ sha256: z.string().regex(/^[0-9a-f]{64}$/), publishedAt: z.string().optional() }),
  ),
});
export type Lock = z.output<typeof LockData>;

/** sha256 of a content file's text, with BOM and CR line ends removed. */
export function contentHash(text: string): string {
  const normal = (text.startsWith('\uFEFF') ? text.slice(1) : text).replace(/\r\n?/g, '\n');
  return createHash('sha256').update(normal, 'utf8').digest('hex');
}

/** Reads a folder's lock file; a missing file is an empty lock (a folder of drafts needs none). */
export function readLock(dir: string): { lock: Lock; problems: ContentProblem[] } {
  const file = join(dir, LOCK_FILE);
  const empty: Lock = { format: LOCK_FORMAT, published: {} };
  if (!existsSync(file)) return { lock: empty, problems: [] };
  const text = readFileSync(file, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return { lock: empty, problems: [problem(file, lineOfJsonError(text, reason), 'lock_invalid', `ロックファイルがJSONとして読めません: ${reason}`)] };
  }
  const parsed = LockData.safeParse(json);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => i.path.join('.') || '(最上位)').join(', ');
    return { lock: empty, problems: [problem(file, 1, 'lock_invalid', `ロックファイルの形式が正しくありません（${where}）`)] };
  }
  return { lock: parsed.data, problems: [] };
}

function lineOfJsonError(text: string, reason: string): number {
  const m = /position (\d+)/.exec(reason);
  return m ? text.slice(0, Number(m[1])).split('\n').length : 1;
}

function lineOfKey(dir: string, key: string): number {
  const file = join(dir, LOCK_FILE);
  if (!existsSync(file)) return 1;
  const lines = readFileSync(file, 'utf8').split('\n');
  const index = lines.findIndex((l) => l.includes(JSON.stringify(key)));
  return index >= 0 ? index + 1 : 1;
}

export interface LockSubject {
  /** File name, e.g. `outsourcing@1.yaml`. */
  name: string;
  file: string;
  sha256: string;
  /** Status as read from the file, when it could be read; undefined for a file too broken to tell. */
  status?: 'draft' | 'published';
  /** Line of `status:` in the file, for messages. */
  statusLine?: number;
}

/**
 * Compares a folder's templates with its lock: a locked file that changed or disappeared, or a file marked
 * `published` that is not locked yet, is a problem.
 */
export function checkLock(dir: string, lock: Lock, files: readonly LockSubject[]): ContentProblem[] {
  const problems: ContentProblem[] = [];
  const byName = new Map(files.map((f) => [f.name, f]));
  for (const [name, entry] of Object.entries(lock.published)) {
    const file = byName.get(name);
    if (!file) {
      problems.push(
        problem(join(dir, LOCK_FILE), lineOfKey(dir, name), 'lock_missing_file', `公開済みのテンプレート「${name}」のファイルがありません。公開済みの版は削除できません`),
      );
    } else if (file.sha256 !== entry.sha256) {
      problems.push(
        problem(file.file, 1, 'lock_changed', `公開済みのテンプレート「${name}」が変更されています。公開済みの版は変更できません。元に戻し、変更は version を上げた新しいファイル（新しい版）として作成してください`),
      );
    } else if (file.status === 'draft') {
      problems.push(problem(file.file, file.statusLine ?? 1, 'lock_changed', `「${name}」はロックされた公開版です。status を published に戻してください`));
    }
  }
  for (const file of files) {
    if (file.status === 'published' && !Object.hasOwn(lock.published, file.name)) {
      problems.push(
        problem(file.file, file.statusLine ?? 1, 'lock_unlocked', `「${file.name}」は status: published ですがロックファイル（${LOCK_FILE}）に記録されていません。公開の手続き（publishTemplates）で記録してください`),
      );
    }
  }
  return problems;
}

/**
 * Publishes: records every `status: published` template of a folder that the lock does not hold yet. Never changes
 * or removes an existing entry. Returns the names added. Call only when the folder's content has no problems.
 */
export function lockPublished(dir: string, files: readonly LockSubject[], today: string): string[] {
  const { lock, problems } = readLock(dir);
  if (problems.length > 0) throw new Error(problems.map((p) => p.message).join('\n'));
  const added: string[] = [];
  for (const file of files) {
    if (file.status === 'published' && !Object.hasOwn(lock.published, file.name)) {
      lock.published[file.name] = { sha256: file.sha256, publishedAt: today };
      added.push(file.name);
    }
  }
  if (added.length > 0) {
    const sorted = Object.fromEntries(Object.entries(lock.published).sort(([a], [b]) => a.localeCompare(b)));
    writeFileSync(join(dir, LOCK_FILE), `${JSON.stringify({ format: LOCK_FORMAT, published: sorted }, null, 2)}\n`);
  }
  return added;
}

import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  checkContent,
  ContentError,
  contentHash,
  LOCK_FILE,
  loadContentOrThrow,
  publishTemplates,
  shippedContentRoot,
  templatesInUse,
} from '../../src/questionnaires/index.js';

const made: string[] = [];
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** A fresh copy of the shipped content root, so each test can break it freely. */
function copyRoot(): string {
  const root = tempDir('itaku-content-');
  cpSync(join(shippedContentRoot(), 'questionnaires'), join(root, 'questionnaires'), { recursive: true });
  return root;
}
const q = (root: string, name: string): string => join(root, 'questionnaires', name);
const codes = (root: string | (string | undefined)[]): string[] =>
  checkContent(Array.isArray(root) ? root : [root]).problems.map((p) => p.code);

test('a faithful copy of the shipped content passes', () => {
  assert.deepEqual(codes(copyRoot()), []);
});

test('every shipped published template is in the lock with its current hash', () => {
  const lock = JSON.parse(readFileSync(q(shippedContentRoot(), LOCK_FILE), 'utf8')) as { published: Record<string, { sha256: string }> };
  for (const name of ['outsourcing@1.yaml', 'cloud-service@1.yaml', 'cloud-terms@1.yaml', 'sns@1.yaml']) {
    assert.equal(lock.published[name]?.sha256, contentHash(readFileSync(q(shippedContentRoot(), name), 'utf8')), name);
  }
});

test('changing a published template, even by a comment, is refused: a change is a new version', () => {
  const root = copyRoot();
  const file = q(root, 'outsourcing@1.yaml');
  writeFileSync(file, `${readFileSync(file, 'utf8')}# 一行追加\n`);
  const { problems } = checkContent([root]);
  assert.equal(problems.length, 1);
  assert.equal(problems[0]?.code, 'lock_changed');
  assert.equal(problems[0]?.file, file);
  assert.equal(problems[0]?.line, 1);
  assert.match(problems[0]?.message ?? '', /公開済みの版は変更できません.*version を上げた新しいファイル/);
});

test('changing a question text in a published template is refused', () => {
  const root = copyRoot();
  const file = q(root, 'sns@1.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('公式ウェブサイトにこのアカウントを掲載し', '公式サイトにこのアカウントを載せ'));
  assert.deepEqual(codes(root), ['lock_changed']);
});

test('line ends and a byte-order mark do not count as a change', () => {
  const root = copyRoot();
  const file = q(root, 'cloud-terms@1.yaml');
  writeFileSync(file, `\uFEFF${readFileSync(file, 'utf8').replace(/\n/g, '\r\n')}`);
  assert.deepEqual(codes(root), []);
});

test('deleting a published template is refused, on the lock file line that records it', () => {
  const root = copyRoot();
  rmSync(q(root, 'sns@1.yaml'));
  const { problems } = checkContent([root]);
  assert.deepEqual(problems.map((p) => p.code), ['lock_missing_file']);
  assert.equal(problems[0]?.file, q(root, LOCK_FILE));
  const lockLines = readFileSync(q(root, LOCK_FILE), 'utf8').split('\n');
  assert.match(lockLines[(problems[0]?.line ?? 0) - 1] ?? '', /"sns@1\.yaml"/);
});

test('a new version marked published must be locked; publishing records it and changes nothing else', () => {
  const root = copyRoot();
  const next = q(root, 'sns@2.yaml');
  writeFileSync(next, readFileSync(q(root, 'sns@1.yaml'), 'utf8').replace('version: 1', 'version: 2'));
  const before = checkContent([root]).problems;
  assert.deepEqual(before.map((p) => `${p.code} ${p.line}`), ['lock_unlocked 5'], 'reported on the status line');
  const lockBefore = JSON.parse(readFileSync(q(root, LOCK_FILE), 'utf8')) as { published: Record<string, unknown> };

  const result = publishTemplates(root, '2027-04-01');
  assert.deepEqual(result, { added: ['sns@2.yaml'], problems: [] });
  const lockAfter = JSON.parse(readFileSync(q(root, LOCK_FILE), 'utf8')) as { published: Record<string, { sha256: string; publishedAt?: string }> };
  for (const [name, entry] of Object.entries(lockBefore.published)) assert.deepEqual(lockAfter.published[name], entry, name);
  assert.equal(lockAfter.published['sns@2.yaml']?.publishedAt, '2027-04-01');
  assert.deepEqual(codes(root), []);
  assert.deepEqual(templatesInUse(checkContent([root]).templates).find((t) => t.id === 'sns')?.version, 2);
  assert.deepEqual(publishTemplates(root, '2027-04-02').added, [], 'publishing again adds nothing');
});

test('publishing refuses while the folder has any other problem, and writes nothing', () => {
  const root = copyRoot();
  writeFileSync(q(root, 'sns@2.yaml'), readFileSync(q(root, 'sns@1.yaml'), 'utf8').replace('version: 1', 'version: 2'));
  writeFileSync(q(root, 'broken@1.yaml'), 'id: broken\nversion: 1\n');
  const lockBefore = readFileSync(q(root, LOCK_FILE), 'utf8');
  const result = publishTemplates(root, '2027-04-01');
  assert.deepEqual(result.added, []);
  assert.ok(result.problems.length > 0 && result.problems.every((p) => p.file === q(root, 'broken@1.yaml')));
  assert.equal(readFileSync(q(root, LOCK_FILE), 'utf8'), lockBefore);
});

test('a draft may change freely and is not in use', () => {
  const root = copyRoot();
  const draft = q(root, 'sns@2.yaml');
  const text = readFileSync(q(root, 'sns@1.yaml'), 'utf8').replace('version: 1', 'version: 2').replace('status: published', 'status: draft');
  writeFileSync(draft, text);
  assert.deepEqual(codes(root), []);
  writeFileSync(draft, text.replace('H10', 'H11'));
  const { templates, problems } = checkContent([root]);
  assert.deepEqual(problems, []);
  assert.equal(templatesInUse(templates).find((t) => t.id === 'sns')?.version, 1);
});

test('a broken lock file is itself a located problem', () => {
  const root = copyRoot();
  writeFileSync(q(root, LOCK_FILE), '{\n  "format": "itaku-template-lock/1",\n  "published": {,\n}\n');
  const { problems } = checkContent([root]);
  const lockProblem = problems.find((p) => p.code === 'lock_invalid');
  assert.equal(lockProblem?.file, q(root, LOCK_FILE));
  assert.equal(lockProblem?.line, 3);
});

test('CONTENT_DIR may add versions but may not replace a shipped published version with other text', () => {
  const shipped = copyRoot();
  const override = tempDir('itaku-override-');
  mkdirSync(join(override, 'questionnaires'));
  const changed = readFileSync(q(shipped, 'outsourcing@1.yaml'), 'utf8').replace('ja: 業務委託 情報セキュリティ確認票', 'ja: 業務委託 確認票（本市版）');
  writeFileSync(q(override, 'outsourcing@1.yaml'), changed);
  writeFileSync(q(override, LOCK_FILE), `${JSON.stringify({ format: 'itaku-template-lock/1', published: { 'outsourcing@1.yaml': { sha256: contentHash(changed) } } })}\n`);
  const { templates, problems } = checkContent([shipped, override]);
  assert.deepEqual(problems.map((p) => p.code), ['override_published']);
  assert.equal(problems[0]?.file, q(override, 'outsourcing@1.yaml'));
  assert.equal(templates.find((t) => t.id === 'outsourcing')?.origin, 'shipped', 'the shipped text stays in use');

  // The same change as a new version of the municipality's own is fine once it is locked there.
  rmSync(q(override, 'outsourcing@1.yaml'));
  const v2 = changed.replace('version: 1', 'version: 2');
  writeFileSync(q(override, 'outsourcing@2.yaml'), v2);
  writeFileSync(q(override, LOCK_FILE), `${JSON.stringify({ format: 'itaku-template-lock/1', published: { 'outsourcing@2.yaml': { sha256: contentHash(v2) } } })}\n`);
  const second = checkContent([shipped, override]);
  assert.deepEqual(second.problems, []);
  const inUse = templatesInUse(second.templates).find((t) => t.id === 'outsourcing');
  assert.equal(inUse?.version, 2);
  assert.equal(inUse?.origin, 'override');
  assert.equal(inUse?.title.ja, '業務委託 確認票（本市版）');
});

test('an identical copy of a shipped published file in CONTENT_DIR is harmless', () => {
  const shipped = copyRoot();
  const override = copyRoot();
  assert.deepEqual(codes([shipped, override]), []);
});

test('a CONTENT_DIR without questionnaires/ (only exports/) is fine; a missing shipped folder is not', () => {
  const shipped = copyRoot();
  const override = tempDir('itaku-override-');
  assert.deepEqual(codes([shipped, override, undefined, '']), []);
  assert.deepEqual(codes([override]), ['missing_folder']);
});

test('start-up gets one error that lists every problem with file and line', () => {
  const root = copyRoot();
  writeFileSync(q(root, 'sns@1.yaml'), `${readFileSync(q(root, 'sns@1.yaml'), 'utf8')}\n`);
  writeFileSync(q(root, 'extra@1.yaml'), 'id: extra\nversion: 1\nstatus: draft\nweight: 5\n');
  writeFileSync(q(root, 'typo@1.yml'), 'id: typo\n');
  assert.throws(
    () => loadContentOrThrow([root]),
    (err: unknown) => {
      assert.ok(err instanceof ContentError);
      assert.equal(err.code, 'content_invalid');
      const files = new Set(err.problems.map((p) => p.file));
      assert.ok(files.has(q(root, 'sns@1.yaml')) && files.has(q(root, 'extra@1.yaml')) && files.has(q(root, 'typo@1.yml')));
      for (const p of err.problems) assert.ok(err.message.includes(`${p.file}:${p.line}`), `message lists ${p.file}:${p.line}`);
      return true;
    },
  );
  assert.equal(loadContentOrThrow([copyRoot()]).length, 4);
});

/**
 * The README's test line: prepares what the suite needs and runs every test file against a real MongoDB-wire server —
 * the embedded FerretDB (started here, on a private socket, in a temporary folder) unless MONGODB_URI is set.
 * Each test file runs in its own process and uses its own database, so files run in parallel.
 *
 *   npm test                 every test
 *   npm test -- test/unit    only the files under the given paths
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../src/db/embedded.js';
import { ensureFerretDbBinary } from '../src/db/ferretdb-build.js';
import { ensureSystemPackages } from './system-packages.js';

function testFiles(roots: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    const stat = fs.statSync(p);
    if (stat.isDirectory()) for (const name of fs.readdirSync(p).sort()) walk(path.join(p, name));
    else if (/\.test\.ts$/.test(p)) out.push(p);
  };
  for (const root of roots) walk(root);
  return out;
}

async function main(): Promise<number> {
  const started = Date.now();
  const args = process.argv.slice(2);
  const files = testFiles(args.length ? args : ['test']);
  if (files.length === 0) {
    console.error('テストファイルが見つかりません / no test files found');
    return 1;
  }
  ensureSystemPackages(files);

  let db: EmbeddedDatabase | undefined;
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test' };
  // Tests must not inherit a developer's production settings.
  delete env.SESSION_SECRET;
  delete env.ITAKU_DATA_KEY;
  delete env.DATA_DIR;
  if (process.env.MONGODB_URI) {
    env.ITAKU_TEST_MONGODB_URI = process.env.MONGODB_URI;
    console.log(`テスト用データベース: MONGODB_URI`);
  } else {
    await ensureFerretDbBinary((line) => console.log(line));
    // tmpfs when there is one: the suite creates and drops many small databases.
    const base = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
    const dir = fs.mkdtempSync(path.join(base, 'itaku-test-db-'));
    db = await startEmbeddedDatabase({ dir, log: (line) => console.log(line) });
    env.ITAKU_TEST_MONGODB_URI = `${db.uri}/?directConnection=true`;
    env.ITAKU_TEST_DB_DIR = dir;
    console.log(`テスト用データベース: 組み込み FerretDB (${dir})`);
  }
  env.ITAKU_TEST_ARTIFACTS = path.resolve('test-artifacts');
  fs.mkdirSync(env.ITAKU_TEST_ARTIFACTS, { recursive: true });

  const concurrency = Math.max(2, os.availableParallelism() * 2);
  const child = spawn(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files], {
    env,
    stdio: 'inherit',
  });
  const code = await new Promise<number>((resolve) => child.on('close', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
  await db?.stop();
  if (env.ITAKU_TEST_DB_DIR) fs.rmSync(env.ITAKU_TEST_DB_DIR, { recursive: true, force: true });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (code === 0) console.log(`\nテスト成功 / all tests passed (${files.length} files, ${seconds} s)`);
  else console.error(`\nテスト失敗 / TESTS FAILED (exit ${code}, ${files.length} files, ${seconds} s)`);
  return code;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`テストを準備できませんでした / could not prepare the tests: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);


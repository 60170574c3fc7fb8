import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

// Tests run through tsx, which strips types without checking them: without this, `npm test` (and so CI) would pass
// code that `npm start` (tsc) refuses to build.
test('the whole project (src, test, bench, scripts) type-checks under the strict settings of tsconfig.json', () => {
  const tsc = path.resolve('node_modules/typescript/bin/tsc');
  const run = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--noEmit', '--pretty', 'false'], { encoding: 'utf8', timeout: 240_000 });
  assert.equal(run.error, undefined, String(run.error));
  assert.equal(run.status, 0, `tsc reported:\n${run.stdout}${run.stderr}`);
});

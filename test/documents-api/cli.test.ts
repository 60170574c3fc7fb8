import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import type { Department } from '../../src/org/index.js';
import { testServerUri, useTestDatabase } from '../helpers/db.js';
import { testApp } from '../helpers/app.js';
import { makeDepartment } from '../helpers/auth.js';
import { makeEngagement, makePerson, makeStaff, makeVendor, type TestUser } from '../helpers/records.js';
import { runCli, tempDir } from '../helpers/service.js';
import { AuditModel } from '../../src/audit/audit.model.js';
import { download, openWorkbook, setUpMunicipality } from './helpers.js';

const { dbName } = useTestDatabase();

/** MONGODB_URI naming this file's database, so the CLI (a separate process) reads what the tests wrote. */
const uri = (): string => testServerUri().replace(/\/(\?|$)/, `/${dbName}$1`);

async function cells(xlsx: Buffer): Promise<string[][]> {
  const ws = (await openWorkbook(xlsx)).worksheets[0]!;
  const out: string[][] = [];
  ws.eachRow({ includeEmpty: true }, (row, r) => {
    out[r - 1] = [];
    row.eachCell({ includeEmpty: true }, (cell, c) => (out[r - 1]![c - 1] = cell.text));
  });
  return out;
}

describe('npm run cli -- export:register', () => {
  const app = testApp();
  let a: Department;
  let officer: TestUser;
  const dir = tempDir('export-register');

  before(async () => {
    await setUpMunicipality();
    let b: Department;
    [a, b] = await Promise.all([makeDepartment('情報政策課'), makeDepartment('市民課')]);
    officer = await makeStaff(['security_officer']);
    const [pa, pb] = await Promise.all([makePerson(a._id), makePerson(b._id)]);
    const vendor = await makeVendor({ name: '=HYPERLINK("http://x","y")' });
    await makeEngagement(a._id, vendor._id, pa._id, { title: '住民記録システム運用保守業務', contractNumber: 'R8-001' });
    await makeEngagement(a._id, vendor._id, pa._id, { title: '庁内LAN保守業務', contractNumber: 'R8-002' });
    await makeEngagement(b._id, vendor._id, pb._id, { title: '窓口案内業務' });
  });

  test('writes the same register as the API, filters included; refuses to overwrite without --force', async () => {
    const env = { MONGODB_URI: uri(), DATA_DIR: tempDir('cli-data'), NODE_ENV: 'development' };
    const out = path.join(dir, '委託先台帳.xlsx');
    const run = await runCli(['export:register', 'engagements', '--out', out, '--department', a.code], env);
    assert.equal(run.code, 0, run.output);
    assert.match(run.output, /委託先台帳を出力しました .*wrote 2 rows/);
    const api = await download(app, `/api/v1/registers/engagements.xlsx?departmentId=${a._id}`, officer.bearer);
    assert.equal(api.status, 200);
    assert.deepEqual(await cells(fs.readFileSync(out)), await cells(api.body));
    assert.ok(await AuditModel.exists({ action: 'register.export', 'actor.kind': 'cli', 'detail.filters.departmentId': a._id }));

    const before = fs.readFileSync(out);
    const again = await runCli(['export:register', 'engagements', '--out', out], env);
    assert.equal(again.code, 1);
    assert.match(again.output, /既にあります.*--force/);
    assert.deepEqual(fs.readFileSync(out), before, 'the existing file is untouched');

    const forced = await runCli(['export:register', 'engagements', '--out', out, '--force'], env);
    assert.equal(forced.code, 0, forced.output);
    assert.equal((await cells(fs.readFileSync(out))).length, 3 + 3, 'title, legend, header and every engagement');
  });
});

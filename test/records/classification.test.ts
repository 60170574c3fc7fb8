import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { Writable } from 'node:stream';
import { useTestDatabase } from '../helpers/db.js';
import { testApp } from '../helpers/app.js';
import { makeDepartment } from '../helpers/auth.js';
import { makeCloudService, makePerson, makeVendor, makeStaff, type TestUser } from '../helpers/records.js';
import { AuditModel } from '../../src/audit/audit.model.js';
import { COMMANDS, CliError } from '../../src/cli/commands.js';
import '../../src/records/cli.js';
import type { Config } from '../../src/config.js';
import type { Department, Person } from '../../src/org/index.js';
import type { Vendor } from '../../src/vendors/index.js';

useTestDatabase();

async function cli(name: string, values: Record<string, string | boolean>): Promise<{ code: number; out: string }> {
  let out = '';
  const sink = new Writable({ write: (chunk, _e, cb) => ((out += String(chunk)), cb()) });
  const code = await COMMANDS[name]!.run({ config: {} as Config, values, positionals: [], out: sink, err: sink });
  return { code, out };
}

describe('classification scheme', () => {
  const app = testApp();
  let admin: TestUser;
  let officer: TestUser;
  let dept: Department;
  let vendor: Vendor;
  let person: Person;
  const ids = { b: '', c: '' };

  before(async () => {
    dept = await makeDepartment();
    [admin, officer, vendor, person] = await Promise.all([makeStaff(['admin']), makeStaff(['security_officer']), makeVendor(), makePerson(dept._id)]);
  });

  const settings = async () => (await request(app).get('/api/v1/settings').set('Authorization', admin.bearer)).body;
  const setScheme = async (classificationScheme: string) => request(app).patch('/api/v1/settings').set('Authorization', admin.bearer).send({ version: (await settings()).version, classificationScheme });
  const engagement = (levels: [string, boolean][]) =>
    request(app).post('/api/v1/engagements').set('Authorization', officer.bearer).send({
      title: `分類${levels.map((l) => l[0]).join('')}`, departmentId: dept._id, vendorId: vendor._id, responsiblePersonId: person._id, period: { start: '2026-04-01', end: '2099-03-31' },
      informationAssets: levels.map(([confidentiality, personalData], i) => ({ name: `資産${i}`, confidentiality, personalData })),
    });

  test('the scheme can change freely until the first record is classified, then only through classification:migrate (409)', async () => {
    assert.equal((await setScheme('legacy')).status, 200);
    assert.equal((await setScheme('r6')).status, 200);
    await makeCloudService(dept._id, vendor._id, person._id); // unclassified: no information assets
    assert.equal((await setScheme('legacy')).status, 200);
    assert.equal((await setScheme('r6')).status, 200);
    const created = await engagement([['3B', true]]);
    assert.equal(created.status, 201, created.text);
    ids.b = created.body.id;
    const locked = await setScheme('legacy');
    assert.equal(locked.status, 409);
    assert.equal(locked.body.code, 'classification_scheme_locked');
    assert.match(locked.body.detail, /npm run cli -- classification:migrate/);
    assert.equal((await settings()).classificationScheme, 'r6');
    assert.equal((await setScheme('r6')).status, 200, 'saving the same scheme is not a change');
    assert.equal((await request(app).patch('/api/v1/settings').set('Authorization', admin.bearer).send({ version: (await settings()).version, dormancyDays: 120 })).status, 200, 'other settings stay editable');
  });

  test('migrating to the old 3/2/1 maps 3A/3B/3C to 3, recomputes tiers with the old wording, audits, and is idempotent', async () => {
    ids.c = (await engagement([['3C', false], ['2', false]])).body.id;
    const dry = await cli('classification:migrate', { to: 'legacy', 'dry-run': true });
    assert.equal(dry.code, 0);
    assert.match(dry.out, /【確認のみ】/);
    assert.equal((await settings()).classificationScheme, 'r6', 'a dry run changes nothing');

    const run = await cli('classification:migrate', { to: 'legacy' });
    assert.equal(run.code, 0, run.out);
    assert.match(run.out, /2件の区分を読み替えました/);
    assert.equal((await settings()).classificationScheme, 'legacy');
    const b = (await request(app).get(`/api/v1/engagements/${ids.b}`).set('Authorization', officer.bearer)).body;
    assert.deepEqual(b.informationAssets[0].confidentiality, { level: '3', rank: 3 });
    assert.equal(b.tier.tier, 4);
    assert.equal(b.tier.reasons[0].text, '個人情報を含む機密性3の情報を取り扱うため。');
    const c = (await request(app).get(`/api/v1/engagements/${ids.c}`).set('Authorization', officer.bearer)).body;
    assert.deepEqual(c.informationAssets.map((x: { confidentiality: { level: string } }) => x.confidentiality.level), ['3', '2']);
    assert.equal(c.tier.tier, 3);
    assert.equal(await AuditModel.countDocuments({ action: 'engagement.classification.migrate' }), 2);
    assert.equal(await AuditModel.countDocuments({ action: 'classification.migrate' }), 1);

    const again = await cli('classification:migrate', { to: 'legacy' });
    assert.match(again.out, /0件の区分を読み替えました/);
    assert.equal(await AuditModel.countDocuments({ action: 'engagement.classification.migrate' }), 2);

    const refused = await engagement([['3B', true]]);
    assert.equal(refused.status, 400, 'a level of the other scheme');
    assert.equal(refused.body.errors[0].path, 'informationAssets.0.confidentiality');
    assert.match(refused.body.errors[0].message, /従来の区分/);
  });

  test('migrating back maps 3 to 3B with personal data and 3C without (auto), or to the level given', async () => {
    const run = await cli('classification:migrate', { to: 'r6' });
    assert.equal(run.code, 0);
    const level = async (id: string) => (await request(app).get(`/api/v1/engagements/${id}`).set('Authorization', officer.bearer)).body.informationAssets.map((x: { confidentiality: { level: string } }) => x.confidentiality.level);
    assert.deepEqual(await level(ids.b), ['3B']);
    assert.deepEqual(await level(ids.c), ['3C', '2']);

    await cli('classification:migrate', { to: 'legacy' });
    await cli('classification:migrate', { to: 'r6', level3: '3A' });
    assert.deepEqual(await level(ids.b), ['3A']);
    assert.deepEqual(await level(ids.c), ['3A', '2']);
  });

  test('the command refuses a missing or unknown target and mapping', async () => {
    for (const values of [{}, { to: 'r7' }, { to: 'r6', level3: '3D' }] as Record<string, string>[]) {
      await assert.rejects(cli('classification:migrate', values), (err: unknown) => err instanceof CliError && err.exitCode === 2);
    }
  });

  test('seed:demo refuses a database that already has records, naming --force', async () => {
    await assert.rejects(cli('seed:demo', {}), (err: unknown) => err instanceof CliError && /--force/.test(err.message));
  });
});

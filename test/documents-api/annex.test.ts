import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { before, describe, test } from 'node:test';
import request from 'supertest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { loadAppContent } from '../../src/content.js';
import { AuditModel } from '../../src/audit/audit.model.js';
import { AnnexRecordModel } from '../../src/documents/annex-record.js';
import { readZipEntry, zipEntries } from '../../src/documents/zip.js';
import { createLogger } from '../../src/logger.js';
import type { Department } from '../../src/org/index.js';
import { useTestDatabase } from '../helpers/db.js';
import { testApp } from '../helpers/app.js';
import { makeDepartment } from '../helpers/auth.js';
import { makeCloudService, makeEngagement, makePerson, makeStaff, makeVendor, type TestUser } from '../helpers/records.js';
import { download, setUpMunicipality } from './helpers.js';

useTestDatabase();

const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
const documentXml = (docx: Buffer) => readZipEntry(docx, zipEntries(docx).find((e) => e.name === 'word/document.xml')!).toString('utf8');

describe('annex 「情報セキュリティに関する特記事項」', () => {
  const app = testApp();
  let a: Department;
  let officer: TestUser;
  let auditor: TestUser;
  let ownA: TestUser;
  let ownB: TestUser;
  let roleless: TestUser;
  const ids: Record<string, string> = {};

  before(async () => {
    await setUpMunicipality();
    let b: Department;
    [a, b] = await Promise.all([makeDepartment('情報政策課'), makeDepartment('市民課')]);
    [officer, auditor, ownA, ownB, roleless] = await Promise.all([
      makeStaff(['security_officer']),
      makeStaff(['auditor']),
      makeStaff(['procurement'], a._id),
      makeStaff(['procurement'], b._id),
      makeStaff([]),
    ]);
    const person = await makePerson(a._id);
    const vendor = await makeVendor({ name: '株式会社テスト情報システム', address: '東京都千代田区丸の内一丁目２番３号' });
    ids.engagement = (
      await makeEngagement(a._id, vendor._id, person._id, {
        title: '住民記録システム運用保守業務委託',
        contractNumber: 'R8-情-0012',
        period: { start: '2026-04-01', end: '2027-03-31' },
        systemWork: true,
        informationAssets: [{ name: '住民基本台帳データ', confidentiality: '3B', personalData: true, integrity: 2, availability: 2 }],
      })
    )._id;
    ids.service = (
      await makeCloudService(a._id, vendor._id, person._id, {
        name: '電子申請サービス',
        contractPeriod: { start: '2026-04-01', end: '2027-03-31' },
        dataLocations: { data: ['JP'], backups: ['JP'], logs: ['JP'] },
        informationAssets: [{ name: '申請データ', confidentiality: '2', personalData: true }],
      })
    )._id;
    ids.terms = (await makeCloudService(a._id, vendor._id, person._id, { name: '無料ファイル転送', contractType: 'terms' }))._id;
  });

  test('an engagement’s annex is a .docx with a Japanese file name, recorded, audited, and regenerates to the same hash', async () => {
    const res = await download(app, `/api/v1/engagements/${ids.engagement}/annex.docx`, officer.bearer);
    assert.equal(res.status, 200, res.body.toString());
    assert.equal(res.headers['content-type'], 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const disposition = res.headers['content-disposition'] as string;
    assert.match(disposition, /^attachment; filename="[ -~]+"; filename\*=UTF-8''/);
    assert.equal(decodeURIComponent(disposition.split("UTF-8''")[1]!), '情報セキュリティに関する特記事項_住民記録システム運用保守業務委託.docx');
    const xml = documentXml(res.body);
    assert.match(xml, /架空市/);
    assert.match(xml, /株式会社テスト情報システム/);
    assert.match(xml, /住民基本台帳データ/);

    const id = res.headers['x-annex-id'] as string;
    const record = await request(app).get(`/api/v1/annexes/${id}`).set('Authorization', auditor.bearer);
    assert.equal(record.status, 200, record.text);
    assert.equal(record.body.sha256, sha256(res.body));
    assert.equal(record.body.size, res.body.length);
    assert.equal(record.body.library.version, loadAppContent().exports.library.version);
    assert.equal(record.body.library.sha256, loadAppContent().exports.library.sha256);
    assert.equal(record.body.input.contract.title, '住民記録システム運用保守業務委託');
    assert.equal(record.body.input.contract.start, '2026-04-01');
    assert.equal(record.body.input.clauseLibrary, undefined, 'the library is recorded by version and hash, not copied');
    assert.equal(record.body.input.parameters.firstReportHours, 24, 'no decided assessment: the default');
    assert.equal(record.body.issuedBy.id, officer.user._id);

    const again = await download(app, `/api/v1/annexes/${id}/document.docx`, ownA.bearer);
    assert.equal(again.status, 200, again.body.toString());
    assert.equal(sha256(again.body), record.body.sha256, 'byte for byte');

    const audit = await AuditModel.find({ entity: 'annex', entityId: id }).lean();
    assert.deepEqual(audit.map((e) => e.action).sort(), ['annex.issue', 'annex.regenerate']);
  });

  test('a cloud service with 機密性2 gets the C1 cloud clauses, data kept in 日本国内', async () => {
    const preview = await request(app).get(`/api/v1/cloud-services/${ids.service}/annex.docx?format=json`).set('Authorization', ownA.bearer);
    assert.equal(preview.status, 200, preview.text);
    const cloud = preview.body.clauses.filter((c: { id: string }) => c.id.startsWith('cloud-'));
    assert.ok(cloud.length > 0 && cloud.every((c: { applies: boolean }) => c.applies), 'every C1 clause applies');
    assert.equal(preview.body.parameters.dataLocation, '日本国内');
    const res = await download(app, `/api/v1/cloud-services/${ids.service}/annex.docx`, ownA.bearer);
    assert.equal(res.status, 200, res.body.toString());
    assert.match(documentXml(res.body), /日本国内/);
    assert.match(decodeURIComponent((res.headers['content-disposition'] as string).split("UTF-8''")[1]!), /^情報セキュリティに関する特記事項_電子申請サービス/);
  });

  test('?format=json lists every clause, applied and left out, each with the reason, and records nothing', async () => {
    const before = await AnnexRecordModel.countDocuments();
    const res = await request(app).get(`/api/v1/engagements/${ids.engagement}/annex.docx?format=json`).set('Authorization', officer.bearer);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.format, 'itaku-annex-preview@1');
    const applied = res.body.clauses.filter((c: { applies: boolean }) => c.applies);
    const left = res.body.clauses.filter((c: { applies: boolean }) => !c.applies);
    assert.ok(applied.length > 10 && left.length > 0);
    assert.equal(res.body.applying, applied.length);
    for (const c of res.body.clauses) assert.ok(c.reason.length > 0, `${c.id} has a reason`);
    assert.ok(applied.every((c: { article: string }) => /^第[０-９]+条$/.test(c.article)));
    assert.ok(left.every((c: { article: string | null; condition: string | null }) => c.article === null && c.condition));
    assert.ok(applied.some((c: { module: string }) => c.module.startsWith('C2')), 'personal data clauses apply');
    assert.ok(left.some((c: { module: string }) => c.module.startsWith('C1')), 'cloud clauses are left out of an engagement');
    assert.equal(await AnnexRecordModel.countDocuments(), before);
  });

  test('a 約款型 service has no contract: 409 terms_service', async () => {
    for (const q of ['', '?format=json']) {
      const res = await request(app).get(`/api/v1/cloud-services/${ids.terms}/annex.docx${q}`).set('Authorization', officer.bearer);
      assert.equal(res.status, 409);
      assert.equal(res.body.code, 'terms_service');
    }
  });

  test('roles: every reader may download; another department’s procurement gets 404; a role without downloads 403', async () => {
    for (const who of [officer, auditor, ownA]) {
      const res = await request(app).get(`/api/v1/engagements/${ids.engagement}/annex.docx?format=json`).set('Authorization', who.bearer);
      assert.equal(res.status, 200);
    }
    assert.equal((await request(app).get(`/api/v1/engagements/${ids.engagement}/annex.docx`).set('Authorization', ownB.bearer)).status, 404);
    assert.equal((await request(app).get(`/api/v1/cloud-services/${ids.service}/annex.docx`).set('Authorization', ownB.bearer)).status, 404);
    assert.equal((await request(app).get(`/api/v1/engagements/${ids.engagement}/annex.docx`).set('Authorization', roleless.bearer)).status, 403);
    assert.equal((await request(app).get(`/api/v1/engagements/${ids.engagement}/annex.docx`)).status, 401);
    const issued = await download(app, `/api/v1/engagements/${ids.engagement}/annex.docx`, ownA.bearer);
    const id = issued.headers['x-annex-id'] as string;
    assert.equal((await request(app).get(`/api/v1/annexes/${id}`).set('Authorization', ownB.bearer)).status, 404);
    assert.equal((await request(app).get(`/api/v1/annexes/${id}/document.docx`).set('Authorization', ownB.bearer)).status, 404);
    assert.equal((await request(app).get(`/api/v1/annexes/${id}`).set('Authorization', roleless.bearer)).status, 403);
  });

  test('a record whose clause library has since changed answers 409 library_changed', async () => {
    const issued = await download(app, `/api/v1/engagements/${ids.engagement}/annex.docx`, officer.bearer);
    const id = issued.headers['x-annex-id'] as string;
    const content = loadAppContent();
    const changed = { ...content, exports: { ...content.exports, library: { ...content.exports.library, version: content.exports.library.version + 1, sha256: 'f'.repeat(64) } } };
    const config = loadConfig({ NODE_ENV: 'test', SESSION_SECRET: crypto.randomBytes(32).toString('hex'), ITAKU_DATA_KEY: crypto.randomBytes(32).toString('hex'), PUBLIC_BASE_URL: 'http://itaku.test' });
    const other = createApp({ config, logger: createLogger('silent'), content: changed });
    const res = await request(other).get(`/api/v1/annexes/${id}/document.docx`).set('Authorization', officer.bearer);
    assert.equal(res.status, 409);
    assert.equal(res.body.code, 'library_changed');
  });

  test('the municipality’s missing address is named: 422 annex_input_invalid', async () => {
    const { getSettings, updateSettings } = await import('../../src/settings/index.js');
    const { cliContext } = await import('../../src/audit/actor.js');
    const s = await getSettings();
    await updateSettings(cliContext('test'), s.version, { address: '' });
    try {
      const res = await request(app).get(`/api/v1/engagements/${ids.engagement}/annex.docx`).set('Authorization', officer.bearer);
      assert.equal(res.status, 422, res.text);
      assert.equal(res.body.code, 'annex_input_invalid');
      assert.ok(res.body.errors.some((e: { path: string }) => e.path === 'municipality.address'));
    } finally {
      await updateSettings(cliContext('test'), (await getSettings()).version, { address: '架空県架空市本町一丁目１番１号' });
    }
  });
});

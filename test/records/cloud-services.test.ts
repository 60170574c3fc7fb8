import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { useTestDatabase } from '../helpers/db.js';
import { testApp } from '../helpers/app.js';
import { makeDepartment } from '../helpers/auth.js';
import { makePerson, makeVendor, makeStaff, type TestUser } from '../helpers/records.js';
import { cliContext } from '../../src/audit/actor.js';
import { setLastDecision } from '../../src/records/index.js';
import type { CloudService } from '../../src/cloud-services/index.js';
import { addDays, todayInTokyo } from '../../src/shared/dates.js';
import type { Department, Person } from '../../src/org/index.js';
import type { Vendor } from '../../src/vendors/index.js';

useTestDatabase();

const codes = (r: { warnings: { code: string }[] }) => r.warnings.map((w) => w.code);

describe('/api/v1/cloud-services', () => {
  const app = testApp();
  const today = todayInTokyo();
  let officer: TestUser;
  let own: TestUser;
  let dept: Department;
  let vendor: Vendor;
  let admin: Person;

  before(async () => {
    dept = await makeDepartment('情報政策課');
    [officer, own, vendor, admin] = await Promise.all([makeStaff(['ciso']), makeStaff(['procurement'], dept._id), makeVendor(), makePerson(dept._id, { name: '外部 管理者' })]);
  });

  const c2 = [{ name: '申請データ', confidentiality: '2', personalData: true }];
  const ismap = (validUntil: string) => ({ program: 'ismap', number: 'C24-0001-1', scope: '東京リージョン', validUntil });
  const body = (over: object = {}) => ({ name: '電子申請サービス', providerVendorId: vendor._id, serviceModel: 'saas', contractType: 'individual', departmentId: dept._id, administratorId: admin._id, ...over });
  const post = (b: object, who = own) => request(app).post('/api/v1/cloud-services').set('Authorization', who.bearer).send(b);

  test('a 約款型 service holding 機密性2 abroad, under foreign law and without ISMAP shows each warning', async () => {
    const res = await post(body({ contractType: 'terms', informationAssets: c2, dataLocations: { data: ['us'], backups: ['JP'], logs: ['SG'] }, governingLaw: 'US', jurisdiction: { country: 'US', court: 'King County' } }));
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(codes(res.body), ['terms_confidential', 'data_outside_japan', 'foreign_law', 'ismap_missing']);
    assert.match(res.body.warnings[0].message, /個別契約/);
    assert.match(res.body.warnings[1].message, /データ: アメリカ合衆国／ログ: シンガポール/);
    assert.deepEqual(res.body.dataLocations.data, ['US']);
    assert.equal(res.body.tier.tier, 3, '機密性2 with personal data');
  });

  test('an individual contract in Japan with a valid ISMAP registration shows nothing; an expired one shows ismap_expired', async () => {
    const fine = await post(body({ informationAssets: c2, ismap: ismap(addDays(today, 400)), dataLocations: { data: ['JP'], backups: ['JP'], logs: ['JP'] }, governingLaw: 'JP' }));
    assert.deepEqual(codes(fine.body), []);
    const lapsed = await post(body({ name: '期限切れサービス', informationAssets: c2, ismap: ismap(addDays(today, -1)), dataLocations: { data: ['JP'], backups: ['JP'], logs: ['JP'] } }));
    assert.deepEqual(codes(lapsed.body), ['ismap_expired']);
    const listed = (await request(app).get('/api/v1/cloud-services?warning=ismap_expired').set('Authorization', officer.bearer)).body.items.map((s: { id: string }) => s.id);
    assert.deepEqual(listed, [lapsed.body.id]);
    const unknown = await post(body({ name: '保存場所不明サービス', informationAssets: c2, ismap: ismap(addDays(today, 100)) }));
    assert.deepEqual(codes(unknown.body), ['data_location_unknown']);
  });

  test('after a decision, the ISMAP expiry, a data-location change and the provider’s certificate expiry move the next review', async () => {
    const created = (await post(body({ name: '見直し対象', informationAssets: c2, ismap: ismap(addDays(today, 300)), dataLocations: { data: ['JP'], backups: ['JP'], logs: ['JP'] } }))).body;
    const decided = (await setLastDecision(cliContext('test'), 'cloudService', created.id, { date: addDays(today, -30), result: 'approved', openConditionDueDates: [], assessmentId: null })) as CloudService;
    assert.equal(decided.nextReviewReason, 'ismap_expiry');
    assert.equal(decided.nextReviewDate, addDays(today, 300));

    const moved = await request(app).patch(`/api/v1/cloud-services/${created.id}`).set('Authorization', own.bearer).send({ version: decided.version, dataLocations: { data: ['JP'], backups: ['KR'], logs: ['JP'] } });
    assert.equal(moved.status, 200, moved.text);
    assert.equal(moved.body.nextReview.reason, 'data_location_change');
    assert.equal(moved.body.nextReview.date, today);
    assert.ok(codes(moved.body).includes('data_outside_japan'));

    // The provider's certificate: another service of a fresh vendor, then the vendor's ISMS expiry moves in.
    const v = await makeVendor();
    const s = (await post(body({ name: '認証連動', providerVendorId: v._id }))).body;
    (await setLastDecision(cliContext('test'), 'cloudService', s.id, { date: addDays(today, -10), result: 'approved', openConditionDueDates: [], assessmentId: null })) as CloudService;
    const cert = await request(app).patch(`/api/v1/vendors/${v._id}`).set('Authorization', own.bearer).send({ version: v.version, certifications: [{ type: 'isms', number: 'IS 9', validUntil: addDays(today, 45) }] });
    assert.equal(cert.status, 200, cert.text);
    const after = (await request(app).get(`/api/v1/cloud-services/${s.id}`).set('Authorization', own.bearer)).body;
    assert.equal(after.nextReview.reason, 'certificate_expiry');
    assert.equal(after.nextReview.date, addDays(today, 45));
  });

  test('refuses bad input: unknown provider or administrator, bad country, ISMAP without expiry, α′ outside LGWAN, contract end before start', async () => {
    const cases: [object, string][] = [
      [{ providerVendorId: 'bbbbbbbbbbbbbbbbbbbbbbbb' }, 'providerVendorId'],
      [{ administratorId: 'bbbbbbbbbbbbbbbbbbbbbbbb' }, 'administratorId'],
      [{ dataLocations: { data: ['Japan'] } }, 'dataLocations.data.0'],
      [{ governingLaw: 'ZZ' }, 'governingLaw'],
      [{ ismap: { program: 'ismap', number: 'C1' } }, 'ismap.validUntil'],
      [{ segment: 'internet', placement: 'alpha_prime' }, 'placement'],
      [{ contractPeriod: { start: '2026-04-01', end: '2025-04-01' } }, 'contractPeriod.end'],
      [{ contractType: 'free' }, 'contractType'],
      [{ informationAssets: [{ name: 'x', confidentiality: { $ne: '1' } }] }, 'informationAssets.0.confidentiality'],
    ];
    for (const [over, path] of cases) {
      const res = await post(body(over), officer);
      assert.equal(res.status, 400, `${JSON.stringify(over)} → ${res.status}`);
      assert.ok(res.body.errors.some((e: { path: string }) => e.path === path), `${JSON.stringify(over)}: ${JSON.stringify(res.body.errors)}`);
    }
  });

  test('filters by contract type, provider and generative AI', async () => {
    const ai = (await post(body({ name: '生成AIチャット', contractType: 'terms', generativeAi: true }))).body;
    const ids = async (q: string) => (await request(app).get(`/api/v1/cloud-services?limit=200&${q}`).set('Authorization', officer.bearer)).body.items.map((s: { id: string }) => s.id) as string[];
    assert.ok((await ids('contractType=terms')).includes(ai.id));
    assert.ok(!(await ids('contractType=individual')).includes(ai.id));
    assert.deepEqual(await ids('generativeAi=true'), [ai.id]);
    assert.ok((await ids(`vendorId=${vendor._id}`)).includes(ai.id));
  });
});

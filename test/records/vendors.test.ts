import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { useTestDatabase } from '../helpers/db.js';
import { testApp } from '../helpers/app.js';
import { makeDepartment } from '../helpers/auth.js';
import { corporateNo, makeEngagement, makePerson, makeStaff, type TestUser } from '../helpers/records.js';
import { AuditModel } from '../../src/audit/audit.model.js';

useTestDatabase();

describe('/api/v1/vendors', () => {
  const app = testApp();
  let officer: TestUser;
  let procurement: TestUser;
  let auditor: TestUser;
  let admin: TestUser;

  before(async () => {
    const dept = await makeDepartment();
    [officer, procurement, auditor, admin] = await Promise.all([
      makeStaff(['security_officer']),
      makeStaff(['procurement'], dept._id),
      makeStaff(['auditor']),
      makeStaff(['admin']),
    ]);
  });

  const post = (who: TestUser, body: object) => request(app).post('/api/v1/vendors').set('Authorization', who.bearer).send(body);

  test('creates a vendor with a verified 法人番号, normalised names and certificates, and audits it', async () => {
    const number = corporateNo();
    const res = await post(procurement, {
      name: '株式会社　ｻｸﾗｼｽﾃﾑｽﾞ', nameKana: 'さくらしすてむず', corporateNumber: number, address: '架空県桜ヶ丘市1-1',
      contacts: [{ name: '大野 誠', role: '営業担当', email: 'ono@example.com' }],
      certifications: [{ type: 'isms', number: 'IS 1', validUntil: '2099-03-31' }, { type: 'privacy_mark', number: '第1号', validUntil: null }],
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.name, '株式会社 サクラシステムズ');
    assert.equal(res.body.nameKana, 'サクラシステムズ');
    assert.equal(res.body.corporateNumber, number);
    assert.equal(res.body.country, 'JP');
    assert.equal(res.body.certifications[0].label, 'ISMS（ISO/IEC 27001）');
    assert.ok(res.body.certifications[0].daysLeft > 0);
    assert.match(res.headers.location ?? '', new RegExp(`/api/v1/vendors/${res.body.id}$`));
    assert.equal(await AuditModel.countDocuments({ entity: 'vendor', entityId: res.body.id, action: 'vendor.create' }), 1);
  });

  test('refuses a wrong check digit, full-width digits and a missing number for a vendor in Japan', async () => {
    const good = corporateNo();
    const wrong = `${(Number(good[0]) % 9) + 1}${good.slice(1)}`;
    for (const [corporateNumber, pattern] of [[wrong, /検査用数字/], ['１２３４５６７８９０１２３', /半角/], ['123456789012', /13桁/]] as const) {
      const res = await post(officer, { name: '株式会社誤り', corporateNumber });
      assert.equal(res.status, 400);
      assert.equal(res.body.errors[0].path, 'corporateNumber');
      assert.match(res.body.errors[0].message, pattern);
    }
    const missing = await post(officer, { name: '株式会社番号なし' });
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.body.errors.map((e: { path: string }) => e.path), ['corporateNumber']);
  });

  test('accepts a foreign vendor without a 法人番号, with its country', async () => {
    const res = await post(officer, { name: 'Northwind Cloud, Inc.', country: 'us', certifications: [{ type: 'soc2', name: 'Type 2', number: 'R-1', validUntil: '2099-01-01' }] });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.country, 'US');
    assert.equal(res.body.countryName, 'アメリカ合衆国');
    assert.equal(res.body.corporateNumber, null);
    assert.equal((await post(officer, { name: 'Nowhere Ltd.', country: 'QQ' })).status, 400);
  });

  test('answers 409 for a 法人番号 already registered, naming the field', async () => {
    const number = corporateNo();
    assert.equal((await post(officer, { name: '株式会社一番', corporateNumber: number })).status, 201);
    const twin = await post(procurement, { name: '株式会社二番', corporateNumber: number });
    assert.equal(twin.status, 409);
    assert.equal(twin.body.code, 'duplicate');
    assert.equal(twin.body.errors[0].path, 'corporateNumber');
    const concurrent = await Promise.all([corporateNo(), corporateNo()].flatMap((n) => [post(officer, { name: 'A社', corporateNumber: n }), post(officer, { name: 'B社', corporateNumber: n })]));
    assert.deepEqual(concurrent.map((r) => r.status).sort(), [201, 201, 409, 409], 'of two concurrent twins exactly one is created');
  });

  test('refuses control characters, over-long names and operator objects in the body', async () => {
    for (const body of [{ name: '株式会社\u0000悪意' }, { name: '株式会社\u202Eevil' }, { name: 'あ'.repeat(201) }, { name: { $gt: '' } }, { name: '株式会社X', corporateNumber: { $ne: null } }, { name: '株式会社Y', nameKana: 'カナ\n改行' }]) {
      const res = await post(officer, { country: 'US', ...body });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.code, 'validation_failed');
    }
  });

  test('?q= is searched literally and bracketed query keys are ignored, never run as operators', async () => {
    await post(officer, { name: 'Dot.Star Inc.', country: 'US' });
    const literal = await request(app).get('/api/v1/vendors?q=.*').set('Authorization', auditor.bearer);
    assert.equal(literal.status, 200);
    assert.equal(literal.body.total, 0, '.* is not a pattern');
    const dot = await request(app).get(`/api/v1/vendors?q=${encodeURIComponent('Dot.Star')}`).set('Authorization', auditor.bearer);
    assert.equal(dot.body.total, 1);
    const injected = await request(app).get('/api/v1/vendors?q[$ne]=1&country[$ne]=JP').set('Authorization', auditor.bearer);
    assert.equal(injected.status, 400);
    assert.deepEqual(injected.body.errors.map((e: { path: string }) => e.path).sort(), ['query.country', 'query.q']);
    assert.equal((await request(app).get('/api/v1/vendors?country=US').set('Authorization', auditor.bearer)).body.items.every((v: { country: string }) => v.country === 'US'), true);
  });

  test('every role reads; admin and auditor may not write (403)', async () => {
    for (const who of [officer, procurement, auditor, admin]) assert.equal((await request(app).get('/api/v1/vendors').set('Authorization', who.bearer)).status, 200);
    for (const who of [auditor, admin]) {
      const res = await post(who, { name: '株式会社権限外', country: 'US' });
      assert.equal(res.status, 403);
      assert.equal(res.body.code, 'forbidden');
    }
    assert.equal((await request(app).get('/api/v1/vendors')).status, 401);
  });

  test('a PATCH needs the current version, keeps omitted fields, and a stale one changes nothing', async () => {
    const created = (await post(officer, { name: '株式会社版管理', corporateNumber: corporateNo(), address: '元の住所' })).body;
    const ok = await request(app).patch(`/api/v1/vendors/${created.id}`).set('Authorization', procurement.bearer).send({ version: 1, note: '変更' });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.address, '元の住所');
    assert.equal(ok.body.version, 2);
    const stale = await request(app).patch(`/api/v1/vendors/${created.id}`).set('Authorization', procurement.bearer).send({ version: 1, address: '上書き' });
    assert.equal(stale.status, 409);
    assert.equal((await request(app).get(`/api/v1/vendors/${created.id}`).set('Authorization', officer.bearer)).body.address, '元の住所');
  });

  test('a vendor in use is not archived; an unused one is archived, not deleted, and its number can be reused', async () => {
    const dept = await makeDepartment();
    const person = await makePerson(dept._id);
    const used = (await post(officer, { name: '株式会社使用中', corporateNumber: corporateNo() })).body;
    await makeEngagement(dept._id, used.id, person._id);
    const refused = await request(app).delete(`/api/v1/vendors/${used.id}`).set('Authorization', officer.bearer);
    assert.equal(refused.status, 409);
    assert.match(refused.body.detail, /1件/);

    const number = corporateNo();
    const unused = (await post(officer, { name: '株式会社未使用', corporateNumber: number })).body;
    const archived = await request(app).delete(`/api/v1/vendors/${unused.id}`).set('Authorization', officer.bearer);
    assert.equal(archived.status, 200);
    assert.ok(archived.body.archivedAt);
    assert.equal((await request(app).get(`/api/v1/vendors/${unused.id}`).set('Authorization', officer.bearer)).status, 200, 'still readable');
    assert.equal((await post(officer, { name: '株式会社後継', corporateNumber: number })).status, 201, 'an archived vendor no longer holds its number');
  });
});

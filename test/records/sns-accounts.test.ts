import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { useTestDatabase } from '../helpers/db.js';
import { testApp } from '../helpers/app.js';
import { makeDepartment } from '../helpers/auth.js';
import { deactivate, makeEngagement, makePerson, makeVendor, makeStaff, type TestUser } from '../helpers/records.js';
import { addDays, todayInTokyo } from '../../src/shared/dates.js';
import type { Department, Person } from '../../src/org/index.js';

useTestDatabase();

const codes = (r: { warnings: { code: string }[] }) => r.warnings.map((w) => w.code);

describe('/api/v1/sns-accounts', () => {
  const app = testApp();
  const today = todayInTokyo();
  let officer: TestUser;
  let own: TestUser;
  let admin: TestUser;
  let dept: Department;
  let other: Department;
  let lead: Person;
  let operator: Person;

  before(async () => {
    [dept, other] = await Promise.all([makeDepartment('広報広聴課'), makeDepartment('防災課')]);
    [officer, own, admin, lead, operator] = await Promise.all([makeStaff(['security_officer']), makeStaff(['procurement'], dept._id), makeStaff(['admin']), makePerson(dept._id, { name: '広報 課長' }), makePerson(dept._id, { name: '広報 主事' })]);
  });

  const body = (over: object = {}) => ({
    platform: 'x', accountName: '@sakura_city', url: 'https://x.com/sakura_city', departmentId: dept._id, responsiblePersonId: lead._id, operatorIds: [operator._id],
    twoFactor: true, officialSiteUrl: 'https://www.city.example.jp/sns/', lastActivityOn: today, ...over,
  });
  const post = (b: object, who = own) => request(app).post('/api/v1/sns-accounts').set('Authorization', who.bearer).send(b);

  test('a well-run account is tier 2 with no warnings; one used for disaster information is tier 3', async () => {
    const res = await post(body({ postingPolicy: { publish: 'イベント情報', doNotPublish: '個人情報' }, procedure: { reference: 'SNS運用手順書', date: '2026-04-01' } }));
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.tier.tier, 2);
    assert.deepEqual(codes(res.body), []);
    assert.equal(res.body.platformLabel, 'X（旧Twitter）');
    assert.deepEqual(res.body.operators.map((p: { name: string }) => p.name), ['広報 主事']);
    const disaster = await post(body({ accountName: '@sakura_bosai', url: 'https://x.com/sakura_bosai', disasterInformation: true }));
    assert.equal(disaster.body.tier.tier, 3);
    assert.ok(disaster.body.tier.reasons.some((r: { code: string }) => r.code === 'sns_disaster'));
  });

  test('the same platform and account name twice is 409, whatever the case or a leading @; another platform is fine', async () => {
    await post(body({ accountName: '@dup_account', url: 'https://x.com/dup_account' }));
    for (const accountName of ['@dup_account', 'DUP_ACCOUNT', '＠dup_account']) {
      const res = await post(body({ accountName, url: 'https://x.com/dup_account' }), officer);
      assert.equal(res.status, 409, accountName);
      assert.equal(res.body.code, 'duplicate');
      assert.equal(res.body.errors[0].path, 'accountName');
    }
    assert.equal((await post(body({ platform: 'instagram', accountName: 'dup_account', url: 'https://www.instagram.com/dup_account/' }))).status, 201);
    const other = (await post(body({ accountName: '@renamed', url: 'https://x.com/renamed' }))).body;
    const clash = await request(app).patch(`/api/v1/sns-accounts/${other.id}`).set('Authorization', own.bearer).send({ version: 1, accountName: '@Dup_Account' });
    assert.equal(clash.status, 409, 'renaming into a taken name');
    const racing = await Promise.all([1, 2, 3].map(() => post(body({ accountName: '@race', url: 'https://x.com/race' }))));
    assert.deepEqual(racing.map((r) => r.status).sort(), [201, 409, 409]);
  });

  test('an archived account frees its name', async () => {
    const first = (await post(body({ accountName: '@old_name', url: 'https://x.com/old_name' }))).body;
    assert.equal((await request(app).delete(`/api/v1/sns-accounts/${first.id}`).set('Authorization', own.bearer)).status, 200);
    assert.equal((await post(body({ accountName: '@old_name', url: 'https://x.com/old_name' }))).status, 201);
  });

  test('refuses non-http(s) URLs, a future last activity, repeated operators and an unnamed "other" platform', async () => {
    const cases: [object, string][] = [
      [{ url: 'javascript:alert(1)' }, 'url'],
      [{ url: 'ftp://x.com/a' }, 'url'],
      [{ url: 'x.com/sakura' }, 'url'],
      [{ officialSiteUrl: 'data:text/html,hi' }, 'officialSiteUrl'],
      [{ url: `https://x.com/${'a'.repeat(2001)}` }, 'url'],
      [{ lastActivityOn: addDays(today, 1) }, 'lastActivityOn'],
      [{ operatorIds: [operator._id, operator._id] }, 'operatorIds'],
      [{ platform: 'other' }, 'platformName'],
      [{ platform: 'mastodon' }, 'platform'],
      [{ accountName: '' }, 'accountName'],
      [{ accountName: 'a\tb' }, 'accountName'],
      [{ operatorIds: ['cccccccccccccccccccccccc'] }, 'operatorIds.0'],
    ];
    for (const [over, path] of cases) {
      const res = await post(body({ accountName: '@bad_input', ...over }), officer);
      assert.equal(res.status, 400, `${JSON.stringify(over)} → ${res.status}`);
      assert.ok(res.body.errors.some((e: { path: string }) => e.path === path), `${JSON.stringify(over)}: ${JSON.stringify(res.body.errors)}`);
    }
    assert.equal((await post(body({ accountName: '@plain_http', url: 'http://x.com/plain_http' }))).status, 201, 'http is allowed');
  });

  test('warnings: no responsible person, no 2FA, not listed, dormant by the municipality’s period, an inactive operator', async () => {
    const bare = await post(body({ accountName: '@bare', url: 'https://x.com/bare', responsiblePersonId: null, twoFactor: false, officialSiteUrl: null, lastActivityOn: addDays(today, -91) }));
    assert.deepEqual(codes(bare.body), ['sns_no_responsible_person', 'sns_no_two_factor', 'sns_not_listed', 'sns_dormant']);
    assert.equal(bare.body.status, 'dormant');
    const idle = (await post(body({ accountName: '@idle', url: 'https://x.com/idle', lastActivityOn: addDays(today, -45) }))).body;
    assert.deepEqual(codes(idle), []);
    const settings = (await request(app).get('/api/v1/settings').set('Authorization', admin.bearer)).body;
    assert.equal((await request(app).patch('/api/v1/settings').set('Authorization', admin.bearer).send({ version: settings.version, dormancyDays: 30 })).status, 200);
    const after = (await request(app).get(`/api/v1/sns-accounts/${idle.id}`).set('Authorization', own.bearer)).body;
    assert.deepEqual(codes(after), ['sns_dormant']);
    assert.match(after.warnings[0].message, /45日/);
    assert.ok((await request(app).get('/api/v1/sns-accounts?warning=sns_dormant&limit=200').set('Authorization', own.bearer)).body.items.some((a: { id: string }) => a.id === idle.id));

    const leaving = await makePerson(dept._id, { name: '異動 予定' });
    const run = (await post(body({ accountName: '@handover_me', url: 'https://x.com/handover_me', operatorIds: [leaving._id] }))).body;
    await deactivate(leaving);
    const stale = (await request(app).get(`/api/v1/sns-accounts/${run.id}`).set('Authorization', own.bearer)).body;
    assert.deepEqual(codes(stale), ['person_inactive']);
    assert.match(stale.warnings[0].message, /運用担当者（異動 予定）/);
    const edited = await request(app).patch(`/api/v1/sns-accounts/${run.id}`).set('Authorization', own.bearer).send({ version: stale.version, purpose: '引き続き運用' });
    assert.equal(edited.status, 200, 'an inactive person already named does not block other edits');
  });

  test('a vendor-run account must name an engagement the caller can see', async () => {
    const vendor = await makeVendor();
    const mine = await makeEngagement(dept._id, vendor._id, lead._id, { vendorOperatesSns: true });
    const theirs = await makeEngagement(other._id, vendor._id, (await makePerson(other._id))._id);
    const ok = await post(body({ accountName: '@vendor_run', url: 'https://x.com/vendor_run', operatedByEngagementId: mine._id }));
    assert.equal(ok.status, 201, ok.text);
    assert.equal(ok.body.operatedBy.name, mine.title);
    assert.equal(ok.body.tier.reasons[0].code, 'sns_account');
    const hidden = await post(body({ accountName: '@vendor_run2', url: 'https://x.com/vendor_run2', operatedByEngagementId: theirs._id }));
    assert.equal(hidden.status, 400);
    assert.equal(hidden.body.errors[0].path, 'operatedByEngagementId');
    assert.equal((await post(body({ accountName: '@vendor_run3', url: 'https://x.com/vendor_run3', operatedByEngagementId: theirs._id }), officer)).status, 201, 'an officer sees every department');
  });

  test('filters by platform and searches account names literally', async () => {
    await post(body({ platform: 'youtube', accountName: 'さくら市公式チャンネル', url: 'https://www.youtube.com/@sakura' }));
    const yt = (await request(app).get('/api/v1/sns-accounts?platform=youtube').set('Authorization', own.bearer)).body.items;
    assert.deepEqual(yt.map((a: { accountName: string }) => a.accountName), ['さくら市公式チャンネル']);
    assert.equal((await request(app).get(`/api/v1/sns-accounts?q=${encodeURIComponent('公式チャンネル')}`).set('Authorization', own.bearer)).body.total, 1);
    assert.equal((await request(app).get('/api/v1/sns-accounts?q=.%2B').set('Authorization', own.bearer)).body.total, 0);
  });
});

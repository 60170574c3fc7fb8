import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { useTestDatabase } from '../helpers/db.js';
import { testApp } from '../helpers/app.js';
import { makeDepartment, makeUser, type TestUser } from '../helpers/auth.js';
import { cliContext } from '../../src/audit/actor.js';
import { AuditModel } from '../../src/audit/audit.model.js';
import { DepartmentModel, personStore } from '../../src/org/index.js';
import { resetPassword } from '../../src/auth/users.commands.js';
import { consoleSignIn, csrfOf, makePerson } from './helpers.js';

useTestDatabase();
const app = testApp();

let procurement: TestUser;
let auditor: TestUser;
let officer: TestUser;
let ownService: string;
let otherService: string;
let vendorId: string;

describe('console access', () => {
  before(async () => {
    const [a, b] = [await makeDepartment('情報政策課'), await makeDepartment('子育て支援課')];
    procurement = await makeUser(['procurement'], a._id);
    auditor = await makeUser(['auditor']);
    officer = await makeUser(['security_officer']);
    const [pa, pb] = [await makePerson('山田 花子', a._id), await makePerson('佐藤 次郎', b._id)];
    const vendor = await request(app).post('/api/v1/vendors').set('Authorization', officer.bearer).send({ name: '株式会社テスト', country: 'US' });
    assert.equal(vendor.status, 201, vendor.text);
    vendorId = vendor.body.id;
    const service = (departmentId: string, administratorId: string, name: string) =>
      request(app).post('/api/v1/cloud-services').set('Authorization', officer.bearer).send({ name, providerVendorId: vendorId, serviceModel: 'saas', contractType: 'individual', departmentId, administratorId });
    const own = await service(a._id, pa._id, '自課のサービス');
    const other = await service(b._id, pb._id, '他課のサービス');
    assert.equal(own.status, 201, own.text);
    ownService = own.body.id;
    otherService = other.body.id;
  });

  test('a visitor who is not signed in is sent to the sign-in page, with only a same-site next', async () => {
    const res = await request(app).get('/cloud-services?tier=2');
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, `/login?next=${encodeURIComponent('/cloud-services?tier=2')}`);
    const page = await request(app).get('/login?next=//evil.example/x');
    assert.match(page.text, /name="next" value="\/"/);
    assert.match(page.headers['content-security-policy'] ?? '', /script-src 'self'/);
    assert.doesNotMatch(page.text, /<script>(?!<\/script>)/, 'no inline script');
  });

  test('a wrong password shows the message on the sign-in page and signs nobody in', async () => {
    const agent = request.agent(app);
    const login = await agent.get('/login');
    const res = await agent.post('/login').type('form').send({ _csrf: csrfOf(login.text), email: procurement.user.email, password: 'wrong-password-123' });
    assert.equal(res.status, 401);
    assert.match(res.text, /メールアドレスまたはパスワードが正しくありません/);
    assert.equal((await agent.get('/')).status, 303);
  });

  test('a form posted without its CSRF token is refused with 403 before anything happens', async () => {
    const { agent } = await consoleSignIn(app, officer.user.email, officer.password);
    const res = await agent.post('/vendors').type('form').send({ name: 'CSRFなし株式会社', country: 'US' });
    assert.equal(res.status, 403);
    const list = await agent.get('/vendors?q=CSRF');
    assert.doesNotMatch(list.text, /CSRFなし株式会社/);
  });

  test('procurement sees its own department and gets 404 for another department’s pages', async () => {
    const { agent } = await consoleSignIn(app, procurement.user.email, procurement.password);
    assert.equal((await agent.get(`/cloud-services/${ownService}`)).status, 200);
    assert.equal((await agent.get(`/cloud-services/${otherService}`)).status, 404);
    assert.equal((await agent.get(`/cloud-services/${otherService}/edit`)).status, 404);
    assert.equal((await agent.get(`/assessments/new?kind=cloudService&id=${otherService}`)).status, 404);
    const list = await agent.get('/cloud-services');
    assert.match(list.text, /自課のサービス/);
    assert.doesNotMatch(list.text, /他課のサービス/);
    assert.equal((await agent.get('/admin/users')).status, 403);
    const page = await agent.get('/');
    assert.doesNotMatch(page.text, /href="\/admin"/, 'no admin entry in the navigation');
  });

  test('an auditor reads everything but gets no edit buttons, and every write is refused with 403', async () => {
    const { agent, csrf } = await consoleSignIn(app, auditor.user.email, auditor.password);
    const page = await agent.get(`/cloud-services/${otherService}`);
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.text, />編集<\/a>|>質問票を発行<\/a>|>アーカイブ<\/button>/);
    assert.equal((await agent.get('/cloud-services/new')).status, 403);
    assert.equal((await agent.post('/vendors').type('form').send({ _csrf: csrf, name: '監査株式会社', country: 'US' })).status, 403);
    assert.equal((await agent.post(`/cloud-services/${ownService}/edit`).type('form').send({ _csrf: csrf, version: '1', name: 'x' })).status, 403);
    assert.equal((await agent.post(`/vendors/${vendorId}/archive`).type('form').send({ _csrf: csrf, version: '1' })).status, 403);
  });

  test('a user who must change the password is sent to the password page first', async () => {
    const user = await makeUser(['security_officer']);
    const { temporaryPassword } = await resetPassword(cliContext('test'), user.user._id);
    const agent = request.agent(app);
    const login = await agent.get('/login');
    const res = await agent.post('/login').type('form').send({ _csrf: csrfOf(login.text), email: user.user.email, password: temporaryPassword });
    assert.equal(res.headers.location, '/account/password');
    const vendors = await agent.get('/vendors');
    assert.equal(vendors.status, 303);
    assert.equal(vendors.headers.location, '/account/password');
  });

  test('a stale edit shows the stored version next to the user’s input and changes nothing', async () => {
    const { agent, csrf } = await consoleSignIn(app, officer.user.email, officer.password);
    const form = await agent.get(`/vendors/${vendorId}/edit`);
    assert.match(form.text, /name="version" value="1"/);
    const first = await agent.post(`/vendors/${vendorId}/edit`).type('form').send({ _csrf: csrf, version: '1', name: '株式会社テスト改', country: 'US', nameKana: '', address: '', note: '' });
    assert.equal(first.status, 303);
    const stale = await agent.post(`/vendors/${vendorId}/edit`).type('form').send({ _csrf: csrf, version: '1', name: '株式会社テスト別案', country: 'US', nameKana: '', address: '', note: '' });
    assert.equal(stale.status, 409);
    assert.match(stale.text, /第1版、現在は第2版/);
    assert.match(stale.text, /保存されている内容（第2版）:<\/strong> 株式会社テスト改/);
    assert.match(stale.text, /value="株式会社テスト別案"/, 'what the user typed is kept');
  });

  test('a refused form keeps what was typed and shows the message beside the field', async () => {
    const { agent, csrf } = await consoleSignIn(app, officer.user.email, officer.password);
    const res = await agent.post('/vendors').type('form').send({ _csrf: csrf, name: '国内株式会社', country: 'JP', corporateNumber: '１２３' });
    assert.equal(res.status, 400);
    assert.match(res.text, /id="e-f-corporateNumber"/);
    assert.match(res.text, /半角数字/);
    assert.match(res.text, /href="#f-corporateNumber"/);
    assert.match(res.text, /value="国内株式会社"/);
  });

  test('every page of the console renders for the roles that may open it', async () => {
    const admin = await makeUser(['admin']);
    const pages: [TestUser, string[]][] = [
      [officer, ['/', '/vendors', `/vendors/${vendorId}`, '/vendors/new', '/engagements', '/engagements/new', '/cloud-services?tier=1&reviewDue=due&sort=tier', `/cloud-services/${ownService}`, `/cloud-services/${ownService}/edit`, `/assessments/new?kind=cloudService&id=${ownService}`, '/sns-accounts', '/sns-accounts/new', '/assessments', '/conditions?status=overdue', '/handover', '/admin/templates', '/admin/templates/cloud-service', '/admin/clauses', '/account', '/account/password', '/account/totp']],
      [admin, ['/admin', '/admin/users', '/admin/users/new', '/admin/departments', '/admin/departments/new', '/admin/people', '/admin/people/new', '/admin/settings']],
    ];
    for (const [who, urls] of pages) {
      const { agent } = await consoleSignIn(app, who.user.email, who.password);
      for (const url of urls) {
        const res = await agent.get(url);
        assert.equal(res.status, 200, `${url}: ${res.status}`);
        assert.match(res.headers['cache-control'] ?? '', /no-store/);
        for (const [, id] of res.text.matchAll(/<(?:input|select|textarea)[^>]*\bid="([^"]+)"/g)) {
          assert.ok(res.text.includes(`for="${id}"`) || /type="hidden"/.test(res.text.slice(res.text.indexOf(`id="${id}"`) - 200, res.text.indexOf(`id="${id}"`))) || id === 'vendor-link', `${url}: a label for #${id}`);
        }
        for (const form of res.text.matchAll(/<form method="post"[\s\S]*?<\/form>/g)) assert.match(form[0], /name="_csrf"/, `${url}: every POST form carries _csrf`);
      }
    }
  });

  test('an incident is recorded from the record page with the API’s rules, and brings the next review forward', async () => {
    const { agent, csrf } = await consoleSignIn(app, procurement.user.email, procurement.password);
    const bad = await agent.post(`/cloud-services/${ownService}/incidents`).type('form').send({ _csrf: csrf, date: '2999-01-01', severity: 'high', summary: '' });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /id="e-f-summary"/);
    const ok = await agent.post(`/cloud-services/${ownService}/incidents`).type('form').send({ _csrf: csrf, date: '2026-04-01', severity: 'high', summary: '誤送信' });
    assert.equal(ok.status, 303);
    assert.match((await agent.get(ok.headers.location!)).text, /インシデントを記録しました/);
  });

  test('an admin creates a department and edits a person through the console with the API’s rules and audit; a stale version answers 409', async () => {
    const refused = await consoleSignIn(app, procurement.user.email, procurement.password);
    assert.equal((await refused.agent.post('/admin/departments').type('form').send({ _csrf: refused.csrf, code: '', name: '' })).status, 403, '403 before the form’s own mistakes');

    const admin = await makeUser(['admin']);
    const { agent, csrf } = await consoleSignIn(app, admin.user.email, admin.password);
    const bad = await agent.post('/admin/departments').type('form').send({ _csrf: csrf, code: '企画', name: '企画課', active: 'on' });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /id="e-f-code"/);
    const created = await agent.post('/admin/departments').type('form').send({ _csrf: csrf, code: 'KIKAKU-01', name: '企画課', active: 'on' });
    assert.equal(created.status, 303, created.text);
    assert.equal(created.headers.location, '/admin/departments?done=1');
    const dept = await DepartmentModel.findOne({ code: 'KIKAKU-01' }).lean();
    assert.ok(dept);
    const createdEntry = await AuditModel.findOne({ action: 'department.create', entityId: dept._id }).lean();
    assert.equal(createdEntry?.actor.id, admin.user._id);

    const person = await makePerson('鈴木 一郎', null);
    assert.match((await agent.get(`/admin/people/${person._id}`)).text, /name="version" value="1"/);
    const edit = (version: string, title: string) =>
      agent.post(`/admin/people/${person._id}`).type('form').send({ _csrf: csrf, version, name: '鈴木 一郎', nameKana: 'スズキ イチロウ', title, departmentId: dept._id, email: 'Ichiro.Suzuki@City.Example.JP', phone: '', active: 'on' });
    const first = await edit('1', '企画課長');
    assert.equal(first.status, 303, first.text);
    const updatedEntry = await AuditModel.findOne({ action: 'person.update', entityId: person._id }).lean();
    assert.equal(updatedEntry?.actor.id, admin.user._id);
    assert.deepEqual([updatedEntry?.after?.departmentId, updatedEntry?.after?.email], [dept._id, 'ichiro.suzuki@city.example.jp']);

    const stale = await edit('1', '別案');
    assert.equal(stale.status, 409);
    assert.match(stale.text, /第1版、現在は第2版/);
    assert.match(stale.text, /value="別案"/, 'what the user typed is kept');
    const stored = await personStore.get(person._id);
    assert.deepEqual([stored?.version, stored?.title], [2, '企画課長']);
    assert.equal(await AuditModel.countDocuments({ action: 'person.update', entityId: person._id }), 1);
  });
});

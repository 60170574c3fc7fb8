import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import type { Server } from 'node:http';
import mongoose from 'mongoose';
import request from 'supertest';
import ExcelJS from 'exceljs';
import { useTestDatabase } from '../helpers/db.js';
import { testApp } from '../helpers/app.js';
import { makeDepartment, makeUser, signIn, type TestUser } from '../helpers/auth.js';
import { inDays, issue, makeWorld, type World } from '../helpers/assessments.js';
import { corporateNo, makeCloudService, makeEngagement, makePerson, makeSnsAccount, makeVendor } from '../helpers/records.js';
import { consoleSignIn } from '../console/helpers.js';
import { userStore } from '../../src/auth/user.model.js';
import { cliContext } from '../../src/audit/actor.js';
import { assessmentStore } from '../../src/assessments/assessment.model.js';

useTestDatabase();

/**
 * Issue #11's injection cases. The query parameters and the string fields of request bodies come from the OpenAPI
 * document, so a new list route, parameter or body field is covered without touching this file (a body field that no
 * fixture below reaches fails the test). Covered elsewhere and not repeated: operator objects and control characters in
 * the settings body (test/platform/http.test.ts); 'Bearer', 'Bearer abc', forged and Basic authorisation
 * (test/auth/tokens.test.ts); a forged cookie, CSRF across two sessions of one user and session fixation at API sign-in
 * (test/auth/session.test.ts); a console form without its token (test/console/access.test.ts).
 */

interface Schema { type?: string | string[]; properties?: Record<string, Schema>; items?: Schema; anyOf?: Schema[]; oneOf?: Schema[]; enum?: unknown[]; const?: unknown; pattern?: string; format?: string; $ref?: string }
interface Operation { parameters?: { name: string; in: string; schema: Schema }[]; requestBody?: { content: Record<string, { schema: Schema }> } }
interface Doc { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, Schema> } }
type Body = Record<string, unknown>;
interface Fixture { path: string; body: Body }
type Res = request.Response;

// Behind a trusted loopback proxy each request can come from an address of its own: this file sends about a thousand
// requests, near the per-address ceiling of /api. Headers, cookies and CSRF are tried on an app that trusts no proxy.
const app = testApp({ TRUST_PROXY: 'loopback' });
const plain = testApp();
let server: Server;
let plainServer: Server;
let address = 0;
const nextAddress = () => `198.18.${Math.floor(address / 250) % 250}.${(address++ % 250) + 1}`;

/** Text that `?q=` must match literally (and a regular expression would match in CONTROL as well). */
const LITERAL = 'LIT.*(a+)+$ 試験';
const CONTROL = 'CTRL 試験aaaa';
const FAKE_ID = 'f'.repeat(24);
let w: World;
let doc: Doc;
const ids: Record<string, string> = {};

function send(method: string, url: string, auth?: string) {
  let req = request(server)[method.toLowerCase() as 'get'](url).set('X-Forwarded-For', nextAddress()).timeout(10_000);
  if (auth) req = req.set('Authorization', auth);
  if (/\.(xlsx|docx)$/.test(url.split('?')[0]!)) {
    req = req.buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
  }
  return req;
}
const bodyOf = (res: Res) => (Buffer.isBuffer(res.body) ? (/json/.test(res.type) ? JSON.parse(res.body.toString('utf8')) : null) : res.body);

/** Runs `fn` over `items`, `n` at a time. */
async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

/**
 * Why `res` is not a useful problem+json refusal naming `field` (or, for an array item, its array; or the question a
 * value answers), or null.
 */
function refusalProblem(res: Res, field: string, question?: string): string | null {
  if (res.status === 413) return null;
  if (res.status !== 400) return `answered ${res.status} ${JSON.stringify(bodyOf(res))?.slice(0, 200)}`;
  if (!/^application\/problem\+json/.test(res.headers['content-type'] ?? '')) return 'not problem+json';
  const body = bodyOf(res) as { detail?: unknown; errors?: { path: string }[] };
  if (typeof body.detail !== 'string' || !body.detail) return 'no detail';
  const named = (body.errors ?? []).some((e) => e.path === field || e.path.startsWith(`${field}.`) || e.path === question || `${e.path}.0` === field);
  return named ? null : `errors do not name ${field}: ${JSON.stringify(body.errors)}`;
}

/** The shared world, built once by the first describe's hook (a root-level hook here ran before the database was open). */
let ready: Promise<void> | undefined;
const setUp = () => (ready ??= build());
async function build(): Promise<void> {
  server = app.listen(0);
  plainServer = plain.listen(0);
  w = await makeWorld();
  doc = (await request(server).get('/api/openapi.json')).body as Doc;
  const person2 = await makePerson(w.otherDeptId);
  const engagement = await makeEngagement(w.deptId, w.vendorId, w.personId, { title: 'SEED 業務' });
  const cloud = await makeCloudService(w.deptId, w.vendorId, w.personId, { name: 'SEED サービス' });
  const terms = await makeCloudService(w.deptId, w.vendorId, w.personId, { name: 'SEED 約款型', contractType: 'terms' });
  const sns = await makeSnsAccount(w.deptId, { accountName: 'SEED アカウント', responsiblePersonId: w.personId });
  // A record whose name holds regular-expression syntax literally, and one a regular expression would also match,
  // in two departments, for every kind `?q=` searches.
  for (const [name, dept, person] of [[LITERAL, w.deptId, w.personId], [CONTROL, w.otherDeptId, person2._id]] as const) {
    await makeDepartment(name);
    await makePerson(dept, { name });
    await makeVendor({ name });
    await makeEngagement(dept, w.vendorId, person, { title: name });
    await makeCloudService(dept, w.vendorId, person, { name });
    await makeSnsAccount(dept, { accountName: name });
    await userStore.create(cliContext('test'), 'user.create', {
      email: `search-${crypto.randomBytes(4).toString('hex')}@city.example.jp`, name, roles: ['auditor'], departmentId: dept,
      passwordHash: null, mustChangePassword: false, disabled: false, totp: null, passwordChangedAt: null,
    });
  }
  const issued = async (kind: string, id: string, template: string, by = w.officer) => {
    const res = await issue(app, by, { kind, id }, template);
    assert.equal(res.status, 201, res.text);
    return res.body.id as string;
  };
  Object.assign(ids, {
    dept: w.deptId, vendor: w.vendorId, person: w.personId, person2: person2._id, engagement: engagement._id, cloud: cloud._id, sns: sns._id,
    user: w.auditor.user._id, assessment: await issued('cloudService', cloud._id, 'cloud-service'), spare: await issued('cloudService', cloud._id, 'cloud-service', w.procurement),
    termsAssessment: await issued('cloudService', terms._id, 'cloud-terms'), snsAssessment: await issued('snsAccount', sns._id, 'sns'),
  });
  // Under review (set directly; the way there is tested elsewhere), so that review and decision bodies reach their checks.
  const spare = (await assessmentStore.get(ids.spare!))!;
  await assessmentStore.update(cliContext('test'), 'test.review', spare._id, spare.version, (x) => ({ ...x, status: 'under_review' }));
  ids.token = (await request(server).post(`/api/v1/assessments/${ids.assessment}/link`).set('Authorization', w.officer.bearer).send({})).body.token;
  const view = (await request(server).get(`/api/v1/respond/${ids.token}`)).body as { sections: { questions: { id: string; answer: { type: string } }[] }[] };
  ids.textQ = view.sections.flatMap((s) => s.questions).find((q) => q.answer.type === 'text')!.id;
}
after(() => {
  server?.close();
  plainServer?.close();
});

describe('list filters and searches', () => {
  before(setUp);
  const HOSTILE: [label: string, query: (p: string) => string][] = [
    ['[$ne]', (p) => `${p}[$ne]=x`],
    ['[$gt]', (p) => `${p}[$gt]=`],
    ['[$regex]', (p) => `${p}[$regex]=.*`],
    ['.*', (p) => `${p}=.*`],
    ['(a+)+$', (p) => `${p}=${encodeURIComponent('(a+)+$')}`],
    ['10,000 characters', (p) => `${p}=${'a'.repeat(10_000)}`],
    ['NUL', (p) => `${p}=a%00b`],
    ['RLO', (p) => `${p}=%E2%80%AEabc`],
    ['CRLF', (p) => `${p}=%0D%0ASet-Cookie:x`],
    ['repeated', (p) => `${p}=a&${p}=b`],
  ];
  const SEARCHED = new Set(['users', 'departments', 'people', 'vendors', 'engagements', 'cloud-services', 'sns-accounts']);
  const kindOf = (path: string) => path.replace('/registers/', '/').replace(/\.xlsx$/, '').split('/')[3]!;

  /** A list answer's items: ids of JSON items, or the register rows that show a record seeded here. */
  async function itemsOf(res: Res): Promise<{ key: string; text: string }[] | null> {
    if (/spreadsheetml/.test(res.type)) {
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(res.body as never);
      const rows: string[] = [];
      book.eachSheet((sheet) => sheet.eachRow((row) => {
        const cells: string[] = [];
        row.eachCell((c) => void cells.push(c.text));
        rows.push(cells.join('\t'));
      }));
      return rows.filter((r) => [LITERAL, CONTROL, 'SEED'].some((m) => r.includes(m))).map((r) => ({ key: r, text: r }));
    }
    const body = bodyOf(res) as { items?: { id?: string }[] } | null;
    return Array.isArray(body?.items) ? body.items.map((i) => ({ key: i.id ?? JSON.stringify(i), text: JSON.stringify(i) })) : null;
  }

  test('every query parameter refuses operators, patterns, long and control text with 400, or answers no wider than its literal value', async () => {
    const routes = Object.entries(doc.paths).flatMap(([template, ops]) => {
      const params = (ops.get?.parameters ?? []).filter((p) => p.in === 'query');
      return params.length ? [{ template, params }] : [];
    });
    assert.ok(routes.length >= 15, `GET routes with query parameters: ${routes.length}`);
    const unseeded = routes.filter((r) => r.params.some((p) => p.name === 'q') && !SEARCHED.has(kindOf(r.template))).map((r) => r.template);
    assert.deepEqual(unseeded, [], 'searchable lists without a literal/control pair seeded above');

    const failures: string[] = [];
    // What a route answers without parameters: a list's total (the audit log grows while this runs, and a filter only
    // ever lowers it), a register's rows, or a single resource's status, type and JSON body.
    /**
     * One parameter, one hostile value: 400 naming it, or 200 with nothing a literal value would not give. The query
     * parser leaves `name[$ne]` a parameter of its own; a declared name in that form is refused (400), never run as an
     * operator nor dropped (which would answer wider than asked).
     */
    async function single(template: string, path: string, auth: string, param: string, [label, query]: (typeof HOSTILE)[number]) {
      const where = `GET ${template} ${param}${label.startsWith('[') ? label : `=${label}`}`;
      const res = await send('GET', `${path}?${query(param)}`, auth);
      if (res.headers['set-cookie']) failures.push(`${where}: set a cookie ${JSON.stringify(res.headers['set-cookie'])}`);
      if (res.status !== 200) {
        const problem = refusalProblem(res, `query.${param}`);
        return void (problem && failures.push(`${where}: ${problem}`));
      }
      const items = await itemsOf(res);
      if (!items) return void failures.push(`${where}: answered 200 to a hostile value`);
      if (label.startsWith('[')) return void failures.push(`${where}: answered 200 to the bracketed form of a filter`);
      // A literal value matches no record here, except that a search for the name of the record named LITERAL finds it.
      const wider = items.filter((i) => !(param === 'q' && i.text.includes(LITERAL)));
      if (wider.length) failures.push(`${where}: ${wider.length} item(s) beyond the literal value, e.g. ${wider[0]!.text.slice(0, 120)}`);
      if (param === 'q' && ['.*', '(a+)+$'].includes(label) && !items.some((i) => i.text.includes(LITERAL))) failures.push(`${where}: the record named ${LITERAL} was not found`);
    }

    // Parameters with a type, a pattern or a list of values must refuse every hostile value, so they are sent together
    // (validation names each one it refuses); a parameter not accounted for is tried alone. Free text (`q`) and the 10,000-character
    // value (a URL has a size limit) go one parameter at a time.
    const free = (s: Schema) => s.type === 'string' && !s.enum && !s.pattern && !s.format && s.const === undefined;
    const idFor: [RegExp, string][] = [[/^\/api\/v1\/engagements/, ids.engagement!], [/^\/api\/v1\/cloud-services/, ids.cloud!]];
    const jobs: (() => Promise<void>)[] = [];
    for (const { template, params } of routes) {
      const path = template.replace('{templateId}', 'cloud-service').replace('{id}', idFor.find(([re]) => re.test(template))?.[1] ?? FAKE_ID);
      // The first staff member the route lets in: a security officer, or the admin for admin-only lists.
      let auth = w.officer.bearer;
      let baseline = await send('GET', path, auth);
      if (baseline.status === 403) baseline = await send('GET', path, (auth = w.admin.bearer));
      assert.ok(baseline.status < 500 && ![401, 403].includes(baseline.status), `${template} answers an officer or the admin: ${baseline.status}`);
      for (const hostile of HOSTILE) {
        const together = hostile[0] === '10,000 characters' ? [] : params.filter((p) => !free(p.schema)).map((p) => p.name);
        for (const p of params.filter((x) => !together.includes(x.name))) jobs.push(() => single(template, path, auth, p.name, hostile));
        if (together.length) jobs.push(async () => {
          const res = await send('GET', `${path}?${together.map(hostile[1]).join('&')}`, auth);
          if (res.headers['set-cookie']) failures.push(`GET ${template} ${hostile[0]}: set a cookie`);
          const left = together.filter((p) => refusalProblem(res, `query.${p}`) !== null);
          for (const p of left) await single(template, path, auth, p, hostile);
        });
      }
    }
    await pool(jobs, 4, (job) => job().catch((err: Error) => void failures.push(err.message)));
    assert.equal(failures.length, 0, failures.join('\n'));
  });
});

describe('string fields of request bodies', () => {
  before(setUp);
  type Kind = 'operator' | 'long' | 'nul' | 'rlo' | 'newline';
  const text = (o: unknown) => (typeof o === 'string' && o ? o : 'abc');
  const VALUES: Record<Kind, (original: unknown) => unknown> = {
    operator: () => ({ $gt: '' }),
    long: () => 'a'.repeat(100_000),
    nul: (o) => `${text(o)}\u0000x`,
    rlo: (o) => `\u202E${text(o)}`,
    newline: (o) => `${text(o)}\nx`,
  };
  // src/shared/text.ts: multi-line text (notes, reasons, answers) keeps TAB, line breaks and bidirectional marks, and
  // refuses other controls; everything else is single-line and refuses those too. Passwords are opaque secrets.
  const MULTI_LINE = new Set(['note', 'description', 'purpose', 'postingPolicy.publish', 'postingPolicy.doNotPublish', 'endOfContract.note', 'reason', 'summary', 'comment', 'value', 'text', 'measure', 'message', 'conditions.[].text']);
  const SECRET = new Set(['password', 'currentPassword', 'newPassword']);
  // Looked up in the assessment's questionnaire by the handler: an unknown id is refused there (4xx), unnamed.
  const REFERENCE = new Set(['questionId']);
  const mayAccept = (key: string, kind: Kind) => (kind === 'nul' || kind === 'rlo' || kind === 'newline' ? SECRET.has(key) : false) || ((kind === 'rlo' || kind === 'newline') && MULTI_LINE.has(key));

  /** A valid body per route (several for a union or for fields only some bodies reach). */
  function fixtures(): Record<string, Fixture[]> {
    const one = (path: string, body: Body): Fixture[] => [{ path, body }];
    const asset = { name: '住民情報', confidentiality: '2', integrity: 1, availability: 1, personalData: true, myNumber: false };
    const person = { name: '試験 花子', nameKana: 'シケン ハナコ', title: '主事', departmentId: ids.dept, email: 'hanako@city.example.jp', phone: '03-0000-0000', userId: null };
    const vendor = {
      name: '株式会社試験', nameKana: 'カブシキガイシャシケン', corporateNumber: corporateNo(), country: 'JP', address: '東京都千代田区', note: '備考',
      contacts: [{ name: '担当 一郎', department: '営業部', title: '課長', email: 'tanto@vendor.example.jp', phone: '03-1234-5678', role: '営業担当' }],
      certifications: [{ type: 'isms', name: '', number: 'IS 12345', scope: '全社', validUntil: '2027-03-31' }],
    };
    const engagement = {
      title: '試験業務', departmentId: ids.dept, vendorId: ids.vendor, contractNumber: 'C-1', period: { start: '2026-04-01', end: '2027-03-31' }, description: '概要',
      informationAssets: [asset], segment: 'internet', placement: 'beta', workLocation: 'vendor_site', responsiblePersonId: ids.person, administratorId: ids.person,
      subcontractors: [{ vendorId: ids.vendor, name: '再委託先', location: '東京都', scope: '保守', dataHandled: 'なし', approved: true, approvedOn: '2026-04-01' }],
      endOfContract: { assetsReturned: true, erasureCertificate: true, accountsRevoked: true, date: '2027-03-31', note: '返却済み' },
    };
    const cloud = {
      name: '試験サービス', providerVendorId: ids.vendor, serviceModel: 'saas', contractType: 'individual', ismap: { program: 'ismap', number: 'C22-0001', scope: '全体', validUntil: '2027-03-31' },
      dataLocations: { data: ['JP'], backups: ['JP'], logs: ['JP'], note: '国内' }, governingLaw: 'JP', jurisdiction: { country: 'JP', court: '東京地方裁判所' }, departmentId: ids.dept,
      administratorId: ids.person, purpose: '目的', informationAssets: [asset], segment: 'internet', placement: 'beta', contractPeriod: { start: '2026-04-01', end: '2027-03-31' },
      approval: { approvedOn: '2026-04-01', approver: '情報政策課長', reference: '決裁第1号' },
    };
    const sns = {
      platform: 'other', platformName: '地域SNS', accountName: '@injection_test', url: 'https://sns.example.jp/city', departmentId: ids.dept, purpose: '広報', audience: '市民',
      responsiblePersonId: ids.person, operatorIds: [ids.person], postingPolicy: { publish: 'イベント', doNotPublish: '個人情報' }, officialSiteUrl: 'https://www.city.example.jp/sns/',
      credentialHolders: '広報課長', procedure: { reference: '運用手順書', date: '2026-04-01' }, operatedByEngagementId: ids.engagement, lastActivityOn: '2026-05-01', twoFactor: true,
    };
    const a = `/api/v1/assessments/${ids.spare}`;
    const fx: Record<string, Fixture[]> = {
      'POST /api/v1/auth/login': one('/api/v1/auth/login', { email: 'nobody@city.example.jp', password: 'not-the-password', otp: '123456' }),
      'POST /api/v1/auth/password': one('/api/v1/auth/password', { currentPassword: 'not-the-password', newPassword: 'Another-Long-Passphrase-77' }),
      'POST /api/v1/auth/totp': ['enrol', 'confirm', 'remove'].map((action) => ({ path: '/api/v1/auth/totp', body: { action, ...(action === 'confirm' ? { otp: '123456' } : action === 'remove' ? { password: 'not-the-password' } : {}) } })),
      'POST /api/v1/auth/tokens': one('/api/v1/auth/tokens', { name: '連携', expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString() }),
      'POST /api/v1/users': one('/api/v1/users', { email: 'new-staff@city.example.jp', name: '新規 職員', roles: ['auditor'], departmentId: ids.dept, password: 'Kumo-Sakura-Injection-Yama-2026' }),
      'PATCH /api/v1/users/{id}': one(`/api/v1/users/${ids.user}`, { version: 1, name: '変更 職員', roles: ['auditor'], departmentId: ids.dept }),
      'POST /api/v1/departments': one('/api/v1/departments', { code: 'INJ1', name: '試験課' }),
      'PATCH /api/v1/departments/{id}': one(`/api/v1/departments/${ids.dept}`, { version: 1, code: 'INJ2', name: '試験課' }),
      'POST /api/v1/people': one('/api/v1/people', person),
      'PATCH /api/v1/people/{id}': one(`/api/v1/people/${ids.person}`, { version: 1, ...person }),
      'POST /api/v1/vendors': one('/api/v1/vendors', vendor),
      'PATCH /api/v1/vendors/{id}': one(`/api/v1/vendors/${ids.vendor}`, { version: 1, ...vendor }),
      'POST /api/v1/responsible-persons/transfer': one('/api/v1/responsible-persons/transfer', { from: ids.person, to: ids.person2, preview: true, expected: [{ kind: 'engagement', id: ids.engagement, version: 1 }] }),
      'PATCH /api/v1/settings': one('/api/v1/settings', { version: 0, name: '架空市', mayorTitle: '市長', address: '架空県架空市', classificationScheme: 'r6' }),
      'POST /api/v1/assessments': one('/api/v1/assessments', { subject: { kind: 'cloudService', id: ids.cloud }, templateId: 'cloud-service', dueDate: inDays(20), respondent: 'vendor', language: 'ja' }),
      'POST /api/v1/assessments/{id}/cancel': one(`${a}/cancel`, { reason: '試験' }),
      'POST /api/v1/assessments/{id}/review': [
        { action: 'comment', questionId: 'F02', text: '確認', visibleToRespondent: false }, { action: 'accept', questionId: 'F02', target: 'answer' },
        { action: 'exception', questionId: 'F02', measure: '代替措置', expiresOn: inDays(90) }, { action: 'removeException', questionId: 'F02' }, { action: 'requestClarification', message: '確認依頼' },
      ].map((body) => ({ path: `${a}/review`, body })),
      'POST /api/v1/assessments/{id}/decision': one(`${a}/decision`, { result: 'conditional', reason: '条件付き', conditions: [{ text: '条件', owner: '課長', dueDate: inDays(30), questionId: 'F02', kind: 'remediation' }] }),
      'PUT /api/v1/assessments/{id}/answers/{questionId}': [
        { path: `/api/v1/assessments/${ids.snsAssessment}/answers/H05`, body: { value: '広報課長 山田', version: 0, comment: '補足' } },
        { path: `/api/v1/assessments/${ids.termsAssessment}/answers/G02`, body: { value: ['confidentiality'], version: 0 } },
      ],
      'PUT /api/v1/respond/{token}/answers/{questionId}': [
        { path: `/api/v1/respond/${ids.token}/answers/${ids.textQ}`, body: { value: '手順に従い実施しています', version: 0, comment: '補足' } },
        { path: `/api/v1/respond/${ids.token}/answers/${ids.textQ}`, body: { value: ['x'], version: 0 } },
      ],
      'POST /api/v1/conditions/{id}/done': one(`/api/v1/conditions/${FAKE_ID}/done`, { version: 1, note: '対応済み' }),
    };
    for (const [kind, path, body] of [['engagement', 'engagements', engagement], ['cloud', 'cloud-services', cloud], ['sns', 'sns-accounts', sns]] as const) {
      fx[`POST /api/v1/${path}`] = one(`/api/v1/${path}`, body);
      fx[`PATCH /api/v1/${path}/{id}`] = one(`/api/v1/${path}/${ids[kind]}`, { version: 1, ...body });
      fx[`POST /api/v1/${path}/{id}/incidents`] = one(`/api/v1/${path}/${ids[kind]}/incidents`, { date: '2026-05-01', severity: 'low', summary: '概要' });
      fx[`POST /api/v1/${path}/{id}/tier-override`] = one(`/api/v1/${path}/${ids[kind]}/tier-override`, { tier: 4, reason: '理由', version: 1 });
    }
    return fx;
  }

  const deref = (s: Schema): Schema => (s.$ref ? deref(doc.components!.schemas![s.$ref.split('/').pop()!]!) : s);
  /** String leaves of a schema, keyed by dotted path with `[]` for array items; a leaf with a pattern or values is constrained. */
  function leaves(s: Schema, path: string[] = [], out = new Map<string, { path: string[]; constrained: boolean }>()) {
    s = deref(s);
    for (const alt of s.anyOf ?? []) leaves(alt, path, out);
    for (const [k, v] of Object.entries(s.properties ?? {})) leaves(v, [...path, k], out);
    if (s.items) leaves(s.items, [...path, '[]'], out);
    if ([s.type ?? []].flat().includes('string')) {
      const key = path.join('.');
      out.set(key, { path, constrained: Boolean(s.enum || s.const !== undefined || s.pattern || s.format || out.get(key)?.constrained) });
    }
    return out;
  }
  /** The object or array holding the leaf at `path` in `body`, when the body reaches that far. */
  function holder(body: unknown, path: string[]): Record<string, unknown> | unknown[] | null {
    let cur = body;
    for (const seg of path.slice(0, -1)) cur = seg === '[]' ? (Array.isArray(cur) ? cur[0] : undefined) : cur && typeof cur === 'object' && !Array.isArray(cur) ? (cur as Body)[seg] : undefined;
    if (path.at(-1) === '[]') return Array.isArray(cur) && cur.length > 0 ? cur : null;
    return cur && typeof cur === 'object' && !Array.isArray(cur) ? (cur as Body) : null;
  }
  function replaced(body: Body, targets: string[][], kind: Kind): Body {
    const copy = structuredClone(body);
    for (const path of targets) {
      const h = holder(copy, path)!;
      const k = path.at(-1) === '[]' ? 0 : path.at(-1)!;
      (h as Body)[k] = VALUES[kind]((h as Body)[k]);
    }
    return copy;
  }
  const dotted = (path: string[]) => path.map((s) => (s === '[]' ? '0' : s)).join('.');
  const variantMatches = (variant: Schema, body: Body) =>
    Object.entries(deref(variant).properties ?? {}).every(([k, p]) => (p.const !== undefined ? body[k] === p.const : !p.enum || body[k] === undefined || p.enum.includes(body[k])));

  async function counts(): Promise<Record<string, number>> {
    const db = mongoose.connection.db!;
    const out: Record<string, number> = {};
    for (const { name } of await db.listCollections().toArray()) {
      // Sign-in failures are recorded by design (throttle and audit); sessions and instance leases live on their own.
      if (['sessions', 'login_failures', 'instances', 'leases'].includes(name)) continue;
      out[name] = await db.collection(name).countDocuments(name === 'audit' ? { action: { $ne: 'auth.loginFailed' } } : {});
    }
    return out;
  }

  test('operators, 100,000 characters and control or bidirectional characters in any string field answer 400 naming the field, and write nothing', async () => {
    const fx = fixtures();
    const uncovered: string[] = [];
    const invalid: string[] = [];
    const cases: { route: string; fixture: Fixture; question?: string; targets: { key: string; path: string[] }[]; kind: Kind }[] = [];
    const accepting: typeof cases = [];
    for (const [template, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const schema = op.requestBody?.content['application/json']?.schema;
        if (!schema) continue;
        const route = `${method.toUpperCase()} ${template}`;
        const variants = deref(schema).oneOf ?? [schema];
        const assigned = new Map<Fixture, { key: string; path: string[]; constrained: boolean }[]>();
        for (const variant of variants) {
          for (const [key, leaf] of leaves(variant)) {
            const fixture = (fx[route] ?? []).find((f) => (variants.length === 1 || variantMatches(variant, f.body)) && holder(f.body, leaf.path));
            if (!fixture) uncovered.push(`${route} ${key}`);
            else if (!assigned.get(fixture)?.some((l) => l.key === key)) assigned.set(fixture, [...(assigned.get(fixture) ?? []), { key, ...leaf }]);
          }
        }
        const def = app.api.routes.find((r) => r.method === method && r.path === template.replace(/\{(\w+)\}/g, ':$1'));
        for (const [fixture, list] of assigned) {
          const parsed = def?.body?.safeParse(fixture.body);
          if (!parsed?.success) invalid.push(`${route} ${JSON.stringify(fixture.body).slice(0, 80)}: ${JSON.stringify(parsed?.error?.issues ?? 'no route')}`);
          const question = template.endsWith('{questionId}') ? fixture.path.split('/').at(-1) : undefined;
          for (const kind of Object.keys(VALUES) as Kind[]) {
            const refused = list.filter((l) => !mayAccept(l.key, kind));
            // Eight 100,000-character values stay under the 1 MB body limit.
            for (let i = 0; i < refused.length; i += kind === 'long' ? 8 : refused.length) cases.push({ route, fixture, question, kind, targets: refused.slice(i, i + (kind === 'long' ? 8 : refused.length)) });
            for (const l of list.filter((x) => mayAccept(x.key, kind) && !x.constrained)) accepting.push({ route, fixture, question, kind, targets: [l] });
          }
        }
      }
    }
    assert.deepEqual(uncovered, [], 'string body fields without a fixture that reaches them (add one to fixtures())');
    assert.deepEqual(invalid, [], 'fixtures must pass their route’s own schema, or every refusal below proves nothing');

    const failures: string[] = [];
    // A security officer, or the admin where only the admin may write (users, departments, people, settings).
    const adminOnly = new Set<string>();
    const post = async (c: (typeof cases)[number], targets: string[][]): Promise<Res> => {
      const auth = /\/(auth\/login|respond\/)/.test(c.fixture.path) ? undefined : adminOnly.has(c.route) ? w.admin.bearer : w.officer.bearer;
      const res = await send(c.route.split(' ')[0]!, c.fixture.path, auth).send(replaced(c.fixture.body, targets, c.kind));
      if (res.status !== 403 || res.body.code !== 'forbidden' || auth !== w.officer.bearer) return res;
      adminOnly.add(c.route);
      return post(c, targets);
    };
    const before = await counts();
    const guard = (fn: (c: (typeof cases)[number]) => Promise<void>) => (c: (typeof cases)[number]) => fn(c).catch((err: Error) => void failures.push(`${c.route} (${c.kind}): ${err.message}`));
    await pool(cases, 4, guard(async (c) => {
      const res = await post(c, c.targets.map((t) => t.path));
      // Validation names every field it refuses at once; a field not named (checked later, in the handler) is tried alone.
      for (const t of c.targets.filter((x) => refusalProblem(res, dotted(x.path), c.question) !== null)) {
        const alone = c.targets.length === 1 ? res : await post(c, [t.path]);
        const looked = REFERENCE.has(t.path.at(-1)!) && alone.status >= 400 && alone.status < 500 && /^application\/problem\+json/.test(alone.headers['content-type'] ?? '');
        const problem = looked ? null : refusalProblem(alone, dotted(t.path), c.question);
        if (problem) failures.push(`${c.route} ${t.key} (${c.kind}): ${problem}`);
      }
    }));
    assert.equal(failures.length, 0, failures.join('\n'));
    assert.deepEqual(await counts(), before, 'nothing was written');

    // Multi-line text keeps bidirectional marks and line breaks, and a password may hold any character: never a 5xx,
    // never refused for that field, and stored as sent.
    await pool(accepting, 4, guard(async (c) => {
      const t = c.targets[0]!;
      const body = replaced(c.fixture.body, [t.path], c.kind);
      const res = await post(c, [t.path]);
      if (res.status >= 500) failures.push(`${c.route} ${t.key} (${c.kind}): ${res.status}`);
      else if (res.body?.code === 'validation_failed' && refusalProblem(res, dotted(t.path), c.question) === null) failures.push(`${c.route} ${t.key} (${c.kind}): refused ${JSON.stringify(res.body.errors)}`);
      else if (res.status < 300) {
        const stored = holder(res.body, t.path);
        const k = t.path.at(-1) === '[]' ? 0 : t.path.at(-1)!;
        const sent = (holder(body, t.path) as Body)[k];
        if (stored && typeof (stored as Body)[k] === 'string' && (stored as Body)[k] !== sent) failures.push(`${c.route} ${t.key} (${c.kind}): stored as ${JSON.stringify((stored as Body)[k])}`);
      }
    }));
    assert.equal(failures.length, 0, failures.join('\n'));
  });
});

describe('session cookies, authorisation and forwarded headers, and CSRF across users (no trusted proxy)', () => {
  let a: TestUser;
  let b: TestUser;
  before(async () => {
    await setUp();
    [a, b] = await Promise.all([makeUser(['security_officer']), makeUser(['auditor'])]);
  });
  const sessionCookie = (res: Res) => ((res.headers['set-cookie'] as unknown as string[] | undefined) ?? []).find((c) => c.startsWith('itaku.sid='))?.split(';')[0];
  /** The `s:<id>.<signature>` parts of a session cookie. */
  const partsOf = (cookie: string) => {
    const m = /^s:([^.]+)\.(.+)$/.exec(decodeURIComponent(cookie.slice('itaku.sid='.length)))!;
    return { sid: m[1]!, sig: m[2]! };
  };
  const flip = (s: string) => s.slice(0, 10) + (s[10] === 'A' ? 'B' : 'A') + s.slice(11);
  const vendorsNamed = async (name: string) => (await request(server).get(`/api/v1/vendors?q=${encodeURIComponent(name)}`).set('Authorization', w.officer.bearer)).body.total as number;
  const assertSignedOut = (res: Res, what: string) => {
    assert.equal(res.status, 401, `${what}: ${res.status} ${res.text.slice(0, 200)}`);
    assert.match(res.headers['content-type'] ?? '', /^application\/problem\+json/, what);
    assert.ok(!res.text.includes(a.user.email) && !res.text.includes(b.user.email), `${what}: no user's data`);
  };

  test('a session cookie that is altered, unsigned, borrowed or padded signs nobody in', async () => {
    const [sa, sb] = [await signIn(plain, a.user.email, a.password), await signIn(plain, b.user.email, b.password)];
    const [ca, cb] = [sessionCookie(sa.res)!, sessionCookie(sb.res)!];
    const [pa, pb] = [partsOf(ca), partsOf(cb)];
    const cookie = (v: string) => `itaku.sid=${encodeURIComponent(v)}`;
    const me = (c: string) => request(plainServer).get('/api/v1/auth/me').set('Cookie', c);
    assert.equal((await me(ca)).body.email, a.user.email, 'the untampered cookie is signed in');
    for (const [what, c] of [
      ['a flipped signature character', cookie(`s:${pa.sid}.${flip(pa.sig)}`)],
      ['another session’s id without a signature', `itaku.sid=${pb.sid}`],
      ['another session’s id under this signature', cookie(`s:${pb.sid}.${pa.sig}`)],
      ['a value padded with "; Path=/"', cookie(`s:${pa.sid}.${pa.sig}; Path=/`)],
      ['a signature with one character more', cookie(`s:${pa.sid}.${pa.sig}A`)],
    ]) {
      assertSignedOut(await me(c!), what!);
      const write = await request(plainServer).post('/api/v1/vendors').set('Cookie', c!).set('X-CSRF-Token', sa.csrf).send({ name: '改竄クッキー株式会社', country: 'US' });
      assertSignedOut(write, `${what} (write)`);
    }
    // A forged cookie ahead of a valid one is either the one read (signed out) or ignored — never taken as its owner.
    const shadowed = await me(`${cookie(`s:${pa.sid}.${flip(pa.sig)}`)}; Path=/; ${cb}`);
    assert.ok(shadowed.status === 401 || shadowed.body.email === b.user.email, `shadowed cookie: ${shadowed.status} ${shadowed.text.slice(0, 200)}`);
    assert.equal(await vendorsNamed('改竄クッキー'), 0);
  });

  test('malformed bearer headers answer 401 problem+json, also beside a valid session cookie', async () => {
    // 'Bearer', 'Bearer abc', forged and Basic: test/auth/tokens.test.ts.
    const { res } = await signIn(plain, a.user.email, a.password);
    const valid = a.bearer.slice('Bearer '.length);
    assert.equal((await request(plainServer).get('/api/v1/auth/me').set('Authorization', a.bearer)).status, 200);
    for (const header of ['Bearer x y', `Bearer ${valid}x`, `Bearer ${valid} ${valid}`, `Bearer ${'A'.repeat(8_000)}`, `Bearer ${valid.slice(0, -1)}`]) {
      for (const cookie of [undefined, sessionCookie(res)!]) {
        let req = request(plainServer).get('/api/v1/audit').set('Authorization', header);
        if (cookie) req = req.set('Cookie', cookie);
        const r = await req;
        assertSignedOut(r, `${header.slice(0, 30)}… ${cookie ? 'with' : 'without'} a session`);
        assert.equal(r.body.code, 'invalid_token');
      }
    }
  });

  test('with no trusted proxy, Host and X-Forwarded-* sign nobody in, do not change the client address, and stay out of vendor links', async () => {
    const spoof = { Host: 'localhost', 'X-Forwarded-For': '127.0.0.1', 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'admin.city.example.jp', 'X-Real-IP': '127.0.0.1' };
    for (const path of ['/api/v1/auth/me', '/api/v1/users', '/api/v1/audit']) assertSignedOut(await request(plainServer).get(path).set(spoof), path);
    // Five failures for one account from "five addresses" are five failures from this one: the sixth is throttled.
    const email = `throttle-${crypto.randomBytes(4).toString('hex')}@city.example.jp`;
    for (let i = 1; i <= 5; i++) {
      const r = await request(plainServer).post('/api/v1/auth/login').set('X-Forwarded-For', `203.0.113.${i}`).send({ email, password: 'wrong-password-123' });
      assert.equal(r.status, 401, `attempt ${i}`);
    }
    const sixth = await request(plainServer).post('/api/v1/auth/login').set('X-Forwarded-For', '203.0.113.99').send({ email, password: 'wrong-password-123' });
    assert.equal(sixth.status, 429);
    assert.equal(sixth.body.code, 'too_many_attempts');
    const link = await request(plainServer).post(`/api/v1/assessments/${ids.assessment}/link`).set('Authorization', w.officer.bearer).set({ ...spoof, Host: 'evil.example', 'X-Forwarded-Host': 'evil.example' }).send({});
    assert.equal(link.status, 201, link.text);
    assert.ok(link.body.url.startsWith('http://itaku.test/'), link.body.url);
  });

  test('console sign-in replaces the session the sign-in page opened (no fixation)', async () => {
    // For the API sign-in: test/auth/session.test.ts.
    const agent = request.agent(plainServer);
    const page = await agent.get('/login');
    const opened = sessionCookie(page);
    assert.ok(opened, 'the sign-in page opens a session for its CSRF token');
    const res = await agent.post('/login').type('form').send({ _csrf: /name="_csrf" value="([^"]+)"/.exec(page.text)![1], email: a.user.email, password: a.password, next: '/' });
    assert.equal(res.status, 303);
    const signedIn = sessionCookie(res)!;
    assert.notEqual(partsOf(signedIn).sid, partsOf(opened).sid);
    assert.equal((await request(plainServer).get('/api/v1/auth/me').set('Cookie', opened)).status, 401, 'the planted id stays signed out');
    assert.equal((await request(plainServer).get('/api/v1/auth/me').set('Cookie', signedIn)).body.email, a.user.email);
  });

  test('a console form and a cookie-authenticated JSON write with another user’s CSRF token are refused and write nothing; with one’s own they succeed', async () => {
    const ca = await consoleSignIn(plain, a.user.email, a.password);
    const cb = await consoleSignIn(plain, b.user.email, b.password);
    assert.notEqual(ca.csrf, cb.csrf);
    const form = await ca.agent.post('/vendors').type('form').send({ _csrf: cb.csrf, name: '越境フォーム株式会社', country: 'US' });
    assert.equal(form.status, 403);
    for (const send of [
      () => ca.agent.post('/api/v1/vendors').set('X-CSRF-Token', cb.csrf).send({ name: '越境API株式会社', country: 'US' }),
      () => ca.agent.post('/api/v1/vendors').send({ _csrf: cb.csrf, name: '越境API株式会社', country: 'US' }),
    ]) {
      const res = await send();
      assert.equal(res.status, 403);
      assert.match(res.headers['content-type'] ?? '', /^application\/problem\+json/);
      assert.equal(res.body.code, 'csrf_failed');
    }
    assert.equal(await vendorsNamed('越境'), 0, 'nothing was written');
    const ownForm = await ca.agent.post('/vendors').type('form').send({ _csrf: ca.csrf, name: '越境フォーム株式会社', country: 'US' });
    assert.equal(ownForm.status, 303, ownForm.text.slice(0, 300));
    const ownApi = await ca.agent.post('/api/v1/vendors').set('X-CSRF-Token', ca.csrf).send({ name: '越境API株式会社', country: 'US' });
    assert.equal(ownApi.status, 201, ownApi.text);
    assert.equal(await vendorsNamed('越境'), 2);
  });
});

import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { useTestDatabase } from '../helpers/db.js';
import { testApp } from '../helpers/app.js';
import { cloudServiceC2, engagementFor, inDays, issue, makeWorld, PDF, snsFor, type World } from '../helpers/assessments.js';
import { makeStaff } from '../helpers/records.js';
import { assessmentStore } from '../../src/assessments/assessment.model.js';
import { updateSettings } from '../../src/settings/index.js';
import { cliContext } from '../../src/audit/actor.js';
import { vendorStore } from '../../src/vendors/index.js';

useTestDatabase();

/**
 * Every route of the OpenAPI document against every kind of caller, with the expected answer written out here by hand
 * from CONTRACT.md's role table — not derived from the policy code, so a policy change that breaks the contract fails.
 * A route missing from this table fails the test.
 *
 * ok: allowed (any answer but 401/403/404/5xx); 401: not signed in; 403: not allowed; 404: not visible (another
 * department's record, another assessment's file).
 */
type Actor = 'anon' | 'procA' | 'procB' | 'officer' | 'ciso' | 'auditor' | 'admin' | 'vendorB';
type Outcome = 'ok' | 401 | 403 | 404;
const STAFF: Actor[] = ['procA', 'procB', 'officer', 'ciso', 'auditor', 'admin'];

const cls = (spec: Partial<Record<Actor, Outcome>>): Record<Actor, Outcome> => ({ anon: 401, vendorB: 401, ...Object.fromEntries(STAFF.map((a) => [a, 403])), ...spec }) as Record<Actor, Outcome>;
const C = {
  staff: cls({ procA: 'ok', procB: 'ok', officer: 'ok', ciso: 'ok', auditor: 'ok', admin: 'ok' }),
  admin: cls({ admin: 'ok' }),
  vendorWrite: cls({ procA: 'ok', procB: 'ok', officer: 'ok', ciso: 'ok' }),
  readScoped: cls({ procA: 'ok', procB: 404, officer: 'ok', ciso: 'ok', auditor: 'ok', admin: 'ok' }),
  writeScoped: cls({ procA: 'ok', procB: 404, officer: 'ok', ciso: 'ok' }),
  createScoped: cls({ procA: 'ok', procB: 403, officer: 'ok', ciso: 'ok' }),
  issue: cls({ procA: 'ok', procB: 404, officer: 'ok', ciso: 'ok' }),
  // Procurement may never do these, in any department: 403 tells them nothing about the record.
  officerScoped: cls({ procA: 403, procB: 403, officer: 'ok', ciso: 'ok' }),
  audit: cls({ officer: 'ok', ciso: 'ok', auditor: 'ok', admin: 'ok' }),
  handover: cls({ procA: 'ok', procB: 'ok', officer: 'ok', ciso: 'ok' }),
  // Wrong credentials are 401 for everyone; a bearer header on the sign-in route is checked (and refused) first.
  login: { anon: 401, vendorB: 401, procA: 401 } as Record<Actor, Outcome>,
  // The link's token in the path is the only credential: a wrong one is 404; another assessment's token cannot reach
  // this assessment's files.
  respond: { anon: 404, vendorB: 'ok' } as Record<Actor, Outcome>,
  respondFile: { anon: 404, vendorB: 404 } as Record<Actor, Outcome>,
  ownTokens: cls({ auditor: 'ok', procA: 404, procB: 404, officer: 404, ciso: 404, admin: 404 }),
};

interface Ids { [k: string]: string }
type Body = (ids: Ids) => unknown;
const v1 = () => ({ version: 1 });

/** METHOD path → class and (for writes) a body that passes validation, so the answer reflects access. */
const TABLE: Record<string, [Record<Actor, Outcome>, Body?]> = {
  'POST /api/v1/auth/login': [C.login, () => ({ email: 'nobody@city.example.jp', password: 'x' })],
  'POST /api/v1/auth/logout': [C.staff],
  'GET /api/v1/auth/me': [C.staff],
  'GET /api/v1/auth/csrf': [C.staff],
  'POST /api/v1/auth/password': [C.staff, () => ({ currentPassword: 'wrong-password', newPassword: 'Another-Long-Passphrase-77' })],
  'POST /api/v1/auth/totp': [C.staff, () => ({ action: 'remove', password: 'wrong' })],
  'GET /api/v1/auth/tokens': [C.staff],
  'POST /api/v1/auth/tokens': [C.staff, () => ({ name: 'matrix' })],
  'DELETE /api/v1/auth/tokens/:id': [C.ownTokens],
  'GET /api/v1/users': [C.admin], 'POST /api/v1/users': [C.admin, () => ({ email: `m${Date.now()}${Math.random()}@city.example.jp`, name: '行列 確認', roles: ['auditor'] })],
  'GET /api/v1/users/:id': [C.admin], 'PATCH /api/v1/users/:id': [C.admin, v1], 'POST /api/v1/users/:id/reset-password': [C.admin],
  'GET /api/v1/departments': [C.staff], 'POST /api/v1/departments': [C.admin, () => ({ code: `M${Math.random().toString(36).slice(2, 8)}`, name: '行列課' })],
  'GET /api/v1/departments/:id': [C.staff], 'PATCH /api/v1/departments/:id': [C.admin, v1], 'DELETE /api/v1/departments/:id': [C.admin], 'GET /api/v1/departments/:id/history': [C.staff],
  'GET /api/v1/people': [C.staff], 'POST /api/v1/people': [C.admin, () => ({ name: '行列 人物' })],
  'GET /api/v1/people/:id': [C.staff], 'PATCH /api/v1/people/:id': [C.admin, v1], 'DELETE /api/v1/people/:id': [C.admin], 'GET /api/v1/people/:id/history': [C.staff],
  'GET /api/v1/settings': [C.staff], 'PATCH /api/v1/settings': [C.admin, () => ({ version: 999 })],
  'GET /api/v1/audit': [C.audit], 'GET /api/v1/audit/verify': [C.audit],
  'GET /api/v1/questionnaire-templates': [C.staff], 'GET /api/v1/questionnaire-templates/:templateId': [C.staff],
  'GET /api/v1/dashboard': [C.staff],
  'GET /api/v1/vendors': [C.staff], 'POST /api/v1/vendors': [C.vendorWrite, () => ({ name: `株式会社行列${Math.random().toString(36).slice(2, 6)}`, country: 'US' })],
  'GET /api/v1/vendors/:id': [C.staff], 'PATCH /api/v1/vendors/:id': [C.vendorWrite, v1], 'DELETE /api/v1/vendors/:id': [C.vendorWrite], 'GET /api/v1/vendors/:id/history': [C.staff],
  'POST /api/v1/responsible-persons/transfer': [C.handover, (ids) => ({ from: ids.person!, to: ids.person2!, preview: true })],
  'GET /api/v1/registers/vendors.xlsx': [C.staff], 'GET /api/v1/registers/engagements.xlsx': [C.staff],
  'GET /api/v1/registers/cloud-services.xlsx': [C.staff], 'GET /api/v1/registers/sns-accounts.xlsx': [C.staff],
  'GET /api/v1/annexes/:id': [C.readScoped], 'GET /api/v1/annexes/:id/document.docx': [C.readScoped],
  'GET /api/v1/assessments': [C.staff], 'POST /api/v1/assessments': [C.issue, (ids) => ({ subject: { kind: 'cloudService', id: ids.cloudService }, templateId: 'cloud-service', dueDate: inDays(20) })],
  'GET /api/v1/assessments/:id': [C.readScoped], 'GET /api/v1/assessments/:id/answers': [C.readScoped],
  'PUT /api/v1/assessments/:id/answers/:questionId': [C.writeScoped, () => ({ value: 'yes', version: 0 })],
  'GET /api/v1/assessments/:id/answers/:questionId/history': [C.readScoped],
  'POST /api/v1/assessments/:id/submit': [C.writeScoped], 'POST /api/v1/assessments/:id/evidence/:questionId': [C.writeScoped],
  'GET /api/v1/assessments/:id/evidence/:fileId': [C.readScoped],
  'POST /api/v1/assessments/:id/link': [C.writeScoped, () => ({})], 'DELETE /api/v1/assessments/:id/link': [C.writeScoped],
  'POST /api/v1/assessments/:id/cancel': [C.writeScoped, () => ({ reason: '行列試験' })],
  'GET /api/v1/assessments/:id/review': [C.readScoped],
  'POST /api/v1/assessments/:id/review': [C.officerScoped, () => ({ action: 'comment', questionId: 'F02', text: '確認', visibleToRespondent: false })],
  'GET /api/v1/assessments/:id/score': [C.readScoped],
  'POST /api/v1/assessments/:id/decision': [C.officerScoped, () => ({ result: 'rejected', reason: '行列試験' })],
  'GET /api/v1/assessments/:id/report.xlsx': [C.readScoped],
  'GET /api/v1/assessments/:id/questionnaire.xlsx': [C.readScoped],
  'POST /api/v1/assessments/:id/questionnaire.xlsx': [C.writeScoped],
  'GET /api/v1/conditions': [C.staff], 'GET /api/v1/conditions/:id': [C.readScoped],
  'POST /api/v1/conditions/:id/done': [cls({ procA: 'ok', procB: 404, officer: 'ok', ciso: 'ok' }), () => ({ version: 1, note: '対応済み' })],
  'POST /api/v1/conditions/:id/accept': [C.officerScoped, v1],
  'GET /api/v1/respond/:token': [C.respond], 'PUT /api/v1/respond/:token/answers/:questionId': [C.respond, () => ({ value: 'yes', version: 0 })],
  'POST /api/v1/respond/:token/submit': [C.respond], 'POST /api/v1/respond/:token/evidence/:questionId': [C.respond],
  'GET /api/v1/respond/:token/evidence/:fileId': [C.respondFile], 'DELETE /api/v1/respond/:token/evidence/:fileId': [C.respondFile],
  'POST /api/v1/respond/:token/xlsx': [C.respond],
};
for (const [kind, path] of [['engagement', 'engagements'], ['cloudService', 'cloud-services'], ['snsAccount', 'sns-accounts']] as const) {
  Object.assign(TABLE, {
    [`GET /api/v1/${path}`]: [C.staff],
    [`POST /api/v1/${path}`]: [C.createScoped, (ids: Ids) => ({ ...JSON.parse(ids[`${kind}Body`]!) })],
    [`GET /api/v1/${path}/:id`]: [C.readScoped], [`PATCH /api/v1/${path}/:id`]: [C.writeScoped, v1], [`DELETE /api/v1/${path}/:id`]: [C.writeScoped],
    [`GET /api/v1/${path}/:id/history`]: [C.readScoped], [`GET /api/v1/${path}/:id/incidents`]: [C.readScoped],
    [`POST /api/v1/${path}/:id/incidents`]: [C.writeScoped, () => ({ date: '2026-10-01', severity: 'low', summary: '行列試験' })],
    [`GET /api/v1/${path}/:id/tier-history`]: [C.readScoped],
    [`POST /api/v1/${path}/:id/tier-override`]: [C.officerScoped, () => ({ tier: 4, reason: '行列試験', version: 1 })],
  });
  if (kind !== 'snsAccount') TABLE[`GET /api/v1/${path}/:id/annex.docx`] = [C.readScoped];
}

describe('the authorisation matrix', () => {
  const app = testApp({ TRUST_PROXY: 'loopback' });
  let w: World;
  const ids: Ids = {};
  const bearer: Partial<Record<Actor, string>> = {};

  before(async () => {
    w = await makeWorld();
    // The annex prints the municipality's and the vendor's addresses.
    await updateSettings(cliContext('test'), 0, { name: '架空市', address: '架空県架空市中央一丁目1番1号' });
    const vendor = (await vendorStore.get(w.vendorId))!;
    await vendorStore.update(cliContext('test'), 'vendor.update', vendor._id, vendor.version, (v) => ({ ...v, address: '東京都港区芝公園四丁目2番8号' }));
    Object.assign(bearer, { procA: w.procurement.bearer, procB: w.otherProcurement.bearer, officer: w.officer.bearer, ciso: w.ciso.bearer, auditor: w.auditor.bearer, admin: w.admin.bearer });
    const engagement = await engagementFor(w);
    const service = await cloudServiceC2(w);
    const sns = await snsFor(w);
    Object.assign(ids, { engagement: engagement._id, cloudService: service._id, snsAccount: sns._id, person: w.personId, vendor: w.vendorId, department: w.deptId });
    ids.person2 = (await request(app).post('/api/v1/people').set('Authorization', w.admin.bearer).send({ name: '後任 二郎', departmentId: w.deptId })).body.id;
    ids.engagementBody = JSON.stringify({ title: '行列業務', departmentId: w.deptId, vendorId: w.vendorId, responsiblePersonId: w.personId, period: { start: '2026-04-01', end: '2027-03-31' } });
    ids.cloudServiceBody = JSON.stringify({ name: '行列サービス', departmentId: w.deptId, providerVendorId: w.vendorId, administratorId: w.personId, serviceModel: 'saas', contractType: 'individual' });
    ids.snsAccountBody = JSON.stringify({ platform: 'x', accountName: `@matrix_${Date.now()}`, url: 'https://x.com/matrix', departmentId: w.deptId, twoFactor: true });
    const a = await issue(app, w.procurement, { kind: 'cloudService', id: service._id }, 'cloud-service');
    ids.assessment = a.body.id;
    ids.tokenA = (await request(app).post(`/api/v1/assessments/${a.body.id}/link`).set('Authorization', w.procurement.bearer).send({})).body.token;
    const up = await request(app).post(`/api/v1/respond/${ids.tokenA}/evidence/F02`).set('Content-Type', 'application/pdf').send(PDF);
    ids.file = up.body.id;
    const b = await issue(app, w.procurement, { kind: 'cloudService', id: service._id }, 'cloud-service');
    ids.tokenB = (await request(app).post(`/api/v1/assessments/${b.body.id}/link`).set('Authorization', w.procurement.bearer).send({})).body.token;
    // A decided conditional assessment with one condition, written directly (its path through the API is tested elsewhere).
    const c = await issue(app, w.procurement, { kind: 'cloudService', id: service._id }, 'cloud-service');
    const { completeDecisionConditions } = await import('../../src/decisions/decide.js');
    const current = (await assessmentStore.get(c.body.id))!;
    const decided = await assessmentStore.update({ actor: { kind: 'system', id: 'test' } }, 'test.decide', c.body.id, current.version, (x) => ({
      ...x, status: 'decided', decision: { result: 'conditional', reason: 'x', conditions: [{ id: 'ffffffffffffffffffffffff', number: 1, text: '条件', owner: '課長', dueDate: inDays(30) }] } as never,
    }));
    ids.condition = (await completeDecisionConditions({ actor: { kind: 'system', id: 'test' } }, decided))[0]!._id;
    const annex = await request(app).get(`/api/v1/engagements/${engagement._id}/annex.docx`).set('Authorization', w.admin.bearer);
    assert.equal(annex.status, 200, annex.text);
    ids.annex = annex.headers['x-annex-id']!;
    ids.user = (await makeStaff(['auditor'])).user._id;
    ids.token = (await request(app).post('/api/v1/auth/tokens').set('Authorization', w.auditor.bearer).send({ name: 'x' })).body.id;
  });

  test('every documented route is in the table, and every route answers each caller as the contract says', async () => {
    const doc = (await request(app).get('/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`));
    const missing = routes.filter((r) => !TABLE[r]);
    assert.deepEqual(missing, [], 'routes missing from the authorisation table');
    const failures: string[] = [];
    // Archiving, cancelling and deciding go last, so they do not change what the other routes find.
    const last = (r: string) => (r.startsWith('DELETE') || /\/(cancel|decision)$/.test(r) ? 1 : 0);
    routes.sort((a, b) => last(a) - last(b));
    let address = 0;
    for (const route of routes) {
      const [method, template] = route.split(' ') as [string, string];
      const [expected, body] = TABLE[route]!;
      for (const actor of Object.keys(expected) as Actor[]) {
        const path = template
          .replace(':token', (actor === 'vendorB' ? ids.tokenB : 'Z'.repeat(43))!)
          .replace(':questionId', 'F02')
          .replace(':templateId', 'cloud-service')
          .replace(':fileId', ids.file!)
          .replace(':id', (() => {
            if (template.startsWith('/api/v1/users')) return ids.user!;
            if (template.startsWith('/api/v1/auth/tokens')) return ids.token!;
            if (template.startsWith('/api/v1/departments')) return ids.department!;
            if (template.startsWith('/api/v1/people')) return ids.person!;
            if (template.startsWith('/api/v1/vendors')) return ids.vendor!;
            if (template.startsWith('/api/v1/engagements')) return ids.engagement!;
            if (template.startsWith('/api/v1/cloud-services')) return ids.cloudService!;
            if (template.startsWith('/api/v1/sns-accounts')) return ids.snsAccount!;
            if (template.startsWith('/api/v1/conditions')) return ids.condition!;
            if (template.startsWith('/api/v1/annexes')) return ids.annex!;
            return ids.assessment!;
          })());
        // A different client address per request: failed link look-ups are limited per address.
        let req = request(app)[method.toLowerCase() as 'get'](path).set('X-Forwarded-For', `198.18.${Math.floor(address / 250)}.${(address++ % 250) + 1}`);
        if (actor !== 'anon' && actor !== 'vendorB' && !template.includes(':token')) req = req.set('Authorization', bearer[actor]!);
        if (actor === 'vendorB' && !template.includes(':token')) req = req.set('Authorization', `Bearer ${ids.tokenB}`);
        const res = template.includes('/evidence/') && method === 'POST' ? await req.set('Content-Type', 'application/pdf').send(PDF) : body ? await req.send(body(ids) as object) : await req;
        const got = res.status;
        const ok = expected[actor] === 'ok' ? got < 500 && ![401, 403, 404].includes(got) : got === expected[actor];
        if (!ok) failures.push(`${route} as ${actor}: expected ${expected[actor]}, got ${got} ${String(res.body?.code ?? '')}`);
      }
    }
    assert.deepEqual(failures, []);
  });
});

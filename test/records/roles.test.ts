import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { useTestDatabase } from '../helpers/db.js';
import { testApp } from '../helpers/app.js';
import { makeDepartment } from '../helpers/auth.js';
import { makeCloudService, makeEngagement, makePerson, makeSnsAccount, makeVendor, makeStaff, type TestUser } from '../helpers/records.js';
import { todayInTokyo } from '../../src/shared/dates.js';
import type { Department, Person } from '../../src/org/index.js';
import type { Vendor } from '../../src/vendors/index.js';

useTestDatabase();

type Who = 'admin' | 'ciso' | 'security_officer' | 'procurement_own' | 'procurement_other' | 'auditor';
const WHO: Who[] = ['admin', 'ciso', 'security_officer', 'procurement_own', 'procurement_other', 'auditor'];

/** Expected status per caller, in WHO order. */
const expect = (...codes: number[]) => Object.fromEntries(WHO.map((w, i) => [w, codes[i]!])) as Record<Who, number>;
const READ = expect(200, 200, 200, 200, 404, 200);
const WRITE = expect(403, 200, 200, 200, 404, 403);
const CREATE = expect(403, 201, 201, 201, 403, 403);
const INCIDENT = expect(403, 201, 201, 201, 404, 403);
const OVERRIDE = expect(403, 200, 200, 403, 403, 403);

describe('who may do what with records (CONTRACT.md role table)', { concurrency: true }, () => {
  const app = testApp();
  const users = {} as Record<Who, TestUser>;
  let dept: Department;
  let person: Person;
  let vendor: Vendor;
  const kinds = {} as Record<'engagements' | 'cloud-services' | 'sns-accounts', { create: () => object; fresh: () => Promise<string> }>;

  before(async () => {
    const [a, b] = await Promise.all([makeDepartment('所管課A'), makeDepartment('所管課B')]);
    dept = a;
    [users.admin, users.ciso, users.security_officer, users.procurement_own, users.procurement_other, users.auditor, person, vendor] = await Promise.all([
      makeStaff(['admin']), makeStaff(['ciso']), makeStaff(['security_officer']), makeStaff(['procurement'], a._id), makeStaff(['procurement'], b._id), makeStaff(['auditor']), makePerson(a._id), makeVendor(),
    ]);
    let n = 0;
    kinds.engagements = {
      create: () => ({ title: `権限確認業務${n++}`, departmentId: dept._id, vendorId: vendor._id, responsiblePersonId: person._id, period: { start: '2026-04-01', end: '2099-03-31' } }),
      fresh: async () => (await makeEngagement(dept._id, vendor._id, person._id))._id,
    };
    kinds['cloud-services'] = {
      create: () => ({ name: `権限確認サービス${n++}`, providerVendorId: vendor._id, serviceModel: 'saas', contractType: 'terms', departmentId: dept._id, administratorId: person._id }),
      fresh: async () => (await makeCloudService(dept._id, vendor._id, person._id))._id,
    };
    kinds['sns-accounts'] = {
      create: () => ({ platform: 'note', accountName: `role_check_${n++}`, url: 'https://note.com/role_check', departmentId: dept._id }),
      fresh: async () => (await makeSnsAccount(dept._id))._id,
    };
  });

  const as = (who: Who) => ({ Authorization: users[who].bearer });
  for (const kind of ['engagements', 'cloud-services', 'sns-accounts'] as const) {
    test(`${kind}: list, read, create, update, archive, incidents, tier override and histories`, async () => {
      const id = await kinds[kind].fresh();
      const base = `/api/v1/${kind}`;
      // Incident and tier routes share one access check for all kinds: every sub-resource GET is checked on the first.
      const subs = kind === 'engagements' ? ['', '/history', '/tier-history', '/incidents'] : [''];
      // The same registerResource and policy code serves every kind: all six callers on the first, on the others the
      // four that between them meet every answer (200/201, 403, 404).
      const callers: Who[] = kind === 'engagements' ? WHO : ['admin', 'security_officer', 'procurement_own', 'procurement_other'];
      let version = 1; // followed from the responses of the callers allowed to write
      const failures: string[] = [];
      const check = (what: string, who: Who, got: number, want: number) => {
        if (got !== want) failures.push(`${what} as ${who}: ${got}, expected ${want}`);
      };
      for (const who of callers) {
        const list = await request(app).get(base).set(as(who));
        check('list', who, list.status, 200);
        check('list shows the record', who, list.body.items?.some((r: { id: string }) => r.id === id) ? 1 : 0, READ[who] === 200 ? 1 : 0);
        for (const sub of subs) check(`GET ${sub || '/:id'}`, who, (await request(app).get(`${base}/${id}${sub}`).set(as(who))).status, READ[who]);
        check('create', who, (await request(app).post(base).set(as(who)).send(kinds[kind].create())).status, CREATE[who]);
        const update = await request(app).patch(`${base}/${id}`).set(as(who)).send({ version, purpose: '権限確認', description: '権限確認' });
        check('update', who, update.status, WRITE[who]);
        if (update.status === 200) version = update.body.version;
        const incident = await request(app).post(`${base}/${id}/incidents`).set(as(who)).send({ date: todayInTokyo(), severity: 'low', summary: '権限確認' });
        check('incident', who, incident.status, INCIDENT[who]);
        if (incident.status === 201) version = incident.body.subject.version;
        const override = await request(app).post(`${base}/${id}/tier-override`).set(as(who)).send({ tier: 4, reason: '権限確認', version });
        check('tier override', who, override.status, OVERRIDE[who]);
        if (override.status === 200) version = (await request(app).post(`${base}/${id}/tier-override`).set(as(who)).send({ tier: null, reason: '解除', version: override.body.version })).body.version;
        const target = WRITE[who] === 200 ? await kinds[kind].fresh() : id;
        check('archive', who, (await request(app).delete(`${base}/${target}`).set(as(who))).status, WRITE[who]);
      }
      assert.deepEqual(failures, []);
    });
  }

  test('dashboard: everyone reads it; hand-over: officers and procurement, not admin or auditor; nobody signed out', async () => {
    for (const who of WHO) {
      assert.equal((await request(app).get('/api/v1/dashboard').set(as(who))).status, 200, who);
      const handover = await request(app).post('/api/v1/responsible-persons/transfer').set(as(who)).send({ from: person._id, to: (await makePerson(dept._id))._id, preview: true });
      assert.equal(handover.status, ['admin', 'auditor'].includes(who) ? 403 : 200, `handover as ${who}`);
    }
    for (const path of ['/api/v1/dashboard', '/api/v1/engagements', '/api/v1/cloud-services', '/api/v1/sns-accounts']) assert.equal((await request(app).get(path)).status, 401, path);
  });
});

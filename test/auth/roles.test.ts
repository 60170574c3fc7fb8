import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { useTestDatabase } from '../helpers/db.js';
import { testApp } from '../helpers/app.js';
import { makeDepartment, makeUser, type TestUser } from '../helpers/auth.js';
import type { Role } from '../../src/auth/roles.js';

useTestDatabase();

/**
 * The role table of CONTRACT.md for the routes of the access issue, written out by hand (not derived from the
 * policy code) so that a change to the policy that breaks the contract fails here.
 */
type Who = Role | 'anonymous';
const WHO: Who[] = ['anonymous', 'admin', 'ciso', 'security_officer', 'procurement', 'auditor'];
const ALL_STAFF: Who[] = ['admin', 'ciso', 'security_officer', 'procurement', 'auditor'];

interface Case {
  name: string;
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string | ((ctx: Ctx) => string);
  body?: (ctx: Ctx) => object;
  allowed: Who[];
}
interface Ctx {
  deptId: string;
  personId: string;
}

const CASES: Case[] = [
  { name: 'read settings', method: 'get', path: '/api/v1/settings', allowed: ALL_STAFF },
  { name: 'update settings', method: 'patch', path: '/api/v1/settings', body: () => ({ version: 999 }), allowed: ['admin'] },
  { name: 'list departments', method: 'get', path: '/api/v1/departments', allowed: ALL_STAFF },
  { name: 'create a department', method: 'post', path: '/api/v1/departments', body: () => ({ code: `X${Math.random().toString(36).slice(2, 8)}`, name: '試験課' }), allowed: ['admin'] },
  { name: 'list people', method: 'get', path: '/api/v1/people', allowed: ALL_STAFF },
  { name: 'read a person', method: 'get', path: (c) => `/api/v1/people/${c.personId}`, allowed: ALL_STAFF },
  { name: 'create a person', method: 'post', path: '/api/v1/people', body: (c) => ({ name: '試験 次郎', departmentId: c.deptId }), allowed: ['admin'] },
  { name: 'list users', method: 'get', path: '/api/v1/users', allowed: ['admin'] },
  { name: 'create a user', method: 'post', path: '/api/v1/users', body: () => ({ email: `u${Math.random().toString(36).slice(2)}@city.example.jp`, name: '新規 三郎', roles: ['auditor'] }), allowed: ['admin'] },
  { name: 'read the audit log', method: 'get', path: '/api/v1/audit', allowed: ['admin', 'ciso', 'security_officer', 'auditor'] },
  { name: 'verify the audit log', method: 'get', path: '/api/v1/audit/verify', allowed: ['admin', 'ciso', 'security_officer', 'auditor'] },
  { name: 'own tokens', method: 'get', path: '/api/v1/auth/tokens', allowed: ALL_STAFF },
  { name: 'who am I', method: 'get', path: '/api/v1/auth/me', allowed: ALL_STAFF },
];

describe('the role table on the access routes', () => {
  const app = testApp();
  const users = new Map<Who, TestUser>();
  const ctx: Ctx = { deptId: '', personId: '' };

  before(async () => {
    const dept = await makeDepartment('情報政策課');
    ctx.deptId = dept._id;
    for (const role of ALL_STAFF) users.set(role, await makeUser([role as Role], role === 'procurement' ? dept._id : null));
    const admin = users.get('admin')!;
    ctx.personId = (await request(app).post('/api/v1/people').set('Authorization', admin.bearer).send({ name: '責任 一郎', departmentId: dept._id })).body.id;
  });

  for (const c of CASES) {
    test(`${c.method.toUpperCase()} ${typeof c.path === 'string' ? c.path : c.name}: only ${c.allowed.join(', ')}`, async () => {
      for (const who of WHO) {
        const path = typeof c.path === 'string' ? c.path : c.path(ctx);
        let req = request(app)[c.method](path);
        if (who !== 'anonymous') req = req.set('Authorization', users.get(who)!.bearer);
        const res = c.body ? await req.send(c.body(ctx)) : await req;
        if (who === 'anonymous') assert.equal(res.status, 401, `${who}: ${res.text}`);
        else if (c.allowed.includes(who)) assert.ok(res.status < 400 || res.status === 409, `${who} is allowed ${c.name}: got ${res.status} ${res.text}`);
        else {
          assert.equal(res.status, 403, `${who} must be refused ${c.name}: got ${res.status}`);
          assert.equal(res.body.code, 'forbidden');
        }
      }
    });
  }

  test('a user with several roles gets the union of their rights', async () => {
    const both = await makeUser(['auditor', 'admin']);
    assert.equal((await request(app).get('/api/v1/users').set('Authorization', both.bearer)).status, 200);
    assert.equal((await request(app).get('/api/v1/audit').set('Authorization', both.bearer)).status, 200);
  });

  test('procurement needs a department; roles must be known', async () => {
    const admin = users.get('admin')!;
    const noDept = await request(app).post('/api/v1/users').set('Authorization', admin.bearer).send({ email: 'p@city.example.jp', name: '所管 四郎', roles: ['procurement'] });
    assert.equal(noDept.status, 400);
    assert.equal(noDept.body.errors[0].path, 'departmentId');
    const badRole = await request(app).post('/api/v1/users').set('Authorization', admin.bearer).send({ email: 'q@city.example.jp', name: '所管 五郎', roles: ['root'] });
    assert.equal(badRole.status, 400);
    const dup = await request(app).post('/api/v1/users').set('Authorization', admin.bearer).send({ email: users.get('auditor')!.user.email.toUpperCase(), name: '重複', roles: ['auditor'] });
    assert.equal(dup.status, 409, 'emails are unique whatever their case');
  });

  test('an admin cannot disable themselves', async () => {
    const admin = users.get('admin')!;
    const me = await request(app).get(`/api/v1/users/${admin.user._id}`).set('Authorization', admin.bearer);
    const res = await request(app).patch(`/api/v1/users/${admin.user._id}`).set('Authorization', admin.bearer).send({ version: me.body.version, disabled: true });
    assert.equal(res.status, 409);
  });
});

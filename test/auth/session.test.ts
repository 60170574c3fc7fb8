import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import mongoose from 'mongoose';
import { useTestDatabase } from '../helpers/db.js';
import { testApp } from '../helpers/app.js';
import { makeUser, signIn, strongPassword, type TestUser } from '../helpers/auth.js';
import { AuditModel } from '../../src/audit/audit.model.js';

useTestDatabase();

const cookieOf = (res: request.Response) => ((res.headers['set-cookie'] as unknown as string[] | undefined) ?? []).find((c) => c.startsWith('itaku.sid='));

describe('staff sign-in with a cookie session', () => {
  const app = testApp();
  let admin: TestUser;
  before(async () => {
    admin = await makeUser(['admin'], null, { email: 'Kanri.Admin@City.Example.jp' });
  });

  test('signs in with email and password from the body, and the cookie is HttpOnly and SameSite=Lax', async () => {
    const res = await request(app).post('/api/v1/auth/login').send({ email: ' kanri.admin@city.example.jp ', password: admin.password });
    assert.equal(res.status, 200);
    assert.equal(res.body.user.email, 'kanri.admin@city.example.jp');
    assert.deepEqual(res.body.user.roles, ['admin']);
    assert.match(res.body.csrfToken, /^[A-Za-z0-9_-]{43}$/);
    const cookie = cookieOf(res);
    assert.ok(cookie);
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Lax/i);
    assert.equal('passwordHash' in res.body.user, false);
  });

  test('credentials in the query string are not accepted', async () => {
    const res = await request(app).post(`/api/v1/auth/login?email=${encodeURIComponent(admin.user.email)}&password=${encodeURIComponent(admin.password)}`).send({});
    assert.equal(res.status, 400);
    assert.equal(cookieOf(res), undefined);
  });

  test('a wrong password and an unknown email answer the same 401 and are audited', async () => {
    const wrong = await request(app).post('/api/v1/auth/login').send({ email: admin.user.email, password: 'nope-nope-nope' });
    const unknown = await request(app).post('/api/v1/auth/login').send({ email: 'nobody@city.example.jp', password: 'nope-nope-nope' });
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    assert.equal(wrong.body.code, 'invalid_credentials');
    assert.equal(unknown.body.detail, wrong.body.detail);
    const failures = await AuditModel.find({ action: 'auth.loginFailed' }).lean();
    assert.ok(failures.some((f) => f.detail?.email === 'nobody@city.example.jp'));
    assert.ok(failures.every((f) => !JSON.stringify(f).includes('nope-nope-nope')), 'the tried password is never stored');
  });

  test('the session id changes at sign-in (no fixation) and the session is destroyed at sign-out', async () => {
    const agent = request.agent(app);
    // A visitor's pre-existing session cookie (planted by an attacker) must not survive sign-in.
    const planted = 'itaku.sid=s%3Aplanted-session-id.invalidsignature';
    const res = await agent.post('/api/v1/auth/login').set('Cookie', planted).send({ email: admin.user.email, password: admin.password });
    assert.equal(res.status, 200);
    const issued = cookieOf(res)!;
    assert.ok(!issued.includes('planted-session-id'));

    const sid = decodeURIComponent(issued.split(';')[0]!.split('=')[1]!).slice(2).split('.')[0]!;
    const sessions = mongoose.connection.db!.collection('sessions');
    assert.ok(await sessions.findOne({ _id: sid as never }), `the session ${sid} is stored in the database: ${JSON.stringify(await sessions.find().project({ _id: 1 }).toArray())}`);

    // Signing in again issues a new id.
    const again = await agent.post('/api/v1/auth/login').send({ email: admin.user.email, password: admin.password });
    const sid2 = decodeURIComponent(cookieOf(again)!.split(';')[0]!.split('=')[1]!).slice(2).split('.')[0]!;
    assert.notEqual(sid2, sid);

    assert.equal((await agent.get('/api/v1/auth/me')).status, 200);
    const out = await agent.post('/api/v1/auth/logout').set('X-CSRF-Token', again.body.csrfToken);
    assert.equal(out.status, 204);
    assert.equal(await sessions.findOne({ _id: sid2 as never }), null, 'the session is gone from the store');
    assert.equal((await agent.get('/api/v1/auth/me')).status, 401);
  });

  test('cookie-authenticated writes need the CSRF token; reads do not', async () => {
    const { agent, csrf } = await signIn(app, admin.user.email, admin.password);
    assert.equal((await agent.get('/api/v1/settings')).status, 200);
    const missing = await agent.patch('/api/v1/settings').send({ version: 0, name: 'CSRF市' });
    assert.equal(missing.status, 403);
    assert.equal(missing.body.code, 'csrf_failed');
    const wrong = await agent.patch('/api/v1/settings').set('X-CSRF-Token', 'x'.repeat(43)).send({ version: 0, name: 'CSRF市' });
    assert.equal(wrong.status, 403);
    // Another session's token does not work either.
    const other = await signIn(app, admin.user.email, admin.password);
    const crossed = await agent.patch('/api/v1/settings').set('X-CSRF-Token', other.csrf).send({ version: 0, name: 'CSRF市' });
    assert.equal(crossed.status, 403);
    assert.equal((await agent.get('/api/v1/settings')).body.version, 0, 'nothing was changed');
    const ok = await agent.patch('/api/v1/settings').set('X-CSRF-Token', csrf).send({ version: 0, name: 'CSRF市' });
    assert.equal(ok.status, 200);
    const fetched = await agent.get('/api/v1/auth/csrf');
    assert.equal(fetched.body.csrfToken, csrf);
  });

  test('a tampered session cookie is simply not signed in', async () => {
    const { agent } = await signIn(app, admin.user.email, admin.password);
    const res = await request(app).get('/api/v1/auth/me').set('Cookie', 'itaku.sid=s%3Aforged.AAAA');
    assert.equal(res.status, 401);
    assert.equal((await agent.get('/api/v1/auth/me')).status, 200);
  });

  test('an admin reset forces a password change before anything else', async () => {
    const user = await makeUser(['auditor']);
    const reset = await request(app).post(`/api/v1/users/${user.user._id}/reset-password`).set('Authorization', admin.bearer);
    assert.equal(reset.status, 200);
    const temporary = reset.body.temporaryPassword as string;
    assert.match(temporary, /^[\w]{5}-[\w]{5}-[\w]{5}-[\w]{5}$/);
    assert.equal((await request(app).post('/api/v1/auth/login').send({ email: user.user.email, password: user.password })).status, 401, 'the old password stops working');

    const { agent, csrf, res } = await signIn(app, user.user.email, temporary);
    assert.equal(res.body.user.mustChangePassword, true);
    const blocked = await agent.get('/api/v1/audit');
    assert.equal(blocked.status, 403);
    assert.equal(blocked.body.code, 'password_change_required');

    const weak = await agent.post('/api/v1/auth/password').set('X-CSRF-Token', csrf).send({ currentPassword: temporary, newPassword: 'password1234' });
    assert.equal(weak.status, 400);
    assert.equal(weak.body.code, 'weak_password');
    const short = await agent.post('/api/v1/auth/password').set('X-CSRF-Token', csrf).send({ currentPassword: temporary, newPassword: 'Ab1!' });
    assert.equal(short.status, 400);
    const next = strongPassword();
    const changed = await agent.post('/api/v1/auth/password').set('X-CSRF-Token', csrf).send({ currentPassword: temporary, newPassword: next });
    assert.equal(changed.status, 204);
    assert.equal((await agent.get('/api/v1/audit')).status, 200);
    assert.equal((await request(app).post('/api/v1/auth/login').send({ email: user.user.email, password: next })).status, 200);
  });

  test('a disabled user cannot sign in, loses the open session and the tokens', async () => {
    const user = await makeUser(['security_officer']);
    const { agent } = await signIn(app, user.user.email, user.password);
    assert.equal((await request(app).get('/api/v1/auth/me').set('Authorization', user.bearer)).status, 200);
    const disable = await request(app).patch(`/api/v1/users/${user.user._id}`).set('Authorization', admin.bearer).send({ version: user.user.version, disabled: true });
    assert.equal(disable.status, 200);
    assert.equal(disable.body.disabled, true);
    assert.equal((await agent.get('/api/v1/auth/me')).status, 401, 'the open session stops');
    const token = await request(app).get('/api/v1/auth/me').set('Authorization', user.bearer);
    assert.equal(token.status, 401);
    assert.equal(token.body.code, 'invalid_token');
    const login = await request(app).post('/api/v1/auth/login').send({ email: user.user.email, password: user.password });
    assert.equal(login.status, 401);
    assert.equal(login.body.code, 'account_disabled');
  });
});

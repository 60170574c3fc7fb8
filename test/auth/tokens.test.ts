import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { useTestDatabase } from '../helpers/db.js';
import { testApp } from '../helpers/app.js';
import { makeUser, signIn, type TestUser } from '../helpers/auth.js';
import { AccessTokenModel, tokenStore } from '../../src/auth/tokens.js';
import { AuditModel } from '../../src/audit/audit.model.js';
import { sha256hex } from '../../src/auth/crypto-box.js';

useTestDatabase();

describe('personal access tokens', () => {
  const app = testApp();
  let officer: TestUser;
  before(async () => {
    officer = await makeUser(['security_officer']);
  });

  test('a token is shown once, stored hashed, and works as a bearer without CSRF', async () => {
    const { agent, csrf } = await signIn(app, officer.user.email, officer.password);
    const created = await agent.post('/api/v1/auth/tokens').set('X-CSRF-Token', csrf).send({ name: '連携スクリプト' });
    assert.equal(created.status, 201);
    const token = created.body.token as string;
    assert.match(token, /^itk_[0-9a-f]{24}_[A-Za-z0-9_-]{43}$/);
    const secret = token.slice('itk_'.length + 24 + 1);
    const stored = await AccessTokenModel.findById(created.body.id).lean();
    assert.ok(stored);
    assert.ok(!JSON.stringify(stored).includes(secret), 'the secret is not stored');
    assert.equal(stored.secretHash, sha256hex(secret));
    const audited = await AuditModel.find({ entity: 'accessToken', entityId: created.body.id }).lean();
    assert.ok(!JSON.stringify(audited).includes(secret), 'nor audited');

    const listed = await agent.get('/api/v1/auth/tokens');
    const mine = listed.body.items.find((t: { id: string }) => t.id === created.body.id);
    assert.equal(mine.name, '連携スクリプト');
    assert.equal('token' in mine, false, 'the list never shows the token');

    const me = await request(app).get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`);
    assert.equal(me.status, 200);
    assert.equal(me.body.id, officer.user._id);
    const write = await request(app).get('/api/v1/audit').set('Authorization', `Bearer ${token}`);
    assert.equal(write.status, 200);
  });

  test('a revoked token stops working at once', async () => {
    const created = await request(app).post('/api/v1/auth/tokens').set('Authorization', officer.bearer).send({ name: '一時' });
    const token = created.body.token as string;
    assert.equal((await request(app).get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`)).status, 200);
    const revoked = await request(app).delete(`/api/v1/auth/tokens/${created.body.id}`).set('Authorization', officer.bearer);
    assert.equal(revoked.status, 200);
    assert.equal(revoked.body.active, false);
    assert.equal((await request(app).get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`)).status, 401);
    assert.ok(await AuditModel.findOne({ action: 'accessToken.revoke', entityId: created.body.id }).lean());
  });

  test('an expired token stops working', async () => {
    const created = await request(app).post('/api/v1/auth/tokens').set('Authorization', officer.bearer).send({ name: '期限切れ', expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    assert.equal(created.status, 201);
    const record = (await tokenStore.get(created.body.id))!;
    await tokenStore.update({ actor: { kind: 'system', id: 'test' } }, 'test.expire', record._id, record.version, (c) => ({ ...c, expiresAt: new Date(Date.now() - 1000) }));
    assert.equal((await request(app).get('/api/v1/auth/me').set('Authorization', `Bearer ${created.body.token}`)).status, 401);
  });

  test('expiry must be in the future and within a year', async () => {
    for (const expiresAt of [new Date(Date.now() - 60_000).toISOString(), new Date(Date.now() + 400 * 86_400_000).toISOString(), 'tomorrow']) {
      const res = await request(app).post('/api/v1/auth/tokens').set('Authorization', officer.bearer).send({ name: 'x', expiresAt });
      assert.equal(res.status, 400, expiresAt);
    }
  });

  test('malformed, unknown and forged tokens answer 401 problem+json', async () => {
    const valid = (await request(app).post('/api/v1/auth/tokens').set('Authorization', officer.bearer).send({ name: 'x' })).body.token as string;
    const forged = valid.slice(0, -4) + (valid.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    for (const header of ['Bearer', 'Bearer abc', `Bearer itk_${'0'.repeat(24)}_${'A'.repeat(43)}`, `Bearer ${forged}`, 'Basic dXNlcjpwYXNz']) {
      const res = await request(app).get('/api/v1/auth/me').set('Authorization', header);
      assert.equal(res.status, 401, header);
      assert.match(res.headers['content-type'] ?? '', /problem\+json/);
    }
  });

  test('another user cannot revoke my token', async () => {
    const other = await makeUser(['security_officer']);
    const created = await request(app).post('/api/v1/auth/tokens').set('Authorization', officer.bearer).send({ name: 'mine' });
    const res = await request(app).delete(`/api/v1/auth/tokens/${created.body.id}`).set('Authorization', other.bearer);
    assert.equal(res.status, 404);
    assert.equal((await request(app).get('/api/v1/auth/me').set('Authorization', `Bearer ${created.body.token}`)).status, 200);
  });
});

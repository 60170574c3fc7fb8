import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { generate } from 'otplib';
import { useTestDatabase } from '../helpers/db.js';
import { testApp } from '../helpers/app.js';
import { makeUser, signIn, type TestUser } from '../helpers/auth.js';
import { UserModel } from '../../src/auth/user.model.js';

useTestDatabase();

describe('TOTP second factor', () => {
  const app = testApp();
  let ciso: TestUser;
  let admin: TestUser;
  let cisoSecret = '';
  before(async () => {
    ciso = await makeUser(['ciso']);
    admin = await makeUser(['admin']);
  });

  test('enrol with a QR code, confirm, then sign-in needs the code; a recovery code works once', async () => {
    const { agent, csrf } = await signIn(app, ciso.user.email, ciso.password);
    const enrol = await agent.post('/api/v1/auth/totp').set('X-CSRF-Token', csrf).send({ action: 'enrol' });
    assert.equal(enrol.status, 200);
    assert.match(enrol.body.qrCode, /^data:image\/svg\+xml;base64,/);
    assert.match(Buffer.from(enrol.body.qrCode.split(',')[1], 'base64').toString(), /<svg/);
    assert.match(enrol.body.otpauthUrl, /^otpauth:\/\/totp\/Itaku:/);
    const secret = enrol.body.secret as string;
    cisoSecret = secret;
    const stored = await UserModel.findById(ciso.user._id).lean();
    assert.ok(stored?.totp);
    assert.ok(!stored.totp.secret.includes(secret), 'the secret is stored encrypted');
    assert.match(stored.totp.secret, /^v1\./);

    const wrong = await agent.post('/api/v1/auth/totp').set('X-CSRF-Token', csrf).send({ action: 'confirm', otp: '000000' });
    assert.equal(wrong.status, 400);
    const confirm = await agent.post('/api/v1/auth/totp').set('X-CSRF-Token', csrf).send({ action: 'confirm', otp: await generate({ secret }) });
    assert.equal(confirm.status, 200);
    const codes = confirm.body.recoveryCodes as string[];
    assert.equal(codes.length, 10);
    assert.ok(!JSON.stringify(await UserModel.findById(ciso.user._id).lean()).includes(codes[0]!), 'recovery codes are stored hashed');

    const withoutCode = await request(app).post('/api/v1/auth/login').send({ email: ciso.user.email, password: ciso.password });
    assert.equal(withoutCode.status, 401);
    assert.equal(withoutCode.body.code, 'otp_required');
    const badCode = await request(app).post('/api/v1/auth/login').send({ email: ciso.user.email, password: ciso.password, otp: '123456' });
    assert.equal(badCode.status, 401);
    assert.equal(badCode.body.code, 'invalid_otp');
    const good = await request(app).post('/api/v1/auth/login').send({ email: ciso.user.email, password: ciso.password, otp: await generate({ secret }) });
    assert.equal(good.status, 200);
    assert.equal(good.body.user.totpEnabled, true);

    const recovery = await request(app).post('/api/v1/auth/login').send({ email: ciso.user.email, password: ciso.password, otp: codes[3]!.toUpperCase() });
    assert.equal(recovery.status, 200);
    const reused = await request(app).post('/api/v1/auth/login').send({ email: ciso.user.email, password: ciso.password, otp: codes[3] });
    assert.equal(reused.status, 401, 'a recovery code works once');
  });

  test('when the municipality requires it, privileged users must enrol before doing anything else', async () => {
    const settings = await request(app).get('/api/v1/settings').set('Authorization', admin.bearer);
    const saved = await request(app).patch('/api/v1/settings').set('Authorization', admin.bearer).send({ version: settings.body.version, totpRequired: true });
    assert.equal(saved.status, 200);
    const officer = await makeUser(['security_officer']);
    const { agent, res } = await signIn(app, officer.user.email, officer.password);
    assert.equal(res.body.user.totpEnrolmentRequired, true);
    const blocked = await agent.get('/api/v1/audit');
    assert.equal(blocked.status, 403);
    assert.equal(blocked.body.code, 'totp_enrolment_required');
    const auditor = await makeUser(['auditor']);
    assert.equal((await request(app).get('/api/v1/audit').set('Authorization', auditor.bearer)).status, 200, 'auditors are not privileged roles');

    // The ciso enrolled above cannot remove the second factor while it is required.
    const { agent: cisoAgent, csrf } = await signIn(app, ciso.user.email, ciso.password, await generate({ secret: cisoSecret }));
    const removal = await cisoAgent.post('/api/v1/auth/totp').set('X-CSRF-Token', csrf).send({ action: 'remove', password: ciso.password });
    assert.equal(removal.status, 409);
    assert.equal((await UserModel.findById(ciso.user._id).lean())!.totp?.enabled, true);
  });
});

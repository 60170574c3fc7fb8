import { before, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { generate } from 'otplib';
import { useTestDatabase } from '../helpers/db.js';
import { testApp } from '../helpers/app.js';
import { makeUser, signIn, type TestUser } from '../helpers/auth.js';
import mongoose from 'mongoose';
import type { Express } from 'express';
import { UserModel, userStore } from '../../src/auth/user.model.js';
import { consumeRecoveryCode } from '../../src/auth/totp.js';
import { cliContext } from '../../src/audit/actor.js';
import { AuditModel } from '../../src/audit/audit.model.js';
import { claimStep } from '../../src/auth/totp-steps.js';

useTestDatabase();

const PERIOD = 30;

/**
 * The current time step, waiting for the next one when less than 10 s are left: codes for it and the step after stay
 * inside the server's window (one step either side) for the rest of a test.
 */
async function freshStep(): Promise<number> {
  const left = PERIOD - ((Date.now() / 1000) % PERIOD);
  if (left < 10) await new Promise((resolve) => setTimeout(resolve, left * 1000 + 200));
  return Math.floor(Date.now() / 1000 / PERIOD);
}

const codeAt = (secret: string, step: number) => generate({ secret, epoch: step * PERIOD });

/** Enrols a second factor for the user and confirms it with the code of `step`; returns the secret and recovery codes. */
async function enrolAndConfirm(app: Express, who: TestUser, step: number): Promise<{ secret: string; recoveryCodes: string[] }> {
  const { agent, csrf } = await signIn(app, who.user.email, who.password);
  const enrol = await agent.post('/api/v1/auth/totp').set('X-CSRF-Token', csrf).send({ action: 'enrol' });
  assert.equal(enrol.status, 200);
  const secret = enrol.body.secret as string;
  const confirm = await agent.post('/api/v1/auth/totp').set('X-CSRF-Token', csrf).send({ action: 'confirm', otp: await codeAt(secret, step) });
  assert.equal(confirm.status, 200);
  return { secret, recoveryCodes: confirm.body.recoveryCodes as string[] };
}

const accountFailures = (email: string) => mongoose.connection.collection('login_failures').countDocuments({ key: `acct:${email}` });

describe('TOTP second factor', () => {
  const app = testApp();
  let ciso: TestUser;
  let admin: TestUser;
  let cisoRecoveryCodes: string[] = [];
  before(async () => {
    ciso = await makeUser(['ciso']);
    admin = await makeUser(['admin']);
  });

  test('enrol with a QR code, confirm, then sign-in needs the code; a recovery code works once', async () => {
    const step = await freshStep();
    const { agent, csrf } = await signIn(app, ciso.user.email, ciso.password);
    const enrol = await agent.post('/api/v1/auth/totp').set('X-CSRF-Token', csrf).send({ action: 'enrol' });
    assert.equal(enrol.status, 200);
    assert.match(enrol.body.qrCode, /^data:image\/svg\+xml;base64,/);
    assert.match(Buffer.from(enrol.body.qrCode.split(',')[1], 'base64').toString(), /<svg/);
    assert.match(enrol.body.otpauthUrl, /^otpauth:\/\/totp\/Itaku:/);
    const secret = enrol.body.secret as string;
    const stored = await UserModel.findById(ciso.user._id).lean();
    assert.ok(stored?.totp);
    assert.ok(!stored.totp.secret.includes(secret), 'the secret is stored encrypted');
    assert.match(stored.totp.secret, /^v1\./);

    const wrong = await agent.post('/api/v1/auth/totp').set('X-CSRF-Token', csrf).send({ action: 'confirm', otp: '000000' });
    assert.equal(wrong.status, 400);
    const confirm = await agent.post('/api/v1/auth/totp').set('X-CSRF-Token', csrf).send({ action: 'confirm', otp: await codeAt(secret, step) });
    assert.equal(confirm.status, 200);
    const codes = confirm.body.recoveryCodes as string[];
    cisoRecoveryCodes = codes;
    assert.equal(codes.length, 10);
    assert.ok(!JSON.stringify(await UserModel.findById(ciso.user._id).lean()).includes(codes[0]!), 'recovery codes are stored hashed');

    const withoutCode = await request(app).post('/api/v1/auth/login').send({ email: ciso.user.email, password: ciso.password });
    assert.equal(withoutCode.status, 401);
    assert.equal(withoutCode.body.code, 'otp_required');
    const badCode = await request(app).post('/api/v1/auth/login').send({ email: ciso.user.email, password: ciso.password, otp: '123456' });
    assert.equal(badCode.status, 401);
    assert.equal(badCode.body.code, 'invalid_otp');
    // The confirmation used up this step's code: the next step's code signs in.
    const good = await request(app).post('/api/v1/auth/login').send({ email: ciso.user.email, password: ciso.password, otp: await codeAt(secret, step + 1) });
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

    // The ciso enrolled above cannot remove the second factor while it is required (signed in with a recovery code:
    // the codes of this time step are used up).
    const { agent: cisoAgent, csrf } = await signIn(app, ciso.user.email, ciso.password, cisoRecoveryCodes[5]);
    const removal = await cisoAgent.post('/api/v1/auth/totp').set('X-CSRF-Token', csrf).send({ action: 'remove', password: ciso.password });
    assert.equal(removal.status, 409);
    assert.equal((await UserModel.findById(ciso.user._id).lean())!.totp?.enabled, true);
  });

  test('a code works once: used again it is refused like a wrong code and counted as a failure; the next step’s code is accepted', async () => {
    const step = await freshStep();
    const officer = await makeUser(['security_officer']);
    const { secret } = await enrolAndConfirm(app, officer, step);
    const login = (otp: string) => request(app).post('/api/v1/auth/login').send({ email: officer.user.email, password: officer.password, otp });

    const wrongCode = (await codeAt(secret, step)) === '000000' ? '111111' : '000000';
    let failures = await accountFailures(officer.user.email);
    const wrong = await login(wrongCode);
    assert.equal(wrong.status, 401);
    assert.equal(await accountFailures(officer.user.email), failures + 1, 'a wrong code is counted by the throttle');

    // The code that confirmed enrolment cannot sign in.
    failures = await accountFailures(officer.user.email);
    const confirmationCode = await login(await codeAt(secret, step));
    assert.equal(confirmationCode.status, 401);
    assert.deepEqual(confirmationCode.body, wrong.body);
    assert.equal(await accountFailures(officer.user.email), failures + 1);

    const next = await codeAt(secret, step + 1);
    const first = await login(next);
    assert.equal(first.status, 200, 'the next step’s code is accepted');

    failures = await accountFailures(officer.user.email);
    const again = await login(next);
    assert.equal(again.status, 401);
    assert.equal(again.headers['content-type'], wrong.headers['content-type']);
    assert.deepEqual(again.body, wrong.body, 'the same answer as a wrong code');
    assert.equal(await accountFailures(officer.user.email), failures + 1, 'counted by the throttle like a wrong code');

    // Once a later step is used, an earlier code that was never used is refused too (RFC 6238 §5.2).
    assert.equal((await login(await codeAt(secret, step))).status, 401);

    const reasons = (await AuditModel.find({ action: 'auth.loginFailed', entityId: officer.user._id }).lean()).map((e) => (e.detail as { reason: string }).reason);
    assert.deepEqual(reasons.sort(), ['reused_otp', 'reused_otp', 'reused_otp', 'wrong_otp'], 'the audit log tells a reused code from a wrong one');
  });

  test('two concurrent sign-ins with the same valid code: exactly one succeeds', async () => {
    const step = await freshStep();
    const auditor = await makeUser(['auditor']);
    const { secret } = await enrolAndConfirm(app, auditor, step);
    const otp = await codeAt(secret, step + 1);
    // Left alone, the two requests reach the check about 100 ms apart here and never overlap. Hold each after it has
    // read the last accepted step until both have: both then see the code as unused, and only the claim can decide.
    const steps = mongoose.model('TotpStep');
    const find = steps.find.bind(steps);
    let arrived = 0;
    let release: () => void = () => undefined;
    const bothRead = new Promise<void>((resolve) => (release = resolve));
    const held = mock.method(steps, 'find', (...args: Parameters<typeof find>) => ({
      lean: async () => {
        const found = await find(...args).lean();
        if (++arrived === 2) release();
        await Promise.race([bothRead, new Promise((resolve) => setTimeout(resolve, 5000))]);
        return found;
      },
    }));
    try {
      const results = await Promise.all([1, 2].map(() => request(app).post('/api/v1/auth/login').send({ email: auditor.user.email, password: auditor.password, otp })));
      assert.equal(arrived, 2, 'both sign-ins read the last step before either claimed it');
      assert.deepEqual(results.map((r) => r.status).sort(), [200, 401]);
      assert.equal(results.find((r) => r.status === 401)!.body.code, 'invalid_otp');
    } finally {
      held.mock.restore();
    }
  });

  test('of many concurrent claims of one time step, exactly one wins', async () => {
    const outcomes = await Promise.all(Array.from({ length: 12 }, () => claimStep('race-user', 1234567)));
    assert.equal(outcomes.filter(Boolean).length, 1);
  });

  test('two sign-ins racing with one recovery code: exactly one gets it, the other is refused like a wrong code', async () => {
    const who = await makeUser(['security_officer']);
    const { recoveryCodes } = await enrolAndConfirm(app, who, await freshStep());
    const user = await userStore.get(who.user._id);
    const outcomes = await Promise.all([consumeRecoveryCode(cliContext('test'), user!, recoveryCodes[0]!), consumeRecoveryCode(cliContext('test'), user!, recoveryCodes[0]!)]);
    assert.deepEqual(outcomes.sort(), [false, true]);
    const after = await userStore.get(who.user._id);
    assert.equal(after!.totp!.recoveryCodes.length, recoveryCodes.length - 1);
    // A conflict with another change to the account is retried, not refused.
    assert.equal(await consumeRecoveryCode(cliContext('test'), user!, recoveryCodes[1]!), true, 'a stale copy of the user still works');
  });

  test('two concurrent enrolment confirmations with one code: exactly one succeeds', async () => {
    const step = await freshStep();
    const officer = await makeUser(['security_officer']);
    const { agent, csrf } = await signIn(app, officer.user.email, officer.password);
    const enrol = await agent.post('/api/v1/auth/totp').set('X-CSRF-Token', csrf).send({ action: 'enrol' });
    const otp = await codeAt(enrol.body.secret as string, step);
    const results = await Promise.all([1, 2].map(() => agent.post('/api/v1/auth/totp').set('X-CSRF-Token', csrf).send({ action: 'confirm', otp })));
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 400]);
  });
});

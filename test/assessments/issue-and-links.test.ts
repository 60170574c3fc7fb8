import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import request from 'supertest';
import { useTestDatabase } from '../helpers/db.js';
import { testApp } from '../helpers/app.js';
import { cloudServiceC2, issue, makeWorld, snsFor, inDays, type World } from '../helpers/assessments.js';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { assessmentStore } from '../../src/assessments/assessment.model.js';
import { AuditModel } from '../../src/audit/audit.model.js';

useTestDatabase();

describe('issuing a questionnaire', () => {
  const app = testApp();
  let w: World;
  let serviceId: string;
  before(async () => {
    w = await makeWorld();
    serviceId = (await cloudServiceC2(w))._id;
  });

  test('stores the template, facts and tier as issued, and says which questions apply and which were left out', async () => {
    const res = await issue(app, w.procurement, { kind: 'cloudService', id: serviceId }, 'cloud-service');
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.status, 'issued');
    assert.equal(res.body.template.id, 'cloud-service');
    assert.equal(res.body.facts.confidentiality.rank, 2);
    assert.ok(res.body.tier >= 2);
    const applies = res.body.questions.filter((q: { applies: boolean }) => q.applies).map((q: { id: string }) => q.id);
    assert.ok(applies.includes('F02'), 'a 機密性2 service gets the ISMAP question');
    assert.ok(!applies.some((id: string) => id.startsWith('G')), 'no 約款型 questions for an individual contract');
    for (const ex of res.body.excludedAtIssue) assert.ok(ex.reason.ja.length > 0, `${ex.id} says why it was left out`);
    assert.ok(await AuditModel.findOne({ action: 'assessment.issue', entityId: res.body.id }).lean());
    const stored = await assessmentStore.get(res.body.id);
    assert.equal(stored!.template.sha256.length, 64, 'the template snapshot is kept');
  });

  test('refuses bad input with clear errors', async () => {
    const cases: [Record<string, unknown>, number][] = [
      [{ subject: { kind: 'cloudService', id: serviceId }, templateId: 'sns', dueDate: inDays(10) }, 422],
      [{ subject: { kind: 'cloudService', id: serviceId }, templateId: 'cloud-service', dueDate: '2020-01-01' }, 400],
      [{ subject: { kind: 'cloudService', id: 'f'.repeat(24) }, templateId: 'cloud-service', dueDate: inDays(10) }, 400],
      [{ subject: { kind: 'cloudService', id: serviceId }, templateId: 'no-such-template', dueDate: inDays(10) }, 400],
      [{ subject: { kind: 'cloudService', id: { $ne: null } }, templateId: 'cloud-service', dueDate: inDays(10) }, 400],
      [{ subject: { kind: 'vendor', id: serviceId }, templateId: 'cloud-service', dueDate: inDays(10) }, 400],
    ];
    for (const [body, status] of cases) {
      const res = await request(app).post('/api/v1/assessments').set('Authorization', w.procurement.bearer).send(body);
      assert.equal(res.status, status, `${JSON.stringify(body)}: ${res.text}`);
      assert.ok(res.body.detail);
    }
  });

  test('another department gets 404, auditors 403, and lists are scoped', async () => {
    const other = await issue(app, w.otherProcurement, { kind: 'cloudService', id: serviceId }, 'cloud-service');
    assert.equal(other.status, 404);
    const auditor = await issue(app, w.auditor, { kind: 'cloudService', id: serviceId }, 'cloud-service');
    assert.equal(auditor.status, 403);
    const mine = await issue(app, w.procurement, { kind: 'cloudService', id: serviceId }, 'cloud-service');
    assert.equal((await request(app).get(`/api/v1/assessments/${mine.body.id}`).set('Authorization', w.otherProcurement.bearer)).status, 404);
    assert.equal((await request(app).get(`/api/v1/assessments/${mine.body.id}`).set('Authorization', w.auditor.bearer)).status, 200);
    const otherList = await request(app).get('/api/v1/assessments').set('Authorization', w.otherProcurement.bearer);
    assert.equal(otherList.body.total, 0);
    const officerList = await request(app).get('/api/v1/assessments?status=issued').set('Authorization', w.officer.bearer);
    assert.ok(officerList.body.total >= 2);
  });

  test('a staff-answered template gets no vendor link', async () => {
    const sns = await snsFor(w);
    const issued = await issue(app, w.procurement, { kind: 'snsAccount', id: sns._id }, 'sns');
    assert.equal(issued.status, 201, issued.text);
    assert.equal(issued.body.respondent, 'staff');
    const link = await request(app).post(`/api/v1/assessments/${issued.body.id}/link`).set('Authorization', w.procurement.bearer).send({});
    assert.equal(link.status, 409);
  });
});

describe('the vendor link', () => {
  let w: World;
  let serviceId: string;
  const logs = new PassThrough();
  let logged = '';
  logs.on('data', (d: Buffer) => (logged += d.toString()));
  const config = loadConfig({ NODE_ENV: 'test', SESSION_SECRET: 'x'.repeat(40), ITAKU_DATA_KEY: 'ab'.repeat(32), PUBLIC_BASE_URL: 'https://itaku.city.example.jp', TRUST_PROXY: 'loopback' });
  const app = createApp({ config, logger: createLogger('debug', logs) });
  before(async () => {
    w = await makeWorld();
    serviceId = (await cloudServiceC2(w))._id;
  });

  test('is a long random token shown once, stored hashed, reaching one assessment only; reissue and revoke stop the old one', async () => {
    const a = await issue(app, w.procurement, { kind: 'cloudService', id: serviceId }, 'cloud-service');
    const b = await issue(app, w.procurement, { kind: 'cloudService', id: serviceId }, 'cloud-service');
    const linkA = await request(app).post(`/api/v1/assessments/${a.body.id}/link`).set('Authorization', w.procurement.bearer).send({});
    assert.equal(linkA.status, 201);
    assert.match(linkA.body.token, /^[A-Za-z0-9_-]{43}$/, '256 bits');
    assert.equal(linkA.body.url, `https://itaku.city.example.jp/q/${linkA.body.token}`);
    assert.ok(Date.parse(linkA.body.expiresAt) - Date.now() > 29 * 86_400_000, 'thirty days by default');
    const stored = JSON.stringify(await assessmentStore.get(a.body.id));
    assert.ok(!stored.includes(linkA.body.token), 'the token is not stored');
    assert.ok(!JSON.stringify(await AuditModel.find({}).lean()).includes(linkA.body.token), 'nor audited');

    const viewA = await request(app).get(`/api/v1/respond/${linkA.body.token}`);
    assert.equal(viewA.status, 200);
    assert.equal(viewA.headers['referrer-policy'], 'no-referrer');
    assert.equal(viewA.body.subjectName.length > 0, true);
    assert.equal('tier' in viewA.body, false, 'the vendor never sees the tier');
    assert.equal('score' in viewA.body, false);

    // A's token answers only A.
    const q = viewA.body.sections[0].questions.find((x: { answer: { type: string } }) => x.answer.type === 'yes-no');
    await request(app).put(`/api/v1/respond/${linkA.body.token}/answers/${q.id}`).send({ value: 'yes', version: 0 });
    const bAnswers = await request(app).get(`/api/v1/assessments/${b.body.id}/answers`).set('Authorization', w.procurement.bearer);
    assert.equal(bAnswers.body.items.length, 0);

    const reissued = await request(app).post(`/api/v1/assessments/${a.body.id}/link`).set('Authorization', w.procurement.bearer).send({ days: 7 });
    assert.notEqual(reissued.body.token, linkA.body.token);
    const old = await request(app).get(`/api/v1/respond/${linkA.body.token}`);
    assert.equal(old.status, 404);
    const html404 = await request(app).get(`/q/${linkA.body.token}`);
    assert.equal(html404.status, 404);
    assert.match(html404.text, /担当課にお問い合わせください/);
    assert.equal((await request(app).get(`/api/v1/respond/${reissued.body.token}`)).status, 200);

    assert.equal((await request(app).delete(`/api/v1/assessments/${a.body.id}/link`).set('Authorization', w.procurement.bearer)).status, 204);
    const revoked = await request(app).get(`/api/v1/respond/${reissued.body.token}`);
    assert.equal(revoked.status, 404);
    assert.deepEqual(revoked.body, old.body, 'wrong, revoked and reissued tokens answer the same');

    // Expired.
    const fresh = await request(app).post(`/api/v1/assessments/${b.body.id}/link`).set('Authorization', w.procurement.bearer).send({});
    const current = (await assessmentStore.get(b.body.id))!;
    await assessmentStore.update({ actor: { kind: 'system', id: 'test' } }, 'test.expire', current._id, current.version, (c) => ({ ...c, link: { ...c.link!, expiresAt: new Date(Date.now() - 1000) } }));
    const expired = await request(app).get(`/api/v1/respond/${fresh.body.token}`);
    assert.equal(expired.status, 404);
    assert.deepEqual(expired.body, old.body);

    assert.ok(logged.length > 0, 'the app logged');
    for (const token of [linkA.body.token, reissued.body.token, fresh.body.token]) assert.ok(!logged.includes(token), 'no token in any log line');
    assert.match(logged, /\/q\/\[token\]|\/api\/v1\/respond\/\[token\]/);
  });

  test('failed look-ups are limited per address; other addresses and valid links are not', async () => {
    const a = await issue(app, w.procurement, { kind: 'cloudService', id: serviceId }, 'cloud-service');
    const link = await request(app).post(`/api/v1/assessments/${a.body.id}/link`).set('Authorization', w.procurement.bearer).send({});
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) statuses.push((await request(app).get(`/api/v1/respond/${'A'.repeat(42)}${i % 10}`).set('X-Forwarded-For', '203.0.113.50')).status);
    assert.deepEqual(statuses.slice(0, 20), Array(20).fill(404));
    assert.equal(statuses[21], 429);
    const limited = await request(app).get(`/api/v1/respond/${'B'.repeat(43)}`).set('X-Forwarded-For', '203.0.113.50');
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers['retry-after']) > 0);
    assert.equal((await request(app).get(`/api/v1/respond/${link.body.token}`).set('X-Forwarded-For', '198.51.100.7')).status, 200);
    for (let i = 0; i < 30; i++) assert.equal((await request(app).get(`/api/v1/respond/${link.body.token}`).set('X-Forwarded-For', '198.51.100.8')).status, 200, 'success is never throttled');
  });
});

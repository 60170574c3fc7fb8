import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { useTestDatabase } from '../helpers/db.js';
import { testApp } from '../helpers/app.js';
import { makeUser, type TestUser } from '../helpers/auth.js';
import { assertNotThrottled, recordFailure, THROTTLE_WINDOW_MS } from '../../src/auth/throttle.js';
import { AppError } from '../../src/http/errors.js';

useTestDatabase();

describe('sign-in throttling', () => {
  // Each app instance has its own memory: throttling must come from the database to hold across both.
  const first = testApp({ TRUST_PROXY: 'loopback' });
  const second = testApp({ TRUST_PROXY: 'loopback' });
  let user: TestUser;
  before(async () => {
    user = await makeUser(['procurement'], (await (await import('../helpers/auth.js')).makeDepartment())._id);
  });

  test('five failures for one account from one address answer 429 with Retry-After, across two instances', async () => {
    for (let i = 0; i < 5; i++) {
      const app = i % 2 ? first : second;
      const res = await request(app).post('/api/v1/auth/login').set('X-Forwarded-For', '203.0.113.7').send({ email: user.user.email, password: `wrong-${i}-password` });
      assert.equal(res.status, 401, `attempt ${i + 1}`);
    }
    const blocked = await request(first).post('/api/v1/auth/login').set('X-Forwarded-For', '203.0.113.7').send({ email: user.user.email, password: user.password });
    assert.equal(blocked.status, 429, 'even the right password waits');
    assert.equal(blocked.body.code, 'too_many_attempts');
    const retryAfter = Number(blocked.headers['retry-after']);
    assert.ok(retryAfter > 0 && retryAfter <= THROTTLE_WINDOW_MS / 1000, `Retry-After ${retryAfter}`);

    // The real user at another address is not locked out by this.
    const elsewhere = await request(second).post('/api/v1/auth/login').set('X-Forwarded-For', '198.51.100.20').send({ email: user.user.email, password: user.password });
    assert.equal(elsewhere.status, 200);
  });

  test('one address spraying many accounts is limited', async () => {
    for (let i = 0; i < 30; i++) {
      await request(first).post('/api/v1/auth/login').set('X-Forwarded-For', '192.0.2.99').send({ email: `spray${i}@city.example.jp`, password: 'Spring2026!!' });
    }
    const res = await request(second).post('/api/v1/auth/login').set('X-Forwarded-For', '192.0.2.99').send({ email: 'spray-next@city.example.jp', password: 'Spring2026!!' });
    assert.equal(res.status, 429);
  });

  test('the lock ends when the oldest counted failure leaves the window', async () => {
    const t0 = new Date('2026-04-01T00:00:00Z');
    for (let i = 0; i < 5; i++) await recordFailure('clock@city.example.jp', '10.9.9.9', new Date(t0.getTime() + i * 1000));
    await assert.rejects(assertNotThrottled('clock@city.example.jp', '10.9.9.9', new Date(t0.getTime() + 60_000)), (err: unknown) => err instanceof AppError && err.status === 429);
    await assertNotThrottled('clock@city.example.jp', '10.9.9.9', new Date(t0.getTime() + THROTTLE_WINDOW_MS + 1000));
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import express from 'express';
import request from 'supertest';
import { requestDeadline } from '../../src/http/deadline.js';
import { errorHandler } from '../../src/http/problem.js';

test('a request left without an answer gets 503 problem+json at the deadline; answered ones and uploads are left alone', async () => {
  const late: unknown[] = [];
  const app = express();
  app.use(requestDeadline(150));
  // A handler stuck like an operation the driver never settles, which answers (or fails) long after the deadline.
  app.get('/stuck', (_req, res, next) => {
    setTimeout(() => {
      try {
        res.json({ late: true });
      } catch (err) {
        late.push(err);
        next(err);
      }
    }, 400);
  });
  app.get('/quick', (_req, res) => void res.json({ ok: true }));
  app.post('/upload', (_req, res) => void setTimeout(() => res.json({ stored: true }), 300));
  app.use(errorHandler);

  const started = Date.now();
  const stuck = await request(app).get('/stuck');
  assert.equal(stuck.status, 503);
  assert.match(stuck.headers['content-type'] ?? '', /application\/problem\+json/);
  assert.equal(stuck.body.code, 'request_timeout');
  assert.equal(stuck.headers['retry-after'], '10');
  assert.ok(Date.now() - started < 390, 'answered at the deadline, not when the handler finished');
  await new Promise((r) => setTimeout(r, 400));
  assert.equal(late.length, 1, 'the late answer is refused inside the handler (headers already sent), not crashing the process');

  assert.deepEqual((await request(app).get('/quick')).body, { ok: true });
  const upload = await request(app).post('/upload').set('Content-Type', 'application/pdf').send(Buffer.from('%PDF-1.4'));
  assert.equal(upload.status, 200, 'an upload may take longer than the deadline');
});

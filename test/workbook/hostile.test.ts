import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { useTestDatabase } from '../helpers/db.js';
import { testApp } from '../helpers/app.js';
import { internetSaas } from '../fixtures/questionnaires/subjects.js';
import { answersOf } from '../../src/assessments/answers.model.js';
import { AppError } from '../../src/http/errors.js';
import { closeParsePool, inspectZip, ParsePool, parsePool, POOL_LIMITS, ZIP_LIMITS, ZipRefusal } from '../../src/workbook/index.js';
import { fill } from './fill.js';
import { linkFor, makeAssessment, shippedTemplate } from './fixtures.js';
import { download, uploadRaw } from './helpers.js';
import { zipOf } from './zips.js';
import { hostileCases } from './hostile-files.js';

useTestDatabase();
after(closeParsePool);

describe('hostile files are refused quickly and the service survives each', () => {
  const app = testApp();
  let token: string;
  let assessmentId: string;
  let valid: Buffer;
  before(async () => {
    const a = await makeAssessment({ template: shippedTemplate('cloud-service'), facts: internetSaas(3) });
    assessmentId = a._id;
    token = await linkFor(a);
    valid = await download(app, `/q/${token}/questionnaire.xlsx`);
    await parsePool().parse(valid); // the children are up, so a refusal's time is its own
  });

  const cases = hostileCases(() => valid);
  for (const c of cases) {
    test(c.name, async () => {
      const file = await c.file();
      await parsePool().parse(valid); // a child is up (the last case may have cost one), so the time is the refusal's own
      const started = Date.now();
      const res = await uploadRaw(app, token, file);
      const ms = Date.now() - started;
      assert.equal(res.status, c.status, JSON.stringify(res.body));
      assert.match(res.body.code, c.code);
      assert.ok(res.body.detail.length > 0 && /[ぁ-んァ-ン一-龠]/.test(res.body.detail), 'a Japanese message');
      assert.ok(ms < c.withinMs, `refused in ${ms} ms (limit ${c.withinMs})`);
      assert.equal((await request(app).get('/healthz')).status, 200, 'the service still answers');
      assert.deepEqual(await answersOf(assessmentId), [], 'nothing imported');
      assert.ok(parsePool().pids().length <= parsePool().options.size, 'no stray parse children');
    });
  }

  test('an upload over 5 MB is 413 before anything reads it', async () => {
    const res = await uploadRaw(app, token, Buffer.alloc(ZIP_LIMITS.maxUploadBytes + 1));
    assert.equal(res.status, 413);
  });

  test('the pool: a third file while one parses and one waits is told 503; a child killed mid-parse is replaced', async () => {
    const pool = new ParsePool({ ...POOL_LIMITS, size: 1, maxQueue: 1, timeoutMs: 1500 });
    try {
      assert.equal((await pool.parse(valid)).ok, true);
      const slow = await cases.find((c) => /memory cap/.test(c.name))!.file();
      const first = pool.parse(slow);
      const second = pool.parse(valid);
      await assert.rejects(pool.parse(valid), (e: unknown) => e instanceof AppError && e.status === 503 && e.code === 'workbook_busy');
      assert.equal((await first).ok, false);
      assert.equal((await second).ok, true, 'the queued file is parsed by a fresh child');
      const killed = pool.parse(slow);
      await new Promise((r) => setTimeout(r, 300));
      process.kill(pool.pids()[0]!, 'SIGKILL');
      const outcome = await killed;
      assert.equal(outcome.ok, false);
      assert.equal(!outcome.ok && outcome.code, 'workbook_too_complex');
      assert.equal((await pool.parse(valid)).ok, true, 'and the next file gets a new child');
      assert.ok(pool.stats.restarts >= 1 && pool.stats.killed >= 1, JSON.stringify(pool.stats));
    } finally {
      await pool.close();
    }
  });

  test('after all of that, a real workbook still imports', async () => {
    const res = await uploadRaw(app, token, await fill(valid, { E03: { answer: 'はい' } }));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal((await answersOf(assessmentId))[0]?.value, 'yes');
  });
});

describe('inspectZip', () => {
  test('refuses encryption, zip64, overlapping entries and unsafe names before inflating anything', () => {
    const base = zipOf([{ name: '[Content_Types].xml', data: Buffer.from('<Types/>') }, { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') }]);
    assert.equal(inspectZip(base).length, 2);
    const encrypted = Buffer.from(base);
    encrypted.writeUInt16LE(0x801, encrypted.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 8);
    const overlapping = Buffer.from(base);
    const second = overlapping.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    overlapping.writeUInt32LE(0, second + 42);
    const cases: [Buffer, string][] = [
      [encrypted, 'workbook_encrypted'],
      [overlapping, 'workbook_overlapping_entries'],
      [zipOf([{ name: '../evil.xml', data: Buffer.from('x') }, { name: 'xl/workbook.xml', data: Buffer.from('x') }]), 'workbook_bad_entry'],
      [zipOf([{ name: '[Content_Types].xml', data: Buffer.from('x') }]), 'workbook_not_zip'],
    ];
    for (const [buf, code] of cases) assert.throws(() => inspectZip(buf), (e: unknown) => e instanceof ZipRefusal && e.code === code, code);
  });
});

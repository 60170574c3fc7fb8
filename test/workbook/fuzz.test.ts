/**
 * Fuzzing the import: mutated valid workbooks and random zips through the real pipeline (pre-check, the pool's reused
 * children, the check, the batch). Every case must end in a 4xx refusal or a correct import — never a 500, never a
 * dead service — and the children's memory must stay under the cap. ITAKU_FUZZ_CASES raises the count (default 2,000).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { useTestDatabase } from '../helpers/db.js';
import { testApp } from '../helpers/app.js';
import { makeUser } from '../helpers/auth.js';
import { termsService } from '../fixtures/questionnaires/subjects.js';
import { checkAnswerValue } from '../../src/assessments/answer-value.js';
import { answersOf } from '../../src/assessments/answers.model.js';
import type { Assessment } from '../../src/assessments/assessment.model.js';
import { AppError } from '../../src/http/errors.js';
import { buildWorkbook, closeParsePool, importWorkbook, parsePool, POOL_LIMITS } from '../../src/workbook/index.js';
import { fill } from './fill.js';
import { makeAssessment, shippedTemplate } from './fixtures.js';
import { entriesOf, zipOf, type RawEntry } from './zips.js';

useTestDatabase();
after(closeParsePool);

const CASES = Number(process.env.ITAKU_FUZZ_CASES ?? 2000);
const KEY = Buffer.alloc(32, 7);

/** Seeded, so a failing case can be replayed from its number. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: <T>(xs: readonly T[]): T => xs[int(xs.length)] as T };
}

const SNIPPETS = ['<', '>', '&', '"', '&#0;', '&#xFFFF;', '<![CDATA[', ']]>', '<!DOCTYPE x [<!ENTITY a "aaaa">]>', '<f>1+1</f>', ' r="A0"', ' r="ZZZZ999999"', ' t="e"', ' s="99999"', '\u0000', '質問票', '=1+1', 'はい', 'Z99', '<row>', '<c r="G5"><f>SUM(1)</f></c>', '<sheetData/>', '<mergeCell ref="A1:Z1000"/>'];

function mutateXml(r: ReturnType<typeof rng>, xml: string): string {
  const at = r.int(xml.length + 1);
  const len = 1 + r.int(Math.min(200, xml.length - at + 1));
  switch (r.int(6)) {
    case 0: return xml.slice(0, at) + xml.slice(at + len); // delete
    case 1: return xml.slice(0, at) + xml.slice(at, at + len) + xml.slice(at); // duplicate
    case 2: return xml.slice(0, at) + r.pick(SNIPPETS) + xml.slice(at); // inject
    case 3: return xml.replace(/\d+/g, (d) => (r.next() < 0.05 ? String(Number(d) + r.int(5) - 2) : d)); // nudge numbers
    case 4: return xml.replace(/<t[^>]*>[^<]*<\/t>/g, (t) => (r.next() < 0.05 ? `<t>${r.pick(['はい', 'いいえ', '一部', '該当なし', '○', 'x', '2027-02-30', '12', ''])}</t>` : t)); // change texts
    default: return xml.slice(0, at) + String.fromCharCode(r.int(0x3000)) + xml.slice(at + 1); // any character
  }
}

function mutate(seed: number, base: Buffer, entries: RawEntry[]): { kind: string; file: Buffer } {
  const r = rng(seed);
  const kind = r.next() < 0.03 ? 'reorder' : r.pick(['flip', 'flip', 'truncate', 'duplicate', 'xml', 'xml', 'xml', 'answer', 'random-zip', 'random-bytes']);
  switch (kind) {
    case 'flip': {
      const file = Buffer.from(base);
      for (let i = 0, n = 1 + r.int(8); i < n; i++) {
        const at = r.int(file.length);
        file[at] = file[at]! ^ (1 << r.int(8));
      }
      return { kind, file };
    }
    case 'truncate':
      return { kind, file: base.subarray(0, r.int(base.length)) };
    case 'duplicate': {
      const e = r.pick(entries);
      return { kind, file: zipOf([...entries, { ...e, name: r.next() < 0.5 ? e.name : e.name.toUpperCase() }]) };
    }
    case 'xml': {
      const xmls = entries.filter((e) => e.name.endsWith('.xml') || e.name.endsWith('.rels'));
      const target = r.pick(xmls).name;
      return { kind, file: zipOf(entries.map((e) => (e.name === target ? { name: e.name, data: Buffer.from(mutateXml(r, e.data.toString('utf8'))) } : e))) };
    }
    case 'answer': {
      // What a vendor might type into answer cells (column G of the question sheet), as inline strings.
      const typed = () => r.pick(['はい', 'いいえ', '一部', '該当なし', '○', '〇', 'x', '', '2027-01-01', '12', '=1+1', '利用規約 第3条']);
      const sheet = 'xl/worksheets/sheet2.xml';
      const change = (xml: string) => {
        const cells = xml.match(/<c r="G\d+"[^>]*?(?:\/>|>[\s\S]*?<\/c>)/g) ?? [];
        const chosen = new Set([r.int(cells.length), r.int(cells.length)]);
        let i = 0;
        return xml.replace(/<c r="(G\d+)"[^>]*?(?:\/>|>[\s\S]*?<\/c>)/g, (cell, ref: string) => (chosen.has(i++) ? `<c r="${ref}" t="inlineStr"><is><t>${typed()}</t></is></c>` : cell));
      };
      return { kind, file: zipOf(entries.map((e) => (e.name === sheet ? { name: e.name, data: Buffer.from(change(e.data.toString('utf8'))) } : e))) };
    }
    case 'random-zip': {
      const names = ['[Content_Types].xml', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml', 'xl/sharedStrings.xml', `x${r.int(99)}.bin`];
      return { kind, file: zipOf(Array.from({ length: 1 + r.int(6) }, (_, i) => ({ name: names[i % names.length]!, data: Buffer.from(Array.from({ length: r.int(2000) }, () => r.int(256))), store: r.next() < 0.5 }))) };
    }
    case 'random-bytes':
      return { kind, file: Buffer.from(Array.from({ length: 1 + r.int(5000) }, () => r.int(256))) };
    default:
      return { kind, file: zipOf([...entries].sort(() => r.next() - 0.5)) };
  }
}

describe(`fuzzing the workbook import (${CASES} cases)`, () => {
  const app = testApp();
  let assessment: Assessment;
  let base: Buffer;
  before(async () => {
    assessment = await makeAssessment({ template: shippedTemplate('cloud-terms'), facts: termsService() });
    base = await fill(await buildWorkbook(assessment, KEY), { G01: { answer: 'はい' }, G03: { answer: 'いいえ', comment: '約款第12条' } });
  });

  test('every case is refused with a 4xx or imports correctly; the reused child stays under the memory cap', async () => {
    const entries = entriesOf(base);
    const ctx = { actor: { kind: 'vendor' as const, id: assessment._id, name: 'fuzz' } };
    const officer = await makeUser(['security_officer']);
    const outcomes: Record<string, number> = {};
    const started = Date.now();
    const one = async (seed: number) => {
      const { kind, file } = mutate(seed, base, entries);
      let outcome: string;
      try {
        const result = await importWorkbook(ctx, assessment, file, KEY);
        outcome = result.imported.length ? 'imported' : 'unchanged';
        const stored = new Map(result.imported.length ? (await answersOf(assessment._id)).map((x) => [x.questionId, x]) : []);
        for (const { questionId } of result.imported) {
          const q = assessment.template.questions.find((x) => x.id === questionId)!;
          const answer = stored.get(questionId);
          assert.ok(answer, `case ${seed} (${kind}): ${questionId} stored`);
          const check = checkAnswerValue(q, answer.value);
          assert.ok(check.ok && JSON.stringify(check.value) === JSON.stringify(answer.value), `case ${seed} (${kind}): ${questionId} stored a valid value`);
        }
      } catch (err) {
        assert.ok(err instanceof AppError && err.status >= 400 && err.status < 500, `case ${seed} (${kind}) must be a 4xx: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        outcome = String(err.status);
      }
      outcomes[`${kind}:${outcome}`] = (outcomes[`${kind}:${outcome}`] ?? 0) + 1;
      // Every 100th case also goes through HTTP, so the mapping to a response is exercised too.
      if (seed % 100 === 0) {
        const res = await request(app).post(`/api/v1/assessments/${assessment._id}/questionnaire.xlsx`).set('Authorization', officer.bearer).set('Content-Type', 'application/octet-stream').send(file);
        assert.ok(res.status < 500, `case ${seed} over HTTP: ${res.status}`);
      }
    };
    // Two cases at a time: the pool's two children are each reused for about half of them.
    let next = 1;
    await Promise.all([0, 1].map(async () => {
      for (let seed = next++; seed <= CASES; seed = next++) await one(seed);
    }));
    const seconds = (Date.now() - started) / 1000;
    const stats = parsePool().stats;
    const peakMb = Math.round(stats.peakRssBytes / 1024 / 1024);
    console.log(`fuzz: ${CASES} cases in ${seconds.toFixed(1)} s; parses in children ${stats.parses}, children started ${stats.started} (recycled after ${POOL_LIMITS.recycleAfter} parses: ${stats.recycled}), killed ${stats.killed}, died ${stats.restarts}; peak child RSS ${peakMb} MB`);
    console.log(`fuzz outcomes: ${JSON.stringify(outcomes)}`);
    assert.ok(stats.peakRssBytes > 0 && stats.peakRssBytes <= POOL_LIMITS.rssLimitBytes, `peak child RSS ${peakMb} MB under the cap`);
    assert.ok(stats.started <= POOL_LIMITS.size + stats.recycled + stats.killed + stats.restarts, 'children are reused, replaced only when recycled or stopped');
    assert.ok(process.memoryUsage().rss < 1024 * 1024 * 1024, 'the service process stays small');
    assert.equal((await request(app).get('/healthz')).status, 200);
  });
});

/**
 * Workbook benchmark: download and import of a filled 150-question workbook (the synthetic template of the scoring
 * bench, through the real loader), each import into a fresh assessment so all 150 answers are written; then every
 * hostile file of the tests, timing its refusal and the parse children's peak memory. Needs a database: MONGODB_URI,
 * or the embedded FerretDB started here in a temporary folder.
 * Standalone: `node --import tsx bench/workbook.bench.ts`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import mongoose from 'mongoose';
import { cliContext } from '../src/audit/actor.js';
import { connectionOptions } from '../src/db/connect.js';
import { startEmbeddedDatabase } from '../src/db/embedded.js';
import { prepareDatabase } from '../src/db/prepare.js';
import { assessmentStore, type Assessment } from '../src/assessments/assessment.model.js';
import { applicableQuestions, type SubjectFacts, type Template } from '../src/questionnaires/index.js';
import { buildWorkbook, closeParsePool, importWorkbook, ParsePool, parsePool } from '../src/workbook/index.js';
import { hostileCases } from '../test/workbook/hostile-files.js';
import { fill, type Fill } from '../test/workbook/fill.js';
import { syntheticTemplate } from './scoring.bench.js';
import type { BenchRow } from './types.js';

const RUNS = Number(process.env.ITAKU_BENCH_RUNS ?? 5);
const KEY = Buffer.alloc(32, 9);
const FACTS: SubjectFacts = {
  kind: 'engagement', confidentiality: { level: '2', rank: 2 }, integrity: 1, availability: 1, personalData: true, myNumber: false,
  segment: null, placement: null, contractType: null, serviceModel: null, generativeAi: false, systemWork: true, workLocation: 'vendor_site',
  remoteAccess: false, vendorOperatesSns: false, vendorUsesGenerativeAi: false, criticalDependency: false, disasterInformation: false, date: '2027-08-01',
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

async function connect(): Promise<() => Promise<void>> {
  if (process.env.MONGODB_URI) {
    await mongoose.connect(process.env.MONGODB_URI, { ...connectionOptions, dbName: `bench_workbook_${process.pid}` });
    await prepareDatabase();
    return async () => {
      await mongoose.connection.db?.dropDatabase();
      await mongoose.disconnect();
    };
  }
  const dir = fs.mkdtempSync(path.join(fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'itaku-bench-'));
  const db = await startEmbeddedDatabase({ dir, log: () => undefined });
  await mongoose.connect(`${db.uri}/?directConnection=true`, { ...connectionOptions, dbName: 'bench' });
  await prepareDatabase();
  return async () => {
    await mongoose.disconnect();
    await db.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}

async function assessmentOf(template: Template): Promise<Assessment> {
  const preview = applicableQuestions(template, FACTS, {});
  return assessmentStore.create(cliContext('bench'), 'assessment.issue', {
    subject: { kind: 'engagement', id: new mongoose.Types.ObjectId().toHexString(), name: 'ベンチマーク業務' }, departmentId: null, vendorName: 'ベンチ株式会社',
    templateId: template.id, templateVersion: template.version, template, facts: FACTS, tier: { tier: 2, reasons: [] },
    applicableAtIssue: preview.applicable, excludedAtIssue: [], issuedOn: FACTS.date, dueDate: '2027-09-30', respondent: 'vendor', language: 'ja',
    preparer: { id: 'bench', name: 'ベンチ' }, status: 'issued', link: null, submittedAt: null, clarification: null, cancellation: null, decision: null,
  });
}

/** An answer for every question of the synthetic template (follow-ups apply because their triggers are not "no"). */
function answersFor(template: Template): Record<string, Fill> {
  const out: Record<string, Fill> = {};
  for (const q of template.questions) {
    const a = q.answer;
    out[q.id] =
      a.type === 'yes-no' ? { answer: 'はい' }
      : a.type === 'single-choice' ? { answer: a.options[0]!.label.ja }
      : a.type === 'multiple-choice' ? { options: a.options.slice(0, 2).map((o) => o.label.ja) }
      : a.type === 'number' ? { answer: 12 }
      : { answer: '規程に定め、年1回見直しています。\n担当: 情報システム部', comment: '詳細は別紙' };
  }
  return out;
}

export async function run(): Promise<BenchRow[]> {
  const disconnect = await connect();
  try {
    const template = syntheticTemplate();
    const answers = answersFor(template);
    const builds: number[] = [];
    const imports: number[] = [];
    const parses: number[] = [];
    let size = 0;
    let written = 0;
    await parsePool().parse(await buildWorkbook(await assessmentOf(template), KEY)); // start the children
    for (let i = 0; i < RUNS; i++) {
      const a = await assessmentOf(template);
      let t = performance.now();
      const xlsx = await buildWorkbook(a, KEY);
      builds.push(performance.now() - t);
      const filled = await fill(xlsx, answers);
      size = filled.length;
      t = performance.now();
      await parsePool().parse(filled);
      parses.push(performance.now() - t);
      t = performance.now();
      const result = await importWorkbook(cliContext('bench'), a, filled, KEY);
      imports.push(performance.now() - t);
      written = result.imported.length;
    }

    // Hostile files through a fresh pool, so its peak memory is theirs alone.
    await closeParsePool();
    const valid = await buildWorkbook(await assessmentOf(template), KEY);
    const target = await assessmentOf(template);
    const hostile: { name: string; ms: number }[] = [];
    const rssBefore = process.memoryUsage().rss;
    for (const c of hostileCases(() => valid)) {
      const file = await c.file();
      const t = performance.now();
      await importWorkbook(cliContext('bench'), target, file, KEY).then(
        () => {
          throw new Error(`${c.name} was imported`);
        },
        (err: { status?: number }) => {
          if (err.status !== c.status) throw err;
        },
      );
      hostile.push({ name: c.name, ms: performance.now() - t });
    }
    const pool: ParsePool = parsePool();
    const worst = hostile.reduce((w, h) => (h.ms > w.ms ? h : w));
    return [
      { area: 'workbook', measure: `download (build) of a ${template.questions.length}-question workbook, median of ${RUNS}`, value: round(median(builds)), unit: 'ms' },
      { area: 'workbook', measure: `import of a filled ${template.questions.length}-question workbook (${written} answers written), median of ${RUNS}`, value: round(median(imports)), unit: 'ms', note: `${Math.round(size / 1024)} kB file, each into a fresh assessment` },
      { area: 'workbook', measure: 'the same, first import (near-empty database)', value: round(imports[0]!), unit: 'ms', note: 'compare with the median: a growing gap means writes slow down as the database grows' },
      { area: 'workbook', measure: 'of which parsing in the child, median', value: round(median(parses)), unit: 'ms' },
      { area: 'workbook', measure: `hostile files: ${hostile.length} refused, slowest refusal`, value: round(worst.ms, 0), unit: 'ms', note: worst.name },
      { area: 'workbook', measure: 'hostile files: median refusal', value: round(median(hostile.map((h) => h.ms)), 1), unit: 'ms', note: 'most are refused from the zip directory, before any child' },
      { area: 'workbook', measure: 'hostile files: peak RSS of a parse child', value: round(pool.stats.peakRssBytes / 1024 / 1024, 0), unit: 'MB', note: `cap ${Math.round(pool.options.rssLimitBytes / 1024 / 1024)} MB RSS, ${pool.options.heapMb} MB heap; ${pool.stats.killed} stopped` },
      { area: 'workbook', measure: 'hostile files: growth of the service process RSS', value: round((process.memoryUsage().rss - rssBefore) / 1024 / 1024, 0), unit: 'MB' },
    ];
  } finally {
    await closeParsePool();
    await disconnect();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const row of await run()) console.log(`${row.area}\t${row.measure}\t${row.value} ${row.unit}${row.note ? `\t(${row.note})` : ''}`);
}

/**
 * Registers from the database: 10,000 engagements (with their departments, people, vendors and creation revisions)
 * seeded in bulk into a fresh embedded FerretDB in a temporary folder, then the engagements register measured in
 * fresh child processes: the database read on its own (every row read, rolled forward, names resolved and mapped,
 * nothing written), and the whole export streamed to a sink that discards it, with its peak RSS. MONGODB_URI is used
 * instead when set.
 *
 *   node --import tsx bench/registers-db.bench.ts
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import mongoose from 'mongoose';
import { connectionOptions } from '../src/db/connect.js';
import { startEmbeddedDatabase } from '../src/db/embedded.js';
import type { BenchRow } from './types.js';

const SELF = fileURLToPath(import.meta.url);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const COUNT = Number(process.env.ITAKU_BENCH_REGISTER_ROWS ?? 10_000);
const DEPARTMENTS = 20;
const PEOPLE = 400;
const VENDORS = 200;
const round = (n: number, digits = 1): number => Number(n.toFixed(digits));
const mb = (bytes: number): number => round(bytes / 1024 / 1024);

/** Ids that sort like ObjectIds and can be built again in the child. */
const oid = (prefix: number, i: number): string => `${prefix.toString(16).padStart(2, '0')}${i.toString(16).padStart(22, '0')}`;

/**
 * Departments, people, vendors and COUNT engagements, inserted in bulk with the shape the stores write, each
 * engagement with the revision its creation leaves (so the revisions collection is as large as in real use).
 */
export async function seed(): Promise<void> {
  const { derive } = await import('../src/records/derive.js');
  const { newSubjectBase } = await import('../src/records/base.js');
  const { DepartmentModel, PersonModel } = await import('../src/org/index.js');
  const { VendorModel } = await import('../src/vendors/vendor.model.js');
  const { EngagementModel } = await import('../src/engagements/engagement.model.js');
  const { RevisionModel } = await import('../src/db/revision.model.js');
  const now = new Date();
  const book = { version: 1, createdAt: now, updatedAt: now, archivedAt: null };
  const names = ['情報政策課', '市民課', '税務課', '福祉総務課', '子育て支援課'];
  await DepartmentModel.collection.insertMany(
    Array.from({ length: DEPARTMENTS }, (_, i) => ({ _id: oid(1, i), ...book, code: `D${i}`, name: `${names[i % names.length]}${i}`, active: true })) as never[],
  );
  await PersonModel.collection.insertMany(
    Array.from({ length: PEOPLE }, (_, i) => ({
      _id: oid(2, i), ...book, name: `職員 ${i}`, nameKana: '', title: '主事', departmentId: oid(1, i % DEPARTMENTS), email: '', phone: '', active: i % 50 !== 0, userId: null,
    })) as never[],
  );
  await VendorModel.collection.insertMany(
    Array.from({ length: VENDORS }, (_, i) => ({
      _id: oid(3, i), ...book, name: `株式会社テスト情報システム${i}`, nameKana: '', corporateNumber: null, country: 'JP', address: '東京都千代田区丸の内一丁目２番３号',
      contacts: [], certifications: [{ id: `c${i}`, type: 'isms', name: '', number: `IS ${i}`, scope: '', validUntil: '2027-03-31' }], note: '',
    })) as never[],
  );
  const ctx = { scheme: 'r6' as const, today: '2026-11-25', certificateExpiryDates: ['2027-03-31'] };
  const levels = ['3B', '2', '1'] as const;
  for (let start = 0; start < COUNT; start += 1000) {
    const docs = [];
    for (let i = start; i < Math.min(COUNT, start + 1000); i++) {
      const departmentId = oid(1, i % DEPARTMENTS);
      const level = levels[i % 3]!;
      const draft = {
        ...newSubjectBase('engagement', departmentId, '2026-04-01'),
        kind: 'engagement' as const,
        title: `住民情報システム運用保守業務委託（第${i}号）`,
        vendorId: oid(3, i % VENDORS),
        contractNumber: `R8-情-${String(i).padStart(6, '0')}`,
        period: { start: '2026-04-01', end: '2027-03-31' },
        description: '',
        informationAssets: [{ name: '住民データ', confidentiality: { level, rank: (level === '3B' ? 3 : Number(level)) as 1 | 2 | 3 }, integrity: 1 as const, availability: 1 as const, personalData: i % 2 === 0, myNumber: i % 7 === 0 }],
        segment: (['mynumber', 'lgwan', 'internet'] as const)[i % 3]!,
        placement: null,
        systemWork: i % 2 === 0,
        workLocation: null,
        remoteAccess: false,
        responsiblePersonId: oid(2, i % PEOPLE),
        administratorId: null,
        vendorOperatesSns: false,
        usesTermsOrGenerativeAi: false,
        criticalDependency: false,
        subcontractors: i % 3 === 0 ? [{ id: `s${i}`, vendorId: null, name: '株式会社再委託', location: '東京都', scope: '運用', dataHandled: '', approved: true, approvedOn: '2026-04-01' }] : [],
        endOfContract: null,
        lastDecision: i % 4 === 0 ? { date: '2026-05-01', result: 'conditional' as const, openConditionDueDates: ['2026-12-01'], assessmentId: null } : null,
      };
      docs.push({ _id: oid(4, i), ...book, ...derive(draft, null, ctx) });
    }
    await EngagementModel.collection.insertMany(docs as never[]);
    await RevisionModel.collection.insertMany(
      docs.map((d) => ({ _id: `engagement:${d._id}:1`, entity: 'engagement', entityId: d._id, version: 1, at: now, actor: { kind: 'system', id: 'bench' }, action: 'engagement.create', image: d, after: d, pending: false })) as never[],
    );
  }
}

/** Counts and drops what it is given. */
function discard(): Writable {
  return new Writable({ write: (_chunk, _enc, cb) => cb() });
}

/** In a child: one measurement, printed as JSON. */
async function child(mode: 'read' | 'export', uri: string, dbName: string): Promise<void> {
  await mongoose.connect(uri, { ...connectionOptions, dbName });
  const { loadRegisterLayouts } = await import('../src/documents/index.js');
  const { registerFilter } = await import('../src/documents/register-query.js');
  const { registerRows } = await import('../src/documents/register-rows.js');
  const { prepareRegisterExport } = await import('../src/documents/register-export.js');
  const layout = loadRegisterLayouts([ROOT]).get('engagements')!;
  const query = { archived: 'exclude' as const, sort: 'title', days: 30 };
  (globalThis as { gc?: () => void }).gc?.();
  const baseline = process.memoryUsage().rss;
  const started = performance.now();
  let rows = 0;
  if (mode === 'read') {
    const { filter, sort } = await registerFilter('engagements', query, null);
    const source = await registerRows('engagements', filter, sort, { today: '2026-11-25', dormancyDays: 90, department: null });
    for await (const _row of source.rows) rows++;
  } else {
    const exported = await prepareRegisterExport({ actor: { kind: 'system', id: 'bench' } }, layout, query, null, '2026-11-25');
    rows = (await exported.write(discard())).rows;
  }
  const ms = performance.now() - started;
  const peak = process.resourceUsage().maxRSS * 1024;
  await mongoose.disconnect();
  process.stdout.write(JSON.stringify({ ms, rows, peakIncrease: Math.max(0, peak - baseline), peak }));
}

function measure(mode: 'read' | 'export', uri: string, dbName: string): { ms: number; rows: number; peakIncrease: number; peak: number } {
  const result = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', SELF, '--child', mode, uri, dbName], { encoding: 'utf8', timeout: 600_000, cwd: ROOT });
  if (result.status !== 0) throw new Error(`bench child ${mode} failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as { ms: number; rows: number; peakIncrease: number; peak: number };
}

/** The figures for `npm run bench`. */
export async function run(): Promise<BenchRow[]> {
  let uri = process.env.MONGODB_URI;
  const dbName = `bench_registers_${process.pid}`;
  let stop = async (): Promise<void> => undefined;
  if (!uri) {
    const dir = fs.mkdtempSync(path.join(fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'itaku-bench-registers-'));
    const db = await startEmbeddedDatabase({ dir, log: () => undefined });
    uri = `${db.uri}/?directConnection=true`;
    stop = async () => {
      await db.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    };
  }
  try {
    await mongoose.connect(uri, { ...connectionOptions, dbName });
    const { prepareDatabase } = await import('../src/db/prepare.js');
    await prepareDatabase();
    let t = performance.now();
    await seed();
    const seeded = performance.now() - t;
    await mongoose.disconnect();
    const read = measure('read', uri, dbName);
    const whole = measure('export', uri, dbName);
    if (read.rows !== COUNT || whole.rows !== COUNT) throw new Error(`expected ${COUNT} rows, read ${read.rows}, exported ${whole.rows}`);
    const label = `engagements register, ${COUNT.toLocaleString('en-US')} rows`;
    return [
      { area: 'registers-db', measure: `seed ${COUNT.toLocaleString('en-US')} engagements (bulk insert)`, value: round(seeded, 0), unit: 'ms' },
      { area: 'registers-db', measure: `${label}: database read (rows mapped, not written)`, value: round(read.ms, 0), unit: 'ms' },
      { area: 'registers-db', measure: `${label}: database read peak RSS increase`, value: mb(read.peakIncrease), unit: 'MB' },
      { area: 'registers-db', measure: `${label}: total export time`, value: round(whole.ms, 0), unit: 'ms', note: 'read + xlsx to a discarding sink' },
      { area: 'registers-db', measure: `${label}: export peak RSS`, value: mb(whole.peak), unit: 'MB', note: `increase ${mb(whole.peakIncrease)} MB over the connected process` },
    ];
  } finally {
    if (process.env.MONGODB_URI) {
      if (mongoose.connection.readyState === 0) await mongoose.connect(uri, { ...connectionOptions, dbName });
      await mongoose.connection.db?.dropDatabase().catch(() => undefined);
    }
    await mongoose.disconnect();
    await stop();
  }
}

if (process.argv[1] === SELF) {
  const at = process.argv.indexOf('--child');
  if (at >= 0) {
    await child(process.argv[at + 1] as 'read' | 'export', process.argv[at + 2]!, process.argv[at + 3]!);
  } else {
    for (const r of await run()) console.log(`${r.measure.padEnd(70)} ${String(r.value).padStart(9)} ${r.unit}${r.note ? `   (${r.note})` : ''}`);
  }
}

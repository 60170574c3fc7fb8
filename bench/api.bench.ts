/**
 * API benchmark: throughput and latency of two staff reads through the whole application, beside a bare endpoint in
 * the same process that does the same database work without the application around it.
 *
 *   route  GET /api/v1/cloud-services?limit=50   and   GET /api/v1/assessments/:id
 *          the real app (createApp) with a bearer token of a security officer (sees every department), on 127.0.0.1.
 *   bare   a separate tiny express app in this process, on another 127.0.0.1 port, with no middleware at all:
 *          /bare/cloud-services   the list route's same filter (subjectListFilter of an empty query + archivedAt: null),
 *                                 its same find (default sort updatedAt desc, _id; skip 0, limit 50, lean) and its
 *                                 same countDocuments, both at once; answers the raw documents as JSON.
 *          /bare/assessments/:id  the detail route's same reads: assessmentStore.get, then answers, evidence and reviews
 *                                 (answersFor, evidenceOf, reviewsOf) at once; answers them raw as JSON.
 *          No authentication, no validation, no roll-forward of the list page, no presentation (lookups of vendors,
 *          people, departments and settings; applicability of the questions; shaping of the view).
 *
 * Load: bench/load.ts, a hand-written keep-alive generator in a worker thread (no extra dependency) — N clients, each
 * sending its next request when the previous answer is read, for a fixed time; requests in flight then finish. Bare
 * and route run alternately in short slices (ROUNDS each, after a short warm-up) so a burst of load from elsewhere on
 * the machine falls on both. The list uses one client: one list request already keeps both cores busy in FerretDB
 * (find and count run side by side, each decoding every stored record), so more clients would only queue. The detail
 * (many small reads) uses four. At 10,000 a list request takes seconds: no warm-up, to stay in the time budget, and
 * its percentiles come from a handful of requests (one a slice), which the rows say. Latency percentiles are over
 * every request of all slices; the ratio is route req/s ÷ bare req/s (target ≥ 70 %). Each slice also reports the CPU
 * per request of the database and of the server's main thread (from /proc), and how much of the machine other
 * processes took meanwhile (others' test runs share this 2-core machine: a BUSY figure is worth repeating).
 * The clients spread over made-up X-Forwarded-For addresses through a trusted loopback proxy (TRUST_PROXY=loopback),
 * so /api's per-address ceiling of 1,200 a minute does not turn the run into 429s; every connection is to 127.0.0.1.
 *
 * Data: a world of departments, users, vendors and people (test/helpers), one cloud service assessed with the shipped
 * cloud-service template and answered in full through the vendor API (evidence included), then cloud services
 * bulk-seeded to 1,000 and to 10,000. Bulk-seeded records are built like makeCloudService builds them (the real
 * buildCloudService, a few prototypes over ten vendors and people and two departments), then inserted through the
 * model's collection at version 1 with no revision — readers only look for writes in progress, so the rest of the app
 * sees ordinary records. Besides the endpoints, each scale reports one-at-a-time `_id` lookups (the stock FerretDB
 * 1.24.2 scanned for those; the embedded build's patch makes them index lookups) and the bearer check alone (what a token cache could save).
 *
 * Needs a database: MONGODB_URI, or the embedded FerretDB started here under /dev/shm (tmpfs) when it exists.
 * Standalone: `node --import tsx bench/api.bench.ts`. ITAKU_BENCH_API_SLICE (seconds, default 2),
 * ITAKU_BENCH_API_ROUNDS (default 2), ITAKU_BENCH_API_CONNECTIONS (detail, default 4),
 * ITAKU_BENCH_API_LIST_CONNECTIONS (default 1); ITAKU_BENCH_PROFILE=1 prints the database commands (bench/database.ts).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import express, { type Express } from 'express';
import mongoose from 'mongoose';
import request from 'supertest';
import { createApp } from '../src/app.js';
import { createLogger } from '../src/logger.js';
import type { NewRecord } from '../src/db/versioned.js';
import { buildCloudService, CloudServiceModel, type CloudService } from '../src/cloud-services/index.js';
import { CreateCloudService } from '../src/cloud-services/cloud-services.schemas.js';
import { SUBJECT_SORTS, SubjectListQuery, subjectListFilter } from '../src/records/list-filters.js';
import { assessmentStore } from '../src/assessments/assessment.model.js';
import { answersFor } from '../src/assessments/answers.model.js';
import { evidenceOf } from '../src/assessments/evidence.js';
import { reviewsOf } from '../src/assessments/review.js';
import { resolveAccessToken } from '../src/auth/tokens.js';
import { userStore } from '../src/auth/user.model.js';
import { toAuthUser } from '../src/auth/session.js';
import { answerEverything, cloudServiceC2, issue, makeWorld } from '../test/helpers/assessments.js';
import { makePerson, makeVendor } from '../test/helpers/records.js';
import { benchConfig, openBenchDatabase, resetProfile } from './database.js';
import { combine, load, MachineLoad, percentile, unexpected, type LoadResult } from './load.js';
import type { BenchRow } from './types.js';

const SLICE = Number(process.env.ITAKU_BENCH_API_SLICE ?? 2);
const ROUNDS = Number(process.env.ITAKU_BENCH_API_ROUNDS ?? 2);
const CONNECTIONS = Number(process.env.ITAKU_BENCH_API_CONNECTIONS ?? 4);
const LIST_CONNECTIONS = Number(process.env.ITAKU_BENCH_API_LIST_CONNECTIONS ?? 1);
const SCALES = [1_000, 10_000];
const PROTOTYPES = 10;
const AREA = 'api';

const progress = (line: string) => process.stderr.write(`  api: ${line}\n`);
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

function listen(app: Express): Promise<http.Server> {
  return new Promise((resolve, reject) => {
    const server = http.createServer(app);
    server.keepAliveTimeout = 30_000;
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

const portOf = (s: http.Server) => (s.address() as AddressInfo).port;

function closeServer(s: http.Server): Promise<void> {
  s.closeAllConnections();
  return new Promise((resolve) => s.close(() => resolve()));
}

/** Server-side times of the bare list's find and count (ms), for the report; reset before each measurement. */
const bareTimes = { find: [] as number[], count: [] as number[] };

/** The bare endpoints: the routes' own database work, nothing else (see the header). */
function bareApp(): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.get('/bare/cloud-services', async (_req, res) => {
    const filter: Record<string, unknown> = { ...(await subjectListFilter('cloudService', SubjectListQuery.parse({}))), archivedAt: null };
    const timed = async <T>(into: number[], p: PromiseLike<T>): Promise<T> => {
      const t = performance.now();
      const out = await p;
      into.push(performance.now() - t);
      return out;
    };
    const [docs, total] = await Promise.all([
      timed(bareTimes.find, CloudServiceModel.find(filter).sort({ ...SUBJECT_SORTS.updated, _id: 1 }).skip(0).limit(50).lean()),
      timed(bareTimes.count, CloudServiceModel.countDocuments(filter)),
    ]);
    res.json({ items: docs, total, page: 1, limit: 50 });
  });
  app.get('/bare/assessments/:id', async (req, res) => {
    const a = await assessmentStore.get(req.params.id);
    if (!a) {
      res.status(404).end();
      return;
    }
    const [answers, files, reviews] = await Promise.all([answersFor(a), evidenceOf(a._id), reviewsOf(a)]);
    res.json({ ...a, answers, files, reviews });
  });
  return app;
}

/** A few cloud services built the way makeCloudService builds them, over several vendors, people and departments. */
async function prototypes(deptIds: string[], vendorIds: string[], personIds: string[]): Promise<NewRecord<CloudService>[]> {
  const out: NewRecord<CloudService>[] = [];
  for (let i = 0; i < PROTOTYPES; i++) {
    const input = CreateCloudService.parse({
      name: `ベンチサービス原型${i}`,
      departmentId: deptIds[i % deptIds.length],
      providerVendorId: vendorIds[i % vendorIds.length],
      administratorId: personIds[i % personIds.length],
      serviceModel: (['saas', 'paas', 'iaas'] as const)[i % 3],
      contractType: i % 4 === 3 ? 'terms' : 'individual',
      purpose: '住民向け手続のオンライン受付',
      dataLocations: { data: ['JP'], backups: ['JP'], logs: i % 5 === 0 ? ['US'] : ['JP'], note: '東京・大阪リージョン' },
      informationAssets:
        i % 2 === 0 ? [{ name: '住民からの問合せ記録', confidentiality: '2', integrity: 1, availability: 1, personalData: true, myNumber: false }] : [],
    });
    out.push(await buildCloudService(input, null));
  }
  return out;
}

type Seeded = NewRecord<CloudService> & { _id: string; version: number; createdAt: Date; updatedAt: Date; archivedAt: null };

/** Inserts cloud services until there are `target` (`seeded` gets those inserted), at version 1, without revisions. */
async function seedCloudServices(target: number, protos: NewRecord<CloudService>[], seeded: Seeded[], already: number): Promise<number> {
  const t = performance.now();
  const base = Date.now() - 86_400_000;
  for (let from = already + seeded.length; from < target; from += 1000) {
    const batch: Seeded[] = [];
    for (let i = from; i < Math.min(target, from + 1000); i++) {
      const at = new Date(base - i * 37_000);
      batch.push({ ...structuredClone(protos[i % protos.length]!), _id: new mongoose.Types.ObjectId().toHexString(), name: `ベンチサービス${String(i).padStart(5, '0')}`, version: 1, createdAt: at, updatedAt: at, archivedAt: null });
    }
    await CloudServiceModel.collection.insertMany(batch as never[], { ordered: true });
    seeded.push(...batch);
  }
  return performance.now() - t;
}

interface Pair {
  label: string;
  route: string;
  bare: string;
  connections: number;
  /** Seconds per request at the larger scale: no warm-up there, to stay within the time budget. */
  heavy: boolean;
}

interface Cpu {
  main: number;
  helpers: number;
}

interface Measured {
  route: LoadResult;
  bare: LoadResult;
  routeCpu: Cpu;
  bareCpu: Cpu;
  othersShare: number;
  find: number[];
  count: number[];
}

let nextAddress = 1;

async function slice(port: number, path: string, headers: Record<string, string>, seconds: number, connections: number): Promise<LoadResult> {
  const r = await load({
    port,
    seconds,
    cycle: true,
    expectStatus: 200,
    clients: Array.from({ length: connections }, () => ({ headers, requests: [{ method: 'GET' as const, path }] })),
    spreadAddresses: { first: nextAddress, perAddress: 1000 },
  });
  nextAddress += r.addressesUsed;
  return r;
}

/** Warm-up of both (unless told not to), then `rounds` alternating slices of bare and route. */
async function measure(appPort: number, barePort: number, bearer: string, pair: Pair, rounds: number, warmUp: boolean, pids: number[]): Promise<Measured> {
  const auth = { authorization: bearer };
  if (warmUp) {
    await slice(barePort, pair.bare, {}, 0.5, pair.connections);
    await slice(appPort, pair.route, auth, 0.5, pair.connections);
  }
  bareTimes.find = [];
  bareTimes.count = [];
  const machine = new MachineLoad(pids);
  const bare: LoadResult[] = [];
  const route: LoadResult[] = [];
  const bareCpu = { main: 0, helpers: 0 };
  const routeCpu = { main: 0, helpers: 0 };
  const metered = async (into: Cpu, run: () => Promise<LoadResult>) => {
    const m = new MachineLoad(pids);
    const result = await run();
    const used = m.used();
    into.main += used.main;
    into.helpers += used.helpers;
    return result;
  };
  for (let r = 0; r < rounds; r++) {
    bare.push(await metered(bareCpu, () => slice(barePort, pair.bare, {}, SLICE, pair.connections)));
    route.push(await metered(routeCpu, () => slice(appPort, pair.route, auth, SLICE, pair.connections)));
  }
  return { bare: combine(bare), route: combine(route), bareCpu, routeCpu, othersShare: machine.othersShare(), find: bareTimes.find, count: bareTimes.count };
}

function rowsOf(at: string, pair: Pair, m: Measured): BenchRow[] {
  const rps = (r: LoadResult) => r.requests / r.seconds;
  const ratio = rps(m.route) / rps(m.bare);
  const bad = [unexpected(m.route, 200) && `route: ${unexpected(m.route, 200)}`, unexpected(m.bare, 200) && `bare: ${unexpected(m.bare, 200)}`].filter(Boolean).join('; ');
  const busy = Number.isFinite(m.othersShare) ? `others used ${Math.round(m.othersShare * 100)} % of the CPU${m.othersShare > 0.25 ? ' — BUSY, repeat' : ''}` : '';
  const note = [bad && `NON-200 ANSWERS ${bad}`, busy].filter(Boolean).join('; ');
  const few = (r: LoadResult) => (r.requests < 100 ? `only ${r.requests} requests: the slowest of them` : '');
  const cpu = (c: Cpu, r: LoadResult) =>
    Number.isFinite(c.helpers) ? `; CPU per request: database ${round((c.helpers * 1000) / r.requests, 0)} ms, server thread ${round((c.main * 1000) / r.requests, 0)} ms` : '';
  const split = m.find.length ? `; in the database: find p50 ${round(percentile(m.find, 0.5), 0)} ms, count p50 ${round(percentile(m.count, 0.5), 0)} ms, side by side` : '';
  return [
    { area: AREA, measure: `${at}: ${pair.label} — route`, value: round(rps(m.route)), unit: 'req/s', note: `${pair.connections} connection${pair.connections > 1 ? 's' : ''}, ${m.route.requests} requests in ${round(m.route.seconds)} s${cpu(m.routeCpu, m.route)}${note ? `; ${note}` : ''}` },
    { area: AREA, measure: `${at}: ${pair.label} — route p50`, value: round(percentile(m.route.latenciesMs, 0.5)), unit: 'ms' },
    { area: AREA, measure: `${at}: ${pair.label} — route p99`, value: round(percentile(m.route.latenciesMs, 0.99)), unit: 'ms', note: few(m.route) },
    { area: AREA, measure: `${at}: ${pair.label} — bare`, value: round(rps(m.bare)), unit: 'req/s', note: `${m.bare.requests} requests in ${round(m.bare.seconds)} s${cpu(m.bareCpu, m.bare)}${split}` },
    { area: AREA, measure: `${at}: ${pair.label} — bare p50`, value: round(percentile(m.bare.latenciesMs, 0.5)), unit: 'ms' },
    { area: AREA, measure: `${at}: ${pair.label} — bare p99`, value: round(percentile(m.bare.latenciesMs, 0.99)), unit: 'ms', note: few(m.bare) },
    { area: AREA, measure: `${at}: ${pair.label} — route ÷ bare`, value: round(ratio * 100, 0), unit: '%', note: `req/s; target ≥ 70 %${ratio < 0.7 ? ' — BELOW TARGET' : ''}` },
  ];
}

const median = async (n: number, fn: (i: number) => Promise<unknown>): Promise<number> => {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    xs.push(performance.now() - t);
  }
  return percentile(xs, 0.5);
};

/**
 * One-at-a-time reads at this state of the database (no HTTP): `_id` lookups in cloud_services (a record at a random
 * position; an absent id — on FerretDB 1.24 both read through the table's JSON up to the match), and the bearer check
 * of every API request (resolveAccessToken, then the user and the settings, as bearerAuthentication does).
 */
async function lookups(at: string, ids: string[], bearer: string): Promise<BenchRow[]> {
  const pick = (i: number) => ids[(i * 7919) % ids.length]!;
  const hit = await median(20, (i) => CloudServiceModel.findById(pick(i)).lean());
  const miss = await median(5, () => CloudServiceModel.findById(new mongoose.Types.ObjectId().toHexString()).lean());
  const first = await median(20, () => CloudServiceModel.findById(ids[0]!).lean());
  const token = bearer.replace(/^Bearer /, '');
  const auth = await median(50, async () => {
    const record = await resolveAccessToken(token);
    if (!record || !(await toAuthUser(await userStore.get(record.userId)))) throw new Error('the bench token does not resolve');
  });
  return [
    {
      area: AREA,
      measure: `${at}: findById in cloud_services, a record at a random position, median of 20`,
      value: round(hit, 2),
      unit: 'ms',
      note: `the first record stored ${round(first, 2)} ms; an absent id ${round(miss, 2)} ms (median of 5): ${miss < first * 10 ? 'the _id index is used' : 'a scan, not an index (an unpatched FerretDB?)'}`,
    },
    { area: AREA, measure: `${at}: bearer check (token, user and settings reads), median of 50`, value: round(auth, 2), unit: 'ms', note: 'direct, one at a time: what a token cache would save per request' },
  ];
}

export async function run(): Promise<BenchRow[]> {
  const loadAtStart = MachineLoad.loadavg();
  const started = performance.now();
  const db = await openBenchDatabase('api');
  const servers: http.Server[] = [];
  try {
    const config = benchConfig();
    const app = createApp({ config, logger: createLogger('silent') });
    progress('database and app ready; building the world');

    // The world, and one assessment answered in full through the vendor API.
    const w = await makeWorld();
    const service = await cloudServiceC2(w);
    const issued = await issue(app, w.procurement, { kind: 'cloudService', id: service._id }, 'cloud-service');
    if (issued.status !== 201) throw new Error(`issue: ${issued.status} ${issued.text}`);
    const assessmentId = issued.body.id as string;
    const link = await request(app).post(`/api/v1/assessments/${assessmentId}/link`).set('Authorization', w.procurement.bearer).send({});
    if (link.status !== 201) throw new Error(`link: ${link.status} ${link.text}`);
    progress('answering the assessment through the vendor API');
    const answered = await answerEverything(app, link.body.token as string);

    const vendorIds = [w.vendorId, ...(await Promise.all(Array.from({ length: PROTOTYPES - 1 }, () => makeVendor()))).map((v) => v._id)];
    const personIds = [w.personId];
    for (let i = 1; i < PROTOTYPES; i++) personIds.push((await makePerson(i % 2 ? w.otherDeptId : w.deptId))._id);
    const protos = await prototypes([w.deptId, w.otherDeptId], vendorIds, personIds);

    const appServer = await listen(app);
    const bareServer = await listen(bareApp());
    servers.push(appServer, bareServer);
    const pairs: Pair[] = [
      // The list is CPU-bound in FerretDB (it decodes every stored document for the sort and again for the count, side
      // by side): one client already keeps both cores busy, more would only queue. The detail is many small `_id` reads.
      { label: 'GET /api/v1/cloud-services?limit=50', route: '/api/v1/cloud-services?limit=50', bare: '/bare/cloud-services', connections: LIST_CONNECTIONS, heavy: true },
      { label: `GET /api/v1/assessments/:id (${answered} answers)`, route: `/api/v1/assessments/${assessmentId}`, bare: `/bare/assessments/${assessmentId}`, connections: CONNECTIONS, heavy: false },
    ];

    const rows: BenchRow[] = [];
    const setupMs = performance.now() - started;
    const already = await CloudServiceModel.countDocuments({});
    const seeded: Seeded[] = [];
    const ports = [portOf(appServer), portOf(bareServer)] as const;
    resetProfile();
    for (const scale of SCALES) {
      const at = `${scale.toLocaleString('en')} services`;
      progress(`seeding to ${scale}`);
      const seedMs = await seedCloudServices(scale, protos, seeded, already);
      rows.push({ area: AREA, measure: `seed cloud services to ${scale.toLocaleString('en')} (insertMany, batches of 1,000)`, value: round(seedMs, 0), unit: 'ms' });
      rows.push(...(await lookups(at, seeded.map((d) => d._id), w.officer.bearer)));
      for (const pair of pairs) {
        progress(`measuring ${pair.label} at ${scale}`);
        const big = pair.heavy && scale >= 10_000; // seconds a request: no warm-up
        rows.push(...rowsOf(at, pair, await measure(...ports, w.officer.bearer, pair, ROUNDS, !big, db.pids)));
      }
    }
    rows.push({
      area: AREA,
      measure: 'machine: 1-minute load average at start / at end',
      value: round(loadAtStart, 2),
      unit: '',
      note: `at end ${round(MachineLoad.loadavg(), 2)} on ${os.cpus().length} cores; setup ${round(setupMs / 1000)} s; hand-written keep-alive load generator (bench/load.ts) in a worker thread`,
    });
    return rows;
  } finally {
    for (const s of servers) await closeServer(s);
    await db.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const row of await run()) console.log(`${row.area}\t${row.measure}\t${row.value} ${row.unit}${row.note ? `\t(${row.note})` : ''}`);
}

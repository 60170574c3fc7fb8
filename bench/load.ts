/**
 * A small keep-alive HTTP load generator for the benchmarks, on loopback only (127.0.0.1). It runs in a worker thread
 * (plain JavaScript, no TypeScript loader needed), so the clients' own parsing and bookkeeping do not sit on the event
 * loop of the server under test, which stays on the main thread of the same process.
 *
 * Each client is one keep-alive connection that sends its requests one after another (the next only after the previous
 * answer has been read in full). With `cycle`, each client repeats its requests until `seconds` are up; without, it
 * sends its list once, stopping early if `seconds` are up first. Requests in flight at the deadline finish. Either way
 * the run stops by itself, and a hard timeout terminates the worker if something hangs.
 *
 * `spreadAddresses` sends `X-Forwarded-For` with a fresh made-up address for every `perAddress` requests of a client
 * (the app must trust a loopback proxy: TRUST_PROXY=loopback). That is what a reverse proxy in front of the service
 * does for many real clients; it keeps /api's per-address ceiling (1,200 a minute) from turning one benchmark client
 * into a wall of 429s. Only the header carries the address: every connection goes to 127.0.0.1.
 */
import os from 'node:os';
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';

export interface LoadRequest {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  path: string;
  body?: unknown;
}

export interface LoadClient {
  headers?: Record<string, string>;
  requests: LoadRequest[];
}

export interface LoadOptions {
  port: number;
  clients: LoadClient[];
  /** Repeat each client's requests until `seconds` are up (else each list is sent once). */
  cycle?: boolean;
  /** No request starts after this many seconds (required with `cycle`). */
  seconds?: number;
  /** Called every few seconds with the number of answers so far. */
  onProgress?: (done: number) => void;
  /** Status every answer should have; others are counted and a few are kept as samples. */
  expectStatus?: number;
  spreadAddresses?: { first: number; perAddress: number };
  /**
   * Seconds after `seconds` to wait for requests in flight; those still unanswered are then given up (reported as
   * `unfinished`, their sockets closed — the server may still be working on them). Default: wait for all.
   */
  graceSeconds?: number;
  keepStatuses?: boolean;
  /** Hard stop for the whole run (default: seconds + 120, or 600 without seconds). */
  timeoutSeconds?: number;
}

export interface LoadResult {
  requests: number;
  /** Wall time from the first request to the last answer. */
  seconds: number;
  latenciesMs: Float64Array;
  statuses: Record<string, number>;
  /** Up to five unexpected answers, for the report. */
  samples: string[];
  /** How many made-up addresses were used (so the next run can start after them). */
  addressesUsed: number;
  /** Requests answered, per client (in the order of `clients`). */
  perClient: number[];
  /** Requests still unanswered when the grace period ended (counted in `requests`, with the time waited so far). */
  unfinished: number;
  /** With `keepStatuses`: each client's statuses in order, 'unfinished' last where one was cut off. */
  statusLists?: string[][];
  /** With `keepStatuses`: each client's latencies (ms) in the same order. */
  latencyLists?: number[][];
}

const WORKER = String.raw`
const http = require('node:http');
const { parentPort, workerData: w } = require('node:worker_threads');
const agent = new http.Agent({ keepAlive: true, maxSockets: w.clients.length, maxFreeSockets: w.clients.length });
const first = w.spread ? w.spread.first : 0;
let nextAddress = first;
const addressOf = (n) => '10.' + ((n >> 16) & 255) + '.' + ((n >> 8) & 255) + '.' + (n & 255);
function send(method, path, headers, body) {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const h = Object.assign({ accept: 'application/json' }, headers);
    if (payload) { h['content-type'] = 'application/json'; h['content-length'] = String(payload.length); }
    const req = http.request({ host: '127.0.0.1', port: w.port, method, path, headers: h, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: String(res.statusCode), body: Buffer.concat(chunks) }));
      res.on('error', (e) => resolve({ status: 'error', body: Buffer.from(String(e)) }));
    });
    req.on('error', (e) => resolve({ status: 'error ' + (e.code || ''), body: Buffer.from(String(e)) }));
    req.end(payload);
  });
}
(async () => {
  const latencies = [];
  const statuses = {};
  const samples = [];
  const started = performance.now();
  const deadline = w.seconds ? started + w.seconds * 1000 : Infinity;
  const ticker = setInterval(() => parentPort.postMessage({ progress: latencies.length }), 5000);
  const perClient = w.clients.map(() => 0);
  const statusLists = w.clients.map(() => []);
  const latencyLists = w.clients.map(() => []);
  const inFlightSince = w.clients.map(() => null);
  let stopped = false;
  async function client(c, k) {
    let address = w.spread ? nextAddress++ : -1;
    let used = 0;
    const n = c.requests.length;
    for (let i = 0; (w.cycle || i < n) && performance.now() < deadline && !stopped; i++) {
      const r = c.requests[i % n];
      const headers = Object.assign({}, c.headers);
      if (w.spread) {
        if (used === w.spread.perAddress) { address = nextAddress++; used = 0; }
        used++;
        headers['x-forwarded-for'] = addressOf(address);
      }
      const t = performance.now();
      inFlightSince[k] = t;
      const res = await send(r.method, r.path, headers, r.body);
      if (stopped) return; // already counted as unfinished
      inFlightSince[k] = null;
      const ms = performance.now() - t;
      latencies.push(ms);
      perClient[k]++;
      if (w.keepStatuses) { statusLists[k].push(res.status); latencyLists[k].push(ms); }
      statuses[res.status] = (statuses[res.status] || 0) + 1;
      if (w.expect && res.status !== String(w.expect) && samples.length < 5) samples.push(r.method + ' ' + r.path + ' → ' + res.status + ' ' + res.body.toString('utf8').slice(0, 300));
    }
  }
  const all = Promise.all(w.clients.map((c, k) => client(c, k)));
  if (w.seconds && w.grace !== undefined) {
    let timer;
    await Promise.race([all, new Promise((resolve) => { timer = setTimeout(resolve, Math.max(0, deadline + w.grace * 1000 - performance.now())); })]);
    clearTimeout(timer);
  } else {
    await all;
  }
  // Requests still waiting for an answer past the grace period: counted as unfinished, with the time waited so far.
  stopped = true;
  const now = performance.now();
  let unfinished = 0;
  inFlightSince.forEach((t, k) => {
    if (t === null) return;
    unfinished++;
    latencies.push(now - t);
    if (w.keepStatuses) { statusLists[k].push('unfinished'); latencyLists[k].push(now - t); }
  });
  if (unfinished) statuses.unfinished = unfinished;
  const seconds = (now - started) / 1000;
  clearInterval(ticker);
  agent.destroy();
  parentPort.postMessage({ requests: latencies.length, seconds, latenciesMs: Float64Array.from(latencies), statuses, samples, addressesUsed: nextAddress - first, perClient, unfinished, statusLists: w.keepStatuses ? statusLists : undefined, latencyLists: w.keepStatuses ? latencyLists : undefined });
})().catch((err) => parentPort.postMessage({ failed: String(err && err.stack || err) }));
`;

export function load(opts: LoadOptions): Promise<LoadResult> {
  if (opts.cycle && !opts.seconds) throw new Error('a cycling load run needs seconds');
  const timeout = (opts.timeoutSeconds ?? (opts.seconds ? opts.seconds + 120 : 600)) * 1000;
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: {
        port: opts.port,
        clients: opts.clients,
        cycle: Boolean(opts.cycle),
        seconds: opts.seconds,
        grace: opts.graceSeconds,
        keepStatuses: Boolean(opts.keepStatuses),
        expect: opts.expectStatus,
        spread: opts.spreadAddresses,
      },
    });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`load run did not finish within ${timeout / 1000} s`));
    }, timeout);
    worker.on('message', (m: LoadResult | { failed: string } | { progress: number }) => {
      if ('progress' in m) {
        opts.onProgress?.(m.progress);
        return;
      }
      clearTimeout(timer);
      void worker.terminate();
      if ('failed' in m) reject(new Error(m.failed));
      else resolve(m);
    });
    worker.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** Nearest-rank percentile (q in 0..1) of unsorted values. */
export function percentile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Several runs' results as one (requests and time add up; latencies are pooled). */
export function combine(results: LoadResult[]): LoadResult {
  const statuses: Record<string, number> = {};
  for (const r of results) for (const [k, v] of Object.entries(r.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  const latencies = new Float64Array(results.reduce((n, r) => n + r.latenciesMs.length, 0));
  let at = 0;
  for (const r of results) {
    latencies.set(r.latenciesMs, at);
    at += r.latenciesMs.length;
  }
  return {
    requests: results.reduce((n, r) => n + r.requests, 0),
    seconds: results.reduce((n, r) => n + r.seconds, 0),
    latenciesMs: latencies,
    statuses,
    samples: results.flatMap((r) => r.samples).slice(0, 5),
    addressesUsed: results.reduce((n, r) => n + r.addressesUsed, 0),
    perClient: results.flatMap((r) => r.perClient),
    unfinished: results.reduce((n, r) => n + r.unfinished, 0),
  };
}

/** Answers other than the expected status, as "404×3, 429×1" (empty when none). */
export function unexpected(r: LoadResult, expected: number): string {
  return Object.entries(r.statuses)
    .filter(([k]) => k !== String(expected))
    .map(([k, v]) => `${k}×${v}`)
    .join(', ');
}

interface CpuSample {
  total: number;
  idle: number;
  /** This process, all threads (the load generator's worker included). */
  process: number;
  /** This process's main thread: the server's event loop. */
  main: number;
  /** The given helper processes (the database). */
  helpers: number;
}

function ticksOf(statFile: string): number {
  try {
    const f = fs.readFileSync(statFile, 'utf8');
    const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return Number(rest[11]) + Number(rest[12]); // utime + stime (fields 14 and 15)
  } catch {
    return 0; // gone
  }
}

/** Clock ticks per second of /proc figures (USER_HZ; 100 on Linux). */
const HZ = 100;

/**
 * How busy the machine is besides us, and how much CPU we and the database used, between construction and a reading:
 * from /proc (NaN where there is none). Other engineers' test runs share this 2-core machine; a figure taken while
 * they ran is worth repeating.
 */
export class MachineLoad {
  private readonly start: CpuSample | null;
  constructor(private readonly helperPids: number[]) {
    this.start = MachineLoad.sample(helperPids);
  }

  private static sample(pids: number[]): CpuSample | null {
    try {
      const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
      return {
        total: cpu.reduce((a, b) => a + b, 0),
        idle: (cpu[3] ?? 0) + (cpu[4] ?? 0),
        process: ticksOf(`/proc/${process.pid}/stat`),
        main: ticksOf(`/proc/${process.pid}/task/${process.pid}/stat`),
        helpers: pids.reduce((n, pid) => n + ticksOf(`/proc/${pid}/stat`), 0),
      };
    } catch {
      return null;
    }
  }

  /** Share of the machine's CPU used by other processes since construction (0..1). */
  othersShare(): number {
    const end = MachineLoad.sample(this.helperPids);
    if (!end || !this.start) return NaN;
    const total = end.total - this.start.total;
    if (total <= 0) return NaN;
    const busy = total - (end.idle - this.start.idle);
    return Math.max(0, busy - (end.process - this.start.process) - (end.helpers - this.start.helpers)) / total;
  }

  /** CPU seconds since construction: the server's main thread, and the helper processes (the database). */
  used(): { main: number; helpers: number } {
    const end = MachineLoad.sample(this.helperPids);
    if (!end || !this.start) return { main: NaN, helpers: NaN };
    return { main: (end.main - this.start.main) / HZ, helpers: (end.helpers - this.start.helpers) / HZ };
  }

  static loadavg(): number {
    return os.loadavg()[0]!;
  }
}

/**
 * A small pool of parse children (parse-worker.ts). Each child has a capped V8 heap, each parse a time limit and an
 * RSS watchdog; a child that dies or is killed is replaced on the next job, and the file that did it is refused. At
 * most `size` files parse at once and `maxQueue` wait; beyond that the service says it is busy instead of queueing
 * memory. STACK-NOTES: a worker thread's resourceLimits did not stop a crash of the whole process — a child does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../http/errors.js';
import type { FromChild, ParseOutcome, ToChild } from './plain.js';

export interface PoolOptions {
  size: number;
  maxQueue: number;
  timeoutMs: number;
  heapMb: number;
  /** Resident memory at which a parse is stopped (heap cap plus Buffers, code and stacks). */
  rssLimitBytes: number;
  /** A child is replaced after this many parses, so slow leaks in the parser cannot accumulate. */
  recycleAfter: number;
}

/** A 150-question workbook parses in ~0.1 s at ~40 MB of heap; these leave a wide margin and still stop a bomb in seconds. */
export const POOL_LIMITS: Readonly<PoolOptions> = Object.freeze({ size: 2, maxQueue: 8, timeoutMs: 6000, heapMb: 192, rssLimitBytes: 256 * 1024 * 1024, recycleAfter: 500 });

interface Job {
  data: Buffer;
  resolve: (o: ParseOutcome) => void;
  reject: (e: Error) => void;
}

interface Child {
  proc: ChildProcess;
  state: 'starting' | 'idle' | 'busy' | 'gone';
  job: Job | null;
  jobId: number;
  parses: number;
  timers: NodeJS.Timeout[];
}

const tooComplex = (message: string): ParseOutcome => ({ ok: false, code: 'workbook_too_complex', message, problems: [] });

function workerCommand(): string[] {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const js = path.join(here, 'parse-worker.js');
  // Compiled (dist/) runs the .js; under tsx (tests, `npm run cli`) the .ts through tsx's loader.
  return fs.existsSync(js) ? [js] : ['--import', import.meta.resolve('tsx'), path.join(here, 'parse-worker.ts')];
}

function rssOf(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    return Number(fs.readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * 4096;
  } catch {
    return null;
  }
}

export class ParsePool {
  private readonly children: Child[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  readonly stats = { started: 0, parses: 0, recycled: 0, restarts: 0, killed: 0, peakRssBytes: 0, startFailures: 0 };

  constructor(readonly options: Readonly<PoolOptions> = POOL_LIMITS) {}

  /** Parses in a child; refusals (including a child that died or ran out of time) come back as `ok: false`. */
  parse(data: Buffer): Promise<ParseOutcome> {
    if (this.closed) return Promise.reject(new Error('parse pool closed'));
    const waiting = this.queue.length + this.children.filter((c) => c.state !== 'idle').length - this.options.size;
    if (waiting >= this.options.maxQueue) {
      return Promise.reject(new AppError('workbook_busy', 'ただいまワークブックの取込みが混み合っています。しばらくしてから再度お試しください。', 503, undefined, { retryAfter: 10 }));
    }
    return new Promise<ParseOutcome>((resolve, reject) => {
      this.queue.push({ data, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('parse pool closed'));
    await Promise.all(this.children.map((c) => this.kill(c)));
  }

  /** Pids of the live children (tests check a hostile file did not leave one behind). */
  pids(): number[] {
    return this.children.map((c) => c.proc.pid!).filter(Boolean);
  }

  private pump(): void {
    while (this.queue.length) {
      const idle = this.children.find((c) => c.state === 'idle');
      if (idle) {
        this.run(idle, this.queue.shift()!);
        continue;
      }
      if (this.children.length < this.options.size) this.start();
      break;
    }
  }

  private start(): void {
    const proc = spawn(process.execPath, [`--max-old-space-size=${this.options.heapMb}`, ...workerCommand()], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
      // The child needs no secrets and no database: it gets none of the service's environment.
      env: { PATH: process.env.PATH ?? '', NODE_ENV: process.env.NODE_ENV ?? 'production' },
    });
    const child: Child = { proc, state: 'starting', job: null, jobId: 0, parses: 0, timers: [] };
    this.stats.started++;
    this.children.push(child);
    let stderr = '';
    proc.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    proc.on('message', (m: FromChild) => this.onMessage(child, m));
    // A failed spawn may report only 'error': treat it as an exit.
    proc.on('error', () => this.onExit(child, null, null, stderr));
    proc.on('exit', (code, signal) => this.onExit(child, code, signal, stderr));
    this.hold(child, true);
  }

  /** The pool never keeps the service alive by itself: handles are referenced only while a child has work. */
  private hold(child: Child, busy: boolean): void {
    const channel = child.proc.channel as { ref?: () => void; unref?: () => void } | undefined;
    if (busy) {
      child.proc.ref();
      channel?.ref?.();
    } else {
      child.proc.unref();
      channel?.unref?.();
      (child.proc.stderr as net.Socket | null)?.unref?.();
    }
  }

  private run(child: Child, job: Job): void {
    child.state = 'busy';
    child.job = job;
    child.jobId = this.nextId++;
    this.hold(child, true);
    const message: ToChild = { type: 'parse', id: child.jobId, data: job.data };
    child.proc.send(message);
    child.timers.push(setTimeout(() => this.stop(child, tooComplex(`ワークブックを制限時間（${this.options.timeoutMs / 1000} 秒）内に読み取れませんでした。内容が大きすぎるか複雑すぎます。`)), this.options.timeoutMs));
    child.timers.push(
      setInterval(() => {
        const rss = rssOf(child.proc.pid);
        if (rss !== null) this.stats.peakRssBytes = Math.max(this.stats.peakRssBytes, Math.min(rss, this.options.rssLimitBytes));
        if (rss !== null && rss > this.options.rssLimitBytes) this.stop(child, tooComplex('ワークブックを読み取るのに必要なメモリが上限を超えました。内容が大きすぎるか複雑すぎます。'));
      }, 50),
    );
  }

  private finish(child: Child): Job | null {
    child.timers.forEach((t) => clearTimeout(t));
    child.timers = [];
    const job = child.job;
    child.job = null;
    return job;
  }

  private onMessage(child: Child, m: FromChild): void {
    if (m.type === 'ready') {
      child.state = 'idle';
      this.hold(child, false);
      this.pump();
      return;
    }
    if (m.type !== 'done' || m.id !== child.jobId || !child.job) return;
    const job = this.finish(child)!;
    this.stats.parses++;
    this.stats.peakRssBytes = Math.max(this.stats.peakRssBytes, m.maxRssBytes);
    child.parses++;
    child.state = 'idle';
    this.hold(child, false);
    job.resolve(m.outcome);
    if (child.parses >= this.options.recycleAfter) {
      this.stats.recycled++;
      void this.kill(child);
    }
    this.pump();
  }

  /** Stops a child mid-parse: the job is refused with `outcome`, the child replaced on demand. */
  private stop(child: Child, outcome: ParseOutcome): void {
    const job = this.finish(child);
    if (!job) return;
    this.stats.killed++;
    job.resolve(outcome);
    void this.kill(child);
  }

  private kill(child: Child): Promise<void> {
    this.finish(child)?.reject(new Error('parse pool closed'));
    const i = this.children.indexOf(child);
    if (i >= 0) this.children.splice(i, 1);
    if (child.proc.exitCode !== null || child.proc.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.proc.once('exit', () => resolve());
      child.proc.kill('SIGKILL');
    });
  }

  private onExit(child: Child, code: number | null, signal: NodeJS.Signals | null, stderr: string): void {
    if (child.state === 'gone') return;
    const wasStarting = child.state === 'starting';
    child.state = 'gone';
    const job = this.finish(child);
    const i = this.children.indexOf(child);
    if (i >= 0) this.children.splice(i, 1);
    if (job) {
      this.stats.restarts++;
      // A V8 heap-limit abort (SIGABRT / 134) is the memory cap doing its work; any other death is the file's doing too.
      job.resolve(tooComplex('ワークブックを読み取れませんでした（読み取りに必要なメモリが上限を超えたか、読み取り処理が異常終了しました）。'));
    } else if (wasStarting && !this.closed) {
      this.stats.startFailures++;
      const failure = new AppError('workbook_unavailable', `ワークブックを読み取る処理を開始できません（exit ${code ?? signal}）。管理者に連絡してください。`, 503);
      (failure as { cause?: unknown }).cause = stderr;
      for (const queued of this.queue.splice(0)) queued.reject(failure);
    }
    if (!this.closed && this.queue.length) this.pump();
  }
}

let shared: ParsePool | null = null;

/** The service's pool, started on first use. */
export function parsePool(): ParsePool {
  shared ??= new ParsePool();
  return shared;
}

export async function closeParsePool(): Promise<void> {
  const pool = shared;
  shared = null;
  await pool?.close();
}

/**
 * The database of a benchmark module: MONGODB_URI (a database of its own, dropped at the end), or the embedded FerretDB
 * started here in a fresh folder under /dev/shm (tmpfs) when it exists. Connected as the service connects mongoose;
 * the models' collections and indexes are created. Interrupted (Ctrl-C, SIGTERM), the folder is removed on the way
 * out; FerretDB itself stops with this process (setpriv --pdeathsig).
 *
 * ITAKU_BENCH_PROFILE=1 turns on the driver's command monitoring and prints, at close, every database command by kind
 * and collection: how many, and their summed time (under concurrency that includes waiting in FerretDB).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { loadConfig, type Config } from '../src/config.js';
import { connectionOptions } from '../src/db/connect.js';
import { startEmbeddedDatabase } from '../src/db/embedded.js';
import { prepareDatabase } from '../src/db/prepare.js';

export interface BenchDatabase {
  /** Processes that work for us (the embedded database), for the machine-load figure. */
  pids: number[];
  /**
   * Closes mongoose's connection and opens it again: requests the server is still working on (their client gave up)
   * fail at their next database command instead of keeping the database busy.
   */
  reconnect(): Promise<void>;
  close(): Promise<void>;
}

const PROFILE = process.env.ITAKU_BENCH_PROFILE === '1';

/** Command counts and summed times by "command collection", while profiling. */
const profile = new Map<string, { n: number; ms: number }>();
const started = new Map<number, string>();

function watch(): void {
  if (!PROFILE) return;
  const client = mongoose.connection.getClient();
  client.on('commandStarted', (e) => {
    const target = e.command[e.commandName];
    started.set(e.requestId, `${e.commandName} ${typeof target === 'string' ? target : ''}`.trim());
  });
  const done = (e: { requestId: number; duration: number }) => {
    const key = started.get(e.requestId) ?? '?';
    started.delete(e.requestId);
    const p = profile.get(key) ?? { n: 0, ms: 0 };
    p.n++;
    p.ms += e.duration;
    profile.set(key, p);
  };
  client.on('commandSucceeded', done);
  client.on('commandFailed', done);
}

/** Clears the command profile (e.g. after setting up, before the part being measured). */
export function resetProfile(): void {
  profile.clear();
}

function printProfile(label: string): void {
  if (!PROFILE || profile.size === 0) return;
  const rows = [...profile.entries()].sort((a, b) => b[1].ms - a[1].ms);
  process.stderr.write(`  ${label}: database commands since the last reset (count, summed ms):\n`);
  for (const [key, p] of rows.slice(0, 25)) process.stderr.write(`    ${key.padEnd(40)} ${String(p.n).padStart(8)} ${Math.round(p.ms).toString().padStart(10)}\n`);
}

export async function openBenchDatabase(label: string): Promise<BenchDatabase> {
  const monitor = { monitorCommands: PROFILE };
  if (process.env.MONGODB_URI) {
    const open = async () => {
      await mongoose.connect(process.env.MONGODB_URI!, { ...connectionOptions, ...monitor, dbName: `bench_${label}_${process.pid}` });
      watch();
    };
    await open();
    await prepareDatabase();
    return {
      pids: [],
      reconnect: async () => {
        await mongoose.disconnect();
        await open();
      },
      close: async () => {
        printProfile(label);
        await mongoose.connection.db?.dropDatabase();
        await mongoose.disconnect();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), `itaku-bench-${label}-`));
  const interrupted = (signal: NodeJS.Signals) => {
    fs.rmSync(dir, { recursive: true, force: true });
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  const forget = () => {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  };
  try {
    const db = await startEmbeddedDatabase({ dir, log: () => undefined });
    const open = async () => {
      await mongoose.connect(`${db.uri}/?directConnection=true`, { ...connectionOptions, ...monitor, dbName: 'bench' });
      watch();
    };
    try {
      await open();
      await prepareDatabase();
    } catch (err) {
      await db.stop();
      throw err;
    }
    return {
      pids: [db.pid],
      reconnect: async () => {
        await mongoose.disconnect();
        await open();
      },
      close: async () => {
        printProfile(label);
        try {
          await mongoose.disconnect();
          await db.stop();
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
          forget();
        }
      },
    };
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    forget();
    throw err;
  }
}

/**
 * The configuration of an app served to a bench's load generator: fresh secrets, and loopback trusted as a proxy, as
 * the generator stands in for many clients, each from its own forwarded address (see bench/load.ts).
 */
export function benchConfig(): Config {
  return loadConfig({
    NODE_ENV: 'test',
    SESSION_SECRET: crypto.randomBytes(32).toString('hex'),
    ITAKU_DATA_KEY: crypto.randomBytes(32).toString('hex'),
    PUBLIC_BASE_URL: 'http://itaku.bench',
    TRUST_PROXY: 'loopback',
  });
}

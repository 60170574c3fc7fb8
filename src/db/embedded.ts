import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ensureFerretDbBinary, EmbeddedDatabaseUnavailable } from './ferretdb-build.js';

export interface EmbeddedDatabase {
  /** mongodb:// URI of the private Unix socket (no database name). */
  uri: string;
  pid: number;
  /** Resolves when the process has exited, for whatever reason. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Folder for the SQLite files, FerretDB's state and its log. */
  dir: string;
  log?: (line: string) => void;
}

function hasSetpriv(): boolean {
  return ['/usr/bin/setpriv', '/bin/setpriv'].some((p) => fs.existsSync(p));
}

/** Unix socket paths are limited to ~107 bytes; a deep DATA_DIR gets a private folder in the temp dir instead. */
function socketPath(dir: string): string {
  const preferred = path.join(dir, 'run', 'ferretdb.sock');
  if (Buffer.byteLength(preferred) <= 100) {
    fs.mkdirSync(path.dirname(preferred), { recursive: true, mode: 0o700 });
    fs.chmodSync(path.dirname(preferred), 0o700);
    fs.rmSync(preferred, { force: true });
    return preferred;
  }
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'itaku-db-')), 'ferretdb.sock');
}

export function socketUri(socket: string): string {
  return `mongodb://${encodeURIComponent(socket)}`;
}

function waitForSocket(socket: string, child: ChildProcess, logFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    let done = false;
    const fail = (message: string) => {
      if (done) return;
      done = true;
      let tail = '';
      try {
        tail = fs.readFileSync(logFile, 'utf8').slice(-1500);
      } catch {
        /* no log yet */
      }
      reject(new EmbeddedDatabaseUnavailable(`${message}${tail ? `\n${tail}` : ''}`));
    };
    child.once('exit', (code) => fail(`組み込みデータベースが起動直後に終了しました（exit ${code}） / the embedded database exited at start`));
    const attempt = () => {
      if (done) return;
      const s = net.connect(socket);
      s.once('connect', () => {
        s.destroy();
        if (!done) {
          done = true;
          resolve();
        }
      });
      s.once('error', () => {
        s.destroy();
        if (Date.now() > deadline) fail('組み込みデータベースが時間内に応答しませんでした / the embedded database did not answer in time');
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/**
 * Starts FerretDB (SQLite storage) listening only on a Unix socket in a private (0700) folder: no TCP port, so nothing
 * else on the machine can reach it (it has no authentication). Telemetry and the debug listener are off. The process
 * is started through `setpriv --pdeathsig` so the kernel stops it when this process dies, even by SIGKILL.
 * The caller must hold the DATA_DIR lock.
 */
export async function startEmbeddedDatabase(opts: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const binary = await ensureFerretDbBinary(log);
  const sqliteDir = path.join(opts.dir, 'sqlite');
  fs.mkdirSync(sqliteDir, { recursive: true, mode: 0o700 });
  const socket = socketPath(opts.dir);
  const logFile = path.join(opts.dir, 'ferretdb.log');
  const out = fs.openSync(logFile, 'a', 0o600);
  const args = [
    '--handler=sqlite',
    `--sqlite-url=file:${sqliteDir}/`,
    '--listen-addr=',
    `--listen-unix=${socket}`,
    '--telemetry=disable',
    '--debug-addr=-',
    `--state-dir=${opts.dir}`,
    '--log-level=warn',
    '--log-format=text',
  ];
  const [cmd, cmdArgs] = hasSetpriv() ? ['setpriv', ['--pdeathsig', 'TERM', binary, ...args]] : [binary, args];
  // A process group of its own: Ctrl-C in a terminal reaches the service, which drains requests before stopping it.
  const child = spawn(cmd, cmdArgs as string[], { stdio: ['ignore', out, out], detached: true });
  fs.closeSync(out);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await waitForSocket(socket, child, logFile, 20_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  let stopping: Promise<void> | undefined;
  return {
    uri: socketUri(socket),
    pid: child.pid!,
    exited,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}

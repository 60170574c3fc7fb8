import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface RunningService {
  proc: ChildProcess;
  port: number;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `itaku-${prefix}-`));
}

/** Starts the real service (src/server.ts) as a child process and waits until it listens. */
export async function startService(env: NodeJS.ProcessEnv, timeoutMs = 30_000, nodeArgs: string[] = []): Promise<RunningService> {
  const proc = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/server.ts'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'development', LOG_LEVEL: 'info', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    // A service that did not come up in time is stopped, so it cannot outlive the test that started it.
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`service did not start in time:\n${out}`));
    }, timeoutMs);
    const check = () => {
      const m = /"port":(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    proc.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`service exited (${code}) before listening:\n${out}`), { output: out, code }));
    });
  });
  return { proc, port, url: `http://127.0.0.1:${port}`, output: () => out, exited };
}

/** Runs the service expecting it to fail at start; resolves with its exit code and output. */
export async function failingStart(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  try {
    const s = await startService(env);
    s.proc.kill('SIGKILL');
    throw new Error('the service started but was expected to fail');
  } catch (err) {
    const e = err as { output?: string; code?: number | null };
    if (e.output === undefined) throw err;
    return { code: e.code ?? null, output: e.output };
  }
}

export async function waitFor(predicate: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await predicate()) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Runs `npm run cli -- …` (as src/cli/main.ts) with the given environment. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'development', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => proc.once('exit', resolve));
  return { code, output: out };
}

import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

/**
 * DATA_DIR holds the embedded database's files, its lock and (in development) generated secrets. The lock is a file
 * created with O_EXCL naming the owning process; a lock whose process is gone is stale and is taken over.
 */
export interface LockInfo {
  pid: number;
  /** The embedded database's process, so a stale lock's orphan can be stopped before its files are reused. */
  databasePid?: number;
  uri?: string;
  role: 'service' | 'cli' | 'test';
  startedAt: string;
}

export class DataDirLocked extends Error {
  constructor(readonly dataDir: string, readonly holder: LockInfo) {
    super(
      `DATA_DIR（${dataDir}）は別の Itaku プロセス（pid ${holder.pid}、${holder.role}）が使用中です。そのプロセスを停止するか、別の DATA_DIR を指定してください。 / DATA_DIR ${dataDir} is in use by another Itaku process (pid ${holder.pid}); stop it or use another DATA_DIR.`,
    );
  }
}

/** True when the process exists and is not a zombie (an exited child nobody has reaped yet still answers kill 0). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc: trust kill(0)
  }
}

const lockPath = (dataDir: string) => path.join(dataDir, 'itaku.lock');

export function readLock(dataDir: string): LockInfo | null {
  try {
    return JSON.parse(fs.readFileSync(lockPath(dataDir), 'utf8')) as LockInfo;
  } catch {
    return null;
  }
}

/** The running embedded database of another live process on this DATA_DIR, if any. */
export function runningDatabase(dataDir: string): LockInfo | null {
  const lock = readLock(dataDir);
  return lock && lock.uri && isProcessAlive(lock.pid) ? lock : null;
}

export interface DataDirLock {
  info: LockInfo;
  update(patch: Partial<LockInfo>): void;
  release(): void;
}

/**
 * Takes DATA_DIR for this process. Throws DataDirLocked when a live process holds it. A stale lock (its process died,
 * e.g. SIGKILL) is removed after its orphaned database process, if still alive, has been told to stop.
 */
export async function acquireDataDirLock(dataDir: string, role: LockInfo['role']): Promise<DataDirLock> {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = lockPath(dataDir);
  for (let attempt = 0; attempt < 3; attempt++) {
    const info: LockInfo = { pid: process.pid, role, startedAt: new Date().toISOString() };
    try {
      fs.writeFileSync(file, JSON.stringify(info), { flag: 'wx', mode: 0o600 });
      return {
        info,
        update(patch) {
          Object.assign(info, patch);
          fs.writeFileSync(file, JSON.stringify(info), { mode: 0o600 });
        },
        release() {
          const current = readLock(dataDir);
          if (current?.pid === process.pid) fs.rmSync(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = readLock(dataDir);
    if (holder && isProcessAlive(holder.pid) && holder.pid !== process.pid) throw new DataDirLocked(dataDir, holder);
    if (holder?.databasePid) await stopOrphan(holder.databasePid);
    fs.rmSync(file, { force: true });
  }
  throw new Error(`could not take the lock on ${dataDir}`);
}

/** Waits for an orphaned database process to exit (it normally dies with its parent), then kills it if it lingers. */
async function stopOrphan(pid: number): Promise<void> {
  for (let i = 0; i < 50 && isProcessAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (!isProcessAlive(pid)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* gone meanwhile */
  }
  for (let i = 0; i < 50 && isProcessAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
}

export interface DevelopmentSecrets {
  sessionSecret: string;
  dataKey: string;
}

/**
 * Development convenience: a session secret and data key generated once into DATA_DIR, so restarts, the CLI and a
 * second instance share them (sessions survive a restart; workbook signatures and TOTP secrets stay readable).
 * Production must set both (config.ts refuses to start without them).
 */
export function developmentSecrets(dataDir: string): DevelopmentSecrets {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, 'secrets.json');
  try {
    fs.writeFileSync(
      file,
      JSON.stringify({ sessionSecret: crypto.randomBytes(32).toString('base64url'), dataKey: crypto.randomBytes(32).toString('hex') }),
      { flag: 'wx', mode: 0o600 },
    );
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as DevelopmentSecrets;
  if (typeof parsed.sessionSecret !== 'string' || !/^[0-9a-f]{64}$/.test(parsed.dataKey)) {
    throw new Error(`${file} is damaged: remove it to generate new development secrets`);
  }
  return parsed;
}

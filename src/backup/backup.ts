import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import readline from 'node:readline';
import mongoose from 'mongoose';
import { EJSON } from 'bson';
import { verifyAudit, type VerifyResult } from '../audit/log.js';
import { PendingMarkerModel } from '../db/revision.model.js';
import { completePendingRevisions } from '../db/versioned.js';
import { CHECK_CACHE_MS, liveInstances, releasePause, takePause } from './pause.js';

/** Collections that are not data: caches of the moment, rebuilt or irrelevant after a restore. */
const SKIP = new Set(['sessions', 'write_pause', 'instances', 'login_failures']);

export interface Manifest {
  format: 'itaku-backup/1';
  createdAt: string;
  database: string;
  collections: { name: string; file: string; count: number; sha256: string }[];
  audit: VerifyResult;
}

async function dataCollections(): Promise<string[]> {
  const db = mongoose.connection.db!;
  return (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => !SKIP.has(n) && !n.startsWith('system.')).sort();
}

/**
 * Copies every collection (records, revisions, audit chain, evidence chunks…) to `dir` as Extended JSON lines, inside
 * a write pause: writers wait while it stands, in-flight writes finish and pending revisions are completed first, so
 * the copy is consistent. The manifest records counts, hashes and the audit verification.
 */
export async function backup(dir: string, log: (line: string) => void = () => undefined): Promise<Manifest> {
  fs.mkdirSync(dir, { recursive: true });
  if (fs.readdirSync(dir).length > 0) throw new Error(`${dir} is not empty: choose an empty folder for the backup`);
  await takePause(`backup pid ${process.pid}`, 10 * 60_000);
  try {
    // Writers check the pause at most CHECK_CACHE_MS late; give writes already past the check time to land.
    await new Promise((r) => setTimeout(r, CHECK_CACHE_MS * 2 + 500));
    await completePendingRevisions(0);
    if (await PendingMarkerModel.countDocuments()) throw new Error('a change is still being written; try again');
    const db = mongoose.connection.db!;
    const collections: Manifest['collections'] = [];
    for (const name of await dataCollections()) {
      const file = `${name}.ejson`;
      const hash = crypto.createHash('sha256');
      const out = fs.createWriteStream(path.join(dir, file), { mode: 0o600 });
      let count = 0;
      for await (const doc of db.collection(name).find({}).sort({ _id: 1 })) {
        const line = `${EJSON.stringify(doc, { relaxed: false })}\n`;
        hash.update(line);
        if (!out.write(line)) await new Promise<void>((r) => out.once('drain', () => r()));
        count++;
      }
      await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
      collections.push({ name, file, count, sha256: hash.digest('hex') });
      log(`  ${name}: ${count}`);
    }
    const manifest: Manifest = { format: 'itaku-backup/1', createdAt: new Date().toISOString(), database: db.databaseName, collections, audit: await verifyAudit() };
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2), { mode: 0o600 });
    return manifest;
  } finally {
    await releasePause();
  }
}

/**
 * Restores a backup into an EMPTY database, refusing while a service is connected, then verifies it: every file's
 * hash, every count, and the audit chain intact.
 */
export async function restore(dir: string, log: (line: string) => void = () => undefined): Promise<{ collections: number; documents: number; audit: VerifyResult }> {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
  if (manifest.format !== 'itaku-backup/1') throw new Error(`unknown backup format ${String(manifest.format)}`);
  const live = await liveInstances();
  if (live.length) throw new Error(`a service is connected to this database (${live.length} instance(s), e.g. pid ${live[0]!.pid}); stop it before restoring`);
  const existing = await dataCollections();
  const db = mongoose.connection.db!;
  for (const name of existing) {
    if ((await db.collection(name).estimatedDocumentCount()) > 0) throw new Error(`the database is not empty (${name} has documents): restore only into an empty database`);
  }
  // Check every file against the manifest before writing anything, so a damaged backup restores nothing.
  for (const c of manifest.collections) {
    const hash = crypto.createHash('sha256');
    for await (const chunk of fs.createReadStream(path.join(dir, path.basename(c.file)))) hash.update(chunk as Buffer);
    if (hash.digest('hex') !== c.sha256) throw new Error(`${c.file} does not match the manifest's hash: the backup is damaged, nothing was restored`);
  }
  for (const c of manifest.collections) {
    const hash = crypto.createHash('sha256');
    const lines = readline.createInterface({ input: fs.createReadStream(path.join(dir, path.basename(c.file))), crlfDelay: Infinity });
    let batch: Record<string, unknown>[] = [];
    let count = 0;
    for await (const line of lines) {
      if (!line) continue;
      hash.update(`${line}\n`);
      batch.push(EJSON.parse(line, { relaxed: false }) as Record<string, unknown>);
      if (batch.length === 500) {
        await db.collection(c.name).insertMany(batch as never[], { ordered: true });
        count += batch.length;
        batch = [];
      }
    }
    if (batch.length) await db.collection(c.name).insertMany(batch as never[], { ordered: true });
    count += batch.length;
    if (hash.digest('hex') !== c.sha256) throw new Error(`${c.file} does not match the manifest's hash: the backup is damaged`);
    if (count !== c.count) throw new Error(`${c.name}: restored ${count} documents, the manifest says ${c.count}`);
    log(`  ${c.name}: ${count}`);
  }
  const audit = await verifyAudit();
  if (!audit.ok) throw new Error(`the restored audit chain does not verify: ${audit.firstBroken.reason} at ${audit.firstBroken.seq}`);
  return { collections: manifest.collections.length, documents: manifest.collections.reduce((n, c) => n + c.count, 0), audit };
}

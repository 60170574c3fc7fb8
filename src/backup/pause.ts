import mongoose, { Schema } from 'mongoose';
import { AppError } from '../http/errors.js';

/**
 * The write pause a backup takes so its copy is consistent: one document `_id: 'write-pause'` in `leases`. Every
 * versioned write checks it (cached for a second) and waits while it stands; a backup that dies leaves a pause that
 * expires by itself.
 */
interface Pause {
  _id: string;
  until: Date;
  by: string;
}
const PauseModel = mongoose.model<Pause>('WritePause', new Schema<Pause>({ _id: String, until: Date, by: String }, { collection: 'write_pause', versionKey: false }));

export const CHECK_CACHE_MS = 1000;
const MAX_WAIT_MS = 30_000;
let cached: { at: number; until: number } = { at: 0, until: 0 };

async function pausedUntil(): Promise<number> {
  const now = Date.now();
  if (now - cached.at < CHECK_CACHE_MS) return cached.until;
  const doc = await PauseModel.findById('write-pause').lean();
  cached = { at: now, until: doc ? new Date(doc.until).getTime() : 0 };
  return cached.until;
}

/** Installed as the store's write gate: waits out a backup's pause, then lets the write through (503 if it lasts). */
export async function waitForWrites(): Promise<void> {
  const started = Date.now();
  while ((await pausedUntil()) > Date.now()) {
    if (Date.now() - started > MAX_WAIT_MS) {
      throw new AppError('maintenance', 'バックアップ中のため書き込みを一時停止しています。しばらくしてから再度お試しください。', 503, undefined, { retryAfter: 30 });
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Takes the pause; throws if another backup holds a live one. */
export async function takePause(by: string, ms: number): Promise<void> {
  const until = new Date(Date.now() + ms);
  const existing = await PauseModel.findById('write-pause').lean();
  if (existing && new Date(existing.until).getTime() > Date.now()) throw new Error(`another backup holds the write pause (${existing.by}) until ${new Date(existing.until).toISOString()}`);
  if (existing) await PauseModel.deleteOne({ _id: 'write-pause' });
  await PauseModel.collection.insertOne({ _id: 'write-pause', until, by } as never);
}

export async function releasePause(): Promise<void> {
  await PauseModel.deleteOne({ _id: 'write-pause' });
}

/** Service instances announce themselves, so `restore` can refuse while one is connected. */
interface Heartbeat {
  _id: string;
  at: Date;
  pid: number;
}
const HeartbeatModel = mongoose.model<Heartbeat>('InstanceHeartbeat', new Schema<Heartbeat>({ _id: String, at: Date, pid: Number }, { collection: 'instances', versionKey: false }));
export const HEARTBEAT_MS = 10_000;

export async function beat(instanceId: string): Promise<void> {
  await HeartbeatModel.replaceOne({ _id: instanceId }, { _id: instanceId, at: new Date(), pid: process.pid }, { upsert: true });
}

export async function forgetInstance(instanceId: string): Promise<void> {
  await HeartbeatModel.deleteOne({ _id: instanceId });
}

export async function liveInstances(): Promise<Heartbeat[]> {
  return HeartbeatModel.find({ at: mongoose.trusted({ $gt: new Date(Date.now() - 3 * HEARTBEAT_MS) }) }).lean();
}

import mongoose, { Schema } from 'mongoose';
import crypto from 'node:crypto';
import { AppError } from '../http/errors.js';

/**
 * Sign-in throttling with counters in the database, so every service instance sees the same failures. Each failure is
 * an insert (never `$inc`: not atomic on FerretDB); a window is counted with a query.
 *
 * Limits within 15 minutes:
 * - one address: 30 failures across all accounts (a password-spraying client);
 * - one account from one address: 5 failures;
 * - one account from anywhere: 20 failures.
 * A real user is locked out at most until the oldest counted failure leaves the window (≤ 15 min), and a distributed
 * attacker needs 20 failures per 15 minutes to keep one account locked — they are all in the audit log.
 */
export const THROTTLE_WINDOW_MS = 15 * 60_000;
const LIMITS = { ip: 30, accountIp: 5, account: 20 } as const;

interface Failure {
  _id: string;
  key: string;
  at: Date;
}
const FailureModel = mongoose.model<Failure>(
  'LoginFailure',
  new Schema<Failure>({ _id: String, key: String, at: Date }, { collection: 'login_failures', versionKey: false }),
);

function keys(email: string, ip: string) {
  return { ip: `ip:${ip}`, accountIp: `acct-ip:${email}:${ip}`, account: `acct:${email}` };
}

async function oldestBlocking(key: string, limit: number, since: Date): Promise<Date | null> {
  const recent = await FailureModel.find({ key, at: mongoose.trusted({ $gt: since }) }, { at: 1 }).sort({ at: -1 }).limit(limit).lean();
  return recent.length >= limit ? recent[recent.length - 1]!.at : null;
}

/** Throws 429 with Retry-After when a limit is reached. Called before the password is checked. */
export async function assertNotThrottled(email: string, ip: string, now = new Date()): Promise<void> {
  const since = new Date(now.getTime() - THROTTLE_WINDOW_MS);
  const k = keys(email, ip);
  let until = 0;
  for (const name of ['ip', 'accountIp', 'account'] as const) {
    const oldest = await oldestBlocking(k[name], LIMITS[name], since);
    if (oldest) until = Math.max(until, oldest.getTime() + THROTTLE_WINDOW_MS);
  }
  if (until > now.getTime()) {
    const retryAfter = Math.max(1, Math.ceil((until - now.getTime()) / 1000));
    throw new AppError('too_many_attempts', `サインインの失敗が続いたため、一時的に受け付けを停止しています。${Math.ceil(retryAfter / 60)}分ほど待ってから再度お試しください。`, 429, undefined, { retryAfter });
  }
}

export async function recordFailure(email: string, ip: string, now = new Date()): Promise<void> {
  const k = keys(email, ip);
  await FailureModel.collection.insertMany(
    Object.values(k).map((key) => ({ _id: crypto.randomUUID(), key, at: now })) as never[],
  );
}

/** A successful sign-in clears the account-from-this-address counter (not the others: a spraying client stays limited). */
export async function clearAccountFailures(email: string, ip: string): Promise<void> {
  await FailureModel.deleteMany({ key: keys(email, ip).accountIp });
}

/**
 * A general failure limit on one key (e.g. failed vendor-link lookups per address): 429 with Retry-After once `limit`
 * failures fall within `windowMs`.
 */
export async function assertNotLimited(key: string, limit: number, windowMs: number, now: Date, message: string): Promise<void> {
  const oldest = await oldestBlocking(key, limit, new Date(now.getTime() - windowMs));
  if (!oldest) return;
  const until = oldest.getTime() + windowMs;
  if (until <= now.getTime()) return;
  throw new AppError('too_many_attempts', message, 429, undefined, { retryAfter: Math.max(1, Math.ceil((until - now.getTime()) / 1000)) });
}

export async function recordKeyFailure(key: string, now = new Date()): Promise<void> {
  await FailureModel.collection.insertOne({ _id: crypto.randomUUID(), key, at: now } as never);
}

/** Deletes failures older than the window; run periodically. */
export async function sweepFailures(now = new Date()): Promise<number> {
  const r = await FailureModel.deleteMany({ at: mongoose.trusted({ $lt: new Date(now.getTime() - Math.max(THROTTLE_WINDOW_MS, 60 * 60_000)) }) });
  return r.deletedCount;
}

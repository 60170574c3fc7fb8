import { AuditHeadModel, AuditModel, type AuditEntry } from './audit.model.js';
import type { WriteContext } from './actor.js';
import { canonicalJson, sha256 } from './canonical.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditInput {
  action: string;
  entity?: string;
  entityId?: string;
  ref?: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  detail?: Record<string, unknown>;
  at?: Date;
}

function isDuplicateKey(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === 11000 || code === 11001;
}

export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  const { _id, ...rest } = entry;
  return sha256(canonicalJson({ seq: _id, ...rest }));
}

/**
 * Appends one entry to the hash-chained audit log and returns its sequence number.
 *
 * The sequence is claimed by inserting it as `_id`; a concurrent writer that took the same number makes the insert fail
 * and this one moves on. An entry that records a revision carries `ref`; a second entry for the same revision (two
 * processes rolling the same crash forward) is refused by the unique index, and the existing entry's number returned.
 */
export async function appendAudit(ctx: WriteContext, input: AuditInput): Promise<number> {
  const head = await AuditHeadModel.findById('head').lean();
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? GENESIS_HASH;
  for (let attempt = 0; attempt < 1000; attempt++) {
    // The head may lag behind the tail (a crash after an insert): walk forward to the real end.
    for (;;) {
      const next = await AuditModel.findById(seq + 1).lean();
      if (!next) break;
      if (input.ref && next.ref === input.ref) return next._id;
      seq = next._id;
      prevHash = next.hash;
    }
    const body: Omit<AuditEntry, 'hash'> = {
      _id: seq + 1,
      at: input.at ?? new Date(),
      actor: ctx.actor,
      ...(ctx.ip ? { ip: ctx.ip } : {}),
      action: input.action,
      ...(input.entity ? { entity: input.entity } : {}),
      ...(input.entityId ? { entityId: input.entityId } : {}),
      ...(input.ref ? { ref: input.ref } : {}),
      ...(input.before ? { before: input.before } : {}),
      ...(input.after ? { after: input.after } : {}),
      ...(input.detail ? { detail: input.detail } : {}),
      prevHash,
    };
    const entry: AuditEntry = { ...body, hash: entryHash(body) };
    try {
      await AuditModel.collection.insertOne(entry as never);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const taken = await AuditModel.findById(seq + 1).lean();
      if (taken && taken.ref !== input.ref) continue; // someone else took this number: walk on
      if (input.ref) {
        const existing = taken ?? (await AuditModel.findOne({ ref: input.ref }).lean());
        if (existing) return existing._id;
      }
      continue;
    }
    await advanceHead(entry._id, entry.hash);
    return entry._id;
  }
  throw new Error('audit log: could not claim a sequence number');
}

async function advanceHead(seq: number, hash: string): Promise<void> {
  const head = await AuditHeadModel.findById('head').lean();
  if (head && head.seq >= seq) return;
  await AuditHeadModel.updateOne({ _id: 'head' }, { $set: { seq, hash } }, { upsert: true });
}

export type VerifyResult =
  | { ok: true; entries: number }
  | { ok: false; entries: number; firstBroken: { seq: number; reason: string } };

/**
 * Walks the whole chain: numbers contiguous from 1, each hash recomputed, each entry linked to its predecessor, and
 * the head record matching an existing entry (so a truncated tail, or an emptied log, is reported).
 */
export async function verifyAudit(): Promise<VerifyResult> {
  const head = await AuditHeadModel.findById('head').lean();
  let expected = 1;
  let prevHash = GENESIS_HASH;
  const cursor = AuditModel.find().sort({ _id: 1 }).lean().cursor({ batchSize: 500 });
  for await (const raw of cursor) {
    const entry = raw as AuditEntry;
    if (entry._id !== expected) {
      return { ok: false, entries: expected - 1, firstBroken: { seq: expected, reason: `entry ${expected} is missing (next found: ${entry._id})` } };
    }
    const { hash, ...body } = entry;
    if (entry.prevHash !== prevHash) {
      return { ok: false, entries: expected - 1, firstBroken: { seq: entry._id, reason: 'does not link to the previous entry' } };
    }
    if (entryHash(body) !== hash) {
      return { ok: false, entries: expected - 1, firstBroken: { seq: entry._id, reason: 'content does not match its hash (edited)' } };
    }
    if (head && entry._id === head.seq && head.hash !== hash) {
      return { ok: false, entries: expected - 1, firstBroken: { seq: entry._id, reason: 'entry does not match the head record' } };
    }
    prevHash = hash;
    expected++;
  }
  const count = expected - 1;
  if (head) {
    if (head.seq > count) {
      return { ok: false, entries: count, firstBroken: { seq: count + 1, reason: `log ends at ${count} but the head records ${head.seq} (truncated)` } };
    }
  } else if (count > 0) {
    return { ok: false, entries: count, firstBroken: { seq: 1, reason: 'the head record is missing' } };
  }
  return { ok: true, entries: count };
}

import { AuditHeadModel, AuditModel, type AuditEntry } from './audit.model.js';
import type { WriteContext } from './actor.js';
import { canonicalJson, sha256 } from './canonical.js';
import { isDuplicateKey } from '../db/errors.js';

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


export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
  const { _id, ...rest } = entry;
  return sha256(canonicalJson({ seq: _id, ...rest }));
}

/**
 * Appends one entry to the hash-chained audit log and returns its sequence number.
 *
 * The sequence is claimed by inserting it as `_id`, after the number the head record gives; a concurrent writer that
 * took the same number makes the insert fail, and this one continues after it. An entry that records a revision
 * carries `ref`; a second entry for the same revision (two processes rolling the same crash forward) is refused by the
 * unique index, and the existing entry's number returned.
 *
 * The usual path reads only the one head document: FerretDB answers a lookup by a numeric `_id` (it pushes down only
 * string and ObjectId ones) by scanning the whole collection, which made every append cost as much as the log was
 * long. The log is
 * read only when the head stays behind — a writer stopped between its insert and the head update, or two head updates
 * crossed — and the head is then repaired.
 */
export async function appendAudit(ctx: WriteContext, input: AuditInput): Promise<number> {
  let { seq, hash: prevHash } = await readHead();
  for (let attempt = 0; attempt < 1000; attempt++) {
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
      await advanceHead(entry._id, entry.hash);
      return entry._id;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    // Taken: usually by a writer that is about to move the head past it.
    const moved = await headBeyond(seq);
    if (moved) {
      ({ seq, hash: prevHash } = moved);
      continue;
    }
    if (input.ref) {
      const existing = await AuditModel.findOne({ ref: input.ref }).lean();
      if (existing) return existing._id;
    }
    for (;;) {
      const next = await AuditModel.findById(seq + 1).lean();
      if (!next) break;
      if (input.ref && next.ref === input.ref) return next._id;
      seq = next._id;
      prevHash = next.hash;
    }
    await advanceHead(seq, prevHash);
  }
  throw new Error('audit log: could not claim a sequence number');
}

async function readHead(): Promise<{ seq: number; hash: string }> {
  const head = await AuditHeadModel.findById('head').lean();
  return { seq: head?.seq ?? 0, hash: head?.hash ?? GENESIS_HASH };
}

/**
 * The head once it has moved past `seq`, waiting up to ~0.5 s for the writer that took `seq + 1` (under load, many
 * writers queue between their insert and their head update); null otherwise, and the caller reads the log itself.
 */
async function headBeyond(seq: number): Promise<{ seq: number; hash: string } | null> {
  for (const wait of [0, 2, 4, 8, 16, 32, 64, 128, 256]) {
    if (wait) await new Promise((r) => setTimeout(r, wait));
    const head = await readHead();
    if (head.seq > seq) return head;
  }
  return null;
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

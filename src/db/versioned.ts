import type { Model } from 'mongoose';
import mongoose from 'mongoose';
import { appendAudit } from '../audit/log.js';
import type { WriteContext } from '../audit/actor.js';
import { AppError, conflict } from '../http/errors.js';
import { KeyClaimModel, PendingMarkerModel, RevisionModel, type Revision } from './revision.model.js';
import { waitForWrites } from '../backup/pause.js';
import { isDuplicateKey } from './errors.js';

/** Fields every versioned record has. */
export interface Versioned {
  _id: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  archivedAt?: Date | null;
}

export type NewRecord<T extends Versioned> = Omit<T, keyof Versioned> & { _id?: string };

const BOOKKEEPING = new Set(['version', 'updatedAt', 'createdAt']);


function comparable(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) => (val instanceof Date ? val.toISOString() : val)) ?? 'undefined';
}

/** Changed top-level fields, before and after: what the audit log shows of a change (full images live in revisions). */
export function changedFields(before: Record<string, unknown> | null, after: Record<string, unknown>) {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after)]);
  for (const key of keys) {
    if (BOOKKEEPING.has(key) || key === '_id') continue;
    const from = before?.[key];
    const to = after[key];
    if (comparable(from) !== comparable(to)) {
      if (before) b[key] = from ?? null;
      a[key] = to ?? null;
    }
  }
  return { before: before ? b : undefined, after: a };
}

export interface StoreOptions<T> {
  /** Business keys that must be unique across live records of this entity, e.g. `sns:x:@city_official`. */
  keysOf?: (doc: T) => string[];
  /** Audit may need to hide secrets (password hashes) from before/after. */
  redact?: (image: Record<string, unknown>) => Record<string, unknown>;
  /** Shapes a record for storage (revision images and the record itself) and back, e.g. to keep large shared parts out. */
  encode?: (doc: T) => Promise<Record<string, unknown>>;
  decode?: (stored: Record<string, unknown>) => Promise<T>;
  /**
   * False for records whose history is their own revisions rather than the audit log (answer autosaves: CONTRACT.md
   * keeps them out of the audit log; submission and review, which are audited, happen on other records).
   */
  audited?: boolean;
}

const stores = new Map<string, VersionedStore<Versioned>>();

/** Every write waits while a backup holds its write pause (backup/pause.ts). */
let writeGate: () => Promise<void> = waitForWrites;
export function setWriteGate(gate: () => Promise<void>): void {
  writeGate = gate;
}

/**
 * Persistence for a record kind that stays correct on FerretDB's non-atomic updates (STYLE.md "Writes without
 * transactions"): every change is first claimed as a revision by a unique `_id`, then audited, then applied to the
 * record; readers roll forward any revision newer than the record, so a crash between the writes is completed by whoever
 * reads next (and by the pending sweep).
 */
export class VersionedStore<T extends Versioned> {
  constructor(
    readonly entity: string,
    readonly model: Model<T>,
    private readonly options: StoreOptions<T> = {},
  ) {
    stores.set(entity, this as unknown as VersionedStore<Versioned>);
  }

  newId(): string {
    return new mongoose.Types.ObjectId().toHexString();
  }

  private revisionId(id: string, version: number): string {
    return `${this.entity}:${id}:${version}`;
  }

  /** The record with every committed revision applied, or null. */
  async get(id: string): Promise<T | null> {
    const [stored, markers] = await Promise.all([this.model.findById(id).lean(), PendingMarkerModel.find({ entity: this.entity, entityId: id }).lean()]);
    let doc = stored as T | null;
    if (markers.length) doc = await this.completeMarked(doc, markers);
    return doc ? this.decoded(doc) : null;
  }

  /** Applies, in order, the revisions newer than `doc` that writers left marked as in progress (a crash, or a slow writer). */
  private async completeMarked(doc: T | null, markers: { _id: string; version: number; at: Date }[]): Promise<T | null> {
    for (const marker of [...markers].sort((a, b) => a.version - b.version)) {
      if (doc && marker.version <= doc.version) {
        // Already applied: the writer died before clearing its marker.
        await PendingMarkerModel.deleteOne({ _id: marker._id });
        continue;
      }
      const revision = await RevisionModel.findById(marker._id).lean();
      if (!revision) {
        // The writer died between its marker and its revision: nothing was claimed. Clear it once it is clearly stale.
        if (Date.now() - new Date(marker.at).getTime() > 60_000) await PendingMarkerModel.deleteOne({ _id: marker._id });
        continue;
      }
      if (revision.version !== (doc?.version ?? 0) + 1) break;
      await this.complete(revision);
      doc = revision.image as unknown as T;
    }
    return doc;
  }

  private decoded(stored: T): Promise<T> {
    return this.options.decode ? this.options.decode(stored as unknown as Record<string, unknown>) : Promise.resolve(stored);
  }

  /** The records of this kind with a write in progress (one look at the nearly always empty markers). */
  private async markedIds(): Promise<Set<string>> {
    const markers = await PendingMarkerModel.find({ entity: this.entity }, { entityId: 1 }).lean();
    return new Set(markers.map((m) => m.entityId));
  }

  /**
   * Rolls forward a page of records read by a query: one look at the (nearly always empty) in-progress markers of this
   * kind, then only the marked records are read again.
   */
  async rollForward(docs: T[]): Promise<T[]> {
    if (docs.length === 0) return docs;
    const marked = await this.markedIds();
    return mapLimited(docs, 16, async (d) => (marked.has(d._id) ? ((await this.get(d._id)) ?? this.decoded(d)) : this.decoded(d)));
  }

  /**
   * Several records by id (missing ones left out), each rolled forward; `_id` lookups only, and one look at this kind's
   * in-progress markers for all of them (not one per id).
   */
  async getMany(ids: readonly string[]): Promise<T[]> {
    if (ids.length === 0) return [];
    const marked = await this.markedIds();
    const found = await mapLimited(ids, 16, async (id) => {
      if (marked.has(id)) return this.get(id);
      const stored = (await this.model.findById(id).lean()) as T | null;
      return stored ? this.decoded(stored) : null;
    });
    return found.filter((d): d is Awaited<T> => d !== null) as T[];
  }

  /** Creates a record at version 1. Throws 409 `duplicate` when a business key is taken. */
  async create(ctx: WriteContext, action: string, data: NewRecord<T>): Promise<T> {
    await writeGate();
    const now = new Date();
    const id = data._id ?? this.newId();
    const doc = { ...data, _id: id, version: 1, createdAt: now, updatedAt: now, archivedAt: null } as unknown as T;
    const claimed = await this.claimKeys(id, [], this.options.keysOf?.(doc) ?? []);
    try {
      await this.commit(ctx, action, null, doc);
    } catch (err) {
      await this.releaseKeys(id, claimed);
      throw err;
    }
    return doc;
  }

  /**
   * Applies `change` to the current record if it is still at `expectedVersion`; a stale version answers 409 and changes
   * nothing. `change` returns the next state (without bookkeeping fields).
   */
  async update(ctx: WriteContext, action: string, id: string, expectedVersion: number, change: (current: T) => Omit<T, keyof Versioned> | T): Promise<T> {
    await writeGate();
    const current = await this.get(id);
    if (!current) throw new AppError('not_found', '指定された記録は見つかりません', 404);
    if (current.version !== expectedVersion) {
      throw conflict(undefined, { currentVersion: current.version, yourVersion: expectedVersion });
    }
    const changed = change(current) as Partial<Versioned>;
    const next = {
      ...changed,
      _id: id,
      version: current.version + 1,
      createdAt: current.createdAt,
      updatedAt: new Date(),
      archivedAt: changed.archivedAt ?? null,
    } as unknown as T;
    const oldKeys = this.options.keysOf?.(current) ?? [];
    const newKeys = this.options.keysOf?.(next) ?? [];
    const claimed = await this.claimKeys(id, oldKeys, newKeys);
    try {
      await this.commit(ctx, action, current, next);
    } catch (err) {
      await this.releaseKeys(id, claimed);
      throw err;
    }
    await this.releaseKeys(id, oldKeys.filter((k) => !newKeys.includes(k)));
    return next;
  }

  /** Archives (never deletes): sets archivedAt through a normal versioned update. */
  archive(ctx: WriteContext, id: string, expectedVersion: number): Promise<T> {
    return this.update(ctx, `${this.entity}.archive`, id, expectedVersion, (c) => ({ ...c, archivedAt: new Date() }));
  }

  private async commit(ctx: WriteContext, action: string, before: T | null, decodedAfter: T): Promise<void> {
    const encode = this.options.encode ?? (async (x: T) => x as unknown as Record<string, unknown>);
    const after = (await encode(decodedAfter)) as unknown as T;
    if (before) before = (await encode(before)) as unknown as T;
    const redact = this.options.redact ?? ((x: Record<string, unknown>) => x);
    const diff = changedFields(before ? redact(before as unknown as Record<string, unknown>) : null, redact(after as unknown as Record<string, unknown>));
    const revision: Revision = {
      _id: this.revisionId(after._id, after.version),
      entity: this.entity,
      entityId: after._id,
      version: after.version,
      at: after.updatedAt,
      actor: ctx.actor,
      ...(ctx.ip ? { ip: ctx.ip } : {}),
      action,
      image: after as unknown as Record<string, unknown>,
      ...(diff.before ? { before: diff.before } : {}),
      after: diff.after,
    };
    await PendingMarkerModel.collection.insertOne({ _id: revision._id, entity: this.entity, entityId: revision.entityId, version: revision.version, at: revision.at } as never).catch((err: unknown) => {
      if (!isDuplicateKey(err)) throw err;
    });
    try {
      await RevisionModel.collection.insertOne(revision as never);
    } catch (err) {
      // The version was taken: the marker belongs to the writer that took it.
      if (isDuplicateKey(err)) {
        if (!before) throw new AppError('duplicate', '同じ識別子の記録が既にあります', 409);
        const latest = await this.get(after._id);
        throw conflict(undefined, { currentVersion: latest?.version, yourVersion: before.version });
      }
      throw err;
    }
    await this.complete(revision);
  }

  /** Finishes a revision: audit entry (idempotent by ref), record written, marker cleared. Safe to run twice. */
  async complete(revision: Revision): Promise<void> {
    if (this.options.audited !== false) await appendAudit(
      { actor: revision.actor, ...(revision.ip ? { ip: revision.ip } : {}) },
      { action: revision.action, entity: this.entity, entityId: revision.entityId, ref: revision._id, before: revision.before, after: revision.after, at: revision.at },
    );
    const image = revision.image as unknown as T;
    if (revision.version === 1) {
      try {
        await this.model.collection.insertOne(image as never);
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    } else {
      await this.model.collection.replaceOne({ _id: revision.entityId, version: { $lt: revision.version } } as never, image as never);
    }
    await PendingMarkerModel.deleteOne({ _id: revision._id });
  }

  private async claimKeys(owner: string, alreadyOwned: string[], keys: string[]): Promise<string[]> {
    const claimed: string[] = [];
    for (const key of keys) {
      if (alreadyOwned.includes(key)) continue;
      if (!(await this.claimKey(owner, key))) {
        await this.releaseKeys(owner, claimed);
        throw new AppError('duplicate', '同じ内容の記録が既に登録されています', 409, [{ path: key.split(':')[0] ?? 'key', message: '既に使われています' }]);
      }
      claimed.push(key);
    }
    return claimed;
  }

  private async claimKey(owner: string, key: string): Promise<boolean> {
    const id = `${this.entity}:${key}`;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await KeyClaimModel.collection.insertOne({ _id: id, entity: this.entity, owner, at: new Date() } as never);
        return true;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      const claim = await KeyClaimModel.findById(id).lean();
      if (!claim) continue;
      if (claim.owner === owner) return true;
      // A claim is stale when its owner no longer holds the key (changed it, or crashed before saving): take it over.
      const holder = await this.get(claim.owner);
      const holds = holder && !holder.archivedAt && (this.options.keysOf?.(holder) ?? []).includes(key);
      const young = Date.now() - new Date(claim.at).getTime() < 60_000;
      if (holds || (!holder && young)) return false;
      await KeyClaimModel.deleteOne({ _id: id, owner: claim.owner });
    }
    return false;
  }

  private async releaseKeys(owner: string, keys: string[]): Promise<void> {
    for (const key of keys) await KeyClaimModel.deleteOne({ _id: `${this.entity}:${key}`, owner });
  }

  /** The saved states of a record, oldest first (for history views). */
  async history(id: string): Promise<Revision[]> {
    return RevisionModel.find({ entity: this.entity, entityId: id }).sort({ version: 1 }).lean();
  }
}

/** Maps with at most `limit` calls in flight, keeping order. */
export async function mapLimited<A, B>(items: readonly A[], limit: number, fn: (item: A) => Promise<B>): Promise<B[]> {
  const out = new Array<B>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * Completes the writes a crash left unfinished (their markers older than `olderThanMs`, so writers still at work are
 * left alone): reading a marked record applies whatever its writer claimed, with its audit entry, and clears the marker.
 * Run at start-up and periodically; returns how many were finished.
 */
export async function completePendingRevisions(olderThanMs = 10_000): Promise<number> {
  const markers = await PendingMarkerModel.find({ at: mongoose.trusted({ $lt: new Date(Date.now() - olderThanMs) }) }).sort({ at: 1 }).lean();
  let done = 0;
  for (const m of markers) {
    const store = stores.get(m.entity);
    if (!store) continue;
    await store.get(m.entityId);
    if (!(await PendingMarkerModel.exists({ _id: m._id }))) done++;
  }
  return done;
}

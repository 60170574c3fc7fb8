import mongoose from 'mongoose';
import type { WriteContext } from '../audit/actor.js';
import { appendAudit } from '../audit/log.js';
import { scopeFor, type Principal } from '../auth/policy.js';
import { AppError, type FieldError } from '../http/errors.js';
import { personStore, type Person } from '../org/index.js';
import { PERSON_PATHS } from '../records/list-filters.js';
import { storeOf, updateLatest } from '../records/save.js';
import { peopleOf, subjectName, type PersonRole, type SubjectRecord } from '../records/subject.js';
import type { SubjectKind } from '../records/subject.types.js';
import { syncTierHistory } from '../records/tier-history.js';
import { HandoverBatchModel, type HandoverBatch } from './handover.model.js';

const KINDS: SubjectKind[] = ['engagement', 'cloudService', 'snsAccount'];

export interface HandoverItem {
  kind: SubjectKind;
  id: string;
  version: number;
  name: string;
  departmentId: string;
  roles: PersonRole[];
}

/** The record with `from` replaced by `to` in every person role, or null when it does not name `from`. */
export function replacePerson<T extends SubjectRecord>(record: T, from: string, to: string): T | null {
  if (!peopleOf(record).some((p) => p.id === from)) return null;
  const swap = (id: string | null) => (id === from ? to : id);
  switch (record.kind) {
    case 'engagement':
      return { ...record, responsiblePersonId: swap(record.responsiblePersonId)!, administratorId: swap(record.administratorId) };
    case 'cloudService':
      return { ...record, administratorId: swap(record.administratorId)! };
    case 'snsAccount':
      return { ...record, responsiblePersonId: swap(record.responsiblePersonId), operatorIds: [...new Set(record.operatorIds.map((id) => swap(id)!))] };
  }
}

/** Live records naming `from`, limited to the caller's department when the hand-over right is department-scoped. */
export async function handoverCandidates(user: Principal, from: string): Promise<HandoverItem[]> {
  const departmentId = scopeFor(user, 'handover') === 'all' ? null : (user.departmentId ?? '__none__');
  const out: HandoverItem[] = [];
  for (const kind of KINDS) {
    const store = storeOf(kind);
    const filter = { archivedAt: null, ...(departmentId ? { departmentId } : {}), $or: PERSON_PATHS[kind].map((p) => ({ [p]: from })) };
    for (const r of await store.rollForward((await store.model.find(filter).lean()) as SubjectRecord[])) {
      const roles = peopleOf(r).filter((p) => p.id === from).map((p) => p.role);
      if (roles.length === 0 || r.archivedAt) continue;
      out.push({ kind, id: r._id, version: r.version, name: subjectName(r), departmentId: r.departmentId, roles });
    }
  }
  return out;
}

/** Both people, checked: `from` must exist (it may be inactive — that is why it is handed over), `to` must be active. */
export async function handoverPeople(from: string, to: string): Promise<{ from: Person; to: Person }> {
  const errors: FieldError[] = [];
  if (from === to) errors.push({ path: 'to', message: '引継ぎ元と同じ人物です' });
  const [a, b] = await Promise.all([personStore.get(from), personStore.get(to)]);
  if (!a) errors.push({ path: 'from', message: '存在しない人物です' });
  if (!b || b.archivedAt) errors.push({ path: 'to', message: '存在しない人物です' });
  else if (!b.active) errors.push({ path: 'to', message: '無効（異動・退職等）の人物には引き継げません' });
  if (errors.length) throw new AppError('validation_failed', '引継ぎの指定に誤りがあります', 400, errors);
  return { from: a!, to: b! };
}

/** Records that differ from what the caller previewed: a changed version, a record no longer affected, or a new one. */
export function staleItems(current: HandoverItem[], expected: { kind: SubjectKind; id: string; version: number }[]) {
  const now = new Map(current.map((i) => [`${i.kind}:${i.id}`, i]));
  const seen = new Set(expected.map((e) => `${e.kind}:${e.id}`));
  const changed = expected
    .filter((e) => now.get(`${e.kind}:${e.id}`)?.version !== e.version)
    .map((e) => ({ kind: e.kind, id: e.id, expectedVersion: e.version, currentVersion: now.get(`${e.kind}:${e.id}`)?.version ?? null }));
  const added = current.filter((i) => !seen.has(`${i.kind}:${i.id}`)).map((i) => ({ kind: i.kind, id: i.id, expectedVersion: null, currentVersion: i.version }));
  return [...changed, ...added];
}

async function applyBatch(batch: HandoverBatch): Promise<HandoverItem[]> {
  const ctx: WriteContext = { actor: batch.actor, ...(batch.ip ? { ip: batch.ip } : {}) };
  const applied: HandoverItem[] = [];
  for (const item of batch.items) {
    // Idempotent: a record already moved no longer names `from`, and is left as it is.
    const saved = await updateLatest<SubjectRecord>(ctx, item.kind, item.id, `${item.kind}.handover`, (c) => replacePerson(c, batch.from, batch.to));
    await syncTierHistory(item.kind, item.id);
    applied.push({ kind: item.kind, id: saved._id, version: saved.version, name: subjectName(saved), departmentId: saved.departmentId, roles: [] });
  }
  await appendAudit(ctx, {
    action: 'handover.apply',
    entity: 'handover',
    entityId: batch._id,
    ref: `handover:${batch._id}`,
    detail: { from: batch.from, to: batch.to, departmentId: batch.departmentId, records: batch.items.map((i) => `${i.kind}:${i.id}`) },
    at: batch.at,
  });
  await HandoverBatchModel.updateOne({ _id: batch._id }, { $set: { status: 'done', completedAt: new Date() } });
  return applied;
}

/**
 * Applies a hand-over as a whole. With `expected` (the preview's items), any record whose version changed since, or
 * that joined or left the set, answers 409 listing them and nothing is written. Otherwise the batch is inserted first
 * (the commitment), then every record is moved through its store, then the batch is marked done.
 */
export async function applyHandover(
  ctx: WriteContext,
  user: Principal,
  from: string,
  to: string,
  expected: { kind: SubjectKind; id: string; version: number }[] | undefined,
): Promise<{ batchId: string | null; items: HandoverItem[] }> {
  await handoverPeople(from, to);
  const current = await handoverCandidates(user, from);
  if (expected) {
    const stale = staleItems(current, expected);
    if (stale.length > 0) {
      throw new AppError('handover_stale', `プレビューの後に${stale.length}件の記録が変更されました。プレビューをやり直してください。何も変更していません。`, 409, undefined, { stale });
    }
  }
  if (current.length === 0) return { batchId: null, items: [] };
  const batch: HandoverBatch = {
    _id: new mongoose.Types.ObjectId().toHexString(),
    from,
    to,
    actor: ctx.actor,
    ...(ctx.ip ? { ip: ctx.ip } : {}),
    at: new Date(),
    departmentId: scopeFor(user, 'handover') === 'all' ? null : user.departmentId,
    items: current.map((i) => ({ kind: i.kind, id: i.id, version: i.version })),
    status: 'pending',
    completedAt: null,
  };
  await HandoverBatchModel.collection.insertOne(batch as never);
  const applied = await applyBatch(batch);
  return { batchId: batch._id, items: applied.map((a, i) => ({ ...a, roles: current[i]!.roles })) };
}

/**
 * Rolls forward hand-overs a crash left half-applied (pending and older than `olderThanMs`, so one still running is
 * left alone). Call at start-up and periodically, beside completePendingRevisions. Returns how many were completed.
 */
export async function completePendingHandovers(olderThanMs = 10_000): Promise<number> {
  const pending = await HandoverBatchModel.find({ status: 'pending', at: mongoose.trusted({ $lt: new Date(Date.now() - olderThanMs) }) }).sort({ at: 1 }).lean();
  for (const batch of pending) await applyBatch(batch);
  return pending.length;
}

import mongoose from 'mongoose';
import { z, type ZodObject, type ZodType } from 'zod';
import type { Request } from 'express';
import type { VersionedStore, Versioned, NewRecord } from '../db/versioned.js';
import { contextOf, type WriteContext } from '../audit/actor.js';
import { authorize, authorizeRecord, departmentFilter, type Action } from '../auth/policy.js';
import { principalOf } from '../auth/principal.js';
import { AppError } from './errors.js';
import { can, type ApiRegistry } from './route.js';
import { IdParam, listOf, Paging } from './schemas.js';
import { escapeRegExp } from '../shared/text.js';

/**
 * The five routes every versioned record kind has — list, create, read, update, archive — plus its history, declared
 * once. Domain rules live in the `toRecord` / `applyUpdate` callbacks; access uses the policy table, with department
 * scoping when the kind has a department.
 */
export interface ResourceConfig<T extends Versioned, V extends ZodType, C extends ZodType, U extends ZodObject, Q extends ZodObject> {
  path: string;
  tag: string;
  /** Japanese noun for messages, e.g. '部署'. */
  noun: string;
  store: VersionedStore<T>;
  view: V;
  present: (doc: T, req: Request) => z.output<V> | Promise<z.output<V>>;
  createBody: C;
  /** Must include `version`. */
  updateBody: U;
  readAction: Action;
  writeAction: Action;
  /** The record's department, for department-scoped roles; omit for shared master data. */
  departmentOf?: (doc: T) => string | null;
  /** Department of a record about to be created (from the input), for scoped roles. */
  departmentOfInput?: (input: z.output<C>) => string | null;
  toRecord: (ctx: WriteContext, input: z.output<C>, req: Request) => Promise<NewRecord<T>>;
  applyUpdate: (ctx: WriteContext, current: T, changes: Omit<z.output<U>, 'version'>, req: Request) => Promise<Omit<T, keyof Versioned>>;
  /** Extra list filters (query parameters) and how they become a database filter. */
  listQuery?: Q;
  listFilter?: (query: z.output<Q>) => Record<string, unknown> | Promise<Record<string, unknown>>;
  /** Fields `?q=` searches (escaped, case-insensitive). */
  searchFields: string[];
  /** `?sort=` values: name → mongo sort. The first is the default. */
  sorts: Record<string, Record<string, 1 | -1>>;
  /** Extra check before archiving (e.g. a department still in use). */
  beforeArchive?: (doc: T) => Promise<void>;
  /** Hooks after writes (e.g. recompute derived data). */
  afterWrite?: (ctx: WriteContext, doc: T) => Promise<void>;
}

const ArchivedParam = z.object({ archived: z.enum(['exclude', 'include', 'only']).default('exclude') });
const VersionQuery = z.object({ version: z.coerce.number().int().min(1).optional() });

export function registerResource<T extends Versioned, V extends ZodType, C extends ZodType, U extends ZodObject, Q extends ZodObject>(
  api: ApiRegistry,
  cfg: ResourceConfig<T, V, C, U, Q>,
): void {
  const sortNames = Object.keys(cfg.sorts) as [string, ...string[]];
  const ListQuery = Paging.extend(ArchivedParam.shape)
    .extend({ q: z.string().max(200).optional(), sort: z.enum(sortNames).default(sortNames[0]) })
    .extend((cfg.listQuery ?? z.object({})).shape);

  async function load(req: Request, id: string, action: Action): Promise<T> {
    const user = principalOf(req);
    const doc = await cfg.store.get(id);
    if (!doc) throw new AppError('not_found', `指定された${cfg.noun}は見つかりません`, 404);
    if (cfg.departmentOf) authorizeRecord(user, action, cfg.departmentOf(doc), cfg.readAction);
    else authorize(user, action);
    return doc;
  }

  api.add({
    method: 'get',
    path: cfg.path,
    summary: `${cfg.noun}の一覧 / List`,
    tags: [cfg.tag],
    access: can(cfg.readAction),
    query: ListQuery,
    responses: { 200: { description: 'A page', schema: listOf(cfg.view) } },
    handler: async ({ req, query }) => {
      const q = query as z.output<typeof ListQuery> & Record<string, unknown>;
      const filter: Record<string, unknown> = { ...((await cfg.listFilter?.(q as z.output<Q>)) ?? {}) };
      if (q.archived === 'exclude') filter.archivedAt = null;
      if (q.archived === 'only') filter.archivedAt = mongoose.trusted({ $ne: null });
      if (cfg.departmentOf) {
        const dept = departmentFilter(principalOf(req), cfg.readAction);
        if (dept) filter.departmentId = dept;
      }
      if (q.q) {
        const pattern = escapeRegExp(q.q.normalize('NFKC'));
        filter.$or = cfg.searchFields.map((f) => ({ [f]: mongoose.trusted({ $regex: pattern, $options: 'i' }) }));
      }
      const [docs, total] = await Promise.all([
        cfg.store.model.find(filter).sort({ ...cfg.sorts[q.sort], _id: 1 }).skip((q.page - 1) * q.limit).limit(q.limit).lean(),
        cfg.store.model.countDocuments(filter),
      ]);
      const items = await cfg.store.rollForward(docs as T[]);
      return { items: await Promise.all(items.map((d) => cfg.present(d, req))), total, page: q.page, limit: q.limit };
    },
  });

  api.add({
    method: 'post',
    path: cfg.path,
    summary: `${cfg.noun}を登録 / Create`,
    tags: [cfg.tag],
    access: can(cfg.writeAction),
    body: cfg.createBody,
    responses: { 201: { description: 'Created', schema: cfg.view } },
    handler: async ({ req, res, body }) => {
      const user = principalOf(req);
      const scope = authorize(user, cfg.writeAction);
      if (scope === 'department' && cfg.departmentOfInput && cfg.departmentOfInput(body) !== user.departmentId) {
        throw new AppError('forbidden', '自課以外の記録は登録できません', 403, [{ path: 'departmentId', message: '自課を指定してください' }]);
      }
      const ctx = contextOf(req);
      const created = await cfg.store.create(ctx, `${cfg.store.entity}.create`, await cfg.toRecord(ctx, body, req));
      await cfg.afterWrite?.(ctx, created);
      res.setHeader('Location', `${cfg.path}/${created._id}`);
      return cfg.present((await cfg.store.get(created._id)) ?? created, req);
    },
  });

  api.add({
    method: 'get',
    path: `${cfg.path}/:id`,
    summary: `${cfg.noun}を取得 / Read`,
    tags: [cfg.tag],
    access: can(cfg.readAction),
    params: IdParam,
    responses: { 200: { description: 'The record', schema: cfg.view } },
    handler: async ({ req, params }) => cfg.present(await load(req, params.id, cfg.readAction), req),
  });

  api.add({
    method: 'patch',
    path: `${cfg.path}/:id`,
    summary: `${cfg.noun}を変更 / Update`,
    description: '`version` must be the version last read; a stale one answers 409 and changes nothing.',
    tags: [cfg.tag],
    access: can(cfg.writeAction),
    params: IdParam,
    body: cfg.updateBody,
    responses: { 200: { description: 'Updated', schema: cfg.view } },
    handler: async ({ req, params, body }) => {
      const current = await load(req, params.id, cfg.writeAction);
      if (current.archivedAt) throw new AppError('illegal_state', `アーカイブ済みの${cfg.noun}は変更できません`, 409);
      const { version, ...changes } = body as { version: number } & Record<string, unknown>;
      const ctx = contextOf(req);
      const next = await cfg.applyUpdate(ctx, current, changes as Omit<z.output<U>, 'version'>, req);
      if (cfg.departmentOf) {
        const user = principalOf(req);
        const scope = authorize(user, cfg.writeAction);
        if (scope === 'department' && cfg.departmentOf(next as T) !== user.departmentId) {
          throw new AppError('forbidden', '自課以外の部署へは移せません', 403, [{ path: 'departmentId', message: '自課を指定してください' }]);
        }
      }
      const updated = await cfg.store.update(ctx, `${cfg.store.entity}.update`, params.id, version, () => next);
      await cfg.afterWrite?.(ctx, updated);
      return cfg.present(updated, req);
    },
  });

  api.add({
    method: 'delete',
    path: `${cfg.path}/:id`,
    summary: `${cfg.noun}をアーカイブ / Archive (never deleted)`,
    description: 'Sets `archivedAt`; lists hide archived records unless `?archived=include`. `?version=` makes it conditional.',
    tags: [cfg.tag],
    access: can(cfg.writeAction),
    params: IdParam,
    query: VersionQuery,
    responses: { 200: { description: 'Archived', schema: cfg.view } },
    handler: async ({ req, params, query }) => {
      const current = await load(req, params.id, cfg.writeAction);
      if (current.archivedAt) return cfg.present(current, req);
      await cfg.beforeArchive?.(current);
      const archived = await cfg.store.archive(contextOf(req), params.id, query.version ?? current.version);
      return cfg.present(archived, req);
    },
  });

  api.add({
    method: 'get',
    path: `${cfg.path}/:id/history`,
    summary: `${cfg.noun}の変更履歴 / History`,
    tags: [cfg.tag],
    access: can(cfg.readAction),
    params: IdParam,
    responses: { 200: { description: 'Changes, oldest first', schema: z.array(HistoryEntry) } },
    handler: async ({ req, params }) => {
      await load(req, params.id, cfg.readAction);
      return (await cfg.store.history(params.id)).map((r) => ({
        version: r.version,
        at: new Date(r.at).toISOString(),
        action: r.action,
        actor: { kind: r.actor.kind, id: r.actor.id, name: r.actor.name ?? null },
        changes: r.after ?? {},
        previous: r.before ?? {},
      }));
    },
  });
}

export const HistoryEntry = z.object({
  version: z.number().int(),
  at: z.string(),
  action: z.string(),
  actor: z.object({ kind: z.string(), id: z.string(), name: z.string().nullable() }),
  changes: z.record(z.string(), z.unknown()),
  previous: z.record(z.string(), z.unknown()),
});

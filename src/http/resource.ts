import mongoose from 'mongoose';
import { z, type ZodObject, type ZodType } from 'zod';
import type { Request } from 'express';
import type { Versioned } from '../db/versioned.js';
import { contextOf } from '../audit/actor.js';
import { departmentFilter } from '../auth/policy.js';
import { principalOf } from '../auth/principal.js';
import type { RecordCommands } from '../records/commands.js';
import { can, type ApiRegistry } from './route.js';
import { IdParam, listOf, Paging } from './schemas.js';
import { escapeRegExp } from '../shared/text.js';

/**
 * The five routes every versioned record kind has — list, create, read, update, archive — plus its history, declared
 * once. Writes and the record-level access checks are the kind's commands (records/commands.ts), which the console
 * calls too; this adds the HTTP shape: schemas, list filters, presentation.
 */
export interface ResourceConfig<T extends Versioned, V extends ZodType, C extends ZodType, U extends ZodObject, Q extends ZodObject> {
  path: string;
  tag: string;
  commands: RecordCommands<T, z.output<C>, Omit<z.output<U>, 'version'>>;
  view: V;
  present: (doc: T, req: Request) => z.output<V> | Promise<z.output<V>>;
  createBody: C;
  /** Must include `version`. */
  updateBody: U;
  /** Extra list filters (query parameters) and how they become a database filter. */
  listQuery?: Q;
  listFilter?: (query: z.output<Q>) => Record<string, unknown> | Promise<Record<string, unknown>>;
  /** Fields `?q=` searches (escaped, case-insensitive). */
  searchFields: string[];
  /** `?sort=` values: name → mongo sort. The first is the default. */
  sorts: Record<string, Record<string, 1 | -1>>;
}

const ArchivedParam = z.object({ archived: z.enum(['exclude', 'include', 'only']).default('exclude') });
const VersionQuery = z.object({ version: z.coerce.number().int().min(1).optional() });

export function registerResource<T extends Versioned, V extends ZodType, C extends ZodType, U extends ZodObject, Q extends ZodObject>(
  api: ApiRegistry,
  cfg: ResourceConfig<T, V, C, U, Q>,
): void {
  const { commands } = cfg;
  const { store, noun, readAction, writeAction, departmentOf } = commands.spec;
  const sortNames = Object.keys(cfg.sorts) as [string, ...string[]];
  const ListQuery = Paging.extend(ArchivedParam.shape)
    .extend({ q: z.string().max(200).optional(), sort: z.enum(sortNames).default(sortNames[0]) })
    .extend((cfg.listQuery ?? z.object({})).shape);

  api.add({
    method: 'get',
    path: cfg.path,
    summary: `${noun}の一覧 / List`,
    tags: [cfg.tag],
    access: can(readAction),
    query: ListQuery,
    responses: { 200: { description: 'A page', schema: listOf(cfg.view) } },
    handler: async ({ req, query }) => {
      const q = query as z.output<typeof ListQuery> & Record<string, unknown>;
      const filter: Record<string, unknown> = { ...((await cfg.listFilter?.(q as z.output<Q>)) ?? {}) };
      if (q.archived === 'exclude') filter.archivedAt = null;
      if (q.archived === 'only') filter.archivedAt = mongoose.trusted({ $ne: null });
      if (departmentOf) {
        const dept = departmentFilter(principalOf(req), readAction);
        if (dept) filter.departmentId = dept;
      }
      if (q.q) {
        const pattern = escapeRegExp(q.q.normalize('NFKC'));
        filter.$or = cfg.searchFields.map((f) => ({ [f]: mongoose.trusted({ $regex: pattern, $options: 'i' }) }));
      }
      const [docs, total] = await Promise.all([
        store.model.find(filter).sort({ ...cfg.sorts[q.sort], _id: 1 }).skip((q.page - 1) * q.limit).limit(q.limit).lean(),
        store.model.countDocuments(filter),
      ]);
      const items = await store.rollForward(docs as T[]);
      return { items: await Promise.all(items.map((d) => cfg.present(d, req))), total, page: q.page, limit: q.limit };
    },
  });

  api.add({
    method: 'post',
    path: cfg.path,
    summary: `${noun}を登録 / Create`,
    tags: [cfg.tag],
    access: can(writeAction),
    body: cfg.createBody,
    responses: { 201: { description: 'Created', schema: cfg.view } },
    handler: async ({ req, res, body }) => {
      const created = await commands.create(contextOf(req), principalOf(req), body);
      res.setHeader('Location', `${cfg.path}/${created._id}`);
      return cfg.present(created, req);
    },
  });

  api.add({
    method: 'get',
    path: `${cfg.path}/:id`,
    summary: `${noun}を取得 / Read`,
    tags: [cfg.tag],
    access: can(readAction),
    params: IdParam,
    responses: { 200: { description: 'The record', schema: cfg.view } },
    handler: async ({ req, params }) => cfg.present(await commands.find(principalOf(req), params.id), req),
  });

  api.add({
    method: 'patch',
    path: `${cfg.path}/:id`,
    summary: `${noun}を変更 / Update`,
    description: '`version` must be the version last read; a stale one answers 409 and changes nothing.',
    tags: [cfg.tag],
    access: can(writeAction),
    params: IdParam,
    body: cfg.updateBody,
    responses: { 200: { description: 'Updated', schema: cfg.view } },
    handler: async ({ req, params, body }) => {
      const { version, ...changes } = body as { version: number } & Record<string, unknown>;
      return cfg.present(await commands.update(contextOf(req), principalOf(req), params.id, changes as Omit<z.output<U>, 'version'>, version), req);
    },
  });

  api.add({
    method: 'delete',
    path: `${cfg.path}/:id`,
    summary: `${noun}をアーカイブ / Archive (never deleted)`,
    description: 'Sets `archivedAt`; lists hide archived records unless `?archived=include`. `?version=` makes it conditional.',
    tags: [cfg.tag],
    access: can(writeAction),
    params: IdParam,
    query: VersionQuery,
    responses: { 200: { description: 'Archived', schema: cfg.view } },
    handler: async ({ req, params, query }) => cfg.present(await commands.archive(contextOf(req), principalOf(req), params.id, query.version), req),
  });

  api.add({
    method: 'get',
    path: `${cfg.path}/:id/history`,
    summary: `${noun}の変更履歴 / History`,
    tags: [cfg.tag],
    access: can(readAction),
    params: IdParam,
    responses: { 200: { description: 'Changes, oldest first', schema: z.array(HistoryEntry) } },
    handler: async ({ req, params }) => {
      await commands.find(principalOf(req), params.id);
      return (await store.history(params.id)).map((r) => ({
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

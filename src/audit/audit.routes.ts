import { z } from 'zod';
import mongoose from 'mongoose';
import { can, type ApiRegistry } from '../http/route.js';
import { listOf, Paging } from '../http/schemas.js';
import { AuditModel, type AuditEntry } from './audit.model.js';
import { verifyAudit } from './log.js';

export const AuditEntryView = z.object({
  seq: z.number().int(),
  at: z.string(),
  actor: z.object({ kind: z.string(), id: z.string(), name: z.string().nullable(), tokenId: z.string().nullable() }),
  ip: z.string().nullable(),
  action: z.string(),
  entity: z.string().nullable(),
  entityId: z.string().nullable(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
  detail: z.record(z.string(), z.unknown()).nullable(),
  hash: z.string(),
});

export const presentAuditEntry = (e: AuditEntry): z.infer<typeof AuditEntryView> => ({
  seq: e._id, at: new Date(e.at).toISOString(),
  actor: { kind: e.actor.kind, id: e.actor.id, name: e.actor.name ?? null, tokenId: e.actor.tokenId ?? null },
  ip: e.ip ?? null, action: e.action, entity: e.entity ?? null, entityId: e.entityId ?? null,
  before: e.before ?? null, after: e.after ?? null, detail: e.detail ?? null, hash: e.hash,
});

const Name = z.string().max(100).regex(/^[A-Za-z0-9_.:-]+$/, '英数字と . _ : - で指定してください');

export function registerAuditRoutes(api: ApiRegistry): void {
  api.add({
    method: 'get',
    path: '/api/v1/audit',
    summary: '監査ログ / Audit log (newest first)',
    tags: ['audit'],
    access: can('audit.read'),
    query: Paging.extend({
      entity: Name.optional(),
      entityId: Name.optional(),
      actor: Name.optional().describe('actor id (user id)'),
      action: Name.optional(),
      from: z.iso.datetime({ offset: true }).optional(),
      to: z.iso.datetime({ offset: true }).optional(),
    }),
    responses: { 200: { description: 'A page of entries', schema: listOf(AuditEntryView) } },
    handler: async ({ query }) => {
      const filter: Record<string, unknown> = {};
      if (query.entity) filter.entity = query.entity;
      if (query.entityId) filter.entityId = query.entityId;
      if (query.actor) filter['actor.id'] = query.actor;
      if (query.action) filter.action = query.action;
      if (query.from || query.to) {
        filter.at = mongoose.trusted({ ...(query.from ? { $gte: new Date(query.from) } : {}), ...(query.to ? { $lte: new Date(query.to) } : {}) });
      }
      const [docs, total] = await Promise.all([
        AuditModel.find(filter).sort({ _id: -1 }).skip((query.page - 1) * query.limit).limit(query.limit).lean(),
        AuditModel.countDocuments(filter),
      ]);
      return { items: (docs as AuditEntry[]).map(presentAuditEntry), total, page: query.page, limit: query.limit };
    },
  });

  api.add({
    method: 'get',
    path: '/api/v1/audit/verify',
    summary: '監査ログの改ざん検証 / Verify the hash chain',
    tags: ['audit'],
    access: can('audit.read'),
    responses: {
      200: {
        description: '{ ok: true, entries } or { ok: false, entries, firstBroken }',
        schema: z.object({ ok: z.boolean(), entries: z.number().int(), firstBroken: z.object({ seq: z.number().int(), reason: z.string() }).optional() }),
      },
    },
    handler: async () => verifyAudit(),
  });
}

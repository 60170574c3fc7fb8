import { z } from 'zod';
import { contextOf } from '../audit/actor.js';
import { can, type ApiRegistry } from '../http/route.js';
import { IdParam, multiLine } from '../http/schemas.js';
import type { Tier } from '../risk/inherent-tier.js';
import { loadSubject } from './access.js';
import { presentTier } from './present.js';
import { overrideTier } from './tier.commands.js';
import { TierView, VersionField } from './schemas.js';
import { KIND_LABELS, KIND_PATHS, type SubjectRecord } from './subject.js';
import type { SubjectKind } from './subject.types.js';
import { tierHistory } from './tier-history.js';

const OverrideBody = z.object({
  tier: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).nullable().describe('上書き後の区分。null で上書きを解除'),
  reason: multiLine(2000).pipe(z.string().trim().min(1, '理由を入力してください')),
  ...VersionField,
});

const TierResult = z.object({
  id: z.string(),
  version: z.number().int(),
  tier: TierView,
  nextReview: z.object({ date: z.string(), reason: z.string(), text: z.string() }),
});

const HistoryView = z.object({
  recordVersion: z.number().int(),
  at: z.string(),
  actor: z.object({ kind: z.string(), id: z.string(), name: z.string().nullable() }),
  event: z.enum(['computed', 'recomputed', 'override', 'override_cleared', 'override_lapsed']),
  tier: z.number().int(),
  computedTier: z.number().int(),
  previousTier: z.number().int().nullable(),
  reasons: z.array(z.object({ code: z.string(), tier: z.number().int(), text: z.string() })),
  override: z.object({ tier: z.number().int(), reason: z.string() }).nullable(),
});

const result = (r: SubjectRecord): z.infer<typeof TierResult> => ({
  id: r._id,
  version: r.version,
  tier: presentTier(r),
  nextReview: { date: r.nextReviewDate, reason: r.nextReviewReason, text: r.nextReviewText },
});

/** Tier override (assessments.decide, with a reason) and the append-only tier history of one kind. */
export function registerTierRoutes(api: ApiRegistry, kind: SubjectKind): void {
  const base = `/api/v1/${KIND_PATHS[kind]}/:id`;
  const noun = KIND_LABELS[kind];

  api.add({
    method: 'post',
    path: `${base}/tier-override`,
    summary: `${noun}の区分を上書き / Override the inherent tier`,
    description:
      'A security officer sets the tier by judgement, with a reason (`tier: null` clears it). The override holds while the computed tier stays the one it overrode; when the facts move the computed tier, it lapses. Recorded in the tier history.',
    tags: [KIND_PATHS[kind]],
    access: can('assessments.decide'),
    params: IdParam,
    body: OverrideBody,
    responses: { 200: { description: 'The record’s tier after the change', schema: TierResult } },
    handler: async ({ req, params, body }) => {
      const current = await loadSubject(req, kind, params.id, 'assessments.decide');
      return result(await overrideTier(contextOf(req), current, body.tier as Tier | null, body.reason, body.version));
    },
  });

  api.add({
    method: 'get',
    path: `${base}/tier-history`,
    summary: `${noun}の区分の履歴 / Tier history (oldest first)`,
    tags: [KIND_PATHS[kind]],
    access: can('records.read'),
    params: IdParam,
    responses: { 200: { description: 'Entries', schema: z.object({ items: z.array(HistoryView) }) } },
    handler: async ({ req, params }) => {
      await loadSubject(req, kind, params.id, 'records.read');
      const items = await tierHistory(kind, params.id);
      return {
        items: items.map((e) => ({
          recordVersion: e.recordVersion,
          at: new Date(e.at).toISOString(),
          actor: { kind: e.actor.kind, id: e.actor.id, name: e.actor.name ?? null },
          event: e.event,
          tier: e.tier,
          computedTier: e.computedTier,
          previousTier: e.previousTier ?? null,
          reasons: e.reasons.map((r) => ({ code: r.code, tier: r.tier, text: r.text })),
          override: e.override,
        })),
      };
    },
  });
}

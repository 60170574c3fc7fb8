/**
 * List filters shared by the subject kinds. Filters on stored fields (tier, nextReviewDate, stored warning codes) are
 * plain equality or range matches; read-time warnings (which depend on today or on people) are translated into a query
 * of their own that selects exactly the records `warningsOf` would flag.
 */
import mongoose from 'mongoose';
import { z } from 'zod';
import { PersonModel } from '../org/index.js';
import { getSettings } from '../settings/index.js';
import { addDays, todayInTokyo } from '../shared/dates.js';
import { WARNING_CATALOGUE, WARNING_CODES, type WarningCode } from '../risk/warnings.js';
import { Id } from './schemas.js';
import type { SubjectKind } from './subject.types.js';

const t = mongoose.trusted;
const NOTHING = { _id: '__none__' };

export const SubjectListQuery = z.object({
  departmentId: Id.optional(),
  tier: z.enum(['1', '2', '3', '4']).optional().describe('有効な区分（上書きを含む）'),
  warning: z
    .enum(WARNING_CODES)
    .optional()
    .describe(
      '警告コード。記録だけで決まる警告は保存時に計算して記録に保存し（warningCodes）、日付や人物に依存する警告（ismap_expired, contract_ended_without_record, sns_dormant, person_inactive）は、その都度同じ条件の検索に変換する',
    ),
  reviewDue: z.enum(['overdue', 'soon', 'due']).optional().describe('overdue: 期限切れ、soon: 今日から days 日以内、due: その両方（保存時に計算した nextReviewDate と日本時間の今日を比べる）'),
  days: z.coerce.number().int().min(1).max(366).default(30),
  personId: Id.optional().describe('責任者・管理者・運用担当者として指定されている人物'),
});
export type SubjectListQuery = z.output<typeof SubjectListQuery>;

/** Person-valued paths of each kind (hand-over and the inactive-person filter). */
export const PERSON_PATHS: Record<SubjectKind, string[]> = {
  engagement: ['responsiblePersonId', 'administratorId'],
  cloudService: ['administratorId'],
  snsAccount: ['responsiblePersonId', 'operatorIds'],
};

function namingAnyOf(kind: SubjectKind, ids: string[]): Record<string, unknown> {
  return { $or: PERSON_PATHS[kind].map((p) => ({ [p]: t({ $in: ids }) })) };
}

async function warningCondition(kind: SubjectKind, code: WarningCode, today: string): Promise<Record<string, unknown>> {
  const entry = WARNING_CATALOGUE[code];
  if (!(entry.kinds as readonly SubjectKind[]).includes(kind)) return NOTHING;
  if (entry.timing === 'stored') return { warningCodes: code };
  switch (code) {
    case 'ismap_expired':
      return { 'classification.rank': t({ $gte: 2 }), 'ismap.validUntil': t({ $lt: today }) };
    case 'contract_ended_without_record':
      return { 'period.end': t({ $lt: today }), endOfContract: null };
    case 'sns_dormant': {
      const cutoff = addDays(today, -(await getSettings()).dormancyDays);
      return { $or: [{ lastActivityOn: t({ $lt: cutoff }) }, { lastActivityOn: null, registeredOn: t({ $lt: cutoff }) }] };
    }
    case 'person_inactive': {
      const inactive = await PersonModel.find({ $or: [{ active: false }, { archivedAt: t({ $ne: null }) }] }, { _id: 1 }).lean();
      return inactive.length ? namingAnyOf(kind, inactive.map((p) => p._id)) : NOTHING;
    }
    default:
      return NOTHING;
  }
}

/** The database filter for the shared list parameters, as one `$and` (so it never collides with `?q=`'s `$or`). */
export async function subjectListFilter(kind: SubjectKind, q: SubjectListQuery): Promise<Record<string, unknown>> {
  const today = todayInTokyo();
  const all: Record<string, unknown>[] = [];
  if (q.departmentId) all.push({ departmentId: q.departmentId });
  if (q.tier) all.push({ tier: Number(q.tier) });
  if (q.warning) all.push(await warningCondition(kind, q.warning, today));
  if (q.reviewDue === 'overdue') all.push({ nextReviewDate: t({ $lt: today }) });
  if (q.reviewDue === 'soon') all.push({ nextReviewDate: t({ $gte: today, $lte: addDays(today, q.days) }) });
  if (q.reviewDue === 'due') all.push({ nextReviewDate: t({ $lte: addDays(today, q.days) }) });
  if (q.personId) all.push(namingAnyOf(kind, [q.personId]));
  return all.length ? { $and: all } : {};
}

export const SUBJECT_SORTS = {
  updated: { updatedAt: -1 },
  nextReview: { nextReviewDate: 1 },
  tier: { tier: -1, nextReviewDate: 1 },
  registered: { registeredOn: -1 },
} as const;

/** Adds conditions to a filter built by `subjectListFilter`. */
export function withConditions(filter: Record<string, unknown>, more: Record<string, unknown>[]): Record<string, unknown> {
  if (more.length === 0) return filter;
  return { ...filter, $and: [...((filter.$and as Record<string, unknown>[] | undefined) ?? []), ...more] };
}

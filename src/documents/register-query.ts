/**
 * The filters of a register download: the same query parameters as the list of its kind (`?departmentId=`,
 * `?warning=`, `?reviewDue=`, `?q=`, `?archived=`, the kind's own…), translated to the same database filter, plus the
 * caller's department when they see only their own. Also the words for the title row (「委託先台帳（情報政策課・見直し期限超過）」).
 */
import mongoose from 'mongoose';
import { z } from 'zod';
import { CloudServiceListQuery } from '../cloud-services/cloud-services.schemas.js';
import { EngagementListQuery } from '../engagements/engagements.schemas.js';
import { departmentStore } from '../org/index.js';
import { SUBJECT_SORTS, subjectListFilter, withConditions } from '../records/list-filters.js';
import type { SubjectKind } from '../records/index.js';
import { WARNING_CATALOGUE, type WarningCode } from '../risk/warnings.js';
import { escapeRegExp } from '../shared/text.js';
import { SnsAccountListQuery } from '../sns-accounts/sns-accounts.schemas.js';
import { CERTIFICATION_LABELS, type CertificationType } from '../vendors/vendor.types.js';
import { VendorListQuery } from '../vendors/vendors.schemas.js';
import type { RegisterId } from './index.js';

const Common = z.object({
  q: z.string().max(200).optional().describe('名称の検索（一覧と同じ）'),
  archived: z.enum(['exclude', 'include', 'only']).default('exclude'),
});

/** Per register: the kind it lists, the list's sorts (the first is the register's default) and searched fields. */
export const REGISTER_KINDS = {
  vendors: { kind: null, sorts: { kana: { nameKana: 1 }, name: { name: 1 }, updated: { updatedAt: -1 } }, search: ['name', 'nameKana', 'corporateNumber'] },
  engagements: { kind: 'engagement', sorts: { title: { title: 1 }, ...SUBJECT_SORTS, periodEnd: { 'period.end': 1 } }, search: ['title', 'contractNumber'] },
  'cloud-services': { kind: 'cloudService', sorts: { name: { name: 1 }, ...SUBJECT_SORTS }, search: ['name'] },
  'sns-accounts': { kind: 'snsAccount', sorts: { account: { platform: 1, accountName: 1 }, ...SUBJECT_SORTS, lastActivity: { lastActivityOn: 1 } }, search: ['accountName', 'platformName'] },
} as const satisfies Record<RegisterId, { kind: SubjectKind | null; sorts: Record<string, Record<string, 1 | -1>>; search: readonly string[] }>;

const sortOf = <R extends RegisterId>(id: R) => {
  const names = Object.keys(REGISTER_KINDS[id].sorts) as [string, ...string[]];
  return z.object({ sort: z.enum(names).default(names[0]) });
};

/** The query schema of each register (what its list accepts, without paging). */
export const REGISTER_QUERIES = {
  vendors: VendorListQuery.extend(Common.shape).extend(sortOf('vendors').shape),
  engagements: EngagementListQuery.extend(Common.shape).extend(sortOf('engagements').shape),
  'cloud-services': CloudServiceListQuery.extend(Common.shape).extend(sortOf('cloud-services').shape),
  'sns-accounts': SnsAccountListQuery.extend(Common.shape).extend(sortOf('sns-accounts').shape),
};

/** A register's parsed query, whichever register (each schema above gives a subset of these). */
export interface RegisterQuery {
  archived: 'exclude' | 'include' | 'only';
  sort: string;
  q?: string;
  departmentId?: string;
  tier?: '1' | '2' | '3' | '4';
  warning?: WarningCode;
  reviewDue?: 'overdue' | 'soon' | 'due';
  days?: number;
  personId?: string;
  vendorId?: string;
  segment?: string;
  contractType?: string;
  serviceModel?: string;
  generativeAi?: 'true' | 'false';
  platform?: string;
  disasterInformation?: 'true' | 'false';
  country?: string;
  certification?: CertificationType;
}

/** The kind's own list filters (as in its routes) over the shared ones. */
async function kindFilter(id: Exclude<RegisterId, 'vendors'>, q: RegisterQuery): Promise<Record<string, unknown>> {
  const kind = REGISTER_KINDS[id].kind;
  const base = await subjectListFilter(kind, { days: 30, ...q } as Parameters<typeof subjectListFilter>[1]);
  const more: Record<string, unknown>[] = [];
  if (id === 'engagements') {
    if (q.vendorId) more.push({ vendorId: q.vendorId });
    if (q.segment) more.push({ segment: q.segment });
  } else if (id === 'cloud-services') {
    if (q.vendorId) more.push({ providerVendorId: q.vendorId });
    if (q.segment) more.push({ segment: q.segment });
    if (q.contractType) more.push({ contractType: q.contractType });
    if (q.serviceModel) more.push({ serviceModel: q.serviceModel });
    if (q.generativeAi) more.push({ generativeAi: q.generativeAi === 'true' });
  } else {
    if (q.platform) more.push({ platform: q.platform });
    if (q.disasterInformation) more.push({ disasterInformation: q.disasterInformation === 'true' });
  }
  return withConditions(base, more);
}

/**
 * The database filter and sort of a register: the list filters, archived records excluded unless asked, the name
 * search escaped, and `department` (the caller's own, for a department-scoped reader) on top of everything. For the
 * vendors register, `department` is applied by the row reader (vendors used by that department's records).
 */
export async function registerFilter(id: RegisterId, q: RegisterQuery, department: string | null): Promise<{ filter: Record<string, unknown>; sort: Record<string, 1 | -1> }> {
  const filter: Record<string, unknown> =
    id === 'vendors'
      ? { ...(q.country ? { country: q.country } : {}), ...(q.certification ? { 'certifications.type': q.certification } : {}) }
      : await kindFilter(id, q);
  if (q.archived === 'exclude') filter.archivedAt = null;
  if (q.archived === 'only') filter.archivedAt = mongoose.trusted({ $ne: null });
  if (department && id !== 'vendors') filter.departmentId = department;
  if (q.q) {
    const pattern = escapeRegExp(q.q.normalize('NFKC'));
    filter.$or = REGISTER_KINDS[id].search.map((f) => ({ [f]: mongoose.trusted({ $regex: pattern, $options: 'i' }) }));
  }
  const sorts = REGISTER_KINDS[id].sorts as Record<string, Record<string, 1 | -1>>;
  return { filter, sort: { ...(sorts[q.sort] ?? Object.values(sorts)[0]!), _id: 1 } };
}

const REVIEW_DUE: Record<string, (days: number) => string> = {
  overdue: () => '見直し期限超過',
  soon: (d) => `${d}日以内に見直し`,
  due: (d) => `見直し期限超過・${d}日以内に見直し`,
};

/** What the filters select, in words for the title row; empty when the register is complete. */
export async function filterWords(q: RegisterQuery, department: string | null): Promise<string[]> {
  const words: string[] = [];
  const dept = q.departmentId ?? department;
  if (dept) words.push((await departmentStore.get(dept))?.name ?? '所管課指定');
  if (q.tier) words.push(`区分${q.tier}`);
  if (q.warning) words.push(WARNING_CATALOGUE[q.warning].label);
  if (q.reviewDue) words.push(REVIEW_DUE[q.reviewDue]!(q.days ?? 30));
  if (q.certification) words.push(CERTIFICATION_LABELS[q.certification]);
  if (q.q) words.push(`「${q.q}」を含む`);
  if (q.archived === 'include') words.push('アーカイブ済みを含む');
  if (q.archived === 'only') words.push('アーカイブ済みのみ');
  return words;
}

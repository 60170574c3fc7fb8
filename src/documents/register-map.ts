/**
 * One record → one register row, keyed as the layouts in exports/registers/ read it (exports/README.md): names in
 * place of ids, codes as the words people use, dates as YYYY-MM-DD (shown in 和暦 by the writer), and the row flags
 * that colour cells (`_overdue`, `_expired`, `_inactive`, `_dormant`, `_conditionOverdue`). Pure: everything read from
 * the database arrives through the context.
 */
import type { CloudService } from '../cloud-services/cloud-service.types.js';
import type { Engagement } from '../engagements/engagement.types.js';
import { levelLabel } from '../records/classification.js';
import { countryName, dormancy } from '../risk/warnings.js';
import { compareDates } from '../shared/dates.js';
import { toWareki } from '../shared/wareki.js';
import { PLATFORM_LABELS, type SnsAccount } from '../sns-accounts/sns-account.types.js';
import { CERTIFICATION_LABELS, type Vendor } from '../vendors/vendor.types.js';
import type { RegisterId } from './index.js';
import { CONTRACT_TYPE_LABELS, label, PLACEMENT_LABELS, RESULT_LABELS, SEGMENT_LABELS, SERVICE_MODEL_LABELS } from './labels.js';
import { latestOf, openConditionsOf, type DecisionIndex, type Directory, type VendorUse } from './register-rows.js';

export interface RowContext {
  today: string;
  dormancyDays: number;
  directory: Directory;
  decisions: DecisionIndex;
  /** Vendors register only. */
  vendorUse?: ReadonlyMap<string, VendorUse>;
}

type Row = Record<string, unknown>;

export interface RowMapper<T> {
  /** Loads the names a page of records refers to (one query per kind of name). */
  prefetch(page: readonly T[], directory: Directory): Promise<void>;
  row(record: T, ctx: RowContext): Row;
}

const before = (date: string | null | undefined, today: string): boolean => Boolean(date) && compareDates(date!, today) < 0;
const yesNo = (v: boolean): string => (v ? '○' : '×');

function segmentText(segment: string | null, placement: string | null): string | null {
  const s = label(SEGMENT_LABELS, segment);
  const p = label(PLACEMENT_LABELS, placement);
  return s && p ? `${s}（${p}）` : (s ?? p);
}

/** 「返却○・消去証明○・失効×（令和8年3月31日）」; 「未記録」 once the contract has ended without one. */
function endOfContractText(r: Engagement, today: string): string | null {
  const e = r.endOfContract;
  if (e) return `返却${yesNo(e.assetsReturned)}・消去証明${yesNo(e.erasureCertificate)}・失効${yesNo(e.accountsRevoked)}（${toWareki(e.date)}）`;
  return before(r.period.end, today) ? '未記録' : null;
}

/** 「データ: 日本／バックアップ: 日本／ログ: アメリカ合衆国（東京・大阪リージョン）」, or 不明. */
function locationText(r: CloudService): string {
  const { data, backups, logs, note } = r.dataLocations;
  const parts = ([['データ', data], ['バックアップ', backups], ['ログ', logs]] as const)
    .filter(([, where]) => where.length > 0)
    .map(([what, where]) => `${what}: ${where.map(countryName).join('、')}`);
  const text = parts.length > 0 ? parts.join('／') : '不明';
  return note ? `${text}（${note}）` : text;
}

function decisionColumns(r: Engagement | CloudService | SnsAccount, ctx: RowContext): Row {
  const latest = latestOf(r);
  return { latestResult: label(RESULT_LABELS, latest?.result), decidedOn: latest?.date ?? null, nextReviewDate: r.nextReviewDate, _overdue: before(r.nextReviewDate, ctx.today) };
}

const engagements: RowMapper<Engagement> = {
  prefetch: (page, d) => d.load({ departments: page.map((r) => r.departmentId), people: page.map((r) => r.responsiblePersonId), vendors: page.map((r) => r.vendorId) }),
  row(r, ctx) {
    const d = ctx.directory;
    const responsible = d.person(r.responsiblePersonId);
    const open = openConditionsOf(r, ctx.decisions);
    return {
      contractNumber: r.contractNumber || null,
      title: r.title,
      vendor: d.vendor(r.vendorId)?.name ?? null,
      department: d.department(r.departmentId),
      responsiblePerson: responsible?.name ?? null,
      periodStart: r.period.start,
      periodEnd: r.period.end,
      classification: r.classification ? levelLabel(r.classification.level) : null,
      personalData: r.informationAssets.some((a) => a.personalData || a.myNumber),
      myNumber: r.informationAssets.some((a) => a.myNumber),
      segment: segmentText(r.segment, r.placement),
      subcontractors: r.subcontractors.map((s) => `${s.name}（${[s.scope, s.approved ? '承認済み' : '未承認'].filter(Boolean).join('・')}）`),
      tier: r.tier,
      ...decisionColumns(r, ctx),
      openConditions: open.count,
      nextConditionDue: open.next,
      endOfContract: endOfContractText(r, ctx.today),
      _conditionOverdue: before(open.next, ctx.today),
      _inactive: responsible !== null && !responsible.active,
    };
  },
};

const cloudServices: RowMapper<CloudService> = {
  prefetch: (page, d) => d.load({ departments: page.map((r) => r.departmentId), people: page.map((r) => r.administratorId), vendors: page.map((r) => r.providerVendorId) }),
  row(r, ctx) {
    const d = ctx.directory;
    const administrator = d.person(r.administratorId);
    return {
      name: r.name,
      provider: d.vendor(r.providerVendorId)?.name ?? null,
      serviceModel: label(SERVICE_MODEL_LABELS, r.serviceModel),
      contractType: label(CONTRACT_TYPE_LABELS, r.contractType),
      ismapStatus: r.ismap ? `${r.ismap.program === 'ismap' ? 'ISMAP' : 'ISMAP-LIU'}　${r.ismap.number}` : '未登録',
      ismapValidUntil: r.ismap?.validUntil ?? null,
      dataLocation: locationText(r),
      governingLaw: r.governingLaw ? countryName(r.governingLaw) : null,
      court: r.jurisdiction ? r.jurisdiction.court || countryName(r.jurisdiction.country) : null,
      department: d.department(r.departmentId),
      administrator: administrator?.name ?? null,
      approvedOn: r.approval?.approvedOn ?? null,
      classification: r.classification ? levelLabel(r.classification.level) : null,
      generativeAi: r.generativeAi,
      ...decisionColumns(r, ctx),
      _expired: before(r.ismap?.validUntil, ctx.today),
      _inactive: administrator !== null && !administrator.active,
    };
  },
};

const snsAccounts: RowMapper<SnsAccount> = {
  prefetch: (page, d) => d.load({ departments: page.map((r) => r.departmentId), people: page.flatMap((r) => [r.responsiblePersonId, ...r.operatorIds]) }),
  row(r, ctx) {
    const d = ctx.directory;
    const responsible = d.person(r.responsiblePersonId);
    return {
      platform: r.platform === 'other' ? r.platformName || PLATFORM_LABELS.other : PLATFORM_LABELS[r.platform],
      accountName: r.accountName,
      url: r.url,
      department: d.department(r.departmentId),
      responsiblePerson: responsible?.name ?? null,
      operators: r.operatorIds.map((id) => d.person(id)!.name),
      twoFactor: r.twoFactor,
      credentialHolders: r.credentialHolders || null,
      procedure: r.procedure ? `${r.procedure.reference}（${toWareki(r.procedure.date)}）` : null,
      listedOnOfficialSite: r.officialSiteUrl !== null,
      lastActivityOn: r.lastActivityOn,
      ...decisionColumns(r, ctx),
      _inactive: responsible !== null && !responsible.active,
      _dormant: dormancy(r, ctx.today, ctx.dormancyDays).dormant,
    };
  },
};

const vendors: RowMapper<Vendor> = {
  prefetch: async () => undefined,
  row(v, ctx) {
    const use = ctx.vendorUse?.get(v._id);
    const expiries = v.certifications.map((c) => c.validUntil).filter((x): x is string => Boolean(x)).sort(compareDates);
    return {
      name: v.name,
      nameKana: v.nameKana || null,
      corporateNumber: v.corporateNumber,
      country: v.country,
      address: v.address || null,
      contacts: v.contacts.map((c) => [c.name, c.role || c.title ? `（${c.role || c.title}）` : '', c.email ? ` ${c.email}` : '', c.phone ? ` ${c.phone}` : ''].join('')),
      certifications: v.certifications.map((c) => {
        const name = c.type === 'other' ? c.name || CERTIFICATION_LABELS.other : CERTIFICATION_LABELS[c.type];
        return `${name}${c.number ? ` ${c.number}` : ''}${c.validUntil ? `（${toWareki(c.validUntil)}まで）` : ''}`;
      }),
      certificationsExpireOn: expiries[0] ?? null,
      engagementCount: use?.engagements ?? 0,
      cloudServiceCount: use?.cloudServices ?? 0,
      latestResult: label(RESULT_LABELS, use?.latest?.result),
      nextReviewDate: use?.nextReviewDate ?? null,
      _expired: before(expiries[0], ctx.today),
      _overdue: before(use?.nextReviewDate, ctx.today),
    };
  },
};

/** The mapper of each register. */
export const rowMappers: { [K in RegisterId]: RowMapper<never> } = {
  vendors: vendors as RowMapper<never>,
  engagements: engagements as RowMapper<never>,
  'cloud-services': cloudServices as RowMapper<never>,
  'sns-accounts': snsAccounts as RowMapper<never>,
};

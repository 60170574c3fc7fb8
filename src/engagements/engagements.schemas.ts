import { z } from 'zod';
import { multiLine, requiredLine, singleLine } from '../http/schemas.js';
import {
  Id,
  InformationAssets,
  InformationAssetView,
  NamedRef,
  PeriodInput,
  PersonRef,
  Placement,
  Segment,
  SubjectViewBase,
  ValidDate,
  VersionField,
} from '../records/schemas.js';
import { SubjectListQuery } from '../records/list-filters.js';

const SubcontractorInput = z
  .object({
    id: z.string().regex(/^[0-9a-f]{24}$/).optional().describe('既存の再委託先を更新するときはその id'),
    vendorId: Id.nullable().default(null).describe('事業者として登録済みの場合'),
    name: singleLine(200).default('').describe('未登録の事業者の名称（vendorId がない場合は必須）'),
    location: singleLine(300).default(''),
    scope: singleLine(500).default('').describe('再委託する業務の範囲'),
    dataHandled: singleLine(500).default('').describe('取り扱う情報'),
    approved: z.boolean().default(false),
    approvedOn: ValidDate.nullable().default(null),
  })
  .superRefine((s, ctx) => {
    if (!s.vendorId && !s.name) ctx.addIssue({ code: 'custom', path: ['name'], message: '再委託先の事業者又は名称を指定してください' });
    if (s.approved && !s.approvedOn) ctx.addIssue({ code: 'custom', path: ['approvedOn'], message: '承認した日を入力してください' });
    if (!s.approved && s.approvedOn) ctx.addIssue({ code: 'custom', path: ['approved'], message: '承認日があるときは approved を true にしてください' });
  });

const EndOfContractInput = z.object({
  assetsReturned: z.boolean().describe('情報資産の返却'),
  erasureCertificate: z.boolean().describe('消去証明書の受領'),
  accountsRevoked: z.boolean().describe('アカウント・入館証の失効'),
  date: ValidDate,
  note: multiLine(2000).default(''),
});

const Fields = {
  title: requiredLine(200),
  departmentId: Id,
  vendorId: Id,
  contractNumber: singleLine(100),
  period: PeriodInput,
  description: multiLine(4000),
  informationAssets: InformationAssets,
  segment: Segment.nullable(),
  placement: Placement.nullable(),
  systemWork: z.boolean().describe('システムの開発又は運用'),
  workLocation: z.enum(['onsite', 'vendor_site', 'remote']).nullable().describe('onsite: 庁内, vendor_site: 事業者の拠点, remote: リモート'),
  remoteAccess: z.boolean().describe('庁内ネットワークへのリモートアクセス又は管理者アクセス'),
  responsiblePersonId: Id.describe('責任者'),
  administratorId: Id.nullable().describe('管理者'),
  vendorOperatesSns: z.boolean().describe('事業者が本市のSNSアカウントを運用する'),
  usesTermsOrGenerativeAi: z.boolean().describe('事業者が業務で約款型サービス又は生成AIを利用する'),
  criticalDependency: z.boolean().describe('停止できない業務を単独で担う'),
  subcontractors: z.array(SubcontractorInput).max(30, '再委託先は30件までです'),
  endOfContract: EndOfContractInput.nullable(),
};

export const CreateEngagement = z.object({
  ...Fields,
  contractNumber: Fields.contractNumber.default(''),
  description: Fields.description.default(''),
  informationAssets: Fields.informationAssets.default([]),
  segment: Fields.segment.default(null),
  placement: Fields.placement.default(null),
  systemWork: Fields.systemWork.default(false),
  workLocation: Fields.workLocation.default(null),
  remoteAccess: Fields.remoteAccess.default(false),
  administratorId: Fields.administratorId.default(null),
  vendorOperatesSns: Fields.vendorOperatesSns.default(false),
  usesTermsOrGenerativeAi: Fields.usesTermsOrGenerativeAi.default(false),
  criticalDependency: Fields.criticalDependency.default(false),
  subcontractors: Fields.subcontractors.default([]),
  endOfContract: Fields.endOfContract.default(null),
});
export const UpdateEngagement = z.object(Fields).partial().extend(VersionField);

export const EngagementView = z.object({
  ...SubjectViewBase,
  title: z.string(),
  departmentId: z.string(),
  vendorId: z.string(),
  vendor: NamedRef,
  contractNumber: z.string(),
  period: z.object({ start: z.string(), end: z.string() }),
  description: z.string(),
  informationAssets: z.array(InformationAssetView),
  segment: z.string().nullable(),
  placement: z.string().nullable(),
  systemWork: z.boolean(),
  workLocation: z.string().nullable(),
  remoteAccess: z.boolean(),
  responsiblePersonId: z.string(),
  responsiblePerson: PersonRef,
  administratorId: z.string().nullable(),
  administrator: PersonRef.nullable(),
  vendorOperatesSns: z.boolean(),
  usesTermsOrGenerativeAi: z.boolean(),
  criticalDependency: z.boolean(),
  subcontractors: z.array(
    z.object({ id: z.string(), vendorId: z.string().nullable(), name: z.string(), location: z.string(), scope: z.string(), dataHandled: z.string(), approved: z.boolean(), approvedOn: z.string().nullable() }),
  ),
  endOfContract: z.object({ assetsReturned: z.boolean(), erasureCertificate: z.boolean(), accountsRevoked: z.boolean(), date: z.string(), note: z.string() }).nullable(),
});

export const EngagementListQuery = SubjectListQuery.extend({
  vendorId: Id.optional().describe('委託先（再委託先は含まない）'),
  segment: Segment.optional(),
});

import { z } from 'zod';
import { multiLine, requiredLine, singleLine } from '../http/schemas.js';
import { SubjectListQuery } from '../records/list-filters.js';
import {
  CountryCode,
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

const IsmapInput = z.object({
  program: z.enum(['ismap', 'ismap_liu']).describe('ismap: ISMAP, ismap_liu: ISMAP-LIU'),
  number: requiredLine(100).describe('登録番号'),
  scope: singleLine(500).default('').describe('登録の範囲（サービス・リージョン）'),
  validUntil: ValidDate.describe('登録の有効期限'),
});

const Countries = z.array(CountryCode).max(30);
const DataLocationsInput = z.object({
  data: Countries.default([]).describe('データの保存国（ISO 3166-1 alpha-2）。空は不明'),
  backups: Countries.default([]),
  logs: Countries.default([]),
  note: singleLine(300).default('').describe('例: 東京・大阪リージョン'),
});

const Fields = {
  name: requiredLine(200),
  providerVendorId: Id.describe('提供事業者'),
  serviceModel: z.enum(['saas', 'paas', 'iaas']),
  contractType: z.enum(['individual', 'terms']).describe('individual: 個別契約, terms: 約款型'),
  ismap: IsmapInput.nullable(),
  dataLocations: DataLocationsInput,
  governingLaw: CountryCode.nullable().describe('準拠法の国（null は不明）'),
  jurisdiction: z.object({ country: CountryCode, court: singleLine(200).default('').describe('例: 東京地方裁判所') }).nullable(),
  departmentId: Id,
  administratorId: Id.describe('外部サービス管理者'),
  purpose: multiLine(4000),
  informationAssets: InformationAssets,
  segment: Segment.nullable(),
  placement: Placement.nullable(),
  generativeAi: z.boolean().describe('生成AIのサービス'),
  criticalDependency: z.boolean().describe('停止できない業務を単独で担う'),
  contractPeriod: PeriodInput.nullable(),
  approval: z.object({ approvedOn: ValidDate, approver: requiredLine(200).describe('許可権限者'), reference: singleLine(200).default('').describe('決裁番号等') }).nullable(),
};

export const CreateCloudService = z.object({
  ...Fields,
  ismap: Fields.ismap.default(null),
  dataLocations: Fields.dataLocations.default({ data: [], backups: [], logs: [], note: '' }),
  governingLaw: Fields.governingLaw.default(null),
  jurisdiction: Fields.jurisdiction.default(null),
  purpose: Fields.purpose.default(''),
  informationAssets: Fields.informationAssets.default([]),
  segment: Fields.segment.default(null),
  placement: Fields.placement.default(null),
  generativeAi: Fields.generativeAi.default(false),
  criticalDependency: Fields.criticalDependency.default(false),
  contractPeriod: Fields.contractPeriod.default(null),
  approval: Fields.approval.default(null),
});
export const UpdateCloudService = z.object(Fields).partial().extend(VersionField);

export const CloudServiceView = z.object({
  ...SubjectViewBase,
  name: z.string(),
  providerVendorId: z.string(),
  provider: NamedRef,
  serviceModel: z.enum(['saas', 'paas', 'iaas']),
  contractType: z.enum(['individual', 'terms']),
  ismap: z.object({ program: z.enum(['ismap', 'ismap_liu']), number: z.string(), scope: z.string(), validUntil: z.string() }).nullable(),
  dataLocations: z.object({ data: z.array(z.string()), backups: z.array(z.string()), logs: z.array(z.string()), note: z.string() }),
  governingLaw: z.string().nullable(),
  jurisdiction: z.object({ country: z.string(), court: z.string() }).nullable(),
  departmentId: z.string(),
  administratorId: z.string(),
  administrator: PersonRef,
  purpose: z.string(),
  informationAssets: z.array(InformationAssetView),
  segment: z.string().nullable(),
  placement: z.string().nullable(),
  generativeAi: z.boolean(),
  criticalDependency: z.boolean(),
  contractPeriod: z.object({ start: z.string(), end: z.string() }).nullable(),
  approval: z.object({ approvedOn: z.string(), approver: z.string(), reference: z.string() }).nullable(),
});

export const CloudServiceListQuery = SubjectListQuery.extend({
  vendorId: Id.optional().describe('提供事業者'),
  segment: Segment.optional(),
  contractType: z.enum(['individual', 'terms']).optional(),
  serviceModel: z.enum(['saas', 'paas', 'iaas']).optional(),
  generativeAi: z.enum(['true', 'false']).optional(),
});

import { z } from 'zod';
import { multiLine, requiredLine, singleLine } from '../http/schemas.js';
import { SubjectListQuery } from '../records/list-filters.js';
import { HttpUrl, Id, NamedRef, PersonRef, SubjectViewBase, ValidDate, VersionField } from '../records/schemas.js';
import { PLATFORMS } from './sns-account.types.js';

const Fields = {
  platform: z.enum(PLATFORMS),
  platformName: singleLine(100).describe("platform が 'other' のときのサービス名"),
  accountName: requiredLine(100).describe('例: @sakuragaoka_city'),
  url: HttpUrl.describe('アカウントのURL'),
  departmentId: Id,
  purpose: multiLine(2000),
  audience: singleLine(200).describe('主な対象（例: 市民、子育て世帯）'),
  responsiblePersonId: Id.nullable().describe('アカウント責任者'),
  operatorIds: z.array(Id).max(20, '運用担当者は20人までです').describe('運用担当者'),
  postingPolicy: z.object({ publish: multiLine(2000).default('').describe('発信する情報'), doNotPublish: multiLine(2000).default('').describe('発信しない情報') }),
  officialSiteUrl: HttpUrl.nullable().describe('アカウントを掲載している公式ウェブサイトのページ（null は未掲載）'),
  officialVerification: z.boolean().describe('プラットフォームの公式認証'),
  twoFactor: z.boolean().describe('二要素認証'),
  credentialHolders: singleLine(200).describe('認証情報を管理する者（職・氏名）'),
  procedure: z.object({ reference: requiredLine(200), date: ValidDate }).nullable().describe('運用手順（文書名・番号と制定日）'),
  operatedByEngagementId: Id.nullable().describe('事業者に運用を委託している場合の業務委託'),
  disasterInformation: z.boolean().describe('災害情報の発信に使う'),
  lastActivityOn: ValidDate.nullable().describe('最後に投稿等の活動をした日'),
};

export const CreateSnsAccount = z.object({
  ...Fields,
  platformName: Fields.platformName.default(''),
  purpose: Fields.purpose.default(''),
  audience: Fields.audience.default(''),
  responsiblePersonId: Fields.responsiblePersonId.default(null),
  operatorIds: Fields.operatorIds.default([]),
  postingPolicy: Fields.postingPolicy.default({ publish: '', doNotPublish: '' }),
  officialSiteUrl: Fields.officialSiteUrl.default(null),
  officialVerification: Fields.officialVerification.default(false),
  twoFactor: Fields.twoFactor.default(false),
  credentialHolders: Fields.credentialHolders.default(''),
  procedure: Fields.procedure.default(null),
  operatedByEngagementId: Fields.operatedByEngagementId.default(null),
  disasterInformation: Fields.disasterInformation.default(false),
  lastActivityOn: Fields.lastActivityOn.default(null),
});
export const UpdateSnsAccount = z.object(Fields).partial().extend(VersionField);

export const SnsAccountView = z.object({
  ...SubjectViewBase,
  platform: z.enum(PLATFORMS),
  platformLabel: z.string(),
  platformName: z.string(),
  accountName: z.string(),
  url: z.string(),
  departmentId: z.string(),
  purpose: z.string(),
  audience: z.string(),
  responsiblePersonId: z.string().nullable(),
  responsiblePerson: PersonRef.nullable(),
  operatorIds: z.array(z.string()),
  operators: z.array(PersonRef),
  postingPolicy: z.object({ publish: z.string(), doNotPublish: z.string() }),
  officialSiteUrl: z.string().nullable(),
  officialVerification: z.boolean(),
  twoFactor: z.boolean(),
  credentialHolders: z.string(),
  procedure: z.object({ reference: z.string(), date: z.string() }).nullable(),
  operatedByEngagementId: z.string().nullable(),
  operatedBy: NamedRef.nullable(),
  disasterInformation: z.boolean(),
  lastActivityOn: z.string().nullable(),
});

export const SnsAccountListQuery = SubjectListQuery.extend({
  platform: z.enum(PLATFORMS).optional(),
  disasterInformation: z.enum(['true', 'false']).optional(),
});

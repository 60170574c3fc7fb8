/** The form of each subject kind: field specs (named by the API schema's paths) and parsing into API input. */
import { LEVELS } from '../../records/classification.js';
import type { ClassificationScheme } from '../../settings/index.js';
import { PLATFORM_LABELS } from '../../sns-accounts/index.js';
import type { SubjectKind } from '../../records/subject.types.js';
import { parseFields, parseGroup, type FieldSpec, type Option } from './forms.js';
import { CONTRACT_TYPE_LABELS, optionsOf, PLACEMENT_LABELS, SEGMENT_LABELS, SERVICE_MODEL_LABELS, WORK_LOCATION_LABELS } from './format.js';

export interface Choices {
  departments: Option[];
  people: Option[];
  vendors: Option[];
  engagements: Option[];
  scheme: ClassificationScheme;
}

export interface Section {
  legend: string;
  hint?: string;
  fields?: FieldSpec[];
  group?: { name: string; legend: string; fields: FieldSpec[]; keys: string[] };
}

const LEVEL12 = [{ value: '1', label: '1' }, { value: '2', label: '2' }];

export function assetFields(c: Choices): FieldSpec[] {
  return [
    { name: 'name', label: '情報資産の名称' },
    { name: 'confidentiality', label: '機密性', type: 'select', options: LEVELS[c.scheme].map((l) => ({ value: l, label: `機密性${l}` })) },
    { name: 'integrity', label: '完全性', type: 'select', numeric: true, required: true, options: LEVEL12 },
    { name: 'availability', label: '可用性', type: 'select', numeric: true, required: true, options: LEVEL12 },
    { name: 'personalData', label: '個人情報を含む', type: 'checkbox' },
    { name: 'myNumber', label: '特定個人情報（マイナンバー）を含む', type: 'checkbox' },
  ];
}

const ASSET_HINT = '取り扱う情報を、この団体の分類体系の区分で登録してください。最も高い区分が、この記録の機密性と固有リスク区分に反映されます。';

function engagementSections(c: Choices): Section[] {
  return [
    {
      legend: '契約',
      fields: [
        { name: 'title', label: '業務名', required: true, size: 'long' },
        { name: 'departmentId', label: '所管課', type: 'select', required: true, options: c.departments },
        { name: 'vendorId', label: '委託先（事業者）', type: 'select', required: true, options: c.vendors, hint: '一覧にない場合は、先に「事業者」で登録してください。' },
        { name: 'contractNumber', label: '契約番号' },
        { name: 'period.start', label: '契約期間（開始日）', type: 'date', required: true },
        { name: 'period.end', label: '契約期間（終了日）', type: 'date', required: true },
        { name: 'description', label: '業務の内容', type: 'textarea' },
      ],
    },
    {
      legend: '担当者',
      fields: [
        { name: 'responsiblePersonId', label: '責任者', type: 'select', required: true, options: c.people },
        { name: 'administratorId', label: '管理者', type: 'select', nullable: true, options: c.people },
      ],
    },
    { legend: '取り扱う情報', hint: ASSET_HINT, group: { name: 'informationAssets', legend: '情報資産', fields: assetFields(c), keys: ['name'] } },
    {
      legend: '業務の性質',
      fields: [
        { name: 'segment', label: 'ネットワークの区分', type: 'select', nullable: true, options: optionsOf(SEGMENT_LABELS) },
        { name: 'placement', label: '三層対策のモデル', type: 'select', nullable: true, options: optionsOf(PLACEMENT_LABELS) },
        { name: 'workLocation', label: '作業場所', type: 'select', nullable: true, options: optionsOf(WORK_LOCATION_LABELS) },
        { name: 'systemWork', label: 'システムの開発又は運用を含む', type: 'checkbox' },
        { name: 'remoteAccess', label: '庁内ネットワークへのリモートアクセス又は管理者アクセスがある', type: 'checkbox' },
        { name: 'vendorOperatesSns', label: '事業者が本団体のSNSアカウントを運用する', type: 'checkbox' },
        { name: 'usesTermsOrGenerativeAi', label: '事業者が業務で約款型サービス又は生成AIを利用する', type: 'checkbox' },
        { name: 'criticalDependency', label: '停止できない業務を単独で担う', type: 'checkbox' },
      ],
    },
    {
      legend: '再委託',
      hint: '再委託先がない場合は空欄のままにしてください。',
      group: {
        name: 'subcontractors',
        legend: '再委託先',
        keys: ['name', 'vendorId'],
        fields: [
          { name: 'id', label: '', type: 'hidden' },
          { name: 'vendorId', label: '事業者（登録済みの場合）', type: 'select', nullable: true, options: c.vendors },
          { name: 'name', label: '名称（未登録の場合）' },
          { name: 'location', label: '所在地' },
          { name: 'scope', label: '再委託する業務' },
          { name: 'dataHandled', label: '取り扱う情報' },
          { name: 'approved', label: '承認済み', type: 'checkbox' },
          { name: 'approvedOn', label: '承認日', type: 'date', nullable: true },
        ],
      },
    },
  ];
}

function cloudSections(c: Choices): Section[] {
  return [
    {
      legend: 'サービス',
      fields: [
        { name: 'name', label: 'サービス名', required: true, size: 'long' },
        { name: 'providerVendorId', label: '提供事業者', type: 'select', required: true, options: c.vendors, hint: '一覧にない場合は、先に「事業者」で登録してください。' },
        { name: 'serviceModel', label: 'サービスモデル', type: 'select', required: true, options: optionsOf(SERVICE_MODEL_LABELS) },
        { name: 'contractType', label: '契約の形態', type: 'select', required: true, options: optionsOf(CONTRACT_TYPE_LABELS), hint: '約款型（利用規約への同意のみ）では、機密性2以上の情報は取り扱えません。' },
        { name: 'departmentId', label: '所管課', type: 'select', required: true, options: c.departments },
        { name: 'administratorId', label: '外部サービス管理者', type: 'select', required: true, options: c.people },
        { name: 'purpose', label: '利用目的', type: 'textarea' },
        { name: 'contractPeriod.start', label: '契約期間（開始日）', type: 'date' },
        { name: 'contractPeriod.end', label: '契約期間（終了日）', type: 'date' },
      ],
    },
    { legend: '取り扱う情報', hint: ASSET_HINT, group: { name: 'informationAssets', legend: '情報資産', fields: assetFields(c), keys: ['name'] } },
    {
      legend: 'データの保存場所と準拠法',
      fields: [
        { name: 'dataLocations.data', label: 'データの保存国', type: 'list', hint: '2文字の国コードをカンマ区切りで（例: JP）。空欄は「不明」です。' },
        { name: 'dataLocations.backups', label: 'バックアップの保存国', type: 'list' },
        { name: 'dataLocations.logs', label: 'ログの保存国', type: 'list' },
        { name: 'dataLocations.note', label: '保存場所の補足（例: 東京・大阪リージョン）' },
        { name: 'governingLaw', label: '準拠法の国', nullable: true, size: 'short', hint: '例: JP。空欄は「不明」です。' },
        { name: 'jurisdiction.country', label: '裁判管轄の国', size: 'short' },
        { name: 'jurisdiction.court', label: '管轄裁判所（例: 東京地方裁判所）' },
      ],
    },
    {
      legend: 'ISMAP 等と利用承認',
      fields: [
        { name: 'ismap.program', label: 'ISMAP の種類', type: 'select', options: [{ value: 'ismap', label: 'ISMAP' }, { value: 'ismap_liu', label: 'ISMAP-LIU' }] },
        { name: 'ismap.number', label: 'ISMAP 登録番号', hint: '未登録の場合は空欄にしてください。' },
        { name: 'ismap.scope', label: '登録の範囲' },
        { name: 'ismap.validUntil', label: '登録の有効期限', type: 'date' },
        { name: 'segment', label: 'ネットワークの区分', type: 'select', nullable: true, options: optionsOf(SEGMENT_LABELS) },
        { name: 'placement', label: '三層対策のモデル', type: 'select', nullable: true, options: optionsOf(PLACEMENT_LABELS) },
        { name: 'generativeAi', label: '生成AIのサービスである', type: 'checkbox' },
        { name: 'criticalDependency', label: '停止できない業務を単独で担う', type: 'checkbox' },
        { name: 'approval.approvedOn', label: '利用承認日', type: 'date' },
        { name: 'approval.approver', label: '許可権限者' },
        { name: 'approval.reference', label: '決裁番号等' },
      ],
    },
  ];
}

function snsSections(c: Choices): Section[] {
  return [
    {
      legend: 'アカウント',
      fields: [
        { name: 'platform', label: 'サービス', type: 'select', required: true, options: optionsOf(PLATFORM_LABELS) },
        { name: 'platformName', label: 'サービス名（「その他」の場合）' },
        { name: 'accountName', label: 'アカウント名', required: true, hint: '例: @sakuragaoka_city' },
        { name: 'url', label: 'アカウントのURL', required: true, size: 'long' },
        { name: 'departmentId', label: '所管課', type: 'select', required: true, options: c.departments },
        { name: 'purpose', label: '利用目的', type: 'textarea' },
        { name: 'audience', label: '主な対象（例: 市民、子育て世帯）' },
        { name: 'lastActivityOn', label: '最後に投稿等をした日', type: 'date', nullable: true },
      ],
    },
    {
      legend: '運用体制',
      fields: [
        { name: 'responsiblePersonId', label: 'アカウント責任者', type: 'select', nullable: true, options: c.people },
        { name: 'operatorIds', label: '運用担当者', type: 'checkboxes', options: c.people },
        { name: 'credentialHolders', label: '認証情報を管理する者（職・氏名）' },
        { name: 'operatedByEngagementId', label: '運用を委託している業務委託', type: 'select', nullable: true, options: c.engagements },
        { name: 'procedure.reference', label: '運用手順（文書名・番号）' },
        { name: 'procedure.date', label: '運用手順の制定日', type: 'date' },
      ],
    },
    {
      legend: 'なりすまし・乗っ取り対策',
      fields: [
        { name: 'officialSiteUrl', label: 'アカウントを掲載している公式ウェブサイトのページ', nullable: true, size: 'long' },
        { name: 'officialVerification', label: 'プラットフォームの公式認証を受けている', type: 'checkbox' },
        { name: 'twoFactor', label: '二要素認証を設定している', type: 'checkbox' },
        { name: 'disasterInformation', label: '災害情報の発信に使う', type: 'checkbox' },
        { name: 'postingPolicy.publish', label: '発信する情報', type: 'textarea' },
        { name: 'postingPolicy.doNotPublish', label: '発信しない情報', type: 'textarea' },
      ],
    },
  ];
}

export function sectionsOf(kind: SubjectKind, c: Choices): Section[] {
  return kind === 'engagement' ? engagementSections(c) : kind === 'cloudService' ? cloudSections(c) : snsSections(c);
}

/** Sets `key` to null when every one of its `parts` was left empty (an optional block not filled in). */
function nullIfBlank(input: Record<string, unknown>, key: string, parts: string[]): void {
  const block = input[key] as Record<string, unknown> | undefined;
  if (!block || parts.every((p) => block[p] === '' || block[p] === null || block[p] === undefined)) input[key] = null;
}

/** The posted form of a kind as API input (a create body, or a PATCH body with `version`). */
export function parseSubject(kind: SubjectKind, c: Choices, body: Record<string, unknown>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const s of sectionsOf(kind, c)) {
    if (s.fields) parseFields(s.fields, body, input);
    if (s.group) input[s.group.name] = parseGroup(s.group.name, s.group.fields, body, s.group.keys);
  }
  if (kind === 'cloudService') {
    nullIfBlank(input, 'contractPeriod', ['start', 'end']);
    nullIfBlank(input, 'ismap', ['number', 'validUntil']);
    nullIfBlank(input, 'jurisdiction', ['country', 'court']);
    nullIfBlank(input, 'approval', ['approvedOn', 'approver', 'reference']);
  }
  if (kind === 'snsAccount') nullIfBlank(input, 'procedure', ['reference', 'date']);
  if (typeof body.version === 'string') input.version = Number(body.version);
  return input;
}

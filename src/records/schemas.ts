/** zod pieces shared by the record kinds: references, dates, URLs, countries, information assets, and views. */
import { z } from 'zod';
import { PlainDate, requiredLine, singleLine } from '../http/schemas.js';
import { isPlainDate } from '../shared/dates.js';
import { WARNING_CODES } from '../risk/warnings.js';

export const Id = z.string().regex(/^[0-9a-f]{24}$/, '識別子の形式が正しくありません');

/** A plain date that exists on the calendar (2026-02-30 is refused). */
export const ValidDate = PlainDate.refine((s) => !/^\d{4}-\d{2}-\d{2}$/.test(s) || isPlainDate(s), '存在しない日付です');

/** A period whose end is not before its start. */
export const PeriodInput = z
  .object({ start: ValidDate, end: ValidDate })
  .refine((p) => p.end >= p.start, { path: ['end'], message: '終了日は開始日と同じか、それより後の日付にしてください' });

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/**
 * ISO 3166-1 alpha-2, upper-cased ('jp' → 'JP'); codes the runtime does not know, and CLDR's 'ZZ' (unknown region), are
 * refused. One superRefine, because zod 4 runs later checks even after a failed regex, and Intl throws on bad input.
 */
export const CountryCode = z
  .string()
  .trim()
  .toUpperCase()
  .superRefine((c, ctx) => {
    if (!/^[A-Z]{2}$/.test(c)) ctx.addIssue({ code: 'custom', message: '国・地域は ISO 3166-1 の2文字のコード（例: JP, US）で入力してください' });
    else if (c === 'ZZ' || regionNames.of(c) === c) ctx.addIssue({ code: 'custom', message: '国・地域のコードが正しくありません' });
  });

/**
 * An http(s) URL with a domain name: `javascript:`, `data:` and `ftp:` are refused. Single-line: the URL parser accepts
 * line breaks and control characters (it drops or escapes them), but the text is stored as typed.
 */
export const HttpUrl = singleLine(2000).pipe(z.url({ protocol: /^https?$/, hostname: z.regexes.domain, error: 'http:// 又は https:// で始まるURLを入力してください' }));

export const Segment = z.enum(['mynumber', 'lgwan', 'internet', 'government_cloud']).describe('mynumber: マイナンバー利用事務系, lgwan: LGWAN接続系, internet: インターネット接続系, government_cloud: ガバメントクラウド');
export const Placement = z.enum(['alpha_prime', 'beta', 'beta_prime']).describe("三層対策のモデル: alpha_prime (α′, LGWAN接続系), beta / beta_prime (β, β′, インターネット接続系)");

const Level12 = z.union([z.literal(1), z.literal(2)]);

/** An information asset as submitted: the confidentiality level is a name in the installation's scheme ('3B', '2'…). */
export const InformationAssetInput = z.object({
  name: requiredLine(200),
  confidentiality: z.string().trim().toUpperCase().max(3, '機密性の区分が正しくありません').describe("機密性の区分: '3A' '3B' '3C' '2' '1'（令和6年改定）又は '3' '2' '1'（従来）。団体の設定に従う"),
  integrity: Level12.default(1),
  availability: Level12.default(1),
  personalData: z.boolean().default(false),
  myNumber: z.boolean().default(false).describe('特定個人情報（個人情報でもあるものとして扱う）'),
});
export const InformationAssets = z.array(InformationAssetInput).max(50, '情報資産は50件までです');

export const ClassificationView = z.object({ level: z.string(), rank: z.number().int() });

export const InformationAssetView = z.object({
  name: z.string(),
  confidentiality: ClassificationView,
  integrity: z.number().int(),
  availability: z.number().int(),
  personalData: z.boolean(),
  myNumber: z.boolean(),
});

export const PersonRef = z.object({ id: z.string(), name: z.string(), active: z.boolean() });
export const NamedRef = z.object({ id: z.string(), name: z.string() });

export const TierReasonView = z.object({ code: z.string(), tier: z.number().int(), text: z.string() });
export const TierView = z.object({
  tier: z.number().int().describe('有効な区分（上書きがあれば上書き後）'),
  computedTier: z.number().int(),
  reasons: z.array(TierReasonView),
  override: z
    .object({ tier: z.number().int(), reason: z.string(), by: z.object({ id: z.string(), name: z.string().nullable() }), at: z.string(), computedTier: z.number().int() })
    .nullable(),
});

export const NextReviewView = z.object({
  date: z.string(),
  reason: z.string(),
  text: z.string(),
  daysLeft: z.number().int(),
  status: z.enum(['overdue', 'due_soon', 'scheduled']).describe('due_soon: 30日以内'),
});

export const WarningView = z.object({ code: z.enum(WARNING_CODES), message: z.string() });

export const DecisionView = z
  .object({ date: z.string(), result: z.enum(['approved', 'conditional', 'rejected']), openConditionDueDates: z.array(z.string()), assessmentId: z.string().nullable() })
  .nullable();

/** Fields every subject view has, after the kind's own. */
export const SubjectViewBase = {
  id: z.string(),
  kind: z.enum(['engagement', 'cloudService', 'snsAccount']),
  version: z.number().int(),
  department: NamedRef,
  status: z.enum(['upcoming', 'active', 'ended', 'dormant']).describe('読み出し時に計算: 今日（日本時間）時点の契約期間前・期間中・終了、SNSは休眠'),
  classification: ClassificationView.nullable().describe('保存時に計算: 情報資産の最も高い機密性'),
  tier: TierView.describe('保存時に計算して保存（事実が変わるたびに再計算）。一覧の ?tier= はこの値で絞り込む'),
  nextReview: NextReviewView.describe('date・reason は保存時に計算して保存（?reviewDue=, ?sort=nextReview）; daysLeft・status は読み出し時に計算'),
  warnings: z.array(WarningView).describe('読み出し時に、記録・人物・設定・今日の日付から計算'),
  lastDecision: DecisionView,
  incidentCount: z.number().int(),
  lastIncidentOn: z.string().nullable(),
  registeredOn: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  archivedAt: z.string().nullable(),
};

export const VersionField = { version: z.number().int().min(1) };

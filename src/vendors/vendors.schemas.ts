import { z } from 'zod';
import { multiLine, requiredLine, singleLine } from '../http/schemas.js';
import { CountryCode, ValidDate } from '../records/schemas.js';
import { checkCorporateNumber } from './corporate-number.js';
import { CERTIFICATION_TYPES } from './vendor.types.js';

/** フリガナ as stored: NFKC (half-width katakana → full-width) and hiragana turned into katakana. */
export function normaliseKana(s: string): string {
  return s.normalize('NFKC').replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60)).trim().replace(/\s+/gu, ' ');
}

const Kana = singleLine(200)
  .transform(normaliseKana)
  .pipe(z.string().regex(/^[\p{Script=Katakana}ー・ A-Za-z0-9&.,'()\-]*$/u, 'フリガナはカタカナで入力してください'));

const CorporateNumber = z.string().superRefine((s, ctx) => {
  const check = checkCorporateNumber(s);
  if (!check.ok) ctx.addIssue({ code: 'custom', message: check.message });
});

const Email = z.union([z.literal(''), z.email('メールアドレスの形式が正しくありません').max(254)]);
const Phone = singleLine(40).pipe(z.string().regex(/^[0-9+()\- ]*$/, '数字・ハイフン・括弧で入力してください'));

export const ContactInput = z.object({
  name: requiredLine(100),
  department: singleLine(100).default(''),
  title: singleLine(100).default(''),
  email: Email.default(''),
  phone: Phone.default(''),
  role: singleLine(100).default('').describe('例: 営業担当、情報セキュリティ責任者'),
});

export const CertificationInput = z.object({
  id: z.string().regex(/^[0-9a-f]{24}$/).optional().describe('既存の認証を更新するときはその id'),
  type: z.enum(CERTIFICATION_TYPES),
  name: singleLine(100).default('').describe("type が 'other' のときの名称、又は補足（例: Type 2）"),
  number: singleLine(100).default(''),
  scope: singleLine(300).default(''),
  validUntil: ValidDate.nullable().default(null),
});

const VendorFields = {
  name: requiredLine(200),
  nameKana: Kana,
  corporateNumber: CorporateNumber.nullable().describe('法人番号（13桁、検査用数字を検証）。国内の事業者は必須、海外の事業者は任意'),
  country: CountryCode.describe('本店所在国（ISO 3166-1 alpha-2）'),
  address: singleLine(300),
  contacts: z.array(ContactInput).max(20, '連絡先は20件までです'),
  certifications: z.array(CertificationInput).max(30, '認証は30件までです'),
  note: multiLine(2000),
};

// Defaults only on create: inside a PATCH they would silently reset omitted fields.
export const CreateVendor = z.object({
  ...VendorFields,
  nameKana: VendorFields.nameKana.default(''),
  corporateNumber: VendorFields.corporateNumber.default(null),
  country: VendorFields.country.default('JP'),
  address: VendorFields.address.default(''),
  contacts: VendorFields.contacts.default([]),
  certifications: VendorFields.certifications.default([]),
  note: VendorFields.note.default(''),
});
export const UpdateVendor = z.object(VendorFields).partial().extend({ version: z.number().int().min(1) });

export const CertificationView = z.object({
  id: z.string(),
  type: z.enum(CERTIFICATION_TYPES),
  label: z.string(),
  name: z.string(),
  number: z.string(),
  scope: z.string(),
  validUntil: z.string().nullable(),
  daysLeft: z.number().int().nullable().describe('有効期限までの日数（日本時間の今日から。過ぎていれば負）'),
});

export const VendorView = z.object({
  id: z.string(),
  version: z.number().int(),
  name: z.string(),
  nameKana: z.string(),
  corporateNumber: z.string().nullable(),
  country: z.string(),
  countryName: z.string(),
  address: z.string(),
  contacts: z.array(z.object({ name: z.string(), department: z.string(), title: z.string(), email: z.string(), phone: z.string(), role: z.string() })),
  certifications: z.array(CertificationView),
  note: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  archivedAt: z.string().nullable(),
});

export const VendorListQuery = z.object({
  country: CountryCode.optional(),
  certification: z.enum(CERTIFICATION_TYPES).optional().describe('この種類の認証を持つ事業者'),
});

import type { Versioned } from '../db/versioned.js';

export const CERTIFICATION_TYPES = ['isms', 'iso27017', 'iso27018', 'iso27701', 'privacy_mark', 'ismap', 'ismap_liu', 'soc2', 'other'] as const;
export type CertificationType = (typeof CERTIFICATION_TYPES)[number];

export const CERTIFICATION_LABELS: Record<CertificationType, string> = {
  isms: 'ISMS（ISO/IEC 27001）',
  iso27017: 'ISO/IEC 27017',
  iso27018: 'ISO/IEC 27018',
  iso27701: 'ISO/IEC 27701',
  privacy_mark: 'プライバシーマーク',
  ismap: 'ISMAP',
  ismap_liu: 'ISMAP-LIU',
  soc2: 'SOC 2',
  other: 'その他',
};

export interface Certification {
  id: string;
  type: CertificationType;
  /** The certification's name when type is 'other', or a qualifier (e.g. 'Type 2'). */
  name: string;
  number: string;
  scope: string;
  validUntil: string | null;
}

export interface VendorContact {
  name: string;
  department: string;
  title: string;
  email: string;
  phone: string;
  /** e.g. 営業担当, 情報セキュリティ責任者. */
  role: string;
}

/** 事業者: shared master data. corporateNumber (法人番号) is unique among live vendors. */
export interface Vendor extends Versioned {
  name: string;
  nameKana: string;
  corporateNumber: string | null;
  /** ISO 3166-1 alpha-2 of the head office. */
  country: string;
  address: string;
  contacts: VendorContact[];
  certifications: Certification[];
  note: string;
}

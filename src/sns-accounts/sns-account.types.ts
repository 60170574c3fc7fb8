import type { SubjectBase } from '../records/subject.types.js';

export const PLATFORMS = ['x', 'line', 'facebook', 'instagram', 'youtube', 'tiktok', 'note', 'other'] as const;
export type Platform = (typeof PLATFORMS)[number];

export const PLATFORM_LABELS: Record<Platform, string> = {
  x: 'X（旧Twitter）',
  line: 'LINE',
  facebook: 'Facebook',
  instagram: 'Instagram',
  youtube: 'YouTube',
  tiktok: 'TikTok',
  note: 'note',
  other: 'その他',
};

export interface SnsAccountFields {
  platform: Platform;
  /** The platform's name when `platform` is 'other'. */
  platformName: string;
  accountName: string;
  url: string;
  departmentId: string;
  purpose: string;
  audience: string;
  /** アカウント責任者. */
  responsiblePersonId: string | null;
  /** 運用担当者. */
  operatorIds: string[];
  postingPolicy: { publish: string; doNotPublish: string };
  /** Page of the municipality's website that lists this account (impersonation countermeasure); null when not listed. */
  officialSiteUrl: string | null;
  officialVerification: boolean;
  twoFactor: boolean;
  /** Who holds the credentials (free text: titles or names). */
  credentialHolders: string;
  /** 運用手順: document reference and date. */
  procedure: { reference: string; date: string } | null;
  /** The engagement under which a vendor operates the account, if any. */
  operatedByEngagementId: string | null;
  disasterInformation: boolean;
  lastActivityOn: string | null;
}

/** ソーシャルメディアのアカウント. Unique by platform + account name (case-insensitive). */
export interface SnsAccount extends SubjectBase, SnsAccountFields {
  kind: 'snsAccount';
}

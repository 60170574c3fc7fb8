import mongoose, { Schema } from 'mongoose';
import { VersionedStore } from '../db/versioned.js';
import { schemaOptions, subjectPaths } from '../records/model-fields.js';
import type { SnsAccount } from './sns-account.types.js';

/** The business key: one live record per platform and account name, compared without case and without a leading '@'. */
export function snsKey(a: Pick<SnsAccount, 'platform' | 'platformName' | 'accountName'>): string {
  const name = a.accountName.normalize('NFKC').trim().replace(/^@/, '').toLowerCase();
  const platform = a.platform === 'other' ? `other/${a.platformName.normalize('NFKC').trim().toLowerCase()}` : a.platform;
  return `accountName:${platform}:${name}`;
}

export const SnsAccountModel = mongoose.model<SnsAccount>(
  'SnsAccount',
  new Schema<SnsAccount>(
    {
      ...subjectPaths,
      platform: String,
      platformName: String,
      accountName: String,
      url: String,
      purpose: String,
      audience: String,
      responsiblePersonId: String,
      operatorIds: [String],
      postingPolicy: Schema.Types.Mixed,
      officialSiteUrl: String,
      officialVerification: Boolean,
      twoFactor: Boolean,
      credentialHolders: String,
      procedure: Schema.Types.Mixed,
      operatedByEngagementId: String,
      disasterInformation: Boolean,
      lastActivityOn: String,
    },
    { ...schemaOptions, collection: 'sns_accounts' },
  ),
);

export const snsAccountStore = new VersionedStore<SnsAccount>('snsAccount', SnsAccountModel, { keysOf: (a) => [snsKey(a)] });

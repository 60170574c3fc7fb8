import mongoose, { Schema } from 'mongoose';
import { VersionedStore } from '../db/versioned.js';
import { schemaOptions, subjectPaths } from '../records/model-fields.js';
import type { Engagement } from './engagement.types.js';

export const EngagementModel = mongoose.model<Engagement>(
  'Engagement',
  new Schema<Engagement>(
    {
      ...subjectPaths,
      title: String,
      vendorId: String,
      contractNumber: String,
      period: Schema.Types.Mixed,
      description: String,
      segment: String,
      placement: String,
      systemWork: Boolean,
      workLocation: String,
      remoteAccess: Boolean,
      responsiblePersonId: String,
      administratorId: String,
      vendorOperatesSns: Boolean,
      usesTermsOrGenerativeAi: Boolean,
      criticalDependency: Boolean,
      subcontractors: Schema.Types.Mixed,
      endOfContract: Schema.Types.Mixed,
    },
    { ...schemaOptions, collection: 'engagements' },
  ),
);

export const engagementStore = new VersionedStore<Engagement>('engagement', EngagementModel);

import mongoose, { Schema } from 'mongoose';
import { VersionedStore } from '../db/versioned.js';
import { schemaOptions, subjectPaths } from '../records/model-fields.js';
import type { CloudService } from './cloud-service.types.js';

export const CloudServiceModel = mongoose.model<CloudService>(
  'CloudService',
  new Schema<CloudService>(
    {
      ...subjectPaths,
      name: String,
      providerVendorId: String,
      serviceModel: String,
      contractType: String,
      ismap: Schema.Types.Mixed,
      dataLocations: Schema.Types.Mixed,
      governingLaw: String,
      jurisdiction: Schema.Types.Mixed,
      administratorId: String,
      purpose: String,
      segment: String,
      placement: String,
      generativeAi: Boolean,
      criticalDependency: Boolean,
      contractPeriod: Schema.Types.Mixed,
      approval: Schema.Types.Mixed,
    },
    { ...schemaOptions, collection: 'cloud_services' },
  ),
);

export const cloudServiceStore = new VersionedStore<CloudService>('cloudService', CloudServiceModel);

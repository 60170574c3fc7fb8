import { Schema } from 'mongoose';

/**
 * Mongoose paths every subject collection declares. `strictQuery` is on, so a path a list filters or sorts on must be
 * declared here (subpaths of a Mixed path pass); everything else is Mixed, since writes go through VersionedStore's
 * raw inserts and replaces, not through mongoose casting.
 */
export const subjectPaths = {
  _id: String,
  version: Number,
  createdAt: Date,
  updatedAt: Date,
  archivedAt: Date,
  kind: String,
  departmentId: String,
  registeredOn: String,
  incidents: Schema.Types.Mixed,
  lastDecision: Schema.Types.Mixed,
  reviewTriggers: Schema.Types.Mixed,
  informationAssets: Schema.Types.Mixed,
  classification: Schema.Types.Mixed,
  computedTier: Number,
  tierReasons: Schema.Types.Mixed,
  tierOverride: Schema.Types.Mixed,
  tier: Number,
  warningCodes: [String],
  nextReviewDate: String,
  nextReviewReason: String,
  nextReviewText: String,
};

export const schemaOptions = { versionKey: false, minimize: false } as const;

import mongoose, { Schema } from 'mongoose';
import type { Actor } from './actor.js';

export interface AuditEntry {
  /** The sequence number, claimed by inserting it as the _id (atomic on MongoDB and FerretDB alike). */
  _id: number;
  at: Date;
  actor: Actor;
  ip?: string;
  action: string;
  entity?: string;
  entityId?: string;
  /** The revision this entry records; unique, so recording a revision twice (roll-forward) is refused. */
  ref?: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  detail?: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

const AuditSchema = new Schema<AuditEntry>(
  {
    _id: Number,
    at: { type: Date, required: true },
    actor: { type: Schema.Types.Mixed, required: true },
    ip: String,
    action: { type: String, required: true },
    entity: String,
    entityId: String,
    ref: String,
    before: Schema.Types.Mixed,
    after: Schema.Types.Mixed,
    detail: Schema.Types.Mixed,
    prevHash: { type: String, required: true },
    hash: { type: String, required: true },
  },
  { collection: 'audit', versionKey: false, minimize: false },
);
// sparse: entries without a revision (sign-ins, exports) are not constrained on MongoDB; FerretDB never constrains a missing field.
AuditSchema.index({ ref: 1 }, { unique: true, sparse: true });

export const AuditModel = mongoose.model<AuditEntry>('AuditEntry', AuditSchema);

/** The last entry's sequence and hash, so truncating the log's tail is detected. It may lag after a crash, never lead. */
export interface AuditHead {
  _id: 'head';
  seq: number;
  hash: string;
}
export const AuditHeadModel = mongoose.model<AuditHead>(
  'AuditHead',
  new Schema<AuditHead>({ _id: String, seq: Number, hash: String }, { collection: 'audit_head', versionKey: false }),
);

import mongoose, { Schema } from 'mongoose';
import type { Actor } from '../audit/actor.js';
import type { SubjectKind } from '../records/subject.types.js';

/**
 * One hand-over, written as a single insert before any record changes: the records it covers with the versions the
 * caller approved, and the change (from → to). Applying it is idempotent, so a batch left 'pending' by a crash is
 * rolled forward by `completePendingHandovers`.
 */
export interface HandoverBatch {
  _id: string;
  from: string;
  to: string;
  actor: Actor;
  ip?: string;
  at: Date;
  /** The department the caller was limited to (procurement), or null. */
  departmentId: string | null;
  items: { kind: SubjectKind; id: string; version: number }[];
  status: 'pending' | 'done';
  completedAt: Date | null;
}

export const HandoverBatchModel = mongoose.model<HandoverBatch>(
  'HandoverBatch',
  new Schema<HandoverBatch>(
    {
      _id: String,
      from: String,
      to: String,
      actor: Schema.Types.Mixed,
      ip: String,
      at: Date,
      departmentId: String,
      items: Schema.Types.Mixed,
      status: String,
      completedAt: Date,
    },
    { collection: 'handover_batches', versionKey: false, minimize: false },
  ),
);

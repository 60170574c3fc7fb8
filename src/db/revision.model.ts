import mongoose, { Schema } from 'mongoose';
import type { Actor } from '../audit/actor.js';

/**
 * One saved state of a versioned record. `_id` is '<entity>:<id>:<version>': inserting it is the optimistic lock
 * (a second writer of the same version is refused), the write-ahead log (the full post-image is here before the record
 * changes) and the history. A write in progress is known by its marker in `revisions_pending` (below), not by a flag on
 * the revision: clearing a flag would be an update by `_id` on the largest collection, which FerretDB answers by
 * scanning it (STACK-NOTES), so every write would have cost more as the history grew.
 */
export interface Revision {
  _id: string;
  entity: string;
  entityId: string;
  version: number;
  at: Date;
  actor: Actor;
  ip?: string;
  action: string;
  image: Record<string, unknown>;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
}

export const RevisionModel = mongoose.model<Revision>(
  'Revision',
  new Schema<Revision>(
    {
      _id: String,
      entity: String,
      entityId: String,
      version: Number,
      at: Date,
      actor: Schema.Types.Mixed,
      ip: String,
      action: String,
      image: Schema.Types.Mixed,
      before: Schema.Types.Mixed,
      after: Schema.Types.Mixed,
    },
    { collection: 'revisions', versionKey: false, minimize: false },
  ),
);

/** A business key (an email, an SNS platform + account) claimed by inserting it as `_id`, so a clash is atomic. */
export interface KeyClaim {
  _id: string;
  entity: string;
  owner: string;
  at: Date;
}
export const KeyClaimModel = mongoose.model<KeyClaim>(
  'KeyClaim',
  new Schema<KeyClaim>({ _id: String, entity: String, owner: String, at: Date }, { collection: 'keys', versionKey: false }),
);

/**
 * A marker for each revision being written, inserted before the revision and deleted once it is complete. Readers look
 * here (a table that is empty almost always; one query covers a whole page of records) instead of asking the revisions
 * collection for "version + 1" of each record. On the stock FerretDB 1.24.2 each such lookup also scanned the whole
 * revisions table, the largest there is (its `_id` index was never used; the embedded build patches that, see
 * db/ferretdb-build.ts).
 */
export interface PendingMarker {
  _id: string;
  entity: string;
  entityId: string;
  version: number;
  at: Date;
}
export const PendingMarkerModel = mongoose.model<PendingMarker>(
  'PendingRevision',
  new Schema<PendingMarker>({ _id: String, entity: String, entityId: String, version: Number, at: Date }, { collection: 'revisions_pending', versionKey: false }),
);

/**
 * The register of issued annexes: one document per annex issued, inserted once and never changed (the collection's
 * only write is an insert with a fresh `_id`). It holds what the annex was built from — the input without the clause
 * library, whose version and SHA-256 stand for it — the SHA-256 of the .docx sent, the issue time written into the
 * file, and who issued it, so the same bytes can be built again and proved to be the same.
 */
import crypto from 'node:crypto';
import mongoose, { Schema } from 'mongoose';
import type { Actor, WriteContext } from '../audit/actor.js';
import { appendAudit } from '../audit/log.js';
import { waitForWrites } from '../backup/pause.js';
import type { SubjectKind } from '../records/index.js';
import type { AnnexSource } from './annex-input.js';

export interface AnnexRecord {
  _id: string;
  subject: { kind: SubjectKind; id: string; name: string };
  departmentId: string;
  /** The clause library the annex was built with. */
  library: { version: number; sha256: string };
  input: AnnexSource;
  /** SHA-256 (hex) and size of the .docx as sent. */
  sha256: string;
  size: number;
  fileName: string;
  /** The only time written into the file; regeneration uses it again. */
  issuedAt: Date;
  issuedBy: Actor;
}

export const AnnexRecordModel = mongoose.model<AnnexRecord>(
  'AnnexRecord',
  new Schema<AnnexRecord>(
    {
      _id: String, subject: Schema.Types.Mixed, departmentId: String, library: Schema.Types.Mixed, input: Schema.Types.Mixed,
      sha256: String, size: Number, fileName: String, issuedAt: Date, issuedBy: Schema.Types.Mixed,
    },
    { collection: 'annexes', versionKey: false, minimize: false },
  ),
);

export const sha256Hex = (bytes: Buffer): string => crypto.createHash('sha256').update(bytes).digest('hex');

/**
 * Records an issued annex, then audits `annex.issue` naming it. The record comes first: an audit entry must never
 * name an annex that was not recorded. Waits like every write while a backup holds its pause.
 */
export async function recordAnnex(ctx: WriteContext, data: Omit<AnnexRecord, '_id' | 'issuedBy'>): Promise<AnnexRecord> {
  await waitForWrites();
  const record: AnnexRecord = { _id: new mongoose.Types.ObjectId().toHexString(), ...data, issuedBy: ctx.actor };
  await AnnexRecordModel.collection.insertOne(record as never);
  await appendAudit(ctx, {
    action: 'annex.issue',
    entity: 'annex',
    entityId: record._id,
    detail: { subject: record.subject, sha256: record.sha256, library: record.library, fileName: record.fileName, issueDate: record.input.issueDate },
  });
  return record;
}

/** The record, or null. */
export async function findAnnex(id: string): Promise<AnnexRecord | null> {
  return (await AnnexRecordModel.findById(id).lean()) as AnnexRecord | null;
}

/** What `GET /api/v1/annexes/:id` answers. */
export function presentAnnex(a: AnnexRecord) {
  return {
    id: a._id,
    subject: a.subject,
    departmentId: a.departmentId,
    library: a.library,
    sha256: a.sha256,
    size: a.size,
    fileName: a.fileName,
    issuedAt: new Date(a.issuedAt).toISOString(),
    issuedBy: { kind: a.issuedBy.kind, id: a.issuedBy.id, name: a.issuedBy.name ?? null },
    input: a.input,
    document: `/api/v1/annexes/${a._id}/document.docx`,
  };
}

import crypto from 'node:crypto';
import mongoose, { Schema } from 'mongoose';
import { fileTypeFromBuffer } from 'file-type';
import type { WriteContext } from '../audit/actor.js';
import { AppError } from '../http/errors.js';
import { VersionedStore, type Versioned } from '../db/versioned.js';
import type { Assessment } from './assessment.model.js';
import { ANSWERABLE } from './status.js';

export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_ASSESSMENT_BYTES = 50 * 1024 * 1024;
const CHUNK_BYTES = 255 * 1024;

/** What may be uploaded, decided from the content (never the name): PDF, images, Office documents. */
const ALLOWED: Record<string, { ext: string; label: string }> = {
  'application/pdf': { ext: 'pdf', label: 'PDF' },
  'image/png': { ext: 'png', label: 'PNG' },
  'image/jpeg': { ext: 'jpg', label: 'JPEG' },
  'image/gif': { ext: 'gif', label: 'GIF' },
  'image/webp': { ext: 'webp', label: 'WebP' },
  'image/tiff': { ext: 'tif', label: 'TIFF' },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { ext: 'docx', label: 'Word' },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { ext: 'xlsx', label: 'Excel' },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': { ext: 'pptx', label: 'PowerPoint' },
  'application/x-cfb': { ext: 'doc', label: 'Office（旧形式）' },
};

export interface EvidenceFile extends Versioned {
  assessmentId: string;
  questionId: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  chunks: number;
  uploadedBy: { kind: string; id: string; name?: string };
}

export const EvidenceModel = mongoose.model<EvidenceFile>(
  'Evidence',
  new Schema<EvidenceFile>(
    {
      _id: String, version: Number, createdAt: Date, updatedAt: Date, archivedAt: Date, assessmentId: String, questionId: String,
      filename: String, contentType: String, size: Number, sha256: String, chunks: Number, uploadedBy: Schema.Types.Mixed,
    },
    { collection: 'evidence', versionKey: false },
  ),
);
/** Uploads are part of answering (history in revisions, not the audit log); reviews of evidence are audited. */
export const evidenceStore = new VersionedStore<EvidenceFile>('evidence', EvidenceModel, { audited: false });

/** Chunks keyed '<fileId>:<n>': read by `_id` (GridFS's `{files_id, n}` lookup is a full scan on FerretDB). */
const ChunkModel = mongoose.model<{ _id: string; data: Buffer }>(
  'EvidenceChunk',
  new Schema<{ _id: string; data: Buffer }>({ _id: String, data: Buffer }, { collection: 'evidence_chunks', versionKey: false }),
);

/** A filename safe to show and to send back: no path, no control or bidi characters, bounded, with the real extension. */
export function sanitiseFilename(raw: string, ext: string): string {
  const base = raw.normalize('NFKC').split(/[\\/]/).pop() ?? '';
  const cleaned = base
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069"<>|:*?]/g, '')
    .replace(/^\.+/, '')
    .trim()
    .replace(/\.[A-Za-z0-9]{1,5}$/, '')
    .slice(0, 120);
  return `${cleaned || 'evidence'}.${ext}`;
}

export async function evidenceOf(assessmentId: string, questionId?: string): Promise<EvidenceFile[]> {
  const docs = (await EvidenceModel.find({ assessmentId, ...(questionId ? { questionId } : {}), archivedAt: null }).sort({ createdAt: 1 }).lean()) as EvidenceFile[];
  return (await evidenceStore.rollForward(docs)).filter((d) => !d.archivedAt);
}

export async function evidenceCounts(assessmentId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const f of await evidenceOf(assessmentId)) counts[f.questionId] = (counts[f.questionId] ?? 0) + 1;
  return counts;
}

/**
 * Stores an uploaded file for one question: type checked from its bytes, size limited per file and per assessment.
 * Chunks are written before the record that makes the file visible, so a crash leaves only unreferenced chunks.
 */
export async function uploadEvidence(ctx: WriteContext, assessment: Assessment, questionId: string, originalName: string, data: Buffer): Promise<EvidenceFile> {
  if (!ANSWERABLE.includes(assessment.status)) throw new AppError('not_answerable', '提出済みのためファイルを追加できません', 409);
  if (!assessment.template.questions.some((q) => q.id === questionId)) throw new AppError('not_found', `設問 ${questionId} はこの質問票にありません`, 404);
  if (data.length === 0) throw new AppError('validation_failed', 'ファイルが空です', 400, [{ path: 'file', message: '空のファイルです' }]);
  if (data.length > MAX_FILE_BYTES) throw new AppError('payload_too_large', `ファイルは${MAX_FILE_BYTES / 1024 / 1024}MBまでです`, 413);
  const type = await fileTypeFromBuffer(data);
  const allowed = type ? ALLOWED[type.mime] : undefined;
  if (!type || !allowed) {
    throw new AppError('unsupported_file_type', `この種類のファイルは添付できません（PDF、画像、Word・Excel・PowerPoint のみ）`, 415, [{ path: 'file', message: type ? `${type.mime} は対象外です` : '形式を判別できません' }]);
  }
  const used = (await evidenceOf(assessment._id)).reduce((sum, f) => sum + f.size, 0);
  if (used + data.length > MAX_ASSESSMENT_BYTES) throw new AppError('payload_too_large', `この評価に添付できる合計は${MAX_ASSESSMENT_BYTES / 1024 / 1024}MBまでです`, 413);

  const id = evidenceStore.newId();
  const chunks = Math.ceil(data.length / CHUNK_BYTES);
  for (let n = 0; n < chunks; n++) {
    await ChunkModel.collection.insertOne({ _id: `${id}:${n}`, data: data.subarray(n * CHUNK_BYTES, (n + 1) * CHUNK_BYTES) } as never);
  }
  return evidenceStore.create(ctx, 'evidence.upload', {
    _id: id,
    assessmentId: assessment._id,
    questionId,
    filename: sanitiseFilename(originalName, allowed.ext),
    contentType: type.mime,
    size: data.length,
    sha256: crypto.createHash('sha256').update(data).digest('hex'),
    chunks,
    uploadedBy: ctx.actor,
  });
}

export async function readEvidence(file: EvidenceFile): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (let n = 0; n < file.chunks; n++) {
    const chunk = await ChunkModel.findById(`${file._id}:${n}`).lean();
    if (!chunk) throw new Error(`evidence ${file._id} is missing chunk ${n}`);
    parts.push(Buffer.from(chunk.data.buffer ?? chunk.data));
  }
  const data = Buffer.concat(parts);
  if (crypto.createHash('sha256').update(data).digest('hex') !== file.sha256) throw new Error(`evidence ${file._id} does not match its hash`);
  return data;
}

export async function removeEvidence(ctx: WriteContext, assessment: Assessment, file: EvidenceFile): Promise<EvidenceFile> {
  if (!ANSWERABLE.includes(assessment.status)) throw new AppError('not_answerable', '提出済みのためファイルを削除できません', 409);
  return evidenceStore.archive(ctx, file._id, file.version);
}

/** Content-Disposition for a download: always an attachment, with an ASCII fallback and the UTF-8 name (RFC 6266). */
export function attachmentHeader(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

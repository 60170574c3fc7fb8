import { z } from 'zod';
import type { Request, Response } from 'express';
import type { WriteContext } from '../audit/actor.js';
import { AppError } from '../http/errors.js';
import { multiLine } from '../http/schemas.js';
import type { Assessment } from './assessment.model.js';
import { answersFor, answerStore, answerId, type Answer } from './answers.model.js';
import { attachmentHeader, evidenceOf, readEvidence, removeEvidence, uploadEvidence, type EvidenceFile } from './evidence.js';
import { saveAnswer, submitAssessment } from './respond.js';
import { uploaded } from './upload.js';

/** Shared by the staff routes and the vendor routes: the same rules whoever answers. */
export const SaveAnswerBody = z.object({
  value: z.union([z.string().max(20_000), z.number(), z.array(z.string().max(40)).max(100), z.null()]).optional(),
  comment: multiLine(4000).optional(),
  version: z.number().int().min(0),
});

export const AnswerView = z.object({
  questionId: z.string(),
  value: z.unknown(),
  comment: z.string(),
  version: z.number().int(),
  updatedAt: z.string(),
  by: z.string(),
});

export const presentAnswerRow = (a: Answer) => ({
  questionId: a.questionId,
  value: a.value,
  comment: a.comment,
  version: a.version,
  updatedAt: new Date(a.updatedAt).toISOString(),
  by: a.by.name ?? a.by.kind,
});

export async function listAnswers(assessment: Assessment) {
  return { items: (await answersFor(assessment)).map(presentAnswerRow) };
}

export async function putAnswer(ctx: WriteContext, assessment: Assessment, questionId: string, body: z.infer<typeof SaveAnswerBody>) {
  return presentAnswerRow(await saveAnswer(ctx, assessment, questionId, body));
}

export async function answerHistory(assessment: Assessment, questionId: string) {
  return (await answerStore.history(answerId(assessment._id, questionId))).map((r) => ({
    version: r.version,
    at: new Date(r.at).toISOString(),
    by: r.actor.name ?? r.actor.kind,
    value: (r.image as { value?: unknown }).value ?? null,
    comment: (r.image as { comment?: string }).comment ?? '',
  }));
}

export async function submit(ctx: WriteContext, assessment: Assessment) {
  const s = await submitAssessment(ctx, assessment);
  return { status: s.status, submittedAt: s.submittedAt ? new Date(s.submittedAt).toISOString() : null };
}

export async function upload(ctx: WriteContext, assessment: Assessment, questionId: string, req: Request) {
  const file = uploaded(req);
  if (!file) throw new AppError('validation_failed', 'ファイルが送信されていません', 400, [{ path: 'file', message: 'ファイルを選んでください' }]);
  const saved = await uploadEvidence(ctx, assessment, questionId, file.name, file.data);
  return { id: saved._id, questionId, filename: saved.filename, contentType: saved.contentType, size: saved.size, sha256: saved.sha256 };
}

async function fileOf(assessment: Assessment, fileId: string): Promise<EvidenceFile> {
  const file = (await evidenceOf(assessment._id)).find((f) => f._id === fileId);
  if (!file) throw new AppError('not_found', '指定されたファイルはありません', 404);
  return file;
}

/** Always an attachment, never rendered inline: an uploaded HTML-in-a-PDF or SVG cannot run in our origin. */
export async function download(assessment: Assessment, fileId: string, res: Response): Promise<void> {
  const file = await fileOf(assessment, fileId);
  const data = await readEvidence(file);
  res.setHeader('Content-Type', file.contentType);
  res.setHeader('Content-Disposition', attachmentHeader(file.filename));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
  res.setHeader('Cache-Control', 'private, no-store');
  res.status(200).end(data);
}

export async function deleteFile(ctx: WriteContext, assessment: Assessment, fileId: string) {
  await removeEvidence(ctx, assessment, await fileOf(assessment, fileId));
}

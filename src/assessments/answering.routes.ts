import { z } from 'zod';
import { contextOf } from '../audit/actor.js';
import { AppError } from '../http/errors.js';
import { can, PUBLIC, type ApiRegistry } from '../http/route.js';
import { IdParam } from '../http/schemas.js';
import type { Assessment } from './assessment.model.js';
import { assessmentFor } from './assessments.routes.js';
import { answerHistory, AnswerView, deleteFile, download, listAnswers, putAnswer, SaveAnswerBody, submit, upload } from './answering.js';
import { resolveLink, respondentContext } from './links.js';
import { presentForRespondent } from './presenter.js';
import { acceptUpload, UPLOAD_TYPES } from './upload.js';

const QuestionParam = IdParam.extend({ questionId: z.string().regex(/^[A-Z][A-Za-z0-9_]{1,15}$/, '設問IDの形式が正しくありません') });
const FileParam = IdParam.extend({ fileId: z.string().regex(/^[0-9a-f]{24}$/) });
const Token = z.string().regex(/^[A-Za-z0-9_-]{43}$/);
const TokenParam = z.object({ token: z.string().max(100) });
const Submitted = z.object({ status: z.string(), submittedAt: z.string().nullable() });
const Uploaded = z.object({ id: z.string(), questionId: z.string(), filename: z.string(), contentType: z.string(), size: z.number(), sha256: z.string() });

function staffAnswerable(a: Assessment): Assessment {
  if (a.respondent !== 'staff') throw new AppError('illegal_state', 'この質問票は事業者が回答します（職員はワークブックの取込みで代行できます）', 409);
  return a;
}

const vendorContext = respondentContext;

export function registerAnsweringRoutes(api: ApiRegistry): void {
  // ---- staff, for staff-answered questionnaires (SNS, 約款型) ----
  api.add({
    method: 'get', path: '/api/v1/assessments/:id/answers', summary: '回答の一覧 / Current answers', tags: ['answers'],
    access: can('records.read'), params: IdParam,
    responses: { 200: { description: 'Answers', schema: z.object({ items: z.array(AnswerView) }) } },
    handler: async ({ req, params }) => listAnswers(await assessmentFor(req, params.id)),
  });
  api.add({
    method: 'put', path: '/api/v1/assessments/:id/answers/:questionId', summary: '職員が回答する / Save one answer (staff-answered templates)',
    description: '`version` is the answer’s version as last read (0 for a new answer); a stale one answers 409 with the current value.',
    tags: ['answers'], access: can('records.write'), params: QuestionParam, body: SaveAnswerBody,
    responses: { 200: { description: 'Saved', schema: AnswerView } },
    handler: async ({ req, params, body }) => putAnswer(contextOf(req), staffAnswerable(await assessmentFor(req, params.id, 'records.write')), params.questionId, body),
  });
  api.add({
    method: 'get', path: '/api/v1/assessments/:id/answers/:questionId/history', summary: '回答の履歴 / Answer history (who, when, value)', tags: ['answers'],
    access: can('records.read'), params: QuestionParam,
    responses: { 200: { description: 'History, oldest first', schema: z.array(z.record(z.string(), z.unknown())) } },
    handler: async ({ req, params }) => answerHistory(await assessmentFor(req, params.id), params.questionId),
  });
  api.add({
    method: 'post', path: '/api/v1/assessments/:id/submit', summary: '職員回答を提出 / Submit a staff-answered questionnaire', tags: ['answers'],
    access: can('records.write'), params: IdParam,
    responses: { 200: { description: 'Submitted', schema: Submitted } },
    handler: async ({ req, params }) => submit(contextOf(req), staffAnswerable(await assessmentFor(req, params.id, 'records.write'))),
  });
  api.add({
    method: 'post', path: '/api/v1/assessments/:id/evidence/:questionId', summary: '証跡を添付（職員回答） / Upload evidence (staff-answered)',
    tags: ['evidence'], access: can('records.write'), params: QuestionParam, bodyTypes: UPLOAD_TYPES, before: [acceptUpload],
    responses: { 201: { description: 'Stored', schema: Uploaded } },
    handler: async ({ req, params }) => upload(contextOf(req), staffAnswerable(await assessmentFor(req, params.id, 'records.write')), params.questionId, req),
  });
  api.add({
    method: 'get', path: '/api/v1/assessments/:id/evidence/:fileId', summary: '証跡をダウンロード / Download evidence (always as an attachment)',
    tags: ['evidence'], access: can('records.read'), params: FileParam,
    responses: { 200: { description: 'The file', contentType: 'application/octet-stream' } },
    handler: async ({ req, res, params }) => download(await assessmentFor(req, params.id), params.fileId, res),
  });

  // ---- vendor, through the secret link ----
  const byToken = async (token: string, ip: string | undefined) => {
    if (!Token.safeParse(token).success) return resolveLink('invalid', ip ?? 'unknown');
    return resolveLink(token, ip ?? 'unknown');
  };
  api.add({
    method: 'get', path: '/api/v1/respond/:token', summary: '事業者向け: 質問票と回答 / Vendor: the questionnaire with its answers',
    description: 'Wrong, expired and revoked tokens all answer the same 404. Failed look-ups are limited per address (429).',
    tags: ['respond'], access: PUBLIC, params: TokenParam,
    responses: { 200: { description: 'The questionnaire', schema: z.record(z.string(), z.unknown()) } },
    handler: async ({ req, params }) => presentForRespondent(await byToken(params.token, req.ip)),
  });
  api.add({
    method: 'put', path: '/api/v1/respond/:token/answers/:questionId', summary: '事業者向け: 回答を保存 / Vendor: save one answer (autosave)',
    tags: ['respond'], access: PUBLIC, params: TokenParam.extend({ questionId: QuestionParam.shape.questionId }), body: SaveAnswerBody,
    responses: { 200: { description: 'Saved', schema: AnswerView } },
    handler: async ({ req, params, body }) => {
      const a = await byToken(params.token, req.ip);
      return putAnswer(vendorContext(a, req.ip), a, params.questionId, body);
    },
  });
  api.add({
    method: 'post', path: '/api/v1/respond/:token/submit', summary: '事業者向け: 提出 / Vendor: submit',
    description: 'Refused with 422 listing the required questions still unanswered.',
    tags: ['respond'], access: PUBLIC, params: TokenParam,
    responses: { 200: { description: 'Submitted', schema: Submitted } },
    handler: async ({ req, params }) => {
      const a = await byToken(params.token, req.ip);
      return submit(vendorContext(a, req.ip), a);
    },
  });
  api.add({
    method: 'post', path: '/api/v1/respond/:token/evidence/:questionId', summary: '事業者向け: 証跡を添付 / Vendor: upload evidence',
    description: 'PDF, images or Office documents, checked by content; 10 MB per file, 50 MB per assessment. Multipart (field `file`) or the raw body with `X-Filename`.',
    tags: ['respond'], access: PUBLIC, params: TokenParam.extend({ questionId: QuestionParam.shape.questionId }), bodyTypes: UPLOAD_TYPES, before: [acceptUpload],
    responses: { 201: { description: 'Stored', schema: Uploaded } },
    handler: async ({ req, params }) => {
      const a = await byToken(params.token, req.ip);
      return upload(vendorContext(a, req.ip), a, params.questionId, req);
    },
  });
  api.add({
    method: 'get', path: '/api/v1/respond/:token/evidence/:fileId', summary: '事業者向け: 証跡をダウンロード / Vendor: download own evidence',
    tags: ['respond'], access: PUBLIC, params: TokenParam.extend({ fileId: FileParam.shape.fileId }),
    responses: { 200: { description: 'The file', contentType: 'application/octet-stream' } },
    handler: async ({ req, res, params }) => download(await byToken(params.token, req.ip), params.fileId, res),
  });
  api.add({
    method: 'delete', path: '/api/v1/respond/:token/evidence/:fileId', summary: '事業者向け: 証跡を削除 / Vendor: remove evidence before submitting',
    tags: ['respond'], access: PUBLIC, params: TokenParam.extend({ fileId: FileParam.shape.fileId }),
    responses: { 204: { description: 'Removed' } },
    handler: async ({ req, res, params }) => {
      const a = await byToken(params.token, req.ip);
      await deleteFile(vendorContext(a, req.ip), a, params.fileId);
      res.status(204).end();
    },
  });
}

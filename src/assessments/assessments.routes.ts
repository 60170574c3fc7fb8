import { z } from 'zod';
import type { Request } from 'express';
import type { AppContent } from '../content.js';
import type { Config } from '../config.js';
import { contextOf } from '../audit/actor.js';
import { AppError } from '../http/errors.js';
import { can, type ApiRegistry } from '../http/route.js';
import { IdParam, listOf, Paging, PlainDate, multiLine } from '../http/schemas.js';
import { authorize, authorizeRecord, departmentFilter, type Action } from '../auth/policy.js';
import { principalOf } from '../auth/principal.js';
import { assessmentStore, AssessmentModel, type Assessment } from './assessment.model.js';
import { cancelAssessment, issueAssessment } from './commands.js';
import { issueLink, revokeLink, vendorUrl, DEFAULT_LINK_DAYS, MAX_LINK_DAYS } from './links.js';
import { presentForStaff, summary } from './presenter.js';
import { STATUSES } from './status.js';
import { applyReview, reviewsOf } from './review.js';

/** The assessment if this user may see it (404 otherwise, also for another department's) and do `action` to it. */
export async function assessmentFor(req: Request, id: string, action: Action = 'records.read'): Promise<Assessment> {
  const assessment = await assessmentStore.get(id);
  if (!assessment) throw new AppError('not_found', '指定された評価は見つかりません', 404);
  authorizeRecord(principalOf(req), action, assessment.departmentId);
  return assessment;
}

const SubjectKind = z.enum(['engagement', 'cloudService', 'snsAccount']);
const Id = z.string().regex(/^[0-9a-f]{24}$/, '識別子の形式が正しくありません');

export const IssueBody = z.object({
  subject: z.object({ kind: SubjectKind, id: Id }),
  templateId: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/),
  templateVersion: z.number().int().min(1).optional(),
  dueDate: PlainDate,
  respondent: z.enum(['vendor', 'staff']).optional(),
  language: z.enum(['ja', 'en']).default('ja'),
});

const Detail = z.record(z.string(), z.unknown());

export function registerAssessmentRoutes(api: ApiRegistry, content: AppContent, config: Readonly<Config>): void {
  api.add({
    method: 'get',
    path: '/api/v1/assessments',
    summary: '評価の一覧 / List assessments',
    tags: ['assessments'],
    access: can('records.read'),
    query: Paging.extend({
      status: z.enum(STATUSES).optional(),
      subjectKind: SubjectKind.optional(),
      subjectId: Id.optional(),
      departmentId: Id.optional(),
      templateId: z.string().max(40).optional(),
      archived: z.enum(['exclude', 'include']).default('exclude'),
      sort: z.enum(['due', 'updated', 'issued']).default('due'),
    }),
    responses: { 200: { description: 'A page', schema: listOf(z.record(z.string(), z.unknown())) } },
    handler: async ({ req, query }) => {
      const filter: Record<string, unknown> = {};
      if (query.status) filter.status = query.status;
      if (query.subjectKind) filter['subject.kind'] = query.subjectKind;
      if (query.subjectId) filter['subject.id'] = query.subjectId;
      if (query.templateId) filter.templateId = query.templateId;
      if (query.departmentId) filter.departmentId = query.departmentId;
      if (query.archived === 'exclude') filter.archivedAt = null;
      const dept = departmentFilter(principalOf(req));
      if (dept) filter.departmentId = query.departmentId && query.departmentId !== dept ? '__none__' : dept;
      const sort: Record<string, 1 | -1> = query.sort === 'due' ? { dueDate: 1 } : query.sort === 'issued' ? { issuedOn: -1 } : { updatedAt: -1 };
      // The template snapshot is large: lists leave it out.
      const [docs, total] = await Promise.all([
        AssessmentModel.find(filter, { facts: 0, excludedAtIssue: 0, 'template.questions': 0, 'template.sections': 0 }).sort({ ...sort, _id: 1 }).skip((query.page - 1) * query.limit).limit(query.limit).lean(),
        AssessmentModel.countDocuments(filter),
      ]);
      const items = await assessmentStore.rollForward(docs as unknown as Assessment[]);
      return { items: items.map(summary), total, page: query.page, limit: query.limit };
    },
  });

  api.add({
    method: 'post',
    path: '/api/v1/assessments',
    summary: '質問票を発行 / Issue a questionnaire for a subject',
    description: 'Stores a snapshot of the template, the subject’s facts and inherent tier; the answer lists the questions that apply and those left out, with why.',
    tags: ['assessments'],
    access: can('records.write'),
    body: IssueBody,
    responses: { 201: { description: 'Issued', schema: Detail } },
    handler: async ({ req, res, body }) => {
      const user = principalOf(req);
      const scope = authorize(user, 'records.write');
      const created = await issueAssessment(contextOf(req), { id: user.id, name: user.name }, content.templates, body, (departmentId) => {
        if (scope === 'department' && departmentId !== user.departmentId) throw new AppError('not_found', '評価の対象が見つかりません', 404);
      });
      res.setHeader('Location', `/api/v1/assessments/${created._id}`);
      return presentForStaff(created);
    },
  });

  api.add({
    method: 'get',
    path: '/api/v1/assessments/:id',
    summary: '評価の詳細 / An assessment with its questions, answers, files and review state',
    tags: ['assessments'],
    access: can('records.read'),
    params: IdParam,
    responses: { 200: { description: 'The assessment', schema: Detail } },
    handler: async ({ req, params }) => presentForStaff(await assessmentFor(req, params.id)),
  });

  api.add({
    method: 'post',
    path: '/api/v1/assessments/:id/link',
    summary: '事業者向けリンクを発行・再発行 / Issue or reissue the vendor link (token shown once)',
    description: 'The previous token stops working at once. Default validity 30 days (`days` up to 180).',
    tags: ['assessments'],
    access: can('records.write'),
    params: IdParam,
    body: z.object({ days: z.number().int().min(1).max(MAX_LINK_DAYS).default(DEFAULT_LINK_DAYS) }),
    responses: { 201: { description: 'The link', schema: z.object({ url: z.string(), token: z.string(), expiresAt: z.string() }) } },
    handler: async ({ req, params, body }) => {
      const assessment = await assessmentFor(req, params.id, 'records.write');
      const { token, expiresAt } = await issueLink(contextOf(req), assessment, body.days);
      const base = config.publicBaseUrl ?? `${req.protocol}://${req.get('host')}`;
      return { url: vendorUrl(base, token), token, expiresAt: expiresAt.toISOString() };
    },
  });

  api.add({
    method: 'delete',
    path: '/api/v1/assessments/:id/link',
    summary: '事業者向けリンクを失効 / Revoke the vendor link',
    tags: ['assessments'],
    access: can('records.write'),
    params: IdParam,
    responses: { 204: { description: 'Revoked' } },
    handler: async ({ req, res, params }) => {
      await revokeLink(contextOf(req), await assessmentFor(req, params.id, 'records.write'));
      res.status(204).end();
    },
  });

  api.add({
    method: 'post',
    path: '/api/v1/assessments/:id/cancel',
    summary: '評価を取り消す / Cancel (before a decision), with a reason',
    tags: ['assessments'],
    access: can('assessments.cancel'),
    params: IdParam,
    body: z.object({ reason: multiLine(2000).pipe(z.string().trim().min(1, '理由を入力してください')) }),
    responses: { 200: { description: 'Cancelled', schema: Detail } },
    handler: async ({ req, params, body }) => {
      const assessment = await assessmentFor(req, params.id, 'assessments.cancel');
      return presentForStaff(await cancelAssessment(contextOf(req), assessment._id, body.reason));
    },
  });

  api.add({
    method: 'get',
    path: '/api/v1/assessments/:id/review',
    summary: '審査の状況 / Review state per question',
    tags: ['review'],
    access: can('records.read'),
    params: IdParam,
    responses: { 200: { description: 'Reviews', schema: z.object({ items: z.array(z.record(z.string(), z.unknown())) }) } },
    handler: async ({ req, params }) => {
      const assessment = await assessmentFor(req, params.id);
      return { items: (await reviewsOf(assessment)).map(({ _id, ...r }) => ({ id: _id, ...r })) };
    },
  });

  api.add({
    method: 'post',
    path: '/api/v1/assessments/:id/review',
    summary: '審査の操作 / A review action',
    description:
      'One of: `comment` (questionId, text, visibleToRespondent); `accept` / `reject` (questionId, target: answer | notApplicable | evidence); `exception` (questionId, measure, expiresOn) for a failed ◎ gate; `removeException`; `requestClarification` (message). The first action on a submitted assessment starts the review.',
    tags: ['review'],
    access: can('assessments.review'),
    params: IdParam,
    body: z.discriminatedUnion('action', [
      z.object({ action: z.literal('comment'), questionId: z.string().max(16), text: multiLine(4000).pipe(z.string().trim().min(1)), visibleToRespondent: z.boolean().default(true) }),
      z.object({ action: z.enum(['accept', 'reject']), questionId: z.string().max(16), target: z.enum(['answer', 'notApplicable', 'evidence']) }),
      z.object({ action: z.literal('exception'), questionId: z.string().max(16), measure: multiLine(4000).pipe(z.string().trim().min(1, '代替措置を入力してください')), expiresOn: PlainDate }),
      z.object({ action: z.literal('removeException'), questionId: z.string().max(16) }),
      z.object({ action: z.literal('requestClarification'), message: multiLine(4000).pipe(z.string().trim().min(1, '依頼内容を入力してください')) }),
    ]),
    responses: { 200: { description: 'The assessment after the action', schema: Detail } },
    handler: async ({ req, params, body }) => {
      const assessment = await assessmentFor(req, params.id, 'assessments.review');
      const user = principalOf(req);
      return presentForStaff(await applyReview(contextOf(req), assessment, body, user.name));
    },
  });
}


import { z } from 'zod';
import mongoose from 'mongoose';
import { contextOf } from '../audit/actor.js';
import { AppError } from '../http/errors.js';
import { can, type ApiRegistry } from '../http/route.js';
import { IdParam, listOf, Paging, PlainDate, multiLine, requiredLine } from '../http/schemas.js';
import { authorizeRecord, departmentFilter } from '../auth/policy.js';
import { principalOf } from '../auth/principal.js';
import { assessmentFor } from '../assessments/assessments.routes.js';
import { presentForStaff } from '../assessments/presenter.js';
import { scoreOf } from '../assessments/scoring-input.js';
import { todayInTokyo } from '../shared/dates.js';
import { ConditionModel, conditionStore, type Condition } from './condition.model.js';
import { decide } from './decide.js';
import { acceptCondition, markConditionDone } from './conditions.commands.js';

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

export function presentCondition(c: Condition, today = todayInTokyo()) {
  return {
    id: c._id, version: c.version, assessmentId: c.assessmentId, subject: c.subject, departmentId: c.departmentId, number: c.number, text: c.text,
    owner: c.owner, dueDate: c.dueDate, questionId: c.questionId, kind: c.kind, status: c.status,
    overdue: c.status === 'open' && c.dueDate < today,
    done: c.done ? { ...c.done, at: iso(c.done.at) } : null,
    accepted: c.accepted ? { ...c.accepted, at: iso(c.accepted.at) } : null,
  };
}

const ConditionView = z.record(z.string(), z.unknown());

export function registerDecisionRoutes(api: ApiRegistry): void {
  api.add({
    method: 'get', path: '/api/v1/assessments/:id/score', summary: '採点結果（内訳つき） / The itaku-1 result with its full breakdown (staff only)',
    description: 'Weights, points, reasons and contributions per question, Σw and Σw·p, C, gates, L, T, R and the rule that gave the recommendation. A decided assessment answers the result it was decided on.',
    tags: ['scoring'], access: can('records.read'), params: IdParam,
    responses: { 200: { description: 'The result', schema: z.record(z.string(), z.unknown()) } },
    handler: async ({ req, params }) => scoreOf(await assessmentFor(req, params.id)),
  });

  api.add({
    method: 'post', path: '/api/v1/assessments/:id/decision', summary: '判断を記録 / Record the decision',
    description: 'Not by the preparer; an assessment recommended `escalate` only by a ciso; `approved`/`conditional` answer 409 `gate_failed` while a ◎ gate is failed without an exception. Conditions start from the proposed ones (GET …/score).',
    tags: ['decisions'], access: can('assessments.decide'), params: IdParam,
    body: z.object({
      result: z.enum(['approved', 'conditional', 'rejected']),
      reason: multiLine(4000).pipe(z.string().trim().min(1, '判断の理由を入力してください')),
      conditions: z.array(z.object({
        text: multiLine(2000).pipe(z.string().trim().min(1, '条件を入力してください')),
        owner: requiredLine(100),
        dueDate: PlainDate,
        questionId: z.string().max(16).nullable().optional(),
        kind: z.enum(['remediation', 'exception', 'other']).optional(),
      })).max(100).default([]),
    }),
    responses: { 200: { description: 'The decided assessment', schema: z.record(z.string(), z.unknown()) } },
    handler: async ({ req, params, body }) => {
      const assessment = await assessmentFor(req, params.id, 'assessments.decide');
      return presentForStaff(await decide(contextOf(req), principalOf(req), assessment, body));
    },
  });

  api.add({
    method: 'get', path: '/api/v1/conditions', summary: '条件の一覧 / Conditions of decisions',
    tags: ['conditions'], access: can('records.read'),
    query: Paging.extend({
      status: z.enum(['open', 'done', 'accepted', 'overdue']).optional(),
      assessmentId: z.string().regex(/^[0-9a-f]{24}$/).optional(),
      departmentId: z.string().regex(/^[0-9a-f]{24}$/).optional(),
      sort: z.enum(['due', 'updated']).default('due'),
    }),
    responses: { 200: { description: 'A page', schema: listOf(ConditionView) } },
    handler: async ({ req, query }) => {
      const filter: Record<string, unknown> = { archivedAt: null };
      if (query.status === 'overdue') Object.assign(filter, { status: 'open', dueDate: mongoose.trusted({ $lt: todayInTokyo() }) });
      else if (query.status) filter.status = query.status;
      if (query.assessmentId) filter.assessmentId = query.assessmentId;
      if (query.departmentId) filter.departmentId = query.departmentId;
      const dept = departmentFilter(principalOf(req));
      if (dept) filter.departmentId = query.departmentId && query.departmentId !== dept ? '__none__' : dept;
      const [docs, total] = await Promise.all([
        ConditionModel.find(filter).sort({ ...(query.sort === 'due' ? { dueDate: 1 } : { updatedAt: -1 }), _id: 1 }).skip((query.page - 1) * query.limit).limit(query.limit).lean(),
        ConditionModel.countDocuments(filter),
      ]);
      const items = await conditionStore.rollForward(docs as Condition[]);
      return { items: items.map((c) => presentCondition(c)), total, page: query.page, limit: query.limit };
    },
  });

  const load = async (req: Parameters<typeof principalOf>[0], id: string, action: 'records.read' | 'conditions.complete' | 'conditions.accept') => {
    const c = await conditionStore.get(id);
    if (!c) throw new AppError('not_found', '指定された条件は見つかりません', 404);
    authorizeRecord(principalOf(req), action, c.departmentId);
    return c;
  };

  api.add({
    method: 'get', path: '/api/v1/conditions/:id', summary: '条件 / One condition', tags: ['conditions'], access: can('records.read'), params: IdParam,
    responses: { 200: { description: 'The condition', schema: ConditionView } },
    handler: async ({ req, params }) => presentCondition(await load(req, params.id, 'records.read')),
  });

  api.add({
    method: 'post', path: '/api/v1/conditions/:id/done', summary: '条件の対応完了を報告 / Mark done, with evidence',
    tags: ['conditions'], access: can('conditions.complete'), params: IdParam,
    body: z.object({ version: z.number().int().min(1), note: multiLine(4000).pipe(z.string().trim().min(1, '対応内容（証跡）を入力してください')) }),
    responses: { 200: { description: 'Done', schema: ConditionView } },
    handler: async ({ req, params, body }) => {
      const c = await load(req, params.id, 'conditions.complete');
      return presentCondition(await markConditionDone(contextOf(req), principalOf(req).name, c, body.version, body.note));
    },
  });

  api.add({
    method: 'post', path: '/api/v1/conditions/:id/accept', summary: '条件の完了を確認 / Accept a condition as done',
    tags: ['conditions'], access: can('conditions.accept'), params: IdParam,
    body: z.object({ version: z.number().int().min(1) }),
    responses: { 200: { description: 'Accepted', schema: ConditionView } },
    handler: async ({ req, params, body }) => {
      const c = await load(req, params.id, 'conditions.accept');
      return presentCondition(await acceptCondition(contextOf(req), principalOf(req).name, c, body.version));
    },
  });
}

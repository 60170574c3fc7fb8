import { z } from 'zod';
import { contextOf } from '../audit/actor.js';
import { can, type ApiRegistry } from '../http/route.js';
import { IdParam, multiLine } from '../http/schemas.js';
import { compareDates } from '../shared/dates.js';
import { loadSubject } from './access.js';
import { recordIncident } from './incidents.commands.js';
import { ValidDate } from './schemas.js';
import { KIND_LABELS, KIND_PATHS } from './subject.js';
import type { Incident, SubjectKind } from './subject.types.js';

const IncidentInput = z.object({
  date: ValidDate.describe('発生日（日本時間）'),
  severity: z.enum(['low', 'medium', 'high', 'critical']).describe('low: 軽微, medium: 中, high: 重大, critical: 緊急'),
  summary: multiLine(2000).pipe(z.string().trim().min(1, '概要を入力してください')),
});

const IncidentView = z.object({
  id: z.string(),
  date: z.string(),
  severity: z.enum(['low', 'medium', 'high', 'critical']),
  summary: z.string(),
  recordedAt: z.string(),
  recordedBy: z.object({ id: z.string(), name: z.string().nullable() }),
});

const present = (i: Incident): z.infer<typeof IncidentView> => ({
  id: i.id,
  date: i.date,
  severity: i.severity,
  summary: i.summary,
  recordedAt: new Date(i.recordedAt).toISOString(),
  recordedBy: { id: i.recordedBy.id, name: i.recordedBy.name ?? null },
});

/**
 * `/api/v1/<kind>/:id/incidents`: incidents live on the subject record itself, so recording one and moving the next
 * review date are a single versioned write (audited as '<entity>.incident').
 */
export function registerIncidentRoutes(api: ApiRegistry, kind: SubjectKind): void {
  const path = `/api/v1/${KIND_PATHS[kind]}/:id/incidents`;
  const noun = KIND_LABELS[kind];

  api.add({
    method: 'get',
    path,
    summary: `${noun}のインシデント一覧 / Incidents (newest first)`,
    tags: [KIND_PATHS[kind]],
    access: can('records.read'),
    params: IdParam,
    responses: { 200: { description: 'Incidents', schema: z.object({ items: z.array(IncidentView) }) } },
    handler: async ({ req, params }) => {
      const record = await loadSubject(req, kind, params.id, 'records.read');
      const items = [...record.incidents].sort((a, b) => compareDates(b.date, a.date) || +new Date(b.recordedAt) - +new Date(a.recordedAt));
      return { items: items.map(present) };
    },
  });

  api.add({
    method: 'post',
    path,
    summary: `${noun}にインシデントを記録 / Record an incident`,
    description: 'The incident date (if after the last decision) brings the next review forward. No `version` is needed: an incident is added to the latest version.',
    tags: [KIND_PATHS[kind]],
    access: can('incidents.write'),
    params: IdParam,
    body: IncidentInput,
    responses: { 201: { description: 'Recorded', schema: IncidentView.extend({ subject: z.object({ id: z.string(), version: z.number().int(), nextReviewDate: z.string() }) }) } },
    handler: async ({ req, res, params, body }) => {
      const record = await loadSubject(req, kind, params.id, 'incidents.write');
      const { incident, saved } = await recordIncident(contextOf(req), record, body);
      res.setHeader('Location', `/api/v1/${KIND_PATHS[kind]}/${saved._id}/incidents`);
      return { ...present(incident), subject: { id: saved._id, version: saved.version, nextReviewDate: saved.nextReviewDate } };
    },
  });
}

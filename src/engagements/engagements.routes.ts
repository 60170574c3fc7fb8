import { registerResource } from '../http/resource.js';
import type { ApiRegistry } from '../http/route.js';
import { stripUndefined } from '../org/index.js';
import { registerIncidentRoutes } from '../records/incidents.routes.js';
import { subjectListFilter, SUBJECT_SORTS, withConditions } from '../records/list-filters.js';
import { lookupFor } from '../records/lookup.js';
import { registerTierRoutes } from '../records/tier.routes.js';
import { syncTierHistory } from '../records/tier-history.js';
import { engagementStore } from './engagement.model.js';
import { presentEngagement } from './engagement.presenter.js';
import { buildEngagement, engagementAsInput } from './engagements.commands.js';
import { CreateEngagement, EngagementListQuery, EngagementView, UpdateEngagement } from './engagements.schemas.js';

/** /api/v1/engagements (業務委託) with its incidents and tier routes; department-scoped (records.read / records.write). */
export function registerEngagementRoutes(api: ApiRegistry): void {
  registerResource(api, {
    path: '/api/v1/engagements',
    tag: 'engagements',
    noun: '業務委託',
    store: engagementStore,
    view: EngagementView,
    present: (e, req) => presentEngagement(e, lookupFor(req)),
    createBody: CreateEngagement,
    updateBody: UpdateEngagement,
    readAction: 'records.read',
    writeAction: 'records.write',
    departmentOf: (e) => e.departmentId,
    departmentOfInput: (input) => input.departmentId,
    toRecord: async (_ctx, input) => buildEngagement(input, null),
    applyUpdate: async (_ctx, current, changes) => buildEngagement({ ...engagementAsInput(current), ...stripUndefined(changes) }, current),
    listQuery: EngagementListQuery,
    listFilter: async (q) =>
      withConditions(await subjectListFilter('engagement', q), [...(q.vendorId ? [{ vendorId: q.vendorId }] : []), ...(q.segment ? [{ segment: q.segment }] : [])]),
    searchFields: ['title', 'contractNumber'],
    sorts: { ...SUBJECT_SORTS, title: { title: 1 }, periodEnd: { 'period.end': 1 } },
    afterWrite: async (_ctx, e) => syncTierHistory('engagement', e._id),
  });
  registerIncidentRoutes(api, 'engagement');
  registerTierRoutes(api, 'engagement');
}

import { registerResource } from '../http/resource.js';
import type { ApiRegistry } from '../http/route.js';
import { registerIncidentRoutes } from '../records/incidents.routes.js';
import { subjectListFilter, SUBJECT_SORTS, withConditions } from '../records/list-filters.js';
import { lookupFor } from '../records/lookup.js';
import { registerTierRoutes } from '../records/tier.routes.js';
import { presentEngagement } from './engagement.presenter.js';
import { engagementCommands } from './engagements.commands.js';
import { CreateEngagement, EngagementListQuery, EngagementView, UpdateEngagement } from './engagements.schemas.js';

/** /api/v1/engagements (業務委託) with its incidents and tier routes; department-scoped (records.read / records.write). */
export function registerEngagementRoutes(api: ApiRegistry): void {
  registerResource(api, {
    path: '/api/v1/engagements',
    tag: 'engagements',
    commands: engagementCommands,
    view: EngagementView,
    present: (e, req) => presentEngagement(e, lookupFor(req)),
    createBody: CreateEngagement,
    updateBody: UpdateEngagement,
    listQuery: EngagementListQuery,
    listFilter: async (q) =>
      withConditions(await subjectListFilter('engagement', q), [...(q.vendorId ? [{ vendorId: q.vendorId }] : []), ...(q.segment ? [{ segment: q.segment }] : [])]),
    searchFields: ['title', 'contractNumber'],
    sorts: { ...SUBJECT_SORTS, title: { title: 1 }, periodEnd: { 'period.end': 1 } },
  });
  registerIncidentRoutes(api, 'engagement');
  registerTierRoutes(api, 'engagement');
}

import { principalOf } from '../auth/principal.js';
import { can, type ApiRegistry } from '../http/route.js';
import { dashboard } from './dashboard.query.js';
import { DashboardQuery, DashboardView } from './dashboard.schemas.js';

export function registerDashboardRoutes(api: ApiRegistry): void {
  api.add({
    method: 'get',
    path: '/api/v1/dashboard',
    summary: 'ダッシュボード / Dashboard: counts, what falls due, gaps',
    description:
      'Counts by kind, status and tier; reviews due within `days` (default 30) or overdue; vendor certificates and ISMAP registrations expiring within 60/30/7 days (or expired); contracts ended or ending without an end-of-contract record; gaps (every record warning); assessments whose answers are due within `days` or overdue, or that wait on an answer to a clarification request; open conditions due within `days` or overdue; and the heat map of each subject’s latest decided result by tier T and likelihood L (non-empty cells only). Procurement users see their own department’s figures.',
    tags: ['dashboard'],
    access: can('reference.read'),
    query: DashboardQuery,
    responses: { 200: { description: 'Dashboard', schema: DashboardView } },
    handler: async ({ req, query }) => dashboard(principalOf(req), query.days),
  });
}

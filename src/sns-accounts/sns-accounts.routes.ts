import { registerResource } from '../http/resource.js';
import type { ApiRegistry } from '../http/route.js';
import { registerIncidentRoutes } from '../records/incidents.routes.js';
import { subjectListFilter, SUBJECT_SORTS, withConditions } from '../records/list-filters.js';
import { lookupFor } from '../records/lookup.js';
import { registerTierRoutes } from '../records/tier.routes.js';
import { presentSnsAccount } from './sns-account.presenter.js';
import { snsAccountCommands } from './sns-accounts.commands.js';
import { CreateSnsAccount, SnsAccountListQuery, SnsAccountView, UpdateSnsAccount } from './sns-accounts.schemas.js';

/** /api/v1/sns-accounts (ソーシャルメディア) with its incidents and tier routes; department-scoped. */
export function registerSnsAccountRoutes(api: ApiRegistry): void {
  registerResource(api, {
    path: '/api/v1/sns-accounts',
    tag: 'sns-accounts',
    commands: snsAccountCommands,
    view: SnsAccountView,
    present: (a, req) => presentSnsAccount(a, lookupFor(req)),
    createBody: CreateSnsAccount,
    updateBody: UpdateSnsAccount,
    listQuery: SnsAccountListQuery,
    listFilter: async (q) =>
      withConditions(await subjectListFilter('snsAccount', q), [
        ...(q.platform ? [{ platform: q.platform }] : []),
        ...(q.disasterInformation ? [{ disasterInformation: q.disasterInformation === 'true' }] : []),
      ]),
    searchFields: ['accountName', 'platformName'],
    sorts: { ...SUBJECT_SORTS, account: { platform: 1, accountName: 1 }, lastActivity: { lastActivityOn: 1 } },
  });
  registerIncidentRoutes(api, 'snsAccount');
  registerTierRoutes(api, 'snsAccount');
}

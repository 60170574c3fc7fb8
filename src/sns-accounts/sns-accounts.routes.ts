import { scopeFor } from '../auth/policy.js';
import { principalOf } from '../auth/principal.js';
import { registerResource } from '../http/resource.js';
import type { ApiRegistry } from '../http/route.js';
import { stripUndefined } from '../org/index.js';
import { registerIncidentRoutes } from '../records/incidents.routes.js';
import { subjectListFilter, SUBJECT_SORTS, withConditions } from '../records/list-filters.js';
import { lookupFor } from '../records/lookup.js';
import { syncTierHistory } from '../records/tier-history.js';
import { registerTierRoutes } from '../records/tier.routes.js';
import type { Request } from 'express';
import { snsAccountStore } from './sns-account.model.js';
import { presentSnsAccount } from './sns-account.presenter.js';
import { buildSnsAccount, snsAccountAsInput, type VisibleDepartment } from './sns-accounts.commands.js';
import { CreateSnsAccount, SnsAccountListQuery, SnsAccountView, UpdateSnsAccount } from './sns-accounts.schemas.js';

function visibleTo(req: Request): VisibleDepartment {
  const user = principalOf(req);
  return scopeFor(user, 'records.read') === 'all' ? null : (dept) => dept === user.departmentId;
}

/** /api/v1/sns-accounts (ソーシャルメディア) with its incidents and tier routes; department-scoped. */
export function registerSnsAccountRoutes(api: ApiRegistry): void {
  registerResource(api, {
    path: '/api/v1/sns-accounts',
    tag: 'sns-accounts',
    noun: 'ソーシャルメディアアカウント',
    store: snsAccountStore,
    view: SnsAccountView,
    present: (a, req) => presentSnsAccount(a, lookupFor(req)),
    createBody: CreateSnsAccount,
    updateBody: UpdateSnsAccount,
    readAction: 'records.read',
    writeAction: 'records.write',
    departmentOf: (a) => a.departmentId,
    departmentOfInput: (input) => input.departmentId,
    toRecord: async (_ctx, input, req) => buildSnsAccount(input, null, visibleTo(req)),
    applyUpdate: async (_ctx, current, changes, req) => buildSnsAccount({ ...snsAccountAsInput(current), ...stripUndefined(changes) }, current, visibleTo(req)),
    listQuery: SnsAccountListQuery,
    listFilter: async (q) =>
      withConditions(await subjectListFilter('snsAccount', q), [
        ...(q.platform ? [{ platform: q.platform }] : []),
        ...(q.disasterInformation ? [{ disasterInformation: q.disasterInformation === 'true' }] : []),
      ]),
    searchFields: ['accountName', 'platformName'],
    sorts: { ...SUBJECT_SORTS, account: { platform: 1, accountName: 1 }, lastActivity: { lastActivityOn: 1 } },
    afterWrite: async (_ctx, a) => syncTierHistory('snsAccount', a._id),
  });
  registerIncidentRoutes(api, 'snsAccount');
  registerTierRoutes(api, 'snsAccount');
}

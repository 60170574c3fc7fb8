import { registerResource } from '../http/resource.js';
import type { ApiRegistry } from '../http/route.js';
import { stripUndefined } from '../org/index.js';
import { registerIncidentRoutes } from '../records/incidents.routes.js';
import { subjectListFilter, SUBJECT_SORTS, withConditions } from '../records/list-filters.js';
import { lookupFor } from '../records/lookup.js';
import { syncTierHistory } from '../records/tier-history.js';
import { registerTierRoutes } from '../records/tier.routes.js';
import { cloudServiceStore } from './cloud-service.model.js';
import { presentCloudService } from './cloud-service.presenter.js';
import { buildCloudService, cloudServiceAsInput } from './cloud-services.commands.js';
import { CloudServiceListQuery, CloudServiceView, CreateCloudService, UpdateCloudService } from './cloud-services.schemas.js';

/** /api/v1/cloud-services (外部サービス) with its incidents and tier routes; department-scoped. */
export function registerCloudServiceRoutes(api: ApiRegistry): void {
  registerResource(api, {
    path: '/api/v1/cloud-services',
    tag: 'cloud-services',
    noun: '外部サービス',
    store: cloudServiceStore,
    view: CloudServiceView,
    present: (s, req) => presentCloudService(s, lookupFor(req)),
    createBody: CreateCloudService,
    updateBody: UpdateCloudService,
    readAction: 'records.read',
    writeAction: 'records.write',
    departmentOf: (s) => s.departmentId,
    departmentOfInput: (input) => input.departmentId,
    toRecord: async (_ctx, input) => buildCloudService(input, null),
    applyUpdate: async (_ctx, current, changes) => buildCloudService({ ...cloudServiceAsInput(current), ...stripUndefined(changes) }, current),
    listQuery: CloudServiceListQuery,
    listFilter: async (q) =>
      withConditions(await subjectListFilter('cloudService', q), [
        ...(q.vendorId ? [{ providerVendorId: q.vendorId }] : []),
        ...(q.segment ? [{ segment: q.segment }] : []),
        ...(q.contractType ? [{ contractType: q.contractType }] : []),
        ...(q.serviceModel ? [{ serviceModel: q.serviceModel }] : []),
        ...(q.generativeAi ? [{ generativeAi: q.generativeAi === 'true' }] : []),
      ]),
    searchFields: ['name'],
    sorts: { ...SUBJECT_SORTS, name: { name: 1 } },
    afterWrite: async (_ctx, s) => syncTierHistory('cloudService', s._id),
  });
  registerIncidentRoutes(api, 'cloudService');
  registerTierRoutes(api, 'cloudService');
}

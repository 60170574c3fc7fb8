import { registerResource } from '../http/resource.js';
import type { ApiRegistry } from '../http/route.js';
import { registerIncidentRoutes } from '../records/incidents.routes.js';
import { subjectListFilter, SUBJECT_SORTS, withConditions } from '../records/list-filters.js';
import { lookupFor } from '../records/lookup.js';
import { registerTierRoutes } from '../records/tier.routes.js';
import { presentCloudService } from './cloud-service.presenter.js';
import { cloudServiceCommands } from './cloud-services.commands.js';
import { CloudServiceListQuery, CloudServiceView, CreateCloudService, UpdateCloudService } from './cloud-services.schemas.js';

/** /api/v1/cloud-services (外部サービス) with its incidents and tier routes; department-scoped. */
export function registerCloudServiceRoutes(api: ApiRegistry): void {
  registerResource(api, {
    path: '/api/v1/cloud-services',
    tag: 'cloud-services',
    commands: cloudServiceCommands,
    view: CloudServiceView,
    present: (s, req) => presentCloudService(s, lookupFor(req)),
    createBody: CreateCloudService,
    updateBody: UpdateCloudService,
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
  });
  registerIncidentRoutes(api, 'cloudService');
  registerTierRoutes(api, 'cloudService');
}

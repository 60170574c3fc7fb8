import type { z } from 'zod';
import type { Lookup } from '../records/lookup.js';
import { personRef, presentSubjectBase } from '../records/present.js';
import type { CloudServiceView } from './cloud-services.schemas.js';
import type { CloudService } from './cloud-service.types.js';

export async function presentCloudService(s: CloudService, lookup: Lookup): Promise<z.infer<typeof CloudServiceView>> {
  const [base, provider, administrator] = await Promise.all([presentSubjectBase(s, lookup), lookup.vendor(s.providerVendorId), lookup.person(s.administratorId)]);
  return {
    ...base,
    name: s.name,
    providerVendorId: s.providerVendorId,
    provider: { id: s.providerVendorId, name: provider?.name ?? '' },
    serviceModel: s.serviceModel,
    contractType: s.contractType,
    ismap: s.ismap,
    dataLocations: s.dataLocations,
    governingLaw: s.governingLaw,
    jurisdiction: s.jurisdiction,
    departmentId: s.departmentId,
    administratorId: s.administratorId,
    administrator: personRef(administrator, s.administratorId),
    purpose: s.purpose,
    informationAssets: s.informationAssets,
    segment: s.segment,
    placement: s.placement,
    generativeAi: s.generativeAi,
    criticalDependency: s.criticalDependency,
    contractPeriod: s.contractPeriod,
    approval: s.approval,
  };
}

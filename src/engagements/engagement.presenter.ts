import type { z } from 'zod';
import type { Lookup } from '../records/lookup.js';
import { personRef, presentSubjectBase } from '../records/present.js';
import type { EngagementView } from './engagements.schemas.js';
import type { Engagement } from './engagement.types.js';

export async function presentEngagement(e: Engagement, lookup: Lookup): Promise<z.infer<typeof EngagementView>> {
  const [base, vendor, responsible, administrator] = await Promise.all([
    presentSubjectBase(e, lookup),
    lookup.vendor(e.vendorId),
    lookup.person(e.responsiblePersonId),
    e.administratorId ? lookup.person(e.administratorId) : Promise.resolve(null),
  ]);
  return {
    ...base,
    title: e.title,
    departmentId: e.departmentId,
    vendorId: e.vendorId,
    vendor: { id: e.vendorId, name: vendor?.name ?? '' },
    contractNumber: e.contractNumber,
    period: { start: e.period.start, end: e.period.end },
    description: e.description,
    informationAssets: e.informationAssets,
    segment: e.segment,
    placement: e.placement,
    systemWork: e.systemWork,
    workLocation: e.workLocation,
    remoteAccess: e.remoteAccess,
    responsiblePersonId: e.responsiblePersonId,
    responsiblePerson: personRef(responsible, e.responsiblePersonId),
    administratorId: e.administratorId,
    administrator: e.administratorId ? personRef(administrator, e.administratorId) : null,
    vendorOperatesSns: e.vendorOperatesSns,
    usesTermsOrGenerativeAi: e.usesTermsOrGenerativeAi,
    criticalDependency: e.criticalDependency,
    subcontractors: e.subcontractors,
    endOfContract: e.endOfContract,
  };
}

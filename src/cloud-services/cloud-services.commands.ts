import type { z } from 'zod';
import type { NewRecord } from '../db/versioned.js';
import { newSubjectBase } from '../records/base.js';
import { assertAssignable, assertDepartment, assertPlacement, assertVendor, toAssets } from '../records/references.js';
import { certificateDates, prepare } from '../records/save.js';
import { subjectCommands } from '../records/subject.commands.js';
import { getSettings } from '../settings/index.js';
import { normaliseName } from '../shared/text.js';
import { cloudServiceStore } from './cloud-service.model.js';
import type { CreateCloudService, UpdateCloudService } from './cloud-services.schemas.js';
import type { CloudService } from './cloud-service.types.js';

export type CloudServiceInput = z.output<typeof CreateCloudService>;
type CloudServiceChanges = Omit<z.output<typeof UpdateCloudService>, 'version'>;

const uniq = (xs: string[]) => [...new Set(xs)];

/** A cloud service as stored, from complete input; see buildEngagement. */
export async function buildCloudService(input: CloudServiceInput, current: CloudService | null): Promise<NewRecord<CloudService>> {
  const scheme = (await getSettings()).classificationScheme;
  await assertDepartment(input.departmentId);
  const vendor = await assertVendor(input.providerVendorId, 'providerVendorId');
  await assertAssignable([input.administratorId], current ? [current.administratorId] : [], 'administratorId');
  assertPlacement(input.segment, input.placement);
  const base = current ?? newSubjectBase('cloudService', input.departmentId);
  const draft: NewRecord<CloudService> = {
    ...base,
    kind: 'cloudService',
    name: normaliseName(input.name),
    providerVendorId: input.providerVendorId,
    serviceModel: input.serviceModel,
    contractType: input.contractType,
    ismap: input.ismap,
    dataLocations: {
      data: uniq(input.dataLocations.data),
      backups: uniq(input.dataLocations.backups),
      logs: uniq(input.dataLocations.logs),
      note: input.dataLocations.note,
    },
    governingLaw: input.governingLaw,
    jurisdiction: input.jurisdiction,
    departmentId: input.departmentId,
    administratorId: input.administratorId,
    purpose: input.purpose,
    informationAssets: await toAssets(input.informationAssets, scheme),
    segment: input.segment,
    placement: input.placement,
    generativeAi: input.generativeAi,
    criticalDependency: input.criticalDependency,
    contractPeriod: input.contractPeriod,
    approval: input.approval,
  };
  return prepare(draft, current, { scheme, certificateExpiryDates: certificateDates(vendor) });
}

export function cloudServiceAsInput(s: CloudService): CloudServiceInput {
  return { ...s, informationAssets: s.informationAssets.map((a) => ({ ...a, confidentiality: a.confidentiality.level })) };
}

/** Create, update and archive of cloud services, for the API and the console alike (see subjectCommands). */
export const cloudServiceCommands = subjectCommands<CloudService, CloudServiceInput, CloudServiceChanges>('cloudService', {
  store: cloudServiceStore,
  build: buildCloudService,
  asInput: cloudServiceAsInput,
});

export const { create: createCloudService, update: updateCloudService, archive: archiveCloudService } = cloudServiceCommands;

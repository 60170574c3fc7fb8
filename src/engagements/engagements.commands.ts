import mongoose from 'mongoose';
import type { z } from 'zod';
import { AppError, type FieldError } from '../http/errors.js';
import { newSubjectBase } from '../records/base.js';
import { assertAssignable, assertDepartment, assertPlacement, assertVendor, toAssets } from '../records/references.js';
import { certificateDates, prepare } from '../records/save.js';
import { subjectCommands } from '../records/subject.commands.js';
import { getSettings } from '../settings/index.js';
import { normaliseName } from '../shared/text.js';
import type { NewRecord } from '../db/versioned.js';
import { engagementStore } from './engagement.model.js';
import type { CreateEngagement, UpdateEngagement } from './engagements.schemas.js';
import type { Engagement, Subcontractor } from './engagement.types.js';

export type EngagementInput = z.output<typeof CreateEngagement>;
type EngagementChanges = Omit<z.output<typeof UpdateEngagement>, 'version'>;

async function subcontractors(input: EngagementInput['subcontractors']): Promise<Subcontractor[]> {
  const out: Subcontractor[] = [];
  for (const [i, s] of input.entries()) {
    const vendor = s.vendorId ? await assertVendor(s.vendorId, `subcontractors.${i}.vendorId`) : null;
    out.push({
      id: s.id ?? new mongoose.Types.ObjectId().toHexString(),
      vendorId: s.vendorId,
      name: vendor ? vendor.name : normaliseName(s.name),
      location: s.location,
      scope: s.scope,
      dataHandled: s.dataHandled,
      approved: s.approved,
      approvedOn: s.approvedOn,
    });
  }
  return out;
}

/**
 * An engagement as stored, from complete input (a create, or the current record merged with a PATCH): references
 * checked, levels checked against the scheme, derived fields recomputed against `current` (null on create).
 */
export async function buildEngagement(input: EngagementInput, current: Engagement | null): Promise<NewRecord<Engagement>> {
  const scheme = (await getSettings()).classificationScheme;
  await assertDepartment(input.departmentId);
  const vendor = await assertVendor(input.vendorId, 'vendorId');
  await assertAssignable([input.responsiblePersonId], current ? [current.responsiblePersonId] : [], 'responsiblePersonId');
  await assertAssignable([input.administratorId], current ? [current.administratorId] : [], 'administratorId');
  assertPlacement(input.segment, input.placement);
  const errors: FieldError[] = [];
  if (input.endOfContract && input.endOfContract.date < input.period.start) {
    errors.push({ path: 'endOfContract.date', message: '契約期間の開始より前の日付です' });
  }
  if (errors.length) throw new AppError('validation_failed', '入力内容に誤りがあります', 400, errors);
  const base = current ?? newSubjectBase('engagement', input.departmentId);
  const draft: NewRecord<Engagement> = {
    ...base,
    kind: 'engagement',
    title: normaliseName(input.title),
    departmentId: input.departmentId,
    vendorId: input.vendorId,
    contractNumber: input.contractNumber,
    period: { start: input.period.start, end: input.period.end },
    description: input.description,
    informationAssets: await toAssets(input.informationAssets, scheme),
    segment: input.segment,
    placement: input.placement,
    systemWork: input.systemWork,
    workLocation: input.workLocation,
    remoteAccess: input.remoteAccess,
    responsiblePersonId: input.responsiblePersonId,
    administratorId: input.administratorId,
    vendorOperatesSns: input.vendorOperatesSns,
    usesTermsOrGenerativeAi: input.usesTermsOrGenerativeAi,
    criticalDependency: input.criticalDependency,
    subcontractors: await subcontractors(input.subcontractors),
    endOfContract: input.endOfContract,
  };
  return prepare(draft, current, { scheme, certificateExpiryDates: certificateDates(vendor) });
}

/** The current record in input shape, so a PATCH can be merged over it and rebuilt like a create. */
export function engagementAsInput(e: Engagement): EngagementInput {
  return {
    ...e,
    informationAssets: e.informationAssets.map((a) => ({ ...a, confidentiality: a.confidentiality.level })),
  };
}

/** Create, update and archive of engagements, for the API and the console alike (see subjectCommands). */
export const engagementCommands = subjectCommands<Engagement, EngagementInput, EngagementChanges>('engagement', {
  store: engagementStore,
  build: buildEngagement,
  asInput: engagementAsInput,
});

export const { create: createEngagement, update: updateEngagement, archive: archiveEngagement } = engagementCommands;

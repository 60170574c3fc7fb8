import type { z } from 'zod';
import { engagementStore } from '../engagements/engagement.model.js';
import type { Lookup } from '../records/lookup.js';
import { personRef, presentSubjectBase } from '../records/present.js';
import type { SnsAccountView } from './sns-accounts.schemas.js';
import { PLATFORM_LABELS, type SnsAccount } from './sns-account.types.js';

export async function presentSnsAccount(a: SnsAccount, lookup: Lookup): Promise<z.infer<typeof SnsAccountView>> {
  const [base, responsible, operators, engagement] = await Promise.all([
    presentSubjectBase(a, lookup),
    a.responsiblePersonId ? lookup.person(a.responsiblePersonId) : Promise.resolve(null),
    Promise.all(a.operatorIds.map((id) => lookup.person(id))),
    a.operatedByEngagementId ? engagementStore.get(a.operatedByEngagementId) : Promise.resolve(null),
  ]);
  return {
    ...base,
    platform: a.platform,
    platformLabel: a.platform === 'other' ? a.platformName : PLATFORM_LABELS[a.platform],
    platformName: a.platformName,
    accountName: a.accountName,
    url: a.url,
    departmentId: a.departmentId,
    purpose: a.purpose,
    audience: a.audience,
    responsiblePersonId: a.responsiblePersonId,
    responsiblePerson: a.responsiblePersonId ? personRef(responsible, a.responsiblePersonId) : null,
    operatorIds: a.operatorIds,
    operators: a.operatorIds.map((id, i) => personRef(operators[i] ?? null, id)),
    postingPolicy: a.postingPolicy,
    officialSiteUrl: a.officialSiteUrl,
    officialVerification: a.officialVerification,
    twoFactor: a.twoFactor,
    credentialHolders: a.credentialHolders,
    procedure: a.procedure,
    operatedByEngagementId: a.operatedByEngagementId,
    // The engagement's title only: it may belong to a department the reader cannot open.
    operatedBy: a.operatedByEngagementId ? { id: a.operatedByEngagementId, name: engagement?.title ?? '' } : null,
    disasterInformation: a.disasterInformation,
    lastActivityOn: a.lastActivityOn,
  };
}

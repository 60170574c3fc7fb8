import type { CloudService } from '../cloud-services/cloud-service.types.js';
import type { Engagement } from '../engagements/engagement.types.js';
import type { SnsAccount } from '../sns-accounts/sns-account.types.js';
import type { Versioned } from '../db/versioned.js';
import type { SubjectKind } from './subject.types.js';

/** Any of the three subject records, discriminated by `kind`. */
export type SubjectRecord = Engagement | CloudService | SnsAccount;

/** A record without its bookkeeping (id, version, timestamps): what pure rules read, and what a create builds. */
export type SubjectDraft = SubjectRecord extends infer R ? (R extends SubjectRecord ? Omit<R, keyof Versioned> : never) : never;

export const KIND_LABELS: Record<SubjectKind, string> = {
  engagement: '業務委託',
  cloudService: '外部サービス',
  snsAccount: 'ソーシャルメディアアカウント',
};

/** URL segment of each kind under /api/v1. */
export const KIND_PATHS: Record<SubjectKind, string> = {
  engagement: 'engagements',
  cloudService: 'cloud-services',
  snsAccount: 'sns-accounts',
};

/** The name registers and lists show. */
export function subjectName(r: SubjectDraft): string {
  return r.kind === 'engagement' ? r.title : r.kind === 'cloudService' ? r.name : r.accountName;
}

/** The contract end that matters for reviews and status; null when there is no contract period. */
export function contractEndOf(r: SubjectDraft): string | null {
  return r.kind === 'engagement' ? r.period.end : r.kind === 'cloudService' ? (r.contractPeriod?.end ?? null) : null;
}

export function contractStartOf(r: SubjectDraft): string | null {
  return r.kind === 'engagement' ? r.period.start : r.kind === 'cloudService' ? (r.contractPeriod?.start ?? null) : null;
}

/** The people a record names, by role (hand-over, warnings, presenters). */
export function peopleOf(r: SubjectDraft): { role: PersonRole; id: string }[] {
  const out: { role: PersonRole; id: string }[] = [];
  if (r.kind === 'engagement') {
    out.push({ role: 'responsiblePerson', id: r.responsiblePersonId });
    if (r.administratorId) out.push({ role: 'administrator', id: r.administratorId });
  } else if (r.kind === 'cloudService') {
    out.push({ role: 'serviceAdministrator', id: r.administratorId });
  } else {
    if (r.responsiblePersonId) out.push({ role: 'responsiblePerson', id: r.responsiblePersonId });
    for (const id of r.operatorIds) out.push({ role: 'operator', id });
  }
  return out;
}

export type PersonRole = 'responsiblePerson' | 'administrator' | 'serviceAdministrator' | 'operator';

export const PERSON_ROLE_LABELS: Record<PersonRole, string> = {
  responsiblePerson: '責任者',
  administrator: '管理者',
  serviceAdministrator: '外部サービス管理者',
  operator: '運用担当者',
};

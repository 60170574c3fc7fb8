import type { Principal } from '../auth/policy.js';
import type { NewRecord, VersionedStore } from '../db/versioned.js';
import { stripUndefined } from '../org/index.js';
import { recordCommands, type RecordCommands } from './commands.js';
import { KIND_LABELS, type SubjectRecord } from './subject.js';
import type { SubjectKind } from './subject.types.js';
import { syncTierHistory } from './tier-history.js';

/** What differs between the subject kinds: the store and how a record is built from complete input. */
export interface SubjectKindSpec<T extends SubjectRecord, C> {
  store: VersionedStore<T>;
  /** The record as stored from complete input (a create, or the current record merged with a PATCH); see buildEngagement. */
  build: (input: C, current: T | null, user: Principal) => Promise<NewRecord<T>>;
  /** The current record in input shape, so a PATCH can be merged over it and rebuilt like a create. */
  asInput: (current: T) => C;
}

/**
 * The commands of a subject kind (engagement, cloud service, SNS account): department-scoped (records.read /
 * records.write), a PATCH merged over the stored record and rebuilt like a create, the tier history kept after each write.
 */
export function subjectCommands<T extends SubjectRecord, C extends { departmentId: string }, U extends object>(kind: SubjectKind, spec: SubjectKindSpec<T, C>): RecordCommands<T, C, U> {
  return recordCommands<T, C, U>({
    store: spec.store,
    noun: KIND_LABELS[kind],
    readAction: 'records.read',
    writeAction: 'records.write',
    departmentOf: (r) => r.departmentId,
    departmentOfInput: (input) => input.departmentId,
    toRecord: (input, user) => spec.build(input, null, user),
    applyUpdate: (current, changes, user) => spec.build({ ...spec.asInput(current), ...stripUndefined(changes as Record<string, unknown>) }, current, user),
    afterWrite: (_ctx, r) => syncTierHistory(kind, r._id),
  });
}

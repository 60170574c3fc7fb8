import { todayInTokyo } from '../shared/dates.js';
import type { SubjectBase, SubjectKind } from './subject.types.js';
import type { Versioned } from '../db/versioned.js';

/**
 * The fields a new subject starts with besides its own. Derived fields hold placeholders that `prepare` replaces
 * before anything is stored.
 */
export function newSubjectBase<K extends SubjectKind>(kind: K, departmentId: string, registeredOn = todayInTokyo()): Omit<SubjectBase, keyof Versioned> & { kind: K } {
  return {
    kind,
    departmentId,
    registeredOn,
    incidents: [],
    lastDecision: null,
    reviewTriggers: { subcontractorChanges: [], dataLocationChanges: [] },
    classification: null,
    computedTier: 1,
    tierReasons: [],
    tierOverride: null,
    tier: 1,
    warningCodes: [],
    nextReviewDate: registeredOn,
    nextReviewReason: 'never_decided',
    nextReviewText: '',
  };
}

import type { WriteContext } from '../audit/actor.js';
import { updateLatest } from './save.js';
import type { SubjectRecord } from './subject.js';
import type { LastDecision, SubjectKind } from './subject.types.js';
import { syncTierHistory } from './tier-history.js';

/**
 * Records the latest decision on a subject (for the assessment/decision code): the next review date is recomputed
 * from it — tier interval, open conditions of a 'conditional' decision, events after it. Applied to the latest
 * version (retried on a concurrent write), audited as '<entity>.decision'. Pass null to clear it.
 */
export async function setLastDecision(ctx: WriteContext, kind: SubjectKind, id: string, decision: LastDecision | null): Promise<SubjectRecord> {
  const saved = await updateLatest<SubjectRecord>(ctx, kind, id, `${kind}.decision`, (c) => ({
    ...c,
    lastDecision: decision ? { date: decision.date, result: decision.result, openConditionDueDates: [...decision.openConditionDueDates], assessmentId: decision.assessmentId } : null,
  }));
  await syncTierHistory(kind, id, saved);
  return saved;
}

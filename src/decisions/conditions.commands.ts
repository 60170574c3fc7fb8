import type { WriteContext } from '../audit/actor.js';
import { AppError } from '../http/errors.js';
import { conditionStore, type Condition } from './condition.model.js';
import { syncConditionDecision } from './decide.js';

/**
 * open → done, with what was done (the evidence in words; files can follow in a later version). The subject's
 * `lastDecision` then no longer lists the condition's due date, so its next review moves on.
 */
export async function markConditionDone(ctx: WriteContext, by: string, c: Condition, version: number, note: string): Promise<Condition> {
  if (c.status !== 'open') throw new AppError('illegal_state', 'この条件は既に対応済みです', 409);
  const done = await conditionStore.update(ctx, 'condition.done', c._id, version, (x) => ({ ...x, status: 'done', done: { at: new Date(), by, note } }));
  await syncConditionDecision(ctx, done);
  return done;
}

/** done → accepted, by a security officer or the ciso. */
export async function acceptCondition(ctx: WriteContext, by: string, c: Condition, version: number): Promise<Condition> {
  if (c.status !== 'done') throw new AppError('illegal_state', '対応完了の報告がない条件は確認できません', 409);
  const accepted = await conditionStore.update(ctx, 'condition.accept', c._id, version, (x) => ({ ...x, status: 'accepted', accepted: { at: new Date(), by } }));
  await syncConditionDecision(ctx, accepted);
  return accepted;
}

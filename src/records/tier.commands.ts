import type { WriteContext } from '../audit/actor.js';
import { AppError } from '../http/errors.js';
import type { Tier } from '../risk/inherent-tier.js';
import { assertLive } from './access.js';
import { derive } from './derive.js';
import { deriveContextFor, storeOf } from './save.js';
import type { SubjectRecord } from './subject.js';
import { syncTierHistory } from './tier-history.js';

/**
 * Sets (or with `tier` null clears) an officer's tier override on `current`, if it is still at `version`. Refuses an
 * override equal to the computed tier (it would say nothing). Recorded in the tier history.
 */
export async function overrideTier(ctx: WriteContext, current: SubjectRecord, tier: Tier | null, reason: string, version: number): Promise<SubjectRecord> {
  assertLive(current);
  const derivation = await deriveContextFor(current);
  const plain = derive({ ...current, tierOverride: null }, current, derivation);
  if (tier !== null && tier === plain.computedTier) {
    throw new AppError('validation_failed', '計算上の区分と同じ区分には上書きできません。上書きを解除するときは tier に null を指定してください。', 400, [
      { path: 'tier', message: `計算上の区分（T${plain.computedTier}）と同じです` },
    ]);
  }
  if (current.version !== version) {
    throw new AppError('version_conflict', 'この記録は他の利用者により更新されています。最新の内容を読み込み直してください。', 409, undefined, { currentVersion: current.version, yourVersion: version });
  }
  if (tier === null && !current.tierOverride) return current;
  const next =
    tier === null
      ? plain
      : derive(
          { ...plain, tierOverride: { tier, reason, by: { kind: ctx.actor.kind, id: ctx.actor.id, name: ctx.actor.name ?? null }, at: new Date(), computedTier: plain.computedTier } },
          current,
          derivation,
        );
  const saved = await storeOf(current.kind).update(ctx, `${current.kind}.tier-override`, current._id, version, () => next);
  await syncTierHistory(current.kind, saved._id);
  return saved;
}

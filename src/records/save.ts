/**
 * The one way a subject record is saved: derived fields recomputed from the record, its vendor and the settings
 * (derive.ts), then written through the kind's VersionedStore (revision → audit → record).
 */
import mongoose from 'mongoose';
import type { WriteContext } from '../audit/actor.js';
import { canonicalJson } from '../audit/canonical.js';
import type { VersionedStore } from '../db/versioned.js';
import { AppError } from '../http/errors.js';
import { getSettings } from '../settings/index.js';
import { registerClassificationProbe } from '../settings/classification-lock.js';
import { todayInTokyo } from '../shared/dates.js';
import { vendorStore } from '../vendors/vendor.model.js';
import type { Vendor } from '../vendors/vendor.types.js';
import { CloudServiceModel, cloudServiceStore } from '../cloud-services/cloud-service.model.js';
import { EngagementModel, engagementStore } from '../engagements/engagement.model.js';
import { snsAccountStore } from '../sns-accounts/sns-account.model.js';
import { derive, type DeriveContext } from './derive.js';
import type { SubjectDraft, SubjectRecord } from './subject.js';
import type { SubjectKind } from './subject.types.js';

type AnyStore = VersionedStore<SubjectRecord>;

export const SUBJECT_STORES: Record<SubjectKind, AnyStore> = {
  engagement: engagementStore as unknown as AnyStore,
  cloudService: cloudServiceStore as unknown as AnyStore,
  snsAccount: snsAccountStore as unknown as AnyStore,
};

export function storeOf(kind: SubjectKind): AnyStore {
  return SUBJECT_STORES[kind];
}

registerClassificationProbe(async () => {
  const classified = { classification: mongoose.trusted({ $ne: null }) };
  return Boolean((await EngagementModel.exists(classified)) ?? (await CloudServiceModel.exists(classified)));
});

/** The vendor whose certificates bear on a record's reviews: the contractor, or the service's provider. */
export function vendorIdOf(r: SubjectDraft): string | null {
  return r.kind === 'engagement' ? r.vendorId : r.kind === 'cloudService' ? r.providerVendorId : null;
}

/** validUntil of a vendor's certifications, the dates that feed its records' next review. */
export function certificateDates(vendor: Vendor | null): string[] {
  return (vendor?.certifications ?? []).map((c) => c.validUntil).filter((d): d is string => Boolean(d));
}

/** What derive needs besides the record; callers that already hold the settings or the vendor pass them in. */
export async function deriveContextFor(draft: SubjectDraft, overrides: Partial<DeriveContext> = {}): Promise<DeriveContext> {
  const vendorId = vendorIdOf(draft);
  return {
    scheme: overrides.scheme ?? (await getSettings()).classificationScheme,
    today: overrides.today ?? todayInTokyo(),
    certificateExpiryDates: overrides.certificateExpiryDates ?? certificateDates(vendorId ? await vendorStore.get(vendorId) : null),
  };
}

/** The draft with its derived fields recomputed (see derive.ts). */
export async function prepare<T extends SubjectDraft>(draft: T, previous: SubjectDraft | null, overrides: Partial<DeriveContext> = {}): Promise<T> {
  return derive(draft, previous, await deriveContextFor(draft, overrides));
}

const BOOKKEEPING = ['version', 'createdAt', 'updatedAt'] as const;

function sameContent(a: SubjectRecord, b: SubjectRecord): boolean {
  const strip = (r: SubjectRecord) => {
    const copy: Record<string, unknown> = { ...r };
    for (const k of BOOKKEEPING) delete copy[k];
    return canonicalJson(copy);
  };
  return strip(a) === strip(b);
}

/**
 * A change made by the system rather than by someone editing a version they read (an incident added, a hand-over, a
 * vendor's certificate changed, a scheme migration): applied to the latest version and retried when another write
 * lands first. `mutate` returns the changed draft, or null for "nothing to do". A change that alters nothing is not
 * written. Returns the saved (or unchanged) record.
 */
export async function updateLatest<T extends SubjectRecord>(
  ctx: WriteContext,
  kind: SubjectKind,
  id: string,
  action: string,
  mutate: (current: T) => T | null,
  overrides: Partial<DeriveContext> = {},
): Promise<T> {
  const store = storeOf(kind) as unknown as VersionedStore<T>;
  for (let attempt = 0; ; attempt++) {
    const current = await store.get(id);
    if (!current) throw new AppError('not_found', '指定された記録は見つかりません', 404);
    const draft = mutate(current);
    if (!draft) return current;
    const next = (await prepare(draft as SubjectDraft, current as SubjectDraft, overrides)) as unknown as T;
    if (sameContent(next, current)) return current;
    try {
      return await store.update(ctx, action, id, current.version, () => next);
    } catch (err) {
      if (err instanceof AppError && err.code === 'version_conflict' && attempt < 5) continue;
      throw err;
    }
  }
}

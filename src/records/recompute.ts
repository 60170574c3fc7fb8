import type { WriteContext } from '../audit/actor.js';
import { CloudServiceModel } from '../cloud-services/cloud-service.model.js';
import { EngagementModel } from '../engagements/engagement.model.js';
import { updateLatest } from './save.js';

/**
 * After a vendor changes, re-derives the live engagements and services that depend on it (its certificates' expiry
 * dates feed their next review). Records whose derived fields come out the same are not written.
 * Returns how many records were looked at.
 */
export async function recomputeVendorDependents(ctx: WriteContext, vendorId: string): Promise<number> {
  const [engagements, services] = await Promise.all([
    EngagementModel.find({ vendorId, archivedAt: null }, { _id: 1 }).lean(),
    CloudServiceModel.find({ providerVendorId: vendorId, archivedAt: null }, { _id: 1 }).lean(),
  ]);
  for (const { _id } of engagements) await updateLatest(ctx, 'engagement', _id, 'engagement.recompute', (c) => c);
  for (const { _id } of services) await updateLatest(ctx, 'cloudService', _id, 'cloudService.recompute', (c) => c);
  return engagements.length + services.length;
}

/** Counts of live records that use a vendor (as contractor or provider): a vendor in use is not archived. */
export async function vendorUsage(vendorId: string): Promise<number> {
  const [a, b] = await Promise.all([
    EngagementModel.countDocuments({ vendorId, archivedAt: null }),
    CloudServiceModel.countDocuments({ providerVendorId: vendorId, archivedAt: null }),
  ]);
  return a + b;
}

import { AppError } from '../http/errors.js';
import { registerResource } from '../http/resource.js';
import type { ApiRegistry } from '../http/route.js';
import { stripUndefined } from '../org/index.js';
import { recomputeVendorDependents, vendorUsage } from '../records/recompute.js';
import { vendorStore } from './vendor.model.js';
import { presentVendor } from './vendor.presenter.js';
import { buildVendor } from './vendors.commands.js';
import { CreateVendor, UpdateVendor, VendorListQuery, VendorView } from './vendors.schemas.js';

/** /api/v1/vendors: shared master data (vendors.read / vendors.write), unique by 法人番号. */
export function registerVendorRoutes(api: ApiRegistry): void {
  registerResource(api, {
    path: '/api/v1/vendors',
    tag: 'vendors',
    noun: '事業者',
    store: vendorStore,
    view: VendorView,
    present: (v) => presentVendor(v),
    createBody: CreateVendor,
    updateBody: UpdateVendor,
    readAction: 'vendors.read',
    writeAction: 'vendors.write',
    toRecord: async (_ctx, input) => buildVendor(input, null),
    applyUpdate: async (_ctx, current, changes) => {
      const merged = { ...current, ...stripUndefined(changes) };
      return { ...current, ...(await buildVendor(merged, current._id)) };
    },
    listQuery: VendorListQuery,
    listFilter: (q) => ({
      ...(q.country ? { country: q.country } : {}),
      ...(q.certification ? { 'certifications.type': q.certification } : {}),
    }),
    searchFields: ['name', 'nameKana', 'corporateNumber'],
    sorts: { kana: { nameKana: 1 }, name: { name: 1 }, updated: { updatedAt: -1 } },
    beforeArchive: async (v) => {
      const inUse = await vendorUsage(v._id);
      if (inUse > 0) throw new AppError('illegal_state', `この事業者は${inUse}件の業務委託・外部サービスで使われているため、アーカイブできません`, 409);
    },
    afterWrite: async (ctx, v) => {
      if (v.version > 1) await recomputeVendorDependents(ctx, v._id);
    },
  });
}


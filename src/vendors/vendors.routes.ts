import { registerResource } from '../http/resource.js';
import type { ApiRegistry } from '../http/route.js';
import { presentVendor } from './vendor.presenter.js';
import { vendorCommands } from './vendors.commands.js';
import { CreateVendor, UpdateVendor, VendorListQuery, VendorView } from './vendors.schemas.js';

/** /api/v1/vendors: shared master data (vendors.read / vendors.write), unique by 法人番号. */
export function registerVendorRoutes(api: ApiRegistry): void {
  registerResource(api, {
    path: '/api/v1/vendors',
    tag: 'vendors',
    commands: vendorCommands,
    view: VendorView,
    present: (v) => presentVendor(v),
    createBody: CreateVendor,
    updateBody: UpdateVendor,
    listQuery: VendorListQuery,
    listFilter: (q) => ({
      ...(q.country ? { country: q.country } : {}),
      ...(q.certification ? { 'certifications.type': q.certification } : {}),
    }),
    searchFields: ['name', 'nameKana', 'corporateNumber'],
    sorts: { kana: { nameKana: 1 }, name: { name: 1 }, updated: { updatedAt: -1 } },
  });
}

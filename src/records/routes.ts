import type { ApiRegistry } from '../http/route.js';
import { registerVendorRoutes } from '../vendors/index.js';
import { registerEngagementRoutes } from '../engagements/index.js';
import { registerCloudServiceRoutes } from '../cloud-services/index.js';
import { registerSnsAccountRoutes } from '../sns-accounts/index.js';
import { registerDashboardRoutes } from '../dashboard/index.js';
import { registerHandoverRoutes } from '../handover/index.js';

/** Every route of the records issue: vendors, the three subject kinds (with incidents and tiers), dashboard, hand-over. */
export function registerRecordRoutes(api: ApiRegistry): void {
  registerVendorRoutes(api);
  registerEngagementRoutes(api);
  registerCloudServiceRoutes(api);
  registerSnsAccountRoutes(api);
  registerDashboardRoutes(api);
  registerHandoverRoutes(api);
}

export { registerDashboardRoutes } from './dashboard.routes.js';
export { dashboard } from './dashboard.query.js';

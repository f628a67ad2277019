/** Personal dashboards composed of analytics report widgets. */
import type { ModuleDefinition } from '../index.js';
import { dashboardRoutes } from './dashboards.routes.js';

export { listDashboards } from './dashboards.service.js';

export const dashboardsModule: ModuleDefinition = { name: 'dashboards', plugin: dashboardRoutes };

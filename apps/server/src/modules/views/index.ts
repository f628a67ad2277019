import type { ModuleDefinition } from '../index.js';
import { viewsRoutes } from './views.routes.js';

export const viewsModule: ModuleDefinition = { name: 'views', plugin: viewsRoutes };
export { getViewOrThrow, listViews } from './views.service.js';

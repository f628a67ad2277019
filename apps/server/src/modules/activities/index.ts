/** Activities module: calls, emails, meetings, tasks and notes. */
import type { ModuleDefinition } from '../index.js';
import { activitiesRoutes } from './activities.routes.js';
import { seedActivitiesDemo } from './demo-seed.js';

export {
  createActivity, createActivityInTx, deleteActivity, deleteActivityInTx, getActivityOrThrowInTx, restoreActivity, restoreActivityInTx,
} from './activities.service.js';
export { sanitizeBody } from './sanitize.js';

export const activitiesModule: ModuleDefinition = { name: 'activities', plugin: activitiesRoutes, seedDemo: seedActivitiesDemo };

/** Timeline module: the merged history of a contact, company, lead or deal. */
import type { ModuleDefinition } from '../index.js';
import { timelineRoutes } from './timeline.routes.js';

export { recordTimeline } from './timeline.service.js';

export const timelineModule: ModuleDefinition = { name: 'timeline', plugin: timelineRoutes };

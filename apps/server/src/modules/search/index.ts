/** Search: GET /search, and the id search other modules use. The SQL side lives in migration 0100. */
import type { ModuleDefinition } from '../index.js';
import { searchRoutes } from './search.routes.js';

export { search, searchIdsInTx } from './search.service.js';

export const searchModule: ModuleDefinition = { name: 'search', plugin: searchRoutes };

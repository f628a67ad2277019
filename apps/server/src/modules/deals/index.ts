/** Deals module: deals, board order, stage moves. Other modules call the functions below. */
import type { ModuleDefinition } from '../index.js';
import { dealsRoutes } from './deals.routes.js';
import { seedSalesDemo } from './demo-seed.js';

export { createDeal, createDealInTx, deleteDeal, deleteDealInTx, getDealOrThrowInTx, restoreDeal, restoreDealInTx } from './deals.service.js';
export { assertReferencesInTx, validateCustomInTx, type References } from './references.js';
export { cursorKey, likePattern } from './list.queries.js';
export { DAY, insertRows, seededRandom } from './seed-util.js';

export const dealsModule: ModuleDefinition = {
  name: 'deals',
  plugin: dealsRoutes,
  seedDemo: seedSalesDemo,
};

/** The trash of contacts, companies, leads and deals: list, restore, purge after 30 days. */
import type { ModuleDefinition } from '../index.js';
import { trashRoutes } from './trash.routes.js';

export const trashModule: ModuleDefinition = { name: 'trash', plugin: trashRoutes };
export { listTrash, purgeTrash, purgeTrashInTx, restoreFromTrash, restoreFromTrashInTx, retentionCutoff, type PurgeCounts } from './trash.service.js';

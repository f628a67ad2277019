/** Bulk changes and deletes of contacts, companies, leads and deals. */
import type { ModuleDefinition } from '../index.js';
import { bulkRoutes } from './bulk.routes.js';

export const bulkModule: ModuleDefinition = { name: 'bulk', plugin: bulkRoutes };
export { bulkDelete, bulkDeleteInTx, bulkUpdate, bulkUpdateInTx } from './bulk.service.js';

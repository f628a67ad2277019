/** The trash of contacts, companies, leads and deals: list, restore, purge after 30 days. */
import { registerRecurringJob } from '../../platform/jobs/index.js';
import type { ModuleDefinition } from '../index.js';
import { trashRoutes } from './trash.routes.js';
import { purgeTrashInTx, retentionCutoff } from './trash.service.js';

/** Every night, for every tenant: remove for good what has been in the trash for 30 days. */
registerRecurringJob({ name: 'data.purge-trash', cron: '17 3 * * *', run: async (tx, job) => { await purgeTrashInTx(tx, job.ctx, retentionCutoff()); } });

export const trashModule: ModuleDefinition = { name: 'trash', plugin: trashRoutes };
export { listTrash, purgeTrash, purgeTrashInTx, restoreFromTrash, restoreFromTrashInTx, retentionCutoff, type PurgeCounts } from './trash.service.js';

/**
 * Feature modules, mounted under /api/v1. Each module's `index.ts` exports a
 * plugin and the service functions other modules may call.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TenantContext } from '../platform/db/tenant.js';
import { analyticsModule } from './analytics/index.js';
import { dashboardsModule } from './dashboards/index.js';
import { tagsModule } from './tags/index.js';
import { searchModule } from './search/index.js';
import { duplicatesModule } from './duplicates/index.js';
import { customFieldsModule } from './custom-fields/index.js';
import { contactsModule } from './contacts/index.js';
import { companiesModule } from './companies/index.js';
import { webhooksModule } from './webhooks/index.js';
import { inboundModule } from './inbound/index.js';
import { viewsModule } from './views/index.js';
import { importsModule } from './imports/index.js';
import { exportsModule } from './exports/index.js';
import { bulkModule } from './bulk/index.js';
import { trashModule } from './trash/index.js';
import { pipelinesModule } from './pipelines/index.js';
import { dealsModule } from './deals/index.js';
import { leadsModule } from './leads/index.js';
import { activitiesModule } from './activities/index.js';
import { timelineModule } from './timeline/index.js';

export interface ModuleDefinition {
  name: string;
  plugin: FastifyPluginAsync;
  /** Fills the demo workspace on first start; modules seed in list order. */
  seedDemo?: (ctx: TenantContext) => Promise<void>;
}

export const modules: ModuleDefinition[] = [viewsModule, importsModule, exportsModule, bulkModule, trashModule, webhooksModule, customFieldsModule, companiesModule, contactsModule, searchModule, tagsModule, duplicatesModule, pipelinesModule, dealsModule, inboundModule, leadsModule, activitiesModule, timelineModule, analyticsModule, dashboardsModule];

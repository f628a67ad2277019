/** Inbound web forms: per-tenant form endpoints whose submissions become leads. */
import type { ModuleDefinition } from '../index.js';
import { inboundRoutes } from './inbound.routes.js';

export const inboundModule: ModuleDefinition = { name: 'inbound', plugin: inboundRoutes };

/** Leads module: leads, scoring and assignment rules, conversion, web-form intake. */
import type { FastifyPluginAsync } from 'fastify';
import type { ModuleDefinition } from '../index.js';
import { leadsRoutes } from './leads.routes.js';
import { seedLeadsDemo } from './demo-seed.js';
import { leadRulesRoutes } from './rules.routes.js';

export {
  createLead, createLeadInTx, createOrUpdateLeadFromForm, createOrUpdateLeadFromFormInTx, deleteLead, deleteLeadInTx, getLeadOrThrowInTx,
  restoreLead, restoreLeadInTx, updateLeadInTx,
} from './leads.service.js';
export { convertLead, convertLeadInTx, type ConversionResult } from './convert.service.js';
export { rescoreAllLeads, rescoreLeadsInTx } from './scoring.service.js';

const plugin: FastifyPluginAsync = async (app) => {
  await app.register(leadsRoutes);
  await app.register(leadRulesRoutes);
};

export const leadsModule: ModuleDefinition = { name: 'leads', plugin, seedDemo: seedLeadsDemo };

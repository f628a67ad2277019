/** Sales analytics: reports over deals, leads and activities, and the firm's exchange rates. */
import type { FastifyPluginAsync } from 'fastify';
import type { ModuleDefinition } from '../index.js';
import { rateRoutes } from './rates.routes.js';
import { reportRoutes } from './reports.routes.js';

export { runReport } from './reports.service.js';

const plugin: FastifyPluginAsync = async (app) => {
  await app.register(reportRoutes);
  await app.register(rateRoutes);
};

export const analyticsModule: ModuleDefinition = { name: 'analytics', plugin };

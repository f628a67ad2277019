/** GET /search: one box for every record type. */
import { SearchQuerySchema, SearchResultSchema } from '@pillar/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import * as service from './search.service.js';

export const searchRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/search', {
    config: { permission: 'records:read' },
    schema: {
      tags: ['search'], summary: 'Search contacts, companies, leads and deals (prefix, fragment and typo-tolerant)',
      security: [{ bearer: [] }], querystring: SearchQuerySchema, response: { 200: SearchResultSchema },
    },
  }, async (req) => ({ data: await service.search(req.ctx, req.query) }));
};

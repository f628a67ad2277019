import { IdParamsSchema, TimelineItemSchema, TimelineQuerySchema, pageOf } from '@pillar/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { recordTimeline } from './timeline.service.js';
import type { TimelineEntity } from './timeline.queries.js';

const PATHS: [string, TimelineEntity][] = [['contacts', 'contact'], ['companies', 'company'], ['leads', 'lead'], ['deals', 'deal']];

export const timelineRoutes: FastifyPluginAsyncZod = async (app) => {
  for (const [path, entity] of PATHS) {
    app.get(`/${path}/:id/timeline`, {
      config: { permission: 'records:read' },
      schema: { tags: ['timeline'], security: [{ bearer: [] }], summary: `Timeline of a ${entity}: activities, stage moves, changes, conversions; newest first`,
        params: IdParamsSchema, querystring: TimelineQuerySchema, response: { 200: pageOf(TimelineItemSchema) } },
    }, async (req) => recordTimeline(req.ctx, entity, req.params.id, req.query));
  }
};

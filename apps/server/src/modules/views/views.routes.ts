import {
  CreateSavedViewSchema, IdParamsSchema, ListSavedViewsQuerySchema, pageOf, SavedViewSchema, UpdateSavedViewSchema,
} from '@pillar/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { expectedVersion, withEtag } from '../../platform/http/etag.js';
import { createView, deleteView, getViewOrThrow, listViews, updateView } from './views.service.js';

const security = [{ bearer: [] }];
const tags = ['views'];

export const viewsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/views', { config: { permission: 'records:read' }, schema: { tags, security, summary: 'My views and the shared ones', querystring: ListSavedViewsQuerySchema, response: { 200: pageOf(SavedViewSchema) } } },
    async (req) => listViews(req.ctx, req.query));

  app.post('/views', { config: { permission: 'records:read' }, schema: { tags, security, summary: 'Save a view', body: CreateSavedViewSchema, response: { 201: SavedViewSchema } } },
    async (req, reply) => {
      const view = await createView(req.ctx, req.body);
      return reply.code(201).send(withEtag(reply, view));
    });

  app.get('/views/:id', { config: { permission: 'records:read' }, schema: { tags, security, summary: 'One view', params: IdParamsSchema, response: { 200: SavedViewSchema } } },
    async (req, reply) => withEtag(reply, await getViewOrThrow(req.ctx, req.params.id)));

  app.patch('/views/:id', { config: { permission: 'records:read' }, schema: { tags, security, summary: 'Change a view (If-Match)', params: IdParamsSchema, body: UpdateSavedViewSchema, response: { 200: SavedViewSchema } } },
    async (req, reply) => withEtag(reply, await updateView(req.ctx, req.params.id, req.body, expectedVersion(req))));

  app.delete('/views/:id', { config: { permission: 'records:read' }, schema: { tags, security, summary: 'Delete a view (If-Match)', params: IdParamsSchema, response: { 204: z.null() } } },
    async (req, reply) => {
      await deleteView(req.ctx, req.params.id, expectedVersion(req));
      return reply.code(204).send(null);
    });
};

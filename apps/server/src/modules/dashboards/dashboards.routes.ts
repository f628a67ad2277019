import {
  CreateDashboardSchema, DashboardSchema, IdParamsSchema, PageQuerySchema, UpdateDashboardSchema, pageOf,
} from '@pillar/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { expectedVersion, withEtag } from '../../platform/http/etag.js';
import { createDashboard, deleteDashboard, getDashboard, listDashboards, updateDashboard } from './dashboards.service.js';

const security = [{ bearer: [] }];
const tags = ['dashboards'];
const config = { permission: 'reports:read' } as const;

/** The signed-in person's dashboards (report widgets with saved filters). */
export const dashboardRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/dashboards', {
    config,
    schema: { tags, summary: 'My dashboards (the default one is created on first use)', security,
      querystring: PageQuerySchema.strict(), response: { 200: pageOf(DashboardSchema) } },
  }, async (req) => listDashboards(req.ctx, req.query));

  app.get('/dashboards/:id', {
    config,
    schema: { tags, summary: 'One of my dashboards', security, params: IdParamsSchema, response: { 200: DashboardSchema } },
  }, async (req, reply) => withEtag(reply, await getDashboard(req.ctx, req.params.id)));

  app.post('/dashboards', {
    config,
    schema: { tags, summary: 'Create a dashboard', security, body: CreateDashboardSchema, response: { 201: DashboardSchema } },
  }, async (req, reply) => {
    const row = await createDashboard(req.ctx, req.body);
    return reply.code(201).send(withEtag(reply, row));
  });

  app.patch('/dashboards/:id', {
    config,
    schema: { tags, summary: 'Rename, rearrange or make default', security, params: IdParamsSchema, body: UpdateDashboardSchema,
      response: { 200: DashboardSchema } },
  }, async (req, reply) => withEtag(reply, await updateDashboard(req.ctx, req.params.id, req.body, expectedVersion(req))));

  app.delete('/dashboards/:id', {
    config,
    schema: { tags, summary: 'Delete a dashboard', security, params: IdParamsSchema, response: { 204: z.null() } },
  }, async (req, reply) => {
    await deleteDashboard(req.ctx, req.params.id, expectedVersion(req));
    return reply.code(204).send(null);
  });
};

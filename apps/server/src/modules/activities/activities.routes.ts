import { ActivitySchema, CreateActivitySchema, IdParamsSchema, ListQuerySchema, TaskListQuerySchema, UpdateActivitySchema, pageOf } from '@pillar/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { expectedVersion, withEtag } from '../../platform/http/etag.js';
import * as activities from './activities.service.js';

const security = [{ bearer: [] }];
const tags = ['activities'];
const read = { permission: 'records:read' as const };
const write = { permission: 'records:write' as const };

export const activitiesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/activities', { config: read, schema: { tags, security, summary: 'Activities: filter, sort, search, keyset pages', querystring: ListQuerySchema, response: { 200: pageOf(ActivitySchema) } } },
    async (req) => activities.listActivities(req.ctx, req.query));
  app.get('/activities/my-tasks', { config: read, schema: { tags, security, summary: 'My open tasks by due date (undated last)', querystring: TaskListQuerySchema.omit({ assignee_id: true }), response: { 200: pageOf(ActivitySchema) } } },
    async (req) => activities.listMyTasks(req.ctx, req.query));
  app.get('/activities/overdue', { config: read, schema: { tags, security, summary: 'Open activities past their due time, oldest first', querystring: TaskListQuerySchema, response: { 200: pageOf(ActivitySchema) } } },
    async (req) => activities.listOverdue(req.ctx, req.query));
  app.post('/activities', { config: write, schema: { tags, security, summary: 'Log or schedule an activity', body: CreateActivitySchema, response: { 201: ActivitySchema } } },
    async (req, reply) => reply.status(201).send(withEtag(reply, await activities.createActivity(req.ctx, req.body))));
  app.get('/activities/:id', { config: read, schema: { tags, security, summary: 'One activity', params: IdParamsSchema, response: { 200: ActivitySchema } } },
    async (req, reply) => withEtag(reply, await activities.getActivity(req.ctx, req.params.id)));
  app.patch('/activities/:id', { config: write, schema: { tags, security, summary: 'Change an activity', params: IdParamsSchema, body: UpdateActivitySchema, response: { 200: ActivitySchema } } },
    async (req, reply) => withEtag(reply, await activities.updateActivity(req.ctx, req.params.id, req.body, expectedVersion(req))));
  app.post('/activities/:id/complete', { config: write, schema: { tags, security, summary: 'Mark done', params: IdParamsSchema, response: { 200: ActivitySchema } } },
    async (req, reply) => withEtag(reply, await activities.setCompleted(req.ctx, req.params.id, true, expectedVersion(req))));
  app.post('/activities/:id/reopen', { config: write, schema: { tags, security, summary: 'Mark not done', params: IdParamsSchema, response: { 200: ActivitySchema } } },
    async (req, reply) => withEtag(reply, await activities.setCompleted(req.ctx, req.params.id, false, expectedVersion(req))));
  app.delete('/activities/:id', { config: { permission: 'records:delete' }, schema: { tags, security, summary: 'Move an activity to the trash', params: IdParamsSchema } },
    async (req, reply) => {
      await activities.deleteActivity(req.ctx, req.params.id, expectedVersion(req));
      return reply.status(204).send();
    });
  app.post('/activities/:id/restore', { config: { permission: 'records:delete' }, schema: { tags, security, summary: 'Restore an activity from the trash', params: IdParamsSchema, response: { 200: ActivitySchema } } },
    async (req, reply) => withEtag(reply, await activities.restoreActivity(req.ctx, req.params.id)));
};

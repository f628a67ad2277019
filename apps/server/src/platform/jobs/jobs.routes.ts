/** Admin API for background jobs of this firm: list failed and dead-lettered jobs, retry, discard. */
import { IdParamsSchema, JobSchema, ListJobsQuerySchema, pageOf } from '@pillar/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { discardJob, listJobs, retryJob } from './admin.js';

const security = [{ bearer: [] }];

export const jobsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/jobs', {
    config: { permission: 'jobs:manage' },
    schema: { tags: ['jobs'], summary: 'Failed or dead-lettered background jobs', security, querystring: ListJobsQuerySchema, response: { 200: pageOf(JobSchema) } },
  }, async (req) => listJobs(app.platform.db, app.platform.jobs, req.ctx.tenantId, req.query));

  app.post('/jobs/:id/retry', {
    config: { permission: 'jobs:manage' },
    schema: { tags: ['jobs'], summary: 'Run a failed or dead-lettered job again', security, params: IdParamsSchema, response: { 202: z.object({ id: z.string() }) } },
  }, async (req, reply) => {
    await retryJob(app.platform.db, app.platform.jobs, req.ctx.tenantId, req.params.id);
    return reply.status(202).send({ id: req.params.id });
  });

  app.delete('/jobs/:id', {
    config: { permission: 'jobs:manage' },
    schema: { tags: ['jobs'], summary: 'Discard a failed or dead-lettered job', security, params: IdParamsSchema, response: { 204: z.null() } },
  }, async (req, reply) => {
    await discardJob(app.platform.db, app.platform.jobs, req.ctx.tenantId, req.params.id);
    return reply.status(204).send(null);
  });
};

/**
 * Inbound web forms. Admins manage endpoints (webhooks:manage); the public
 * `POST /api/v1/inbound/forms/:token` takes JSON or form-encoded bodies,
 * rate-limited per client IP and per token.
 */
import {
  CreatedInboundEndpointSchema, CreateInboundEndpointSchema, IdParamsSchema, InboundEndpointSchema, InboundFormBodySchema, InboundSubmissionSchema,
  PageQuerySchema, pageOf, UuidSchema,
} from '@pillar/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { decodeCursor, pageResult } from '../../platform/http/cursor.js';
import * as service from './inbound.service.js';

const security = [{ bearer: [] }];
const tags = ['inbound forms'];
const config = { permission: 'webhooks:manage' } as const;

async function limit(limiter: RateLimiterMemory, key: string) {
  try {
    await limiter.consume(key);
  } catch (res) {
    if (!(res instanceof RateLimiterRes)) throw res;
    const retryAfter = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    throw new AppError('rate_limited', { message: `Too many submissions; try again in ${retryAfter} seconds`, headers: { 'retry-after': String(retryAfter) } });
  }
}

export const inboundRoutes: FastifyPluginAsyncZod = async (app) => {
  const perMinute = app.platform.config.inboundRatePerMinute;
  const perIp = new RateLimiterMemory({ keyPrefix: 'form-ip', points: perMinute, duration: 60 });
  const perToken = new RateLimiterMemory({ keyPrefix: 'form-token', points: perMinute * 10, duration: 60 });
  // Plain HTML forms post application/x-www-form-urlencoded (only inside this plugin).
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.get('/inbound/endpoints', { config, schema: { tags, summary: 'Inbound form endpoints', security, response: { 200: z.object({ data: z.array(InboundEndpointSchema) }) } } },
    async (req) => ({ data: await service.listEndpoints(req.ctx) }));

  app.post('/inbound/endpoints', { config, schema: { tags, summary: 'Create a form endpoint (its token is shown once)', security, body: CreateInboundEndpointSchema, response: { 201: CreatedInboundEndpointSchema } } },
    async (req, reply) => reply.status(201).send(await service.createEndpoint(req.ctx, req.body, app.platform.config.publicUrl)));

  app.delete('/inbound/endpoints/:id', { config, schema: { tags, summary: 'Delete a form endpoint (its token stops working)', security, params: IdParamsSchema, response: { 204: z.null() } } },
    async (req, reply) => {
      await service.deleteEndpoint(req.ctx, req.params.id);
      return reply.status(204).send(null);
    });

  app.get('/inbound/submissions', { config, schema: { tags, summary: 'Form submissions, newest first', security, querystring: PageQuerySchema.extend({ endpoint_id: UuidSchema.optional() }), response: { 200: pageOf(InboundSubmissionSchema) } } },
    async (req) => {
      const before = req.query.cursor ? String(decodeCursor(req.query.cursor, ['uuid'])[0]) : undefined;
      const rows = await service.listSubmissions(req.ctx, { ...req.query, before });
      return pageResult(rows, req.query.limit, (r) => [r.id]);
    });

  app.post('/inbound/forms/:token', {
    config: { public: true },
    bodyLimit: 64 * 1024,
    schema: { tags, summary: 'Submit a web form (public; the token is the credential)', params: z.object({ token: z.string().max(200) }), body: InboundFormBodySchema, response: { 202: InboundSubmissionSchema.pick({ id: true, status: true }) } },
  }, async (req, reply) => {
    await limit(perIp, req.ip);
    await limit(perToken, req.params.token.slice(0, 60));
    const done = await service.submitForm(app.platform.db, req.params.token, req.body, { ip: req.ip, requestId: req.id });
    return reply.status(202).send({ id: done.id, status: done.status });
  });
};

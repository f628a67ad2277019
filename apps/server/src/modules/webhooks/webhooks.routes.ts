/** /api/v1/webhooks — outbound webhook subscriptions and their delivery log (admins: webhooks:manage). */
import {
  CreatedWebhookSubscriptionSchema, CreateWebhookSubscriptionSchema, IdParamsSchema, ListWebhookDeliveriesQuerySchema, pageOf,
  ReplayResultSchema, ReplayWebhookEventsSchema, UpdateWebhookSubscriptionSchema, WebhookDeliveryDetailSchema, WebhookDeliverySchema,
  WebhookSubscriptionSchema,
} from '@pillar/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodeCursor, pageResult } from '../../platform/http/cursor.js';
import { expectedVersion, withEtag } from '../../platform/http/etag.js';
import * as service from './webhooks.service.js';

const security = [{ bearer: [] }];
const config = { permission: 'webhooks:manage' } as const;
const tags = ['webhooks'];

export const webhooksRoutes: FastifyPluginAsyncZod = async (app) => {
  const services = () => app.platform;

  app.get('/webhooks/subscriptions', { config, schema: { tags, summary: 'Webhook subscriptions', security, response: { 200: z.object({ data: z.array(WebhookSubscriptionSchema) }) } } },
    async (req) => ({ data: await service.listSubscriptions(req.ctx) }));

  app.post('/webhooks/subscriptions', { config, schema: { tags, summary: 'Subscribe a URL to events (the signing secret is shown once)', security, body: CreateWebhookSubscriptionSchema, response: { 201: CreatedWebhookSubscriptionSchema } } },
    async (req, reply) => reply.status(201).send(await service.createSubscription(services(), req.ctx, req.body)));

  app.get('/webhooks/subscriptions/:id', { config, schema: { tags, summary: 'One subscription', security, params: IdParamsSchema, response: { 200: WebhookSubscriptionSchema } } },
    async (req, reply) => withEtag(reply, await service.getSubscriptionOrThrow(req.ctx, req.params.id)));

  app.patch('/webhooks/subscriptions/:id', { config, schema: { tags, summary: 'Change a subscription (re-enabling resets its failure count)', security, params: IdParamsSchema, body: UpdateWebhookSubscriptionSchema, response: { 200: WebhookSubscriptionSchema } } },
    async (req, reply) => withEtag(reply, await service.updateSubscription(services(), req.ctx, req.params.id, req.body, expectedVersion(req))));

  app.delete('/webhooks/subscriptions/:id', { config, schema: { tags, summary: 'Delete a subscription and its delivery log', security, params: IdParamsSchema, response: { 204: z.null() } } },
    async (req, reply) => {
      await service.deleteSubscription(req.ctx, req.params.id, expectedVersion(req));
      return reply.status(204).send(null);
    });

  app.post('/webhooks/subscriptions/:id/ping', { config, schema: { tags, summary: 'Send a signed test event now', security, params: IdParamsSchema, response: { 200: WebhookDeliveryDetailSchema } } },
    async (req) => service.ping(services(), req.ctx, req.params.id));

  app.get('/webhooks/deliveries', { config, schema: { tags, summary: 'Delivery log, newest first', security, querystring: ListWebhookDeliveriesQuerySchema, response: { 200: pageOf(WebhookDeliverySchema) } } },
    async (req) => {
      const before = req.query.cursor ? String(decodeCursor(req.query.cursor, ['uuid'])[0]) : undefined;
      const rows = await service.listDeliveries(req.ctx, { ...req.query, before });
      return pageResult(rows, req.query.limit, (r) => [r.id]);
    });

  app.get('/webhooks/deliveries/:id', { config, schema: { tags, summary: 'One delivery with every attempt', security, params: IdParamsSchema, response: { 200: WebhookDeliveryDetailSchema } } },
    async (req) => service.getDeliveryOrThrow(req.ctx, req.params.id));

  app.post('/webhooks/deliveries/:id/redeliver', { config, schema: { tags, summary: 'Deliver the same event again', security, params: IdParamsSchema, response: { 202: WebhookDeliveryDetailSchema } } },
    async (req, reply) => reply.status(202).send(await service.redeliver(services(), req.ctx, req.params.id)));

  app.post('/webhooks/replay', { config, schema: { tags, summary: `Deliver again every event in a time range (at most ${service.REPLAY_MAX})`, security, body: ReplayWebhookEventsSchema, response: { 202: ReplayResultSchema } } },
    async (req, reply) => reply.status(202).send(await service.replay(services(), req.ctx, req.body)));
};

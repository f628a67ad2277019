import {
  CreateExchangeRateSchema, ExchangeRateSchema, IdParamsSchema, ListExchangeRatesQuerySchema, UpdateExchangeRateSchema, pageOf,
} from '@pillar/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { expectedVersion, withEtag } from '../../platform/http/etag.js';
import { createRate, deleteRate, getRate, listRates, updateRate } from './rates.service.js';

const security = [{ bearer: [] }];
const tags = ['exchange rates'];

/** The firm's exchange rates: read with reports, changed by whoever manages settings. */
export const rateRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/exchange-rates', {
    config: { permission: 'reports:read' },
    schema: { tags, summary: 'Exchange rates to the base currency', security, querystring: ListExchangeRatesQuerySchema,
      response: { 200: pageOf(ExchangeRateSchema) } },
  }, async (req) => listRates(req.ctx, req.query));

  app.get('/exchange-rates/:id', {
    config: { permission: 'reports:read' },
    schema: { tags, summary: 'One exchange rate', security, params: IdParamsSchema, response: { 200: ExchangeRateSchema } },
  }, async (req, reply) => withEtag(reply, await getRate(req.ctx, req.params.id)));

  app.post('/exchange-rates', {
    config: { permission: 'settings:manage' },
    schema: { tags, summary: 'Add a rate effective from a date', security, body: CreateExchangeRateSchema, response: { 201: ExchangeRateSchema } },
  }, async (req, reply) => {
    const row = await createRate(req.ctx, req.body);
    return reply.code(201).send(withEtag(reply, row));
  });

  app.patch('/exchange-rates/:id', {
    config: { permission: 'settings:manage' },
    schema: { tags, summary: 'Change a rate or its effective date', security, params: IdParamsSchema, body: UpdateExchangeRateSchema,
      response: { 200: ExchangeRateSchema } },
  }, async (req, reply) => withEtag(reply, await updateRate(req.ctx, req.params.id, req.body, expectedVersion(req))));

  app.delete('/exchange-rates/:id', {
    config: { permission: 'settings:manage' },
    schema: { tags, summary: 'Remove a rate', security, params: IdParamsSchema, response: { 204: z.null() } },
  }, async (req, reply) => {
    await deleteRate(req.ctx, req.params.id, expectedVersion(req));
    return reply.code(204).send(null);
  });
};

import {
  BoardQuerySchema, BoardSchema, CreateDealSchema, DealSchema, DealStageHistorySchema, IdParamsSchema, ListQuerySchema, LoseDealSchema,
  MoveDealSchema, StageDealsQuerySchema, UpdateDealSchema, WinDealSchema, pageOf,
} from '@pillar/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { expectedVersion, withEtag } from '../../platform/http/etag.js';
import * as board from './board.service.js';
import * as deals from './deals.service.js';
import { closeDeal, moveDeal } from './move.service.js';

const security = [{ bearer: [] }];
const tags = ['deals'];
const read = { permission: 'records:read' as const };
const write = { permission: 'records:write' as const };
const remove = { permission: 'records:delete' as const };

export const dealsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/deals', { config: read, schema: { tags, security, summary: 'Deals: filter, sort, search, keyset pages', querystring: ListQuerySchema, response: { 200: pageOf(DealSchema) } } },
    async (req) => board.listDeals(req.ctx, req.query));

  app.post('/deals', { config: write, schema: { tags, security, summary: 'Create a deal (at the end of its stage)', body: CreateDealSchema, response: { 201: DealSchema } } },
    async (req, reply) => reply.status(201).send(withEtag(reply, await deals.createDeal(req.ctx, req.body))));

  app.get('/deals/:id', { config: read, schema: { tags, security, summary: 'One deal', params: IdParamsSchema, response: { 200: DealSchema } } },
    async (req, reply) => withEtag(reply, await deals.getDeal(req.ctx, req.params.id)));

  app.patch('/deals/:id', { config: write, schema: { tags, security, summary: 'Change a deal (stage moves: POST /deals/{id}/stage)', params: IdParamsSchema, body: UpdateDealSchema, response: { 200: DealSchema } } },
    async (req, reply) => withEtag(reply, await deals.updateDeal(req.ctx, req.params.id, req.body, expectedVersion(req))));

  app.delete('/deals/:id', { config: remove, schema: { tags, security, summary: 'Move a deal to the trash', params: IdParamsSchema } },
    async (req, reply) => {
      await deals.deleteDeal(req.ctx, req.params.id, expectedVersion(req));
      return reply.status(204).send();
    });

  app.post('/deals/:id/restore', { config: remove, schema: { tags, security, summary: 'Restore a deal from the trash', params: IdParamsSchema, response: { 200: DealSchema } } },
    async (req, reply) => withEtag(reply, await deals.restoreDeal(req.ctx, req.params.id)));

  for (const method of ['POST', 'PUT'] as const) {
    app.route({ method, url: '/deals/:id/stage', config: write,
      schema: { tags, security, summary: 'Move a deal to a stage and a place on the board (If-Match honoured)', params: IdParamsSchema, body: MoveDealSchema, response: { 200: DealSchema } },
      handler: async (req, reply) => withEtag(reply, await moveDeal(req.ctx, req.params.id, req.body, expectedVersion(req))) });
  }

  app.post('/deals/:id/won', { config: write, schema: { tags, security, summary: 'Mark a deal won (moves it to the won stage)', params: IdParamsSchema, body: WinDealSchema.optional(), response: { 200: DealSchema } } },
    async (req, reply) => withEtag(reply, await closeDeal(req.ctx, req.params.id, 'won', { note: req.body?.note }, expectedVersion(req))));

  app.post('/deals/:id/lost', { config: write, schema: { tags, security, summary: 'Mark a deal lost, with a reason', params: IdParamsSchema, body: LoseDealSchema.optional(), response: { 200: DealSchema } } },
    async (req, reply) => withEtag(reply, await closeDeal(req.ctx, req.params.id, 'lost', { reason: req.body?.reason, note: req.body?.note }, expectedVersion(req))));

  app.get('/deals/:id/stage-history', { config: read, schema: { tags, security, summary: 'Stage moves of a deal, oldest first', params: IdParamsSchema, response: { 200: pageOf(DealStageHistorySchema) } } },
    async (req) => ({ data: await deals.dealHistory(req.ctx, req.params.id), next_cursor: null }));

  app.get('/pipelines/:id/board', { config: read, schema: { tags, security, summary: 'Board: stages with totals and their first cards', params: IdParamsSchema, querystring: BoardQuerySchema, response: { 200: BoardSchema } } },
    async (req) => board.getBoard(req.ctx, req.params.id, req.query));

  app.get('/stages/:id/deals', { config: read, schema: { tags, security, summary: 'More cards of one stage, in board order', params: IdParamsSchema, querystring: StageDealsQuerySchema, response: { 200: pageOf(DealSchema) } } },
    async (req) => board.listStageDeals(req.ctx, req.params.id, req.query));
};

import { ConvertLeadSchema, CreateLeadSchema, IdParamsSchema, LeadConversionSchema, LeadSchema, ListQuerySchema, UpdateLeadSchema, pageOf } from '@pillar/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { expectedVersion, withEtag } from '../../platform/http/etag.js';
import { convertLead } from './convert.service.js';
import * as leads from './leads.service.js';

const security = [{ bearer: [] }];
const tags = ['leads'];

export const leadsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/leads', { config: { permission: 'records:read' }, schema: { tags, security, summary: 'Leads: filter, sort, search, keyset pages', querystring: ListQuerySchema, response: { 200: pageOf(LeadSchema) } } },
    async (req) => leads.listLeads(req.ctx, req.query));

  app.post('/leads', { config: { permission: 'records:write' }, schema: { tags, security, summary: 'Create a lead (assignment rules pick an owner when none is given)', body: CreateLeadSchema, response: { 201: LeadSchema } } },
    async (req, reply) => reply.status(201).send(withEtag(reply, await leads.createLead(req.ctx, req.body))));

  app.get('/leads/:id', { config: { permission: 'records:read' }, schema: { tags, security, summary: 'One lead', params: IdParamsSchema, response: { 200: LeadSchema } } },
    async (req, reply) => withEtag(reply, await leads.getLead(req.ctx, req.params.id)));

  app.patch('/leads/:id', { config: { permission: 'records:write' }, schema: { tags, security, summary: 'Change a lead', params: IdParamsSchema, body: UpdateLeadSchema, response: { 200: LeadSchema } } },
    async (req, reply) => withEtag(reply, await leads.updateLead(req.ctx, req.params.id, req.body, expectedVersion(req))));

  app.delete('/leads/:id', { config: { permission: 'records:delete' }, schema: { tags, security, summary: 'Move a lead to the trash', params: IdParamsSchema } },
    async (req, reply) => {
      await leads.deleteLead(req.ctx, req.params.id, expectedVersion(req));
      return reply.status(204).send();
    });

  app.post('/leads/:id/restore', { config: { permission: 'records:delete' }, schema: { tags, security, summary: 'Restore a lead from the trash', params: IdParamsSchema, response: { 200: LeadSchema } } },
    async (req, reply) => withEtag(reply, await leads.restoreLead(req.ctx, req.params.id)));

  app.post('/leads/:id/convert', { config: { permission: 'records:write' }, schema: { tags, security, summary: 'Convert a lead into contact, company and deal (idempotent)', params: IdParamsSchema, body: ConvertLeadSchema, response: { 200: LeadConversionSchema } } },
    async (req) => convertLead(req.ctx, req.params.id, req.body));
};

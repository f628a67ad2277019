/** /companies: CRUD, lists, hierarchy and the company page's related records. */
import {
  CompanyRelatedSchema, CompanySchema, CreateCompanySchema, IdParamsSchema, ListQuerySchema, UpdateCompanySchema, pageOf,
} from '@pillar/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { expectedVersion, withEtag } from '../../platform/http/etag.js';
import * as service from './companies.service.js';

const security = [{ bearer: [] }];
const tags = ['companies'];

export const companyRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/companies', {
    config: { permission: 'records:read' },
    schema: { tags, summary: 'List companies (filter, sort, cursor, q)', security, querystring: ListQuerySchema, response: { 200: pageOf(CompanySchema) } },
  }, async (req) => service.listCompanies(req.ctx, req.query));

  app.post('/companies', {
    config: { permission: 'records:write' },
    schema: { tags, summary: 'Create a company', security, body: CreateCompanySchema, response: { 201: CompanySchema } },
  }, async (req, reply) => {
    const row = await service.createCompany(req.ctx, req.body);
    return reply.status(201).header('etag', `"${row.version}"`).header('location', `/api/v1/companies/${row.id}`).send(row);
  });

  app.get('/companies/:id', {
    config: { permission: 'records:read' },
    schema: { tags, summary: 'One company', security, params: IdParamsSchema, response: { 200: CompanySchema } },
  }, async (req, reply) => withEtag(reply, await service.getCompanyOrThrow(req.ctx, req.params.id)));

  app.patch('/companies/:id', {
    config: { permission: 'records:write' },
    schema: { tags, summary: 'Change a company (send If-Match)', security, params: IdParamsSchema, body: UpdateCompanySchema, response: { 200: CompanySchema } },
  }, async (req, reply) => withEtag(reply, await service.updateCompany(req.ctx, req.params.id, req.body, expectedVersion(req))));

  app.delete('/companies/:id', {
    config: { permission: 'records:delete' },
    schema: { tags, summary: 'Move a company to the trash', security, params: IdParamsSchema, response: { 204: z.null() } },
  }, async (req, reply) => {
    await service.deleteCompany(req.ctx, req.params.id, expectedVersion(req));
    return reply.status(204).send(null);
  });

  app.get('/companies/:id/children', {
    config: { permission: 'records:read' },
    schema: { tags, summary: 'Child companies (subsidiaries)', security, params: IdParamsSchema, querystring: ListQuerySchema, response: { 200: pageOf(CompanySchema) } },
  }, async (req) => service.listChildCompanies(req.ctx, req.params.id, req.query));

  app.get('/companies/:id/related', {
    config: { permission: 'records:read' },
    schema: { tags, summary: 'The company page: contacts, child companies, deals, activities', security, params: IdParamsSchema, response: { 200: CompanyRelatedSchema } },
  }, async (req) => service.getCompanyRelated(req.ctx, req.params.id));
};

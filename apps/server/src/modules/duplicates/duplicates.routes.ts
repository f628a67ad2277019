/** Duplicate suggestions and merges of contacts and companies. */
import { CompanySchema, ContactSchema, DuplicatesSchema, IdParamsSchema, MergeCompanySchema, MergeContactSchema } from '@pillar/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { expectedVersion, withEtag } from '../../platform/http/etag.js';
import { mergeCompanies, mergeContacts } from './merge.service.js';
import { companyDuplicates, contactDuplicates } from './suggestions.service.js';

const security = [{ bearer: [] }];

export const duplicateRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/contacts/:id/duplicates', {
    config: { permission: 'records:read' },
    schema: { tags: ['contacts'], summary: 'Likely duplicates of a contact', security, params: IdParamsSchema, response: { 200: DuplicatesSchema } },
  }, async (req) => ({ data: await contactDuplicates(req.ctx, req.params.id) }));

  app.get('/companies/:id/duplicates', {
    config: { permission: 'records:read' },
    schema: { tags: ['companies'], summary: 'Likely duplicates of a company', security, params: IdParamsSchema, response: { 200: DuplicatesSchema } },
  }, async (req) => ({ data: await companyDuplicates(req.ctx, req.params.id) }));

  app.post('/contacts/:id/merge', {
    config: { permission: 'records:delete' },
    schema: {
      tags: ['contacts'], summary: 'Merge another contact into this one (the other is trashed)', security,
      params: IdParamsSchema, body: MergeContactSchema, response: { 200: ContactSchema },
    },
  }, async (req, reply) => withEtag(reply, await mergeContacts(req.ctx, req.params.id, req.body.other_id, expectedVersion(req), req.body.prefer_other)));

  app.post('/companies/:id/merge', {
    config: { permission: 'records:delete' },
    schema: {
      tags: ['companies'], summary: 'Merge another company into this one (the other is trashed)', security,
      params: IdParamsSchema, body: MergeCompanySchema, response: { 200: CompanySchema },
    },
  }, async (req, reply) => withEtag(reply, await mergeCompanies(req.ctx, req.params.id, req.body.other_id, expectedVersion(req), req.body.prefer_other)));
};

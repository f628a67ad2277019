/** /custom-fields: per-tenant field definitions for contacts, companies, leads and deals. */
import {
  CreateCustomFieldSchema, CustomFieldSchema, IdParamsSchema, ListCustomFieldsQuerySchema, UpdateCustomFieldSchema, pageOf,
} from '@pillar/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { expectedVersion, withEtag } from '../../platform/http/etag.js';
import * as service from './custom-fields.service.js';

const security = [{ bearer: [] }];
const tags = ['custom fields'];

export const customFieldRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/custom-fields', {
    config: { permission: 'records:read' },
    schema: { tags, summary: 'Custom field definitions', security, querystring: ListCustomFieldsQuerySchema, response: { 200: pageOf(CustomFieldSchema) } },
  }, async (req) => ({
    data: await service.listCustomFields(req.ctx, req.query.entity ?? null, req.query.include_archived === 'true'),
    next_cursor: null,
  }));

  app.post('/custom-fields', {
    config: { permission: 'fields:manage' },
    schema: { tags, summary: 'Define a custom field', security, body: CreateCustomFieldSchema, response: { 201: CustomFieldSchema } },
  }, async (req, reply) => {
    const row = await service.createCustomField(req.ctx, req.body);
    return reply.status(201).header('etag', `"${row.version}"`).send(row);
  });

  app.get('/custom-fields/:id', {
    config: { permission: 'records:read' },
    schema: { tags, summary: 'One custom field definition', security, params: IdParamsSchema, response: { 200: CustomFieldSchema } },
  }, async (req, reply) => withEtag(reply, await service.getCustomFieldOrThrow(req.ctx, req.params.id)));

  app.patch('/custom-fields/:id', {
    config: { permission: 'fields:manage' },
    schema: { tags, summary: 'Change a custom field (key and type are fixed)', security, params: IdParamsSchema, body: UpdateCustomFieldSchema, response: { 200: CustomFieldSchema } },
  }, async (req, reply) => withEtag(reply, await service.updateCustomField(req.ctx, req.params.id, req.body, expectedVersion(req))));

  app.delete('/custom-fields/:id', {
    config: { permission: 'fields:manage' },
    schema: { tags, summary: 'Archive a custom field (values are kept)', security, params: IdParamsSchema, response: { 200: CustomFieldSchema } },
  }, async (req, reply) => withEtag(reply, await service.setCustomFieldArchived(req.ctx, req.params.id, true, expectedVersion(req))));

  app.post('/custom-fields/:id/restore', {
    config: { permission: 'fields:manage' },
    schema: { tags, summary: 'Restore an archived custom field', security, params: IdParamsSchema, response: { 200: CustomFieldSchema } },
  }, async (req, reply) => withEtag(reply, await service.setCustomFieldArchived(req.ctx, req.params.id, false, expectedVersion(req))));
};

/** /contacts: CRUD, lists and vCard export. */
import {
  ContactSchema, CreateContactSchema, IdParamsSchema, ListQuerySchema, UpdateContactSchema, pageOf,
} from '@pillar/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { expectedVersion, withEtag } from '../../platform/http/etag.js';
import * as service from './contacts.service.js';
import { toVCard, vcardFileName } from './vcard.js';

const security = [{ bearer: [] }];
const tags = ['contacts'];

export const contactRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/contacts', {
    config: { permission: 'records:read' },
    schema: { tags, summary: 'List contacts (filter, sort, cursor, q)', security, querystring: ListQuerySchema, response: { 200: pageOf(ContactSchema) } },
  }, async (req) => service.listContacts(req.ctx, req.query));

  app.post('/contacts', {
    config: { permission: 'records:write' },
    schema: { tags, summary: 'Create a contact (409 duplicate when the primary email is taken)', security, body: CreateContactSchema, response: { 201: ContactSchema } },
  }, async (req, reply) => {
    const row = await service.createContact(req.ctx, req.body);
    return reply.status(201).header('etag', `"${row.version}"`).header('location', `/api/v1/contacts/${row.id}`).send(row);
  });

  app.get('/contacts/:id', {
    config: { permission: 'records:read' },
    schema: { tags, summary: 'One contact', security, params: IdParamsSchema, response: { 200: ContactSchema } },
  }, async (req, reply) => withEtag(reply, await service.getContactOrThrow(req.ctx, req.params.id)));

  app.patch('/contacts/:id', {
    config: { permission: 'records:write' },
    schema: { tags, summary: 'Change a contact (send If-Match)', security, params: IdParamsSchema, body: UpdateContactSchema, response: { 200: ContactSchema } },
  }, async (req, reply) => withEtag(reply, await service.updateContact(req.ctx, req.params.id, req.body, expectedVersion(req))));

  app.delete('/contacts/:id', {
    config: { permission: 'records:delete' },
    schema: { tags, summary: 'Move a contact to the trash', security, params: IdParamsSchema, response: { 204: z.null() } },
  }, async (req, reply) => {
    await service.deleteContact(req.ctx, req.params.id, expectedVersion(req));
    return reply.status(204).send(null);
  });

  app.get('/contacts/:id/vcard', {
    config: { permission: 'records:read' },
    schema: { tags, summary: 'The contact as a vCard 4.0 (text/vcard)', security, params: IdParamsSchema, produces: ['text/vcard'], response: { 200: z.string() } },
  }, async (req, reply) => {
    const { contact, companyName } = await service.getContactWithCompany(req.ctx, req.params.id);
    return reply
      .type('text/vcard; charset=utf-8')
      .header('content-disposition', `attachment; filename="${vcardFileName(contact)}"`)
      .header('etag', `"${contact.version}"`)
      .send(toVCard(contact, companyName));
  });
};

/** Privacy: a contact's data export and erasure; a whole firm's export and deletion (owner only). */
import { ContactPrivacyExportSchema, DeleteTenantSchema, ErasedContactSchema, IdParamsSchema } from '@pillar/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { eraseContact, exportContactData } from './contact-privacy.js';
import { deleteTenant, streamTenantExport } from './tenant-data.js';

const security = [{ bearer: [] }];
const tags = ['privacy'];

export const privacyRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/contacts/:id/privacy-export', {
    config: { permission: 'data:export' },
    schema: { tags, security, summary: 'Everything held about one contact, as JSON', params: IdParamsSchema, response: { 200: ContactPrivacyExportSchema } },
  }, async (req, reply) => {
    void reply.header('cache-control', 'no-store');
    return exportContactData(req.ctx, req.params.id);
  });

  // Irreversible, so admins only (settings:manage); the audit keeps that it happened.
  app.post('/contacts/:id/erase', {
    config: { permission: 'settings:manage' },
    schema: { tags, security, summary: 'Erase a contact and its personal data everywhere (irreversible)', params: IdParamsSchema, response: { 200: ErasedContactSchema } },
  }, async (req) => eraseContact(req.ctx, req.params.id));

  // Owner only: tenant:delete is the owner's alone, and the export is the whole firm.
  app.get('/tenant/export', {
    config: { permission: 'tenant:delete' },
    schema: { tags, security, summary: 'The whole firm as one JSON document (streamed)' },
  }, async (req, reply) => reply
    .header('cache-control', 'no-store')
    .header('content-disposition', 'attachment; filename="pillar-export.json"')
    .type('application/json; charset=utf-8')
    .send(streamTenantExport(req.ctx)));

  app.delete('/tenant', {
    config: { permission: 'tenant:delete' },
    schema: { tags, security, summary: 'Delete this firm and all its data (type its name to confirm)', body: DeleteTenantSchema, response: { 204: z.null() } },
  }, async (req, reply) => {
    await deleteTenant(req.ctx, req.body.confirm_name);
    return reply.status(204).send(null);
  });
};

import { BulkDeleteSchema, BulkResultSchema, BulkUpdateSchema, RecordEntitySchema } from '@pillar/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bulkDelete, bulkUpdate } from './bulk.service.js';

const security = [{ bearer: [] }];
const tags = ['bulk'];
const params = z.strictObject({ entity: RecordEntitySchema });

export const bulkRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/bulk/:entity/update', { config: { permission: 'records:bulk' }, schema: { tags, security, summary: 'Change owner, tags, stage, status or a custom field of up to 10,000 records', params, body: BulkUpdateSchema, response: { 200: BulkResultSchema } } },
    async (req) => bulkUpdate(req.ctx, req.params.entity, req.body));

  app.post('/bulk/:entity/delete', { config: { permission: 'records:bulk' }, schema: { tags, security, summary: 'Move up to 10,000 records to the trash', params, body: BulkDeleteSchema, response: { 200: BulkResultSchema } } },
    async (req) => bulkDelete(req.ctx, req.params.entity, req.body));
};

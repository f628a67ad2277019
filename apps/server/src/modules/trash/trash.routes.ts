import { ListTrashQuerySchema, pageOf, RestoredRecordSchema, TrashItemSchema, TrashParamsSchema } from '@pillar/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { expectedVersion, withEtag } from '../../platform/http/etag.js';
import { listTrash, restoreFromTrash } from './trash.service.js';

const security = [{ bearer: [] }];
const tags = ['trash'];

export const trashRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/trash', { config: { permission: 'records:read' }, schema: { tags, security, summary: 'Deleted contacts, companies, leads and deals (kept 30 days)', querystring: ListTrashQuerySchema, response: { 200: pageOf(TrashItemSchema) } } },
    async (req) => listTrash(req.ctx, req.query));

  app.post('/trash/:entity/:id/restore', { config: { permission: 'records:delete' }, schema: { tags, security, summary: 'Restore a deleted record (If-Match optional)', params: TrashParamsSchema, response: { 200: RestoredRecordSchema } } },
    async (req, reply) => withEtag(reply, await restoreFromTrash(req.ctx, req.params.entity, req.params.id, expectedVersion(req))));
};

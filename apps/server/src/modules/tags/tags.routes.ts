/** /tags: the tenant's tags with counts; rename or remove one across records. */
import { RenameTagSchema, TagChangeResultSchema, TagListSchema, TagQuerySchema, TagSchema } from '@pillar/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import * as service from './tags.service.js';

const security = [{ bearer: [] }];
const tags = ['tags'];

export const tagRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/tags', {
    config: { permission: 'records:read' },
    schema: { tags, summary: 'Tags in use, with counts per record type', security, querystring: TagQuerySchema, response: { 200: TagListSchema } },
  }, async (req) => ({ data: await service.listTags(req.ctx, req.query.entity) }));

  app.post('/tags/rename', {
    config: { permission: 'records:bulk' },
    schema: { tags, summary: 'Rename a tag on every live record (of one type, or all)', security, body: RenameTagSchema, response: { 200: TagChangeResultSchema } },
  }, async (req) => service.renameTag(req.ctx, req.body));

  app.delete('/tags/:tag', {
    config: { permission: 'records:bulk' },
    schema: {
      tags, summary: 'Remove a tag from every live record (of one type, or all)', security,
      params: z.strictObject({ tag: TagSchema }), querystring: TagQuerySchema, response: { 200: TagChangeResultSchema },
    },
  }, async (req) => service.deleteTag(req.ctx, req.params.tag, req.query.entity));
};

import { Readable } from 'node:stream';
import { ExportQuerySchema, RecordEntities } from '@pillar/shared';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { exportCsv, exportVCards } from './exports.service.js';

const security = [{ bearer: [] }];
const tags = ['exports'];

function stream(reply: FastifyReply, type: string, fileName: string, body: AsyncIterable<string>) {
  return reply
    .header('content-type', type)
    .header('content-disposition', `attachment; filename="${fileName}"`)
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .send(Readable.from(body));
}

const today = () => new Date().toISOString().slice(0, 10);

export const exportsRoutes: FastifyPluginAsyncZod = async (app) => {
  for (const entity of RecordEntities) {
    app.get(`/exports/${entity}.csv`, { config: { permission: 'data:export' }, schema: { tags, security, summary: `All ${entity} matching a filter, as CSV (streamed)`, querystring: ExportQuerySchema } },
      async (req, reply) => stream(reply, 'text/csv; charset=utf-8', `${entity}-${today()}.csv`, await exportCsv(req.ctx, entity, req.query)));
  }
  app.get('/exports/contacts.vcf', { config: { permission: 'data:export' }, schema: { tags, security, summary: 'Contacts matching a filter, as vCard 4.0 (streamed)', querystring: ExportQuerySchema } },
    async (req, reply) => stream(reply, 'text/vcard; charset=utf-8', `contacts-${today()}.vcf`, await exportVCards(req.ctx, req.query)));
};

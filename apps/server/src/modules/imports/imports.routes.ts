import {
  CreateImportQuerySchema, DryRunResultSchema, IdParamsSchema, ImportFieldSchema, ImportFieldsQuerySchema, ImportMappingSchema, ImportSchema,
  ListImportsQuerySchema, pageOf,
} from '@pillar/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { expectedVersion, withEtag } from '../../platform/http/etag.js';
import {
  createImport, dryRun, getImportOrThrow, importFields, listImports, setMapping, startImport, undoImport,
} from './imports.service.js';
import { stopAllRuns } from './runner.js';

const security = [{ bearer: [] }];
const tags = ['imports'];
const CSV_TYPES = ['text/csv', 'application/csv', 'text/plain', 'application/vnd.ms-excel'];
const config = { permission: 'data:import' as const };

export const importsRoutes: FastifyPluginAsyncZod = async (app) => {
  // The CSV body is streamed to disk by the handler, never buffered: the parser leaves it unread.
  app.addContentTypeParser(CSV_TYPES, (_req, _payload, done) => done(null));
  app.addHook('onClose', stopAllRuns);
  const dataDir = () => app.platform.config.dataDir;
  const log = (err: unknown) => app.log.error({ err }, 'import run failed');

  app.post('/imports', { config, schema: { tags, security, summary: 'Upload a CSV file (body: text/csv, streamed)', querystring: CreateImportQuerySchema, response: { 201: ImportSchema } } },
    async (req, reply) => {
      const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (!CSV_TYPES.includes(type)) throw new AppError('unsupported_media_type', { message: 'Send the file as the request body with Content-Type: text/csv' });
      const imp = await createImport(req.ctx, dataDir(), req.query, req.raw);
      return reply.code(201).send(withEtag(reply, imp));
    });

  app.get('/imports', { config, schema: { tags, security, summary: 'Imports, newest first', querystring: ListImportsQuerySchema, response: { 200: pageOf(ImportSchema) } } },
    async (req) => listImports(req.ctx, req.query));

  app.get('/imports/fields', { config, schema: { tags, security, summary: 'Fields a column can be mapped to', querystring: ImportFieldsQuerySchema, response: { 200: z.object({ data: z.array(ImportFieldSchema) }) } } },
    async (req) => ({ data: await importFields(req.ctx, req.query.entity) }));

  app.get('/imports/:id', { config, schema: { tags, security, summary: 'An import and its progress', params: IdParamsSchema, response: { 200: ImportSchema } } },
    async (req, reply) => withEtag(reply, await getImportOrThrow(req.ctx, req.params.id)));

  app.put('/imports/:id/mapping', { config, schema: { tags, security, summary: 'Map columns to fields; choose the duplicate policy', params: IdParamsSchema, body: ImportMappingSchema, response: { 200: ImportSchema } } },
    async (req, reply) => withEtag(reply, await setMapping(req.ctx, req.params.id, req.body, expectedVersion(req))));

  app.post('/imports/:id/dry-run', { config, schema: { tags, security, summary: 'Check every row without writing', params: IdParamsSchema, response: { 200: DryRunResultSchema } } },
    async (req) => dryRun(req.ctx, dataDir(), req.params.id));

  for (const action of ['start', 'resume'] as const) {
    app.post(`/imports/:id/${action}`, { config, schema: { tags, security, summary: action === 'start' ? 'Run the import in the background' : 'Resume an interrupted import after its last committed row', params: IdParamsSchema, response: { 202: ImportSchema } } },
      async (req, reply) => reply.code(202).send(withEtag(reply, await startImport(req.ctx, dataDir(), req.params.id, log))));
  }

  app.post('/imports/:id/undo', { config, schema: { tags, security, summary: 'Remove what the import created and restore what it updated', params: IdParamsSchema, response: { 202: ImportSchema } } },
    async (req, reply) => reply.code(202).send(withEtag(reply, await undoImport(req.ctx, dataDir(), req.params.id, log))));
};

import {
  ArchiveWithMoveSchema, CreatePipelineSchema, CreateStageSchema, IdParamsSchema, ListPipelinesQuerySchema, PipelineSchema,
  ReorderStagesSchema, StageSchema, UpdatePipelineSchema, UpdateStageSchema, pageOf,
} from '@pillar/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { expectedVersion, withEtag } from '../../platform/http/etag.js';
import * as pipelines from './pipelines.service.js';
import * as stages from './stages.service.js';

const security = [{ bearer: [] }];
const tags = ['pipelines'];
const read = { permission: 'records:read' as const };
const manage = { permission: 'pipelines:manage' as const };

/** Pipelines and their ordered stages. Reading needs records:read; every change needs pipelines:manage. */
export const pipelinesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/pipelines', { config: read, schema: { tags, security, summary: 'Pipelines with their stages (a new firm gets a default "Sales" pipeline)', querystring: ListPipelinesQuerySchema, response: { 200: pageOf(PipelineSchema) } } },
    async (req) => ({ data: await pipelines.listPipelines(req.ctx, req.query.include_archived === 'true'), next_cursor: null }));

  app.post('/pipelines', { config: manage, schema: { tags, security, summary: 'Create a pipeline', body: CreatePipelineSchema, response: { 201: PipelineSchema } } },
    async (req, reply) => reply.status(201).send(withEtag(reply, await pipelines.createPipeline(req.ctx, req.body))));

  app.get('/pipelines/:id', { config: read, schema: { tags, security, summary: 'One pipeline', params: IdParamsSchema, response: { 200: PipelineSchema } } },
    async (req, reply) => withEtag(reply, await pipelines.getPipeline(req.ctx, req.params.id)));

  app.patch('/pipelines/:id', { config: manage, schema: { tags, security, summary: 'Rename, reposition or make default', params: IdParamsSchema, body: UpdatePipelineSchema, response: { 200: PipelineSchema } } },
    async (req, reply) => withEtag(reply, await pipelines.updatePipeline(req.ctx, req.params.id, req.body, expectedVersion(req))));

  app.post('/pipelines/:id/archive', { config: manage, schema: { tags, security, summary: 'Archive a pipeline; its deals move to move_to_stage_id', params: IdParamsSchema, body: ArchiveWithMoveSchema, response: { 200: PipelineSchema } } },
    async (req, reply) => withEtag(reply, await pipelines.archivePipeline(req.ctx, req.params.id, req.body.move_to_stage_id, expectedVersion(req))));

  app.put('/pipelines/:id/stage-order', { config: manage, schema: { tags, security, summary: 'Reorder the stages (If-Match: the pipeline\'s ETag)', params: IdParamsSchema, body: ReorderStagesSchema, response: { 200: PipelineSchema } } },
    async (req, reply) => withEtag(reply, await stages.reorderStages(req.ctx, req.params.id, req.body.stage_ids, expectedVersion(req))));

  app.post('/pipelines/:id/stages', { config: manage, schema: { tags, security, summary: 'Add a stage at the end', params: IdParamsSchema, body: CreateStageSchema, response: { 201: StageSchema } } },
    async (req, reply) => reply.status(201).send(withEtag(reply, await stages.addStage(req.ctx, req.params.id, req.body))));

  app.patch('/stages/:id', { config: manage, schema: { tags, security, summary: 'Rename a stage or change its probability or kind', params: IdParamsSchema, body: UpdateStageSchema, response: { 200: StageSchema } } },
    async (req, reply) => withEtag(reply, await stages.updateStage(req.ctx, req.params.id, req.body, expectedVersion(req))));

  app.post('/stages/:id/archive', { config: manage, schema: { tags, security, summary: 'Archive a stage; its deals move to move_to_stage_id', params: IdParamsSchema, body: ArchiveWithMoveSchema, response: { 200: StageSchema } } },
    async (req, reply) => withEtag(reply, await stages.archiveStage(req.ctx, req.params.id, req.body.move_to_stage_id, expectedVersion(req))));
};

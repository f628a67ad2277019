/** Stages: add, rename/reprobability, reorder, archive (moving their deals), and lookups for deals. */
import type { CreateStage, Pipeline, Stage, StageKind } from '@pillar/shared';
import { recordChange } from '../../platform/audit.js';
import { withTenant, type TenantContext, type Tx } from '../../platform/db/tenant.js';
import { AppError, notFound, preconditionFailed, referenceNotFound } from '../../platform/errors.js';
import * as q from './pipelines.queries.js';
import { ensureDefaultPipelineInTx, getPipelineInTx, newStage, recordMoves, targetStageInTx } from './pipelines.service.js';
import { relocateDeals } from './relocate.queries.js';

export function addStage(ctx: TenantContext, pipelineId: string, input: CreateStage): Promise<Stage> {
  return withTenant(ctx, async (tx) => {
    const pipeline = await q.findPipeline(tx, pipelineId, true);
    if (!pipeline) throw notFound('Pipeline');
    const stage = newStage(input);
    await q.insertStages(tx, ctx.tenantId, pipelineId, [stage]);
    const row = (await q.findStage(tx, stage.id))!;
    await recordChange(tx, ctx, { action: 'stage.create', entity: 'stage', entityId: row.id, after: row,
      event: { type: 'pipeline.stage_created', payload: { id: row.id, pipeline_id: pipelineId, name: row.name } } });
    return row;
  });
}

async function lockStage(tx: Tx, id: string, expected: number | undefined) {
  const before = await q.findStage(tx, id, true);
  if (!before) throw notFound('Stage');
  if (expected !== undefined && expected !== before.version) throw preconditionFailed(before.version);
  return before;
}

async function assertKeepsAnOpenStage(tx: Tx, stage: Stage) {
  const open = (await q.listStages(tx, [stage.pipeline_id], false)).filter((s) => s.kind === 'open' && s.id !== stage.id);
  if (!open.length) throw new AppError('conflict', { message: 'A pipeline needs at least one open stage' });
}

export function updateStage(ctx: TenantContext, id: string, input: { name?: string | undefined; probability?: number | undefined; kind?: StageKind | undefined }, expected: number | undefined): Promise<Stage> {
  return withTenant(ctx, async (tx) => {
    const before = await lockStage(tx, id, expected);
    if (input.kind && input.kind !== before.kind) {
      if (before.kind === 'open') await assertKeepsAnOpenStage(tx, before);
      if (await q.countLiveDeals(tx, { stageId: id })) {
        throw new AppError('conflict', { message: 'Move the deals out of this stage before changing its kind' });
      }
    }
    const after = await q.updateStage(tx, id, {
      ...(input.name ? { name: input.name } : {}), ...(input.probability !== undefined ? { probability: input.probability } : {}), ...(input.kind ? { kind: input.kind } : {}),
    });
    await recordChange(tx, ctx, { action: 'stage.update', entity: 'stage', entityId: id, before, after,
      event: { type: 'pipeline.stage_updated', payload: { id, pipeline_id: after.pipeline_id, name: after.name } } });
    return after;
  });
}

export function archiveStage(ctx: TenantContext, id: string, moveTo: string | undefined, expected: number | undefined): Promise<Stage> {
  return withTenant(ctx, async (tx) => {
    const before = await lockStage(tx, id, expected);
    if (before.archived_at) return before;
    await q.findPipeline(tx, before.pipeline_id, true);
    if (before.kind === 'open') await assertKeepsAnOpenStage(tx, before);
    const live = await q.countLiveDeals(tx, { stageId: id });
    if (live > 0 && !moveTo) {
      throw new AppError('conflict', { message: `The stage has ${live} deals; give move_to_stage_id to move them`, details: { deal_count: live } });
    }
    const target = moveTo ? await targetStageInTx(tx, moveTo, { stageId: id }) : null;
    const moved = target ? await relocateDeals(tx, ctx.tenantId, { stageId: id }, target, ctx.userId, `stage "${before.name}" archived`) : [];
    const after = await q.updateStage(tx, id, { archived: true });
    await recordChange(tx, ctx, { action: 'stage.archive', entity: 'stage', entityId: id, before, after,
      event: { type: 'pipeline.stage_deleted', payload: { id, pipeline_id: before.pipeline_id, moved_deals: moved.length, move_to_stage_id: moveTo ?? null } } });
    await recordMoves(tx, ctx, moved, moveTo);
    return after;
  });
}

export function reorderStages(ctx: TenantContext, pipelineId: string, ids: string[], expected: number | undefined): Promise<Pipeline> {
  return withTenant(ctx, async (tx) => {
    const pipeline = await q.findPipeline(tx, pipelineId, true);
    if (!pipeline) throw notFound('Pipeline');
    if (expected !== undefined && expected !== pipeline.version) throw preconditionFailed(pipeline.version);
    const live = (await q.listStages(tx, [pipelineId], false)).map((s) => s.id);
    const given = new Set(ids);
    if (given.size !== ids.length || live.length !== ids.length || !live.every((s) => given.has(s))) {
      throw new AppError('validation_failed', { message: 'stage_ids must list every live stage of the pipeline exactly once', errors: [{ path: 'body.stage_ids', message: 'not the pipeline\'s stages' }] });
    }
    await q.reorderStages(tx, pipelineId, ids);
    await q.updatePipeline(tx, pipelineId, {});
    await recordChange(tx, ctx, { action: 'pipeline.reorder_stages', entity: 'pipeline', entityId: pipelineId, before: { stage_ids: live }, after: { stage_ids: ids },
      event: { type: 'pipeline.stages_reordered', payload: { id: pipelineId, stage_ids: ids } } });
    return getPipelineInTx(tx, pipelineId);
  });
}

/**
 * The stage a deal goes into: the given stage (which must be live, and in the
 * given pipeline if both are given), else the first open stage of the given
 * or default pipeline. Unknown or archived ids are 422.
 */
export async function resolveStageInTx(tx: Tx, ctx: TenantContext, input: { pipeline_id?: string | undefined; stage_id?: string | undefined }): Promise<Stage> {
  if (input.stage_id) {
    const stage = await q.findStage(tx, input.stage_id);
    if (!stage || stage.archived_at) throw referenceNotFound('stage_id');
    if (input.pipeline_id && stage.pipeline_id !== input.pipeline_id) throw referenceNotFound('stage_id');
    const pipeline = await q.findPipeline(tx, stage.pipeline_id);
    if (!pipeline || pipeline.archived_at) throw referenceNotFound('stage_id');
    return stage;
  }
  const pipelineId = input.pipeline_id ?? (await ensureDefaultPipelineInTx(tx, ctx));
  const pipeline = await q.findPipeline(tx, pipelineId);
  if (!pipeline || pipeline.archived_at) throw referenceNotFound('pipeline_id');
  const stage = await q.firstStageOfKind(tx, pipelineId, 'open');
  if (!stage) throw referenceNotFound('pipeline_id');
  return stage;
}

export async function findStageInTx(tx: Tx, id: string): Promise<Stage | null> {
  return q.findStage(tx, id);
}

/** The stage when it and its pipeline are live, else null. */
export async function findLiveStageInTx(tx: Tx, id: string): Promise<Stage | null> {
  return q.findLiveStage(tx, id);
}

export async function firstStageOfKindInTx(tx: Tx, pipelineId: string, kind: StageKind): Promise<Stage | null> {
  return q.firstStageOfKind(tx, pipelineId, kind);
}

export { getPipelineInTx };

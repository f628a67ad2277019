/** Pipelines: the default pipeline, creation, rename, default switch, archive, board lookups. */
import type { CreateStage, Pipeline, StageKind } from '@pillar/shared';
import { uuidv7 } from 'uuidv7';
import { recordChange } from '../../platform/audit.js';
import { withTenant, type TenantContext, type Tx } from '../../platform/db/tenant.js';
import { AppError, notFound, preconditionFailed, referenceNotFound } from '../../platform/errors.js';
import * as q from './pipelines.queries.js';
import { relocateDeals } from './relocate.queries.js';

export const DEFAULT_STAGES: { name: string; probability: number; kind: StageKind }[] = [
  { name: 'Lead in', probability: 10, kind: 'open' },
  { name: 'Qualified', probability: 25, kind: 'open' },
  { name: 'Proposal', probability: 50, kind: 'open' },
  { name: 'Negotiation', probability: 75, kind: 'open' },
  { name: 'Won', probability: 100, kind: 'won' },
  { name: 'Lost', probability: 0, kind: 'lost' },
];

export function stagesFrom(input: CreateStage[] | undefined): q.NewStage[] {
  const list = input ?? DEFAULT_STAGES;
  if (!list.some((s) => (s.kind ?? 'open') === 'open')) {
    throw new AppError('validation_failed', { message: 'A pipeline needs at least one open stage', errors: [{ path: 'body.stages', message: 'no open stage' }] });
  }
  return list.map(newStage);
}

export function newStage(s: { name: string; probability?: number | undefined; kind?: StageKind | undefined }): q.NewStage {
  const kind = s.kind ?? 'open';
  return { id: uuidv7(), name: s.name, kind, probability: s.probability ?? (kind === 'won' ? 100 : kind === 'open' ? 10 : 0) };
}

/** Gives the tenant its default "Sales" pipeline unless it has one. Returns the default pipeline's id. */
export async function ensureDefaultPipelineInTx(tx: Tx, ctx: TenantContext): Promise<string> {
  const existing = await q.findDefaultPipelineId(tx);
  if (existing) return existing;
  const id = await q.insertDefaultPipeline(tx, ctx.tenantId, uuidv7(), 'Sales');
  if (!id) return (await q.findDefaultPipelineId(tx))!;
  await q.insertStages(tx, ctx.tenantId, id, stagesFrom(undefined));
  await recordChange(tx, ctx, { action: 'pipeline.create', entity: 'pipeline', entityId: id, after: { name: 'Sales', is_default: true },
    event: { type: 'pipeline.created', payload: { id, name: 'Sales' } } });
  return id;
}

export function ensureDefaultPipeline(ctx: TenantContext): Promise<string> {
  return withTenant(ctx, (tx) => ensureDefaultPipelineInTx(tx, ctx));
}

async function assemble(tx: Tx, pipelines: q.PipelineRow[], includeArchived: boolean): Promise<Pipeline[]> {
  if (!pipelines.length) return [];
  const stages = await q.listStages(tx, pipelines.map((p) => p.id), includeArchived);
  return pipelines.map((p) => ({ ...p, stages: stages.filter((s) => s.pipeline_id === p.id) }));
}

export async function getPipelineInTx(tx: Tx, id: string, includeArchivedStages = false): Promise<Pipeline> {
  const p = await q.findPipeline(tx, id);
  if (!p) throw notFound('Pipeline');
  return (await assemble(tx, [p], includeArchivedStages))[0]!;
}

export function listPipelines(ctx: TenantContext, includeArchived: boolean): Promise<Pipeline[]> {
  return withTenant(ctx, async (tx) => {
    await ensureDefaultPipelineInTx(tx, ctx);
    return assemble(tx, await q.listPipelines(tx, includeArchived), includeArchived);
  });
}

export function getPipeline(ctx: TenantContext, id: string): Promise<Pipeline> {
  return withTenant(ctx, (tx) => getPipelineInTx(tx, id));
}

type NewPipeline = { name: string; is_default?: boolean | undefined; stages?: CreateStage[] | undefined };

export function createPipeline(ctx: TenantContext, input: NewPipeline): Promise<Pipeline> {
  return withTenant(ctx, (tx) => createPipelineInTx(tx, ctx, input));
}

export async function createPipelineInTx(tx: Tx, ctx: TenantContext, input: NewPipeline): Promise<Pipeline> {
  const stages = stagesFrom(input.stages);
  await ensureDefaultPipelineInTx(tx, ctx);
  const id = uuidv7();
  await q.insertPipeline(tx, ctx.tenantId, { id, name: input.name, isDefault: false });
  await q.insertStages(tx, ctx.tenantId, id, stages);
  if (input.is_default) await q.setDefaultPipeline(tx, id);
  const created = await getPipelineInTx(tx, id);
  await recordChange(tx, ctx, { action: 'pipeline.create', entity: 'pipeline', entityId: id, after: { name: created.name, is_default: created.is_default },
    event: { type: 'pipeline.created', payload: { id, name: created.name } } });
  return created;
}

async function lockPipeline(tx: Tx, id: string, expected: number | undefined) {
  const before = await q.findPipeline(tx, id, true);
  if (!before) throw notFound('Pipeline');
  if (expected !== undefined && expected !== before.version) throw preconditionFailed(before.version);
  return before;
}

export function updatePipeline(ctx: TenantContext, id: string, input: { name?: string | undefined; is_default?: true | undefined; position?: number | undefined }, expected: number | undefined): Promise<Pipeline> {
  return withTenant(ctx, async (tx) => {
    const before = await lockPipeline(tx, id, expected);
    if (input.is_default && before.archived_at) throw new AppError('conflict', { message: 'An archived pipeline cannot be the default' });
    const after = await q.updatePipeline(tx, id, { ...(input.name ? { name: input.name } : {}), ...(input.position !== undefined ? { position: input.position } : {}) });
    if (input.is_default && !before.is_default) await q.setDefaultPipeline(tx, id);
    const row = { ...after, is_default: before.is_default || input.is_default === true };
    await recordChange(tx, ctx, { action: 'pipeline.update', entity: 'pipeline', entityId: id, before, after: row,
      event: { type: 'pipeline.updated', payload: { id, name: row.name, is_default: row.is_default } } });
    return getPipelineInTx(tx, id);
  });
}

/** A live stage to receive deals; must not be one of the stages going away. */
export async function targetStageInTx(tx: Tx, id: string, notIn: { stageId?: string; pipelineId?: string }) {
  const target = await q.findStage(tx, id);
  if (!target || target.archived_at || target.id === notIn.stageId || target.pipeline_id === notIn.pipelineId) {
    throw referenceNotFound('move_to_stage_id');
  }
  const pipeline = await q.findPipeline(tx, target.pipeline_id);
  if (!pipeline || pipeline.archived_at) throw referenceNotFound('move_to_stage_id');
  return target;
}

export function archivePipeline(ctx: TenantContext, id: string, moveTo: string | undefined, expected: number | undefined): Promise<Pipeline> {
  return withTenant(ctx, async (tx) => {
    const before = await lockPipeline(tx, id, expected);
    if (before.archived_at) return getPipelineInTx(tx, id);
    if (before.is_default) throw new AppError('conflict', { message: 'Make another pipeline the default before archiving this one' });
    const live = await q.countLiveDeals(tx, { pipelineId: id });
    if (live > 0 && !moveTo) {
      throw new AppError('conflict', { message: `The pipeline has ${live} deals; give move_to_stage_id to move them`, details: { deal_count: live } });
    }
    const moved = moveTo ? await relocateDeals(tx, ctx.tenantId, { pipelineId: id }, await targetStageInTx(tx, moveTo, { pipelineId: id }), ctx.userId, 'pipeline archived') : [];
    const after = await q.updatePipeline(tx, id, { archived: true });
    await recordChange(tx, ctx, { action: 'pipeline.archive', entity: 'pipeline', entityId: id, before, after,
      event: { type: 'pipeline.deleted', payload: { id, archived: true, moved_deals: moved.length } } });
    await recordMoves(tx, ctx, moved, moveTo);
    return getPipelineInTx(tx, id, true);
  });
}

export async function recordMoves(tx: Tx, ctx: TenantContext, moved: { id: string; from_stage_id: string; deleted: boolean }[], to: string | undefined) {
  for (const m of moved.filter((d) => !d.deleted)) {
    await recordChange(tx, ctx, { action: 'deal.move', entity: 'deal', entityId: m.id, before: { stage_id: m.from_stage_id }, after: { stage_id: to },
      event: { type: 'deal.stage_changed', payload: { id: m.id, from_stage_id: m.from_stage_id, to_stage_id: to } } });
  }
}

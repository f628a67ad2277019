/** Moving deals between stages (board drag and drop), and winning or losing them. */
import type { Deal, MoveDeal, Stage } from '@pillar/shared';
import { uuidv7 } from 'uuidv7';
import { recordChange } from '../../platform/audit.js';
import { withTenant, type TenantContext, type Tx } from '../../platform/db/tenant.js';
import { referenceNotFound } from '../../platform/errors.js';
import { findStageInTx, firstStageOfKindInTx, getPipelineInTx } from '../pipelines/index.js';
import * as q from './deals.queries.js';
import { dealEventPayload, getDealOrThrowInTx, lockDealInTx } from './deals.service.js';
import { positionFor, withPositionRetry } from './position.js';

async function liveStage(tx: Tx, id: string): Promise<Stage> {
  const stage = await findStageInTx(tx, id);
  if (!stage || stage.archived_at) throw referenceNotFound('stage_id');
  const pipeline = await getPipelineInTx(tx, stage.pipeline_id).catch(() => null);
  if (!pipeline || pipeline.archived_at) throw referenceNotFound('stage_id');
  return stage;
}

interface MoveInput extends Omit<MoveDeal, 'stage_id'> {
  stage: Stage;
}

async function moveInTx(tx: Tx, ctx: TenantContext, before: Deal, input: MoveInput): Promise<Deal> {
  const { stage } = input;
  const stageChanged = stage.id !== before.stage_id;
  const seconds = stageChanged ? await q.secondsInStage(tx, before.id) : null;
  const lostReason = stage.kind === 'lost' ? (input.lost_reason ?? (before.status === 'lost' ? before.lost_reason : null)) : null;
  await withPositionRetry(tx, async (attempt) => {
    const position = await positionFor(tx, stage.id, before.id, input, attempt);
    await q.placeDeal(tx, before.id, { stage_id: stage.id, pipeline_id: stage.pipeline_id, position, status: stage.kind, lost_reason: lostReason, stageChanged });
  });
  if (stageChanged) {
    await q.insertHistory(tx, ctx.tenantId, {
      id: uuidv7(), deal_id: before.id, pipeline_id: stage.pipeline_id, from_stage_id: before.stage_id, to_stage_id: stage.id,
      moved_by: ctx.userId, seconds, note: input.note ?? null,
    });
  }
  const after = await getDealOrThrowInTx(tx, before.id);
  const payload = dealEventPayload(after);
  await recordChange(tx, ctx, {
    action: stageChanged ? 'deal.move' : 'deal.reorder', entity: 'deal', entityId: before.id, before, after,
    event: stageChanged
      ? { type: 'deal.stage_changed', payload: { ...payload, from_stage_id: before.stage_id, to_stage_id: stage.id, seconds_in_from_stage: seconds, note: input.note ?? null } }
      : { type: 'deal.updated', payload: { ...payload, changed: ['position'] } },
  });
  if (after.status !== before.status && after.status !== 'open') {
    await recordChange(tx, ctx, { action: `deal.${after.status}`, entity: 'deal', entityId: before.id,
      event: { type: after.status === 'won' ? 'deal.won' : 'deal.lost', payload: { ...payload, lost_reason: after.lost_reason } } });
  }
  return after;
}

export function moveDeal(ctx: TenantContext, id: string, input: MoveDeal, expected: number | undefined): Promise<Deal> {
  return withTenant(ctx, async (tx) => {
    const before = await lockDealInTx(tx, id, expected);
    const stage = await liveStage(tx, input.stage_id);
    return moveInTx(tx, ctx, before, { ...input, stage });
  });
}

/**
 * Closes a deal as won or lost: into the pipeline's first won/lost stage when
 * it has one, else only the status changes (the card stays where it is).
 */
export function closeDeal(ctx: TenantContext, id: string, outcome: 'won' | 'lost', opts: { reason?: string | undefined; note?: string | undefined }, expected: number | undefined): Promise<Deal> {
  return withTenant(ctx, async (tx) => {
    const before = await lockDealInTx(tx, id, expected);
    const stage = before.status === outcome ? null : await firstStageOfKindInTx(tx, before.pipeline_id, outcome);
    if (stage) return moveInTx(tx, ctx, before, { stage, lost_reason: opts.reason, note: opts.note });
    if (before.status === outcome && (outcome === 'won' || opts.reason === undefined)) return before;
    await q.closeInPlace(tx, id, outcome, outcome === 'lost' ? (opts.reason ?? null) : null);
    const after = await getDealOrThrowInTx(tx, id);
    await recordChange(tx, ctx, { action: `deal.${outcome}`, entity: 'deal', entityId: id, before, after,
      event: { type: outcome === 'won' ? 'deal.won' : 'deal.lost', payload: { ...dealEventPayload(after), lost_reason: after.lost_reason } } });
    return after;
  });
}

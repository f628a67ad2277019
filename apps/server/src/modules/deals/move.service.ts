/** Moving deals between stages (board drag and drop), and winning or losing them. */
import type { Deal, MoveDeal, StageKind } from '@pillar/shared';
import { uuidv7 } from 'uuidv7';
import { recordChange } from '../../platform/audit.js';
import { withTenant, type TenantContext, type Tx } from '../../platform/db/tenant.js';
import { notFound, preconditionFailed, referenceNotFound } from '../../platform/errors.js';
import { findLiveStageInTx, firstStageOfKindInTx } from '../pipelines/index.js';
import * as q from './deals.queries.js';
import { dealEventPayload } from './deals.service.js';
import { positionFor, retryTransactionOnPositionCollision } from './position.js';

interface TargetStage {
  id: string;
  pipeline_id: string;
  kind: StageKind;
}

interface MoveInput extends Omit<MoveDeal, 'stage_id'> {
  stage: TargetStage;
}

type Locked = Deal & { seconds_in_stage: number };

/** Locks the deal and reads it (with its time in the current stage) in one round trip; 404, or 412 on a stale If-Match. */
async function lockForMove(tx: Tx, id: string, expected: number | undefined): Promise<{ before: Deal; seconds: number }> {
  const row: Locked | null = await q.lockDealForMove(tx, id);
  if (!row) throw notFound('Deal');
  const { seconds_in_stage: seconds, ...before } = row;
  if (expected !== undefined && expected !== before.version) throw preconditionFailed(before.version);
  return { before, seconds };
}

/**
 * Places the card first (a position collision then aborts a transaction that
 * has written nothing else, and the caller retries it whole), then the audit
 * row and the outbox event(s).
 */
async function moveInTx(tx: Tx, ctx: TenantContext, before: Deal, secondsInStage: number, input: MoveInput, attempt: number): Promise<Deal> {
  const { stage } = input;
  const stageChanged = stage.id !== before.stage_id;
  const seconds = stageChanged ? secondsInStage : null;
  const lostReason = stage.kind === 'lost' ? (input.lost_reason ?? (before.status === 'lost' ? before.lost_reason : null)) : null;
  const position = await positionFor(tx, stage.id, before.id, input, attempt);
  const after = await q.placeDealReturning(tx, ctx.tenantId, before.id,
    { stage_id: stage.id, pipeline_id: stage.pipeline_id, position, status: stage.kind, lost_reason: lostReason, stageChanged },
    stageChanged ? { id: uuidv7(), from_stage_id: before.stage_id, moved_by: ctx.userId, seconds, note: input.note ?? null } : null);
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
  return retryTransactionOnPositionCollision((attempt) => withTenant(ctx, async (tx) => {
    const { before, seconds } = await lockForMove(tx, id, expected);
    const stage = await findLiveStageInTx(tx, input.stage_id);
    if (!stage) throw referenceNotFound('stage_id');
    return moveInTx(tx, ctx, before, seconds, { ...input, stage }, attempt);
  }));
}

/**
 * Closes a deal as won or lost: into the pipeline's first won/lost stage when
 * it has one, else only the status changes (the card stays where it is).
 */
export function closeDeal(ctx: TenantContext, id: string, outcome: 'won' | 'lost', opts: { reason?: string | undefined; note?: string | undefined }, expected: number | undefined): Promise<Deal> {
  return retryTransactionOnPositionCollision((attempt) => withTenant(ctx, async (tx) => {
    const { before, seconds } = await lockForMove(tx, id, expected);
    const stage = before.status === outcome ? null : await firstStageOfKindInTx(tx, before.pipeline_id, outcome);
    if (stage) return moveInTx(tx, ctx, before, seconds, { stage, lost_reason: opts.reason, note: opts.note }, attempt);
    if (before.status === outcome && (outcome === 'won' || opts.reason === undefined)) return before;
    await q.closeInPlace(tx, id, outcome, outcome === 'lost' ? (opts.reason ?? null) : null);
    const after = (await q.findDeal(tx, id))!;
    await recordChange(tx, ctx, { action: `deal.${outcome}`, entity: 'deal', entityId: id, before, after,
      event: { type: outcome === 'won' ? 'deal.won' : 'deal.lost', payload: { ...dealEventPayload(after), lost_reason: after.lost_reason } } });
    return after;
  }));
}

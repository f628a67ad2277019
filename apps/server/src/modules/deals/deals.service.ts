/** Deals: create, read, change, trash and restore. Moves live in move.service.ts. */
import type { CreateDeal, Deal, UpdateDeal } from '@pillar/shared';
import { uuidv7 } from 'uuidv7';
import { recordChange } from '../../platform/audit.js';
import { withTenant, type TenantContext, type Tx } from '../../platform/db/tenant.js';
import { notFound, preconditionFailed } from '../../platform/errors.js';
import { ensureDefaultPipelineInTx, findStageInTx, firstStageOfKindInTx, resolveStageInTx } from '../pipelines/index.js';
import * as q from './deals.queries.js';
import { positionFor, withPositionRetry } from './position.js';
import { assertReferencesInTx, validateCustomInTx } from './references.js';

export const dealEventPayload = (d: Deal) => ({
  id: d.id, name: d.name, value: d.value, currency: d.currency, status: d.status, stage_id: d.stage_id, pipeline_id: d.pipeline_id, owner_id: d.owner_id,
});

export async function getDealOrThrowInTx(tx: Tx, id: string, opts: { lock?: boolean; deleted?: boolean } = {}): Promise<Deal> {
  const deal = await q.findDeal(tx, id, opts);
  if (!deal) throw notFound('Deal');
  return deal;
}

export function getDeal(ctx: TenantContext, id: string): Promise<Deal> {
  return withTenant(ctx, (tx) => getDealOrThrowInTx(tx, id));
}

/** Creates a deal in the caller's transaction (lead conversion uses this). */
export async function createDealInTx(tx: Tx, ctx: TenantContext, input: CreateDeal): Promise<Deal> {
  const stage = await resolveStageInTx(tx, ctx, input);
  await assertReferencesInTx(tx, input);
  const custom = await validateCustomInTx(tx, ctx, 'deal', input.custom);
  const id = uuidv7();
  await withPositionRetry(tx, async (attempt) => {
    const position = await positionFor(tx, stage.id, id, {}, attempt);
    await q.insertDeal(tx, ctx.tenantId, {
      id, name: input.name, value: input.value ?? '0', currency: input.currency ?? (await tenantCurrency(tx)), probability: input.probability ?? null,
      pipeline_id: stage.pipeline_id, stage_id: stage.id, position, status: stage.kind, lost_reason: null,
      expected_close_date: input.expected_close_date ?? null, contact_id: input.contact_id ?? null, company_id: input.company_id ?? null,
      lead_id: input.lead_id ?? null, source: input.source ?? null, owner_id: input.owner_id === undefined ? ctx.userId : input.owner_id,
      tags: input.tags ?? [], custom, created_by: ctx.userId,
    });
  });
  await q.insertHistory(tx, ctx.tenantId, { id: uuidv7(), deal_id: id, pipeline_id: stage.pipeline_id, from_stage_id: null, to_stage_id: stage.id, moved_by: ctx.userId, seconds: null, note: null });
  const deal = await getDealOrThrowInTx(tx, id);
  await recordChange(tx, ctx, { action: 'deal.create', entity: 'deal', entityId: id, after: deal, event: { type: 'deal.created', payload: dealEventPayload(deal) } });
  return deal;
}

async function tenantCurrency(tx: Tx): Promise<string> {
  const r = await tx.query<{ c: string }>('SELECT base_currency AS c FROM tenants');
  return r.rows[0]?.c ?? 'USD';
}

export function createDeal(ctx: TenantContext, input: CreateDeal): Promise<Deal> {
  return withTenant(ctx, (tx) => createDealInTx(tx, ctx, input));
}

export async function lockDealInTx(tx: Tx, id: string, expected: number | undefined): Promise<Deal> {
  const before = await getDealOrThrowInTx(tx, id, { lock: true });
  if (expected !== undefined && expected !== before.version) throw preconditionFailed(before.version);
  return before;
}

export function updateDeal(ctx: TenantContext, id: string, input: UpdateDeal, expected: number | undefined): Promise<Deal> {
  return withTenant(ctx, async (tx) => {
    const before = await lockDealInTx(tx, id, expected);
    await assertReferencesInTx(tx, input);
    const patch: q.DealPatch = { ...input };
    if (input.custom) patch.custom = await validateCustomInTx(tx, ctx, 'deal', input.custom, before.custom);
    await q.updateDeal(tx, id, patch);
    const after = await getDealOrThrowInTx(tx, id);
    await recordChange(tx, ctx, { action: 'deal.update', entity: 'deal', entityId: id, before, after,
      event: { type: 'deal.updated', payload: { ...dealEventPayload(after), changed: Object.keys(input) } } });
    return after;
  });
}

export function deleteDeal(ctx: TenantContext, id: string, expected: number | undefined): Promise<void> {
  return withTenant(ctx, (tx) => deleteDealInTx(tx, ctx, id, expected));
}

export async function deleteDealInTx(tx: Tx, ctx: TenantContext, id: string, expected?: number): Promise<void> {
  const before = await lockDealInTx(tx, id, expected);
  await q.setDeleted(tx, id, true);
  await recordChange(tx, ctx, { action: 'deal.delete', entity: 'deal', entityId: id, before: { deleted_at: null }, after: { deleted_at: 'now' },
    event: { type: 'deal.deleted', payload: dealEventPayload(before) } });
}

/**
 * Brings a deal back from the trash. If its stage was archived meanwhile it
 * lands in the first open stage of its pipeline (or of the default pipeline);
 * if another card took its position it goes to the end of the stage.
 */
export async function restoreDealInTx(tx: Tx, ctx: TenantContext, id: string): Promise<Deal> {
  const trashed = await getDealOrThrowInTx(tx, id, { lock: true, deleted: true });
  let stage = await findStageInTx(tx, trashed.stage_id);
  if (!stage || stage.archived_at) {
    stage = (await firstStageOfKindInTx(tx, trashed.pipeline_id, 'open')) ?? (await firstStageOfKindInTx(tx, await ensureDefaultPipelineInTx(tx, ctx), 'open'));
  }
  const target = stage!;
  await withPositionRetry(tx, async (attempt) => {
    const keep = target.id === trashed.stage_id && !(await q.isPositionTaken(tx, target.id, trashed.position));
    const position = keep ? trashed.position : await positionFor(tx, target.id, id, {}, attempt);
    if (target.id !== trashed.stage_id) {
      await q.placeDeal(tx, id, { stage_id: target.id, pipeline_id: target.pipeline_id, position, status: target.kind, lost_reason: trashed.lost_reason, stageChanged: true });
    }
    await q.setDeleted(tx, id, false, position);
  });
  const deal = await getDealOrThrowInTx(tx, id);
  await recordChange(tx, ctx, { action: 'deal.restore', entity: 'deal', entityId: id, before: { deleted_at: trashed.deleted_at }, after: { deleted_at: null },
    event: { type: 'deal.restored', payload: dealEventPayload(deal) } });
  return deal;
}

export function restoreDeal(ctx: TenantContext, id: string): Promise<Deal> {
  return withTenant(ctx, (tx) => restoreDealInTx(tx, ctx, id));
}

export function dealHistory(ctx: TenantContext, id: string) {
  return withTenant(ctx, async (tx) => {
    await getDealOrThrowInTx(tx, id);
    return q.listHistory(tx, id);
  });
}

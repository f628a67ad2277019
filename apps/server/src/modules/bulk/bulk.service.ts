/**
 * Bulk changes and bulk deletes over a selection (ids) or a list filter, in
 * one transaction: every changed row gets version + 1, an audit row and its
 * events, written in batched statements.
 */
import { BULK_MAX, type BulkDelete, type BulkResult, type BulkUpdate, type RecordEntity } from '@pillar/shared';
import { withTenant, type TenantContext, type Tx } from '../../platform/db/tenant.js';
import { AppError } from '../../platform/errors.js';
import { ENTITIES, fieldMapFor, recordChanges, type ChangeItem } from '../records/index.js';
import { applyChanges, changedFields, checkChanges } from './bulk.changes.js';
import { appendPositions, insertStageHistory, lockRows, selectIds, trashRows, writeRows, type RowUpdate } from './bulk.queries.js';

async function resolveSelection(tx: Tx, entity: RecordEntity, sel: { ids?: string[] | undefined; filter?: BulkUpdate['filter'] }): Promise<string[]> {
  const fields = sel.filter ? await fieldMapFor(tx, entity) : {};
  let ids: string[];
  try {
    ids = await selectIds(tx, entity, sel, fields);
  } catch (err) {
    if (err instanceof AppError && err.code === 'validation_failed') {
      throw new AppError('validation_failed', { message: err.message, errors: [{ path: 'body.filter', message: err.message }] });
    }
    throw err;
  }
  if (ids.length > BULK_MAX) {
    throw new AppError('unprocessable', { message: `The filter matches more than ${BULK_MAX} records; narrow it down`, errors: [{ path: 'body.filter', message: 'too many matches' }] });
  }
  return ids;
}

function eventsOf(entity: RecordEntity, before: RowUpdate, after: RowUpdate, fields: string[]) {
  const singular = ENTITIES[entity].singular;
  const events: Array<{ type: string; payload: Record<string, unknown> }> = [{ type: `${singular}.updated`, payload: { id: after.id, changed: fields } }];
  if (after.moved) events.push({ type: 'deal.stage_changed', payload: { id: after.id, from_stage_id: before.stage_id ?? null, to_stage_id: after.stage_id ?? null } });
  if (after.status_changed && (after.status === 'won' || after.status === 'lost')) events.push({ type: `deal.${after.status}`, payload: { id: after.id } });
  return events;
}

export async function bulkUpdateInTx(tx: Tx, ctx: TenantContext, entity: RecordEntity, input: BulkUpdate): Promise<BulkResult> {
  const changes = await checkChanges(tx, entity, input.changes);
  const ids = await resolveSelection(tx, entity, input);
  const rows = await lockRows(tx, entity, ids);
  const updates: RowUpdate[] = [];
  const audit: ChangeItem[] = [];
  for (const row of rows) {
    const next = applyChanges(row, changes);
    const diff = changedFields(row, next);
    if (!diff) continue;
    updates.push(next);
    audit.push({ entityId: row.id, before: diff.before, after: diff.after, events: eventsOf(entity, row, next, Object.keys(diff.after)) });
  }
  if (updates.length) {
    const moved = updates.filter((u) => u.moved);
    if (moved.length) {
      const keys = await appendPositions(tx, moved[0]!.stage_id!, moved.length);
      moved.forEach((u, i) => { u.position = keys[i]!; });
    }
    await writeRows(tx, entity, updates);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const moves = updates.filter((u) => u.moved).map((u) => ({
      deal_id: u.id, pipeline_id: u.pipeline_id!, from_stage_id: byId.get(u.id)!.stage_id, to_stage_id: u.stage_id!, entered: byId.get(u.id)!.stage_entered_at,
    }));
    await insertStageHistory(tx, ctx.tenantId, ctx.userId, moves);
    await recordChanges(tx, ctx, `${ENTITIES[entity].singular}.bulk_update`, ENTITIES[entity].singular, audit);
  }
  return { matched: rows.length, changed: updates.length };
}

export function bulkUpdate(ctx: TenantContext, entity: RecordEntity, input: BulkUpdate): Promise<BulkResult> {
  return withTenant(ctx, (tx) => bulkUpdateInTx(tx, ctx, entity, input));
}

export async function bulkDeleteInTx(tx: Tx, ctx: TenantContext, entity: RecordEntity, input: BulkDelete): Promise<BulkResult> {
  const ids = await resolveSelection(tx, entity, input);
  const trashed = ids.length ? await trashRows(tx, entity, ids) : [];
  const singular = ENTITIES[entity].singular;
  await recordChanges(tx, ctx, `${singular}.bulk_delete`, singular, trashed.map((r) => ({
    entityId: r.id, before: { deleted_at: null }, after: { deleted_at: r.deleted_at },
    events: [{ type: `${singular}.deleted`, payload: { id: r.id } }],
  })));
  return { matched: ids.length, changed: trashed.length };
}

export function bulkDelete(ctx: TenantContext, entity: RecordEntity, input: BulkDelete): Promise<BulkResult> {
  return withTenant(ctx, (tx) => bulkDeleteInTx(tx, ctx, entity, input));
}

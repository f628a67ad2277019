/**
 * The trash: deleted records of the four types keep `deleted_at` for 30 days,
 * can be listed and restored, and are then purged for good.
 */
import { RecordEntities, TRASH_RETENTION_DAYS, type RecordEntity, type RestoredRecord, type TrashItem } from '@pillar/shared';
import { recordChange } from '../../platform/audit.js';
import { withTenant, type TenantContext, type Tx } from '../../platform/db/tenant.js';
import { AppError, notFound, preconditionFailed } from '../../platform/errors.js';
import { decodeCursor, pageResult } from '../../platform/http/cursor.js';
import { ENTITIES } from '../records/index.js';
import { deleteTrashedBefore, restoreRow, selectDeletedVersion, selectTrash } from './trash.queries.js';

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?$/;

export async function listTrash(ctx: TenantContext, q: { limit: number; cursor?: string | undefined; entity?: RecordEntity | undefined }) {
  const after = q.cursor ? (decodeCursor(q.cursor, ['string', 'uuid']) as [string, string]) : null;
  if (after && !TIMESTAMP.test(after[0])) throw new AppError('invalid_cursor');
  const entities = q.entity ? [q.entity] : RecordEntities;
  const rows = await withTenant(ctx, (tx) => selectTrash(tx, entities, after, q.limit, TRASH_RETENTION_DAYS));
  const page = pageResult(rows, q.limit, (last) => [last.k, last.id]);
  return { ...page, data: page.data.map(({ k: _k, ...item }): TrashItem => item) };
}

export async function restoreFromTrashInTx(tx: Tx, ctx: TenantContext, entity: RecordEntity, id: string, expected?: number): Promise<RestoredRecord> {
  if (expected !== undefined) {
    const current = await selectDeletedVersion(tx, entity, id);
    if (current !== undefined && current !== expected) throw preconditionFailed(current);
  }
  const row = await restoreRow(tx, entity, id);
  if (!row) throw notFound('Deleted record');
  const singular = ENTITIES[entity].singular;
  await recordChange(tx, ctx, {
    action: `${singular}.restore`, entity: singular, entityId: id,
    before: { deleted_at: row.deleted_at }, after: { deleted_at: null },
    event: { type: `${singular}.restored`, payload: { id } },
  });
  return { entity, id: row.id, name: row.name, version: row.version };
}

export function restoreFromTrash(ctx: TenantContext, entity: RecordEntity, id: string, expected?: number): Promise<RestoredRecord> {
  return withTenant(ctx, (tx) => restoreFromTrashInTx(tx, ctx, entity, id, expected));
}

export type PurgeCounts = Record<RecordEntity, number>;

/** Removes for good what was trashed before `olderThan`: one audit row per record type purged. */
export async function purgeTrashInTx(tx: Tx, ctx: TenantContext, olderThan: Date): Promise<PurgeCounts> {
  const counts = { contacts: 0, companies: 0, leads: 0, deals: 0 };
  // Dependants first, so a purged company does not just get its contacts' references cleared first.
  for (const entity of ['deals', 'leads', 'contacts', 'companies'] as const) {
    const ids = await deleteTrashedBefore(tx, entity, olderThan);
    counts[entity] = ids.length;
    if (!ids.length) continue;
    await recordChange(tx, ctx, {
      action: `${ENTITIES[entity].singular}.purge`, entity: ENTITIES[entity].singular, entityId: null,
      after: { purged: ids.length, older_than: olderThan.toISOString(), ids: ids.slice(0, 1000) },
    });
  }
  return counts;
}

/** Purges one tenant's trash (the recurring job calls the InTx variant with its own transaction). */
export function purgeTrash(ctx: TenantContext, olderThan: Date = retentionCutoff()): Promise<PurgeCounts> {
  return withTenant(ctx, (tx) => purgeTrashInTx(tx, ctx, olderThan));
}

export function retentionCutoff(now = Date.now()): Date {
  return new Date(now - TRASH_RETENTION_DAYS * 86_400_000);
}

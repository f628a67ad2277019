import type { RecordEntity, TrashItem } from '@pillar/shared';
import type { Tx } from '../../platform/db/tenant.js';
import { ENTITIES } from '../records/index.js';

export type TrashRow = TrashItem & { k: string };

/** Newest deletions first, across the requested record types; each branch uses its table's trash index. */
export async function selectTrash(tx: Tx, entities: readonly RecordEntity[], after: [string, string] | null, limit: number, retentionDays: number): Promise<TrashRow[]> {
  const params: unknown[] = [limit + 1, retentionDays];
  const cond = after ? `AND (deleted_at, id) < ($${params.push(after[0])}::timestamptz, $${params.push(after[1])}::uuid)` : '';
  const branches = entities.map((e) => {
    const m = ENTITIES[e];
    return `(SELECT '${e}' AS entity, id, ${m.nameSql} AS name, deleted_at, deleted_at::text AS k, version
               FROM ${m.table} WHERE deleted_at IS NOT NULL ${cond} ORDER BY deleted_at DESC, id DESC LIMIT $1)`;
  });
  const r = await tx.query<TrashRow>(
    `SELECT entity, id, name, deleted_at, k, version, deleted_at + make_interval(days => $2) AS purge_after
       FROM (${branches.join(' UNION ALL ')}) t ORDER BY deleted_at DESC, id DESC LIMIT $1`, params);
  return r.rows;
}

export async function restoreRow(tx: Tx, entity: RecordEntity, id: string) {
  const m = ENTITIES[entity];
  const r = await tx.query<{ id: string; name: string; version: number; deleted_at: string }>(
    `WITH before AS (SELECT id, deleted_at FROM ${m.table} WHERE id = $1 AND deleted_at IS NOT NULL FOR UPDATE)
     UPDATE ${m.table} t SET deleted_at = NULL, updated_at = now(), version = t.version + 1
       FROM before WHERE t.id = before.id
     RETURNING t.id, ${m.nameSql} AS name, t.version, before.deleted_at`, [id]);
  return r.rows[0];
}

export async function selectDeletedVersion(tx: Tx, entity: RecordEntity, id: string): Promise<number | undefined> {
  const r = await tx.query<{ version: number }>(`SELECT version FROM ${ENTITIES[entity].table} WHERE id = $1 AND deleted_at IS NOT NULL`, [id]);
  return r.rows[0]?.version;
}

/** Hard-deletes trashed rows older than the cut-off; references to them are cleared by their foreign keys. */
export async function deleteTrashedBefore(tx: Tx, entity: RecordEntity, olderThan: Date): Promise<string[]> {
  const r = await tx.query<{ id: string }>(`DELETE FROM ${ENTITIES[entity].table} WHERE deleted_at IS NOT NULL AND deleted_at < $1 RETURNING id`, [olderThan.toISOString()]);
  return r.rows.map((x) => x.id);
}

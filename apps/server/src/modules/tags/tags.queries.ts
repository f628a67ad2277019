/** SQL of tags: counts per record type, rename and removal across records (live records only). */
import type { Tx } from '../../platform/db/tenant.js';

export type TagEntity = 'contact' | 'company' | 'lead' | 'deal';
export const TABLES: Record<TagEntity, string> = { contact: 'contacts', company: 'companies', lead: 'leads', deal: 'deals' };

export async function tagCounts(tx: Tx, entities: readonly TagEntity[]) {
  const parts = entities.map((e) => `SELECT '${e}' AS entity, unnest(tags) AS tag FROM ${TABLES[e]} WHERE deleted_at IS NULL`);
  const r = await tx.query<{ entity: TagEntity; tag: string; n: number }>(
    `SELECT entity, tag, count(*)::int AS n FROM (${parts.join(' UNION ALL ')}) t GROUP BY entity, tag`);
  return r.rows;
}

/** Replaces `from` by `to` (or drops `from` where `to` is already there). Returns the number of records changed. */
export async function renameTag(tx: Tx, entity: TagEntity, from: string, to: string): Promise<number> {
  const r = await tx.query(
    `UPDATE ${TABLES[entity]}
        SET tags = CASE WHEN $2 = ANY (tags) THEN array_remove(tags, $1) ELSE array_replace(tags, $1, $2) END,
            updated_at = now(), version = version + 1
      WHERE tags @> ARRAY[$1]::text[] AND deleted_at IS NULL`, [from, to]);
  return r.rowCount;
}

export async function removeTag(tx: Tx, entity: TagEntity, tag: string): Promise<number> {
  const r = await tx.query(
    `UPDATE ${TABLES[entity]} SET tags = array_remove(tags, $1), updated_at = now(), version = version + 1
      WHERE tags @> ARRAY[$1]::text[] AND deleted_at IS NULL`, [tag]);
  return r.rowCount;
}

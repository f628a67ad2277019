import type { Tx } from '../../platform/db/tenant.js';
import type { SavedView } from '@pillar/shared';

const COLS = 'id, owner_id, entity, name, filter, sort, columns, is_shared, created_at, updated_at, version';

/** Views this user may see: their own and the shared ones. */
const VISIBLE = `(owner_id = nullif(current_setting('app.user_id', true), '')::uuid OR is_shared)`;

export async function selectViews(tx: Tx, opts: { entity?: string; afterId?: string; limit: number }): Promise<SavedView[]> {
  const params: unknown[] = [opts.limit + 1];
  const where = [VISIBLE];
  if (opts.entity) where.push(`entity = $${params.push(opts.entity)}`);
  if (opts.afterId) where.push(`id > $${params.push(opts.afterId)}::uuid`);
  const r = await tx.query<SavedView>(`SELECT ${COLS} FROM saved_views WHERE ${where.join(' AND ')} ORDER BY id LIMIT $1`, params);
  return r.rows;
}

export async function selectView(tx: Tx, id: string, lock = false): Promise<SavedView | undefined> {
  const r = await tx.query<SavedView>(`SELECT ${COLS} FROM saved_views WHERE id = $1 AND ${VISIBLE}${lock ? ' FOR UPDATE' : ''}`, [id]);
  return r.rows[0];
}

export async function insertView(tx: Tx, row: Omit<SavedView, 'created_at' | 'updated_at' | 'version'> & { tenant_id: string }): Promise<SavedView> {
  const r = await tx.query<SavedView>(
    `INSERT INTO saved_views (tenant_id, id, owner_id, entity, name, filter, sort, columns, is_shared)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLS}`,
    [row.tenant_id, row.id, row.owner_id, row.entity, row.name, row.filter === null ? null : JSON.stringify(row.filter), row.sort,
      JSON.stringify(row.columns), row.is_shared],
  );
  return r.rows[0]!;
}

export async function updateViewRow(tx: Tx, id: string, v: Pick<SavedView, 'name' | 'filter' | 'sort' | 'columns' | 'is_shared'>): Promise<SavedView> {
  const r = await tx.query<SavedView>(
    `UPDATE saved_views SET name = $2, filter = $3, sort = $4, columns = $5, is_shared = $6, updated_at = now(), version = version + 1
      WHERE id = $1 RETURNING ${COLS}`,
    [id, v.name, v.filter === null ? null : JSON.stringify(v.filter), v.sort, JSON.stringify(v.columns), v.is_shared],
  );
  return r.rows[0]!;
}

export async function deleteViewRow(tx: Tx, id: string): Promise<void> {
  await tx.query('DELETE FROM saved_views WHERE id = $1', [id]);
}

/** SQL for personal dashboards. RLS confines every statement to the signed-in person's rows. */
import type { Widget } from '@pillar/shared';
import type { Tx } from '../../platform/db/tenant.js';

export interface DashboardRow {
  id: string;
  name: string;
  is_default: boolean;
  widgets: Widget[];
  created_at: string;
  updated_at: string;
  version: number;
}

const COLS = 'id, name, is_default, widgets, created_at, updated_at, version';

export async function listDashboards(tx: Tx, limit: number, after: [string, string] | null) {
  const params: unknown[] = [limit + 1];
  let where = '';
  if (after) {
    params.push(after[0], after[1]);
    where = 'WHERE (created_at, id) > ($2::timestamptz, $3::uuid)';
  }
  return (await tx.query<DashboardRow>(`SELECT ${COLS} FROM dashboards ${where} ORDER BY created_at, id LIMIT $1`, params)).rows;
}

export async function countDashboards(tx: Tx): Promise<number> {
  return (await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM dashboards')).rows[0]!.n;
}

export async function findDashboard(tx: Tx, id: string, lock = false) {
  return (await tx.query<DashboardRow>(`SELECT ${COLS} FROM dashboards WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id])).rows[0];
}

export interface NewDashboard { id: string; name: string; is_default: boolean; widgets: Widget[] }

/** Inserts; a second default for the same person is skipped (returns undefined) when `skipIfDefaultExists`. */
export async function insertDashboard(tx: Tx, tenantId: string, userId: string, d: NewDashboard, skipIfDefaultExists = false) {
  const conflict = skipIfDefaultExists ? 'ON CONFLICT (tenant_id, user_id) WHERE is_default DO NOTHING' : '';
  return (await tx.query<DashboardRow>(
    `INSERT INTO dashboards (tenant_id, id, user_id, name, is_default, widgets) VALUES ($1, $2, $3, $4, $5, $6::jsonb)
     ${conflict} RETURNING ${COLS}`,
    [tenantId, d.id, userId, d.name, d.is_default, JSON.stringify(d.widgets)])).rows[0];
}

export async function clearDefault(tx: Tx, exceptId: string | null) {
  await tx.query(
    `UPDATE dashboards SET is_default = false, updated_at = now(), version = version + 1
      WHERE is_default AND ($1::uuid IS NULL OR id <> $1::uuid)`, [exceptId]);
}

export async function updateDashboard(tx: Tx, id: string, change: { name?: string | undefined; is_default?: boolean | undefined; widgets?: Widget[] | undefined }) {
  return (await tx.query<DashboardRow>(
    `UPDATE dashboards SET name = coalesce($2, name), is_default = coalesce($3, is_default),
            widgets = coalesce($4::jsonb, widgets), updated_at = now(), version = version + 1
      WHERE id = $1 RETURNING ${COLS}`,
    [id, change.name ?? null, change.is_default ?? null, change.widgets ? JSON.stringify(change.widgets) : null])).rows[0]!;
}

export async function deleteDashboard(tx: Tx, id: string) {
  await tx.query('DELETE FROM dashboards WHERE id = $1', [id]);
}

import { BULK_MAX, type FilterNode, type RecordEntity } from '@pillar/shared';
import { generateNKeysBetween } from 'fractional-indexing';
import { uuidv7 } from 'uuidv7';
import { compileFilter, SqlParams, type FieldMap } from '../../platform/db/list-sql.js';
import type { Tx } from '../../platform/db/tenant.js';
import { ENTITIES } from '../records/index.js';

/** Live (not trashed) ids of the selection, at most BULK_MAX + 1 so the caller can refuse too large a filter. */
export async function selectIds(tx: Tx, entity: RecordEntity, sel: { ids?: string[] | undefined; filter?: FilterNode | undefined }, fields: FieldMap): Promise<string[]> {
  const table = ENTITIES[entity].table;
  if (sel.ids) {
    const r = await tx.query<{ id: string }>(`SELECT id FROM ${table} WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL ORDER BY id`, [sel.ids]);
    return r.rows.map((x) => x.id);
  }
  const p = new SqlParams([BULK_MAX + 1]);
  const where = compileFilter(sel.filter!, fields, p);
  const r = await tx.query<{ id: string }>(`SELECT id FROM ${table} WHERE deleted_at IS NULL AND ${where} ORDER BY id LIMIT $1`, p.values);
  return r.rows.map((x) => x.id);
}

export interface BulkRow {
  id: string;
  owner_id: string | null;
  tags: string[];
  custom: Record<string, unknown>;
  status?: string;
  stage_id?: string;
  pipeline_id?: string;
  stage_entered_at?: string;
  version: number;
}

export async function lockRows(tx: Tx, entity: RecordEntity, ids: string[]): Promise<BulkRow[]> {
  const extra = entity === 'deals' ? ', status, stage_id, pipeline_id, stage_entered_at' : entity === 'leads' ? ', status' : '';
  const r = await tx.query<BulkRow>(
    `SELECT id, owner_id, tags, custom, version${extra} FROM ${ENTITIES[entity].table}
      WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL ORDER BY id FOR UPDATE`, [ids]);
  return r.rows;
}

export async function memberExists(tx: Tx, userId: string): Promise<boolean> {
  return (await tx.query('SELECT 1 FROM memberships WHERE user_id = $1', [userId])).rows.length > 0;
}

export async function findStage(tx: Tx, stageId: string) {
  const r = await tx.query<{ id: string; pipeline_id: string; kind: 'open' | 'won' | 'lost' }>(
    'SELECT id, pipeline_id, kind FROM stages WHERE id = $1 AND archived_at IS NULL', [stageId]);
  return r.rows[0];
}

export interface RowUpdate extends BulkRow {
  moved?: boolean;
  position?: string;
  status_changed?: boolean;
}

/** Writes the computed values of every changed row in one statement. */
export async function writeRows(tx: Tx, entity: RecordEntity, rows: RowUpdate[]): Promise<void> {
  const cols = ['owner_id uuid', 'tags text[]', 'custom jsonb'];
  const sets = ['owner_id = r.owner_id', 'tags = r.tags', 'custom = r.custom'];
  if (entity === 'leads' || entity === 'deals') {
    cols.push('status text');
    sets.push('status = r.status');
  }
  if (entity === 'deals') {
    cols.push('stage_id uuid', 'pipeline_id uuid', 'moved boolean', 'status_changed boolean', 'position text');
    sets.push('stage_id = r.stage_id', 'pipeline_id = r.pipeline_id', 'position = coalesce(r.position, t.position)',
      'stage_entered_at = CASE WHEN r.moved THEN now() ELSE t.stage_entered_at END',
      `closed_at = CASE WHEN NOT r.status_changed THEN t.closed_at WHEN r.status = 'open' THEN NULL ELSE now() END`);
  }
  await tx.query(
    `UPDATE ${ENTITIES[entity].table} t SET ${sets.join(', ')}, version = t.version + 1, updated_at = now()
       FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, ${cols.join(', ')}) WHERE t.id = r.id`,
    [JSON.stringify(rows)]);
}

/**
 * Board positions (fractional keys, see the deals module) for deals moved
 * into a stage: after the stage's last card, in the order given.
 */
export async function appendPositions(tx: Tx, stageId: string, count: number): Promise<string[]> {
  const r = await tx.query<{ last: string | null }>(
    `SELECT max(position) AS last FROM deals WHERE stage_id = $1 AND deleted_at IS NULL`, [stageId]);
  return generateNKeysBetween(r.rows[0]?.last ?? null, null, count);
}

/** One stage-history row per moved deal, with the time it spent in the stage it left. */
export async function insertStageHistory(tx: Tx, tenantId: string, userId: string | null, moves: Array<{ deal_id: string; pipeline_id: string; from_stage_id: string | undefined; to_stage_id: string; entered: string | undefined }>) {
  if (!moves.length) return;
  const rows = moves.map((m) => ({ ...m, id: uuidv7() }));
  await tx.query(
    `INSERT INTO deal_stage_history (tenant_id, id, deal_id, pipeline_id, from_stage_id, to_stage_id, moved_by, seconds_in_from_stage)
     SELECT $1, r.id, r.deal_id, r.pipeline_id, r.from_stage_id, r.to_stage_id, $2,
            greatest(0, extract(epoch FROM now() - r.entered))::bigint
       FROM jsonb_to_recordset($3::jsonb) AS r(id uuid, deal_id uuid, pipeline_id uuid, from_stage_id uuid, to_stage_id uuid, entered timestamptz)`,
    [tenantId, userId, JSON.stringify(rows)]);
}

export async function trashRows(tx: Tx, entity: RecordEntity, ids: string[]): Promise<Array<{ id: string; deleted_at: string }>> {
  const r = await tx.query<{ id: string; deleted_at: string }>(
    `UPDATE ${ENTITIES[entity].table} SET deleted_at = now(), updated_at = now(), version = version + 1
      WHERE id = ANY($1::uuid[]) AND deleted_at IS NULL RETURNING id, deleted_at`, [ids]);
  return r.rows;
}

/** SQL of deals, their board order and their stage history. */
import type { Deal, DealStageHistorySchema } from '@pillar/shared';
import type { z } from 'zod';
import type { Tx } from '../../platform/db/tenant.js';

export type DealRow = Deal;

export const DEAL_COLS = `d.id, d.name, d.value::text AS value, d.currency::text AS currency,
  coalesce(d.probability, s.probability) AS probability, d.probability AS probability_override,
  d.pipeline_id, d.stage_id, d.position, d.status, d.lost_reason, d.expected_close_date, d.closed_at, d.stage_entered_at,
  d.contact_id, d.company_id, d.lead_id, d.source, d.owner_id, d.tags, d.custom, d.created_by, d.created_at, d.updated_at,
  d.version, d.deleted_at`;
export const DEAL_FROM = 'deals d JOIN stages s ON s.id = d.stage_id';
/**
 * DEAL_COLS over `deals d` alone: the stage's probability comes from a scalar
 * subquery, so the statement can lock (FOR UPDATE) or update the row itself
 * and still return the whole deal in the same round trip.
 */
const DEAL_COLS_ALONE = DEAL_COLS.replace('coalesce(d.probability, s.probability)',
  'coalesce(d.probability, (SELECT s.probability FROM stages s WHERE s.id = d.stage_id))');

export async function findDeal(tx: Tx, id: string, opts: { lock?: boolean; deleted?: boolean } = {}): Promise<DealRow | null> {
  const deleted = `deleted_at IS ${opts.deleted ? 'NOT ' : ''}NULL`;
  // Lock the row alone, then read it joined. `FOR UPDATE OF d` on the join would, after waiting for a
  // concurrent move, re-check the join against the old stage row and drop the deal (a spurious 404).
  if (opts.lock && !(await tx.query(`SELECT 1 FROM deals WHERE id = $1 AND ${deleted} FOR UPDATE`, [id])).rows.length) return null;
  const r = await tx.query<DealRow>(`SELECT ${DEAL_COLS} FROM ${DEAL_FROM} WHERE d.id = $1 AND d.${deleted}`, [id]);
  return r.rows[0] ?? null;
}

/**
 * Locks a live deal and reads it in one statement, with the seconds it has
 * spent in its current stage. After waiting for a concurrent move the row
 * returned is the committed new version (no join to re-check, so no spurious miss).
 */
export async function lockDealForMove(tx: Tx, id: string): Promise<(DealRow & { seconds_in_stage: number }) | null> {
  const r = await tx.query<DealRow & { seconds_in_stage: number }>(
    `SELECT ${DEAL_COLS_ALONE}, greatest(0, extract(epoch FROM now() - d.stage_entered_at))::bigint AS seconds_in_stage
       FROM deals d WHERE d.id = $1 AND d.deleted_at IS NULL FOR UPDATE`, [id]);
  return r.rows[0] ?? null;
}

export interface NewDeal {
  id: string;
  name: string;
  value: string;
  currency: string;
  probability: number | null;
  pipeline_id: string;
  stage_id: string;
  position: string;
  status: string;
  lost_reason: string | null;
  expected_close_date: string | null;
  contact_id: string | null;
  company_id: string | null;
  lead_id: string | null;
  source: string | null;
  owner_id: string | null;
  tags: string[];
  custom: Record<string, unknown>;
  created_by: string | null;
}

export async function insertDeal(tx: Tx, tenantId: string, d: NewDeal): Promise<void> {
  await tx.query(
    `INSERT INTO deals (tenant_id, id, name, value, currency, probability, pipeline_id, stage_id, position, status, lost_reason,
                        expected_close_date, closed_at, contact_id, company_id, lead_id, source, owner_id, tags, custom, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, CASE WHEN $10 = 'open' THEN NULL ELSE now() END,
             $13, $14, $15, $16, $17, $18, $19, $20)`,
    [tenantId, d.id, d.name, d.value, d.currency, d.probability, d.pipeline_id, d.stage_id, d.position, d.status, d.lost_reason,
      d.expected_close_date, d.contact_id, d.company_id, d.lead_id, d.source, d.owner_id, d.tags, JSON.stringify(d.custom), d.created_by]);
}

const UPDATABLE = ['name', 'value', 'currency', 'probability', 'expected_close_date', 'contact_id', 'company_id', 'lead_id', 'source', 'owner_id', 'tags', 'custom'] as const;
export type DealPatch = Partial<Record<(typeof UPDATABLE)[number], unknown>>;

export async function updateDeal(tx: Tx, id: string, patch: DealPatch): Promise<void> {
  const sets: string[] = [];
  const params: unknown[] = [id];
  for (const key of UPDATABLE) {
    if (!(key in patch)) continue;
    const v = patch[key];
    params.push(key === 'custom' ? JSON.stringify(v) : v);
    sets.push(`${key} = $${params.length}`);
  }
  await tx.query(`UPDATE deals SET ${[...sets, 'updated_at = now()', 'version = version + 1'].join(', ')} WHERE id = $1`, params);
}

export interface Placement {
  stage_id: string;
  pipeline_id: string;
  position: string;
  status: string;
  lost_reason: string | null;
  stageChanged: boolean;
}

/** Moves a card (and closes or reopens the deal to match the stage's kind). */
export async function placeDeal(tx: Tx, id: string, p: Placement): Promise<void> {
  await tx.query(
    `UPDATE deals SET stage_id = $2, pipeline_id = $3, position = $4, lost_reason = $6,
            closed_at = CASE WHEN $5 = 'open' THEN NULL WHEN status = $5 THEN closed_at ELSE now() END,
            status = $5, stage_entered_at = CASE WHEN $7 THEN now() ELSE stage_entered_at END,
            updated_at = now(), version = version + 1
      WHERE id = $1`,
    [id, p.stage_id, p.pipeline_id, p.position, p.status, p.lost_reason, p.stageChanged]);
}

export interface HistoryEntry {
  id: string;
  from_stage_id: string;
  moved_by: string | null;
  seconds: number | null;
  note: string | null;
}

/**
 * placeDeal and, when the stage changes, its stage-history row in one
 * statement; returns the deal as findDeal reads it. The history row's
 * triggers fire at the end of the statement, after the deal's own.
 */
export async function placeDealReturning(tx: Tx, tenantId: string, id: string, p: Placement, h: HistoryEntry | null): Promise<DealRow> {
  const r = await tx.query<DealRow>(
    `WITH moved AS (
       UPDATE deals d SET stage_id = $2, pipeline_id = $3, position = $4, lost_reason = $6,
              closed_at = CASE WHEN $5 = 'open' THEN NULL WHEN status = $5 THEN closed_at ELSE now() END,
              status = $5, stage_entered_at = CASE WHEN $7 THEN now() ELSE stage_entered_at END,
              updated_at = now(), version = version + 1
        WHERE d.id = $1
       RETURNING ${DEAL_COLS_ALONE}
     ), history AS (
       INSERT INTO deal_stage_history (tenant_id, id, deal_id, pipeline_id, from_stage_id, to_stage_id, moved_by, seconds_in_from_stage, note)
       SELECT $8, $9, moved.id, moved.pipeline_id, $10, moved.stage_id, $11, $12, $13 FROM moved WHERE $9::uuid IS NOT NULL
     )
     SELECT * FROM moved`,
    [id, p.stage_id, p.pipeline_id, p.position, p.status, p.lost_reason, p.stageChanged,
      tenantId, h?.id ?? null, h?.from_stage_id ?? null, h?.moved_by ?? null, h?.seconds ?? null, h?.note ?? null]);
  return r.rows[0]!;
}

export async function setDeleted(tx: Tx, id: string, deleted: boolean, position?: string): Promise<void> {
  await tx.query(
    `UPDATE deals SET deleted_at = ${deleted ? 'now()' : 'NULL'}, position = coalesce($2, position), updated_at = now(), version = version + 1
      WHERE id = $1`, [id, position ?? null]);
}

export async function positionIn(tx: Tx, stageId: string, dealId: string): Promise<string | null> {
  const r = await tx.query<{ position: string }>('SELECT position FROM deals WHERE id = $1 AND stage_id = $2 AND deleted_at IS NULL', [dealId, stageId]);
  return r.rows[0]?.position ?? null;
}

/** The neighbouring position above (`below` = false) or below a key, ignoring one deal (the one moving). */
export async function neighbour(tx: Tx, stageId: string, from: string | null, direction: 'next' | 'prev', exclude: string): Promise<string | null> {
  const cmp = direction === 'next' ? '>' : '<';
  const order = direction === 'next' ? 'ASC' : 'DESC';
  const r = await tx.query<{ position: string }>(
    `SELECT position FROM deals WHERE stage_id = $1 AND deleted_at IS NULL AND id <> $2 ${from === null ? '' : `AND position ${cmp} $3`}
      ORDER BY position ${order} LIMIT 1`, from === null ? [stageId, exclude] : [stageId, exclude, from]);
  return r.rows[0]?.position ?? null;
}

export async function isPositionTaken(tx: Tx, stageId: string, position: string): Promise<boolean> {
  return (await tx.query('SELECT 1 FROM deals WHERE stage_id = $1 AND position = $2 AND deleted_at IS NULL', [stageId, position])).rows.length > 0;
}

export async function insertHistory(tx: Tx, tenantId: string, h: {
  id: string; deal_id: string; pipeline_id: string; from_stage_id: string | null; to_stage_id: string; moved_by: string | null;
  seconds: number | null; note: string | null;
}): Promise<void> {
  await tx.query(
    `INSERT INTO deal_stage_history (tenant_id, id, deal_id, pipeline_id, from_stage_id, to_stage_id, moved_by, seconds_in_from_stage, note)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [tenantId, h.id, h.deal_id, h.pipeline_id, h.from_stage_id, h.to_stage_id, h.moved_by, h.seconds, h.note]);
}

export async function secondsInStage(tx: Tx, id: string): Promise<number> {
  const r = await tx.query<{ s: number }>('SELECT greatest(0, extract(epoch FROM now() - stage_entered_at))::bigint AS s FROM deals WHERE id = $1', [id]);
  return r.rows[0]?.s ?? 0;
}

export const HISTORY_COLS = 'id, deal_id, pipeline_id, from_stage_id, to_stage_id, moved_by, moved_at, seconds_in_from_stage, note';

export async function listHistory(tx: Tx, dealId: string) {
  return (await tx.query<z.infer<typeof DealStageHistorySchema>>(`SELECT ${HISTORY_COLS} FROM deal_stage_history WHERE deal_id = $1 ORDER BY moved_at, id`, [dealId])).rows;
}

export async function closeInPlace(tx: Tx, id: string, status: 'won' | 'lost', lostReason: string | null): Promise<void> {
  await tx.query(
    `UPDATE deals SET status = $2, lost_reason = $3, closed_at = coalesce(closed_at, now()), updated_at = now(), version = version + 1 WHERE id = $1`,
    [id, status, lostReason]);
}

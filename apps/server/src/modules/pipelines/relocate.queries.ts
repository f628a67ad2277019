/**
 * Moving every deal out of a stage or pipeline that is being archived, so no
 * deal is ever left in an archived stage. Appends the cards after the target
 * stage's last card and writes their stage history, in the caller's transaction.
 */
import { generateNKeysBetween } from 'fractional-indexing';
import { uuidv7 } from 'uuidv7';
import type { Tx } from '../../platform/db/tenant.js';
import type { StageRow } from './pipelines.queries.js';

export interface RelocatedDeal {
  id: string;
  from_stage_id: string;
  deleted: boolean;
  seconds: number;
}

export async function relocateDeals(
  tx: Tx, tenantId: string, source: { stageId: string } | { pipelineId: string }, target: StageRow, movedBy: string | null, note: string,
): Promise<RelocatedDeal[]> {
  const [col, val] = 'stageId' in source ? ['d.stage_id', source.stageId] : ['d.pipeline_id', source.pipelineId];
  const deals = (await tx.query<RelocatedDeal>(
    `SELECT d.id, d.stage_id AS from_stage_id, d.deleted_at IS NOT NULL AS deleted,
            extract(epoch FROM now() - d.stage_entered_at)::bigint AS seconds
       FROM deals d JOIN stages s ON s.id = d.stage_id
      WHERE ${col} = $1 ORDER BY s.position, d.position, d.id FOR UPDATE OF d`, [val])).rows;
  if (!deals.length) return [];
  const last = (await tx.query<{ position: string | null }>(
    'SELECT max(position) AS position FROM deals WHERE stage_id = $1 AND deleted_at IS NULL', [target.id])).rows[0]?.position ?? null;
  const keys = generateNKeysBetween(last, null, deals.length);
  await tx.query(
    `UPDATE deals d SET stage_id = $2, pipeline_id = $3, position = m.position, status = $4,
            closed_at = CASE WHEN $4 = 'open' THEN NULL WHEN d.status = $4 THEN d.closed_at ELSE now() END,
            lost_reason = CASE WHEN $4 = 'lost' THEN d.lost_reason END,
            stage_entered_at = now(), updated_at = now(), version = d.version + 1
       FROM unnest($1::uuid[], $5::text[]) AS m (id, position)
      WHERE d.id = m.id`,
    [deals.map((d) => d.id), target.id, target.pipeline_id, target.kind, keys]);
  const live = deals.filter((d) => !d.deleted);
  await tx.query(
    `INSERT INTO deal_stage_history (tenant_id, id, deal_id, pipeline_id, from_stage_id, to_stage_id, moved_by, seconds_in_from_stage, note)
     SELECT $1, h.id, h.deal_id, $2, h.from_stage_id, $3, $4, h.seconds, $5
       FROM unnest($6::uuid[], $7::uuid[], $8::uuid[], $9::bigint[]) AS h (id, deal_id, from_stage_id, seconds)`,
    [tenantId, target.pipeline_id, target.id, movedBy, note, live.map(() => uuidv7()), live.map((d) => d.id),
      live.map((d) => d.from_stage_id), live.map((d) => d.seconds)]);
  return deals;
}

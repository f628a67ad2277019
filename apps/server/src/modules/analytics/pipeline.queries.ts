/**
 * Pipeline report: open deals per stage right now. Weighted value uses the
 * deal's probability override, else its stage's default. Time in stage comes
 * from the stage history (seconds spent in a stage before each move out).
 */
import type { Tx } from '../../platform/db/tenant.js';
import {
  TODAY, conversionCtes, currencyMetaColumns, days, dealScope, money, reportParams, timeRange, where,
  type CurrencyMeta, type ReportScope,
} from './report-sql.js';

export interface PipelineRow {
  pipeline_id: string; pipeline_name: string; stage_id: string; stage_name: string; position: number; probability: number;
  deal_count: number; total_value: string; weighted_value: string; average_age_days: string | null;
  average_days_in_stage: string | null; stuck_count: number; stuck_value: string;
}
export interface PipelineTotals { deal_count: number; total_value: string; weighted_value: string; stuck_count: number; stuck_value: string }

export async function queryPipelineReport(tx: Tx, scope: ReportScope, stuckDays: number) {
  const p = reportParams(scope);
  const stageWhere = ['s.archived_at IS NULL', `s.kind = 'open'`];
  if (scope.pipelineId) stageWhere.push(`s.pipeline_id = ${p.add(scope.pipelineId)}::uuid`);
  const dealWhere = [`d.status = 'open'`, ...dealScope('d', scope, p), ...timeRange('d.created_at', scope, p)];
  const historyWhere = ['h.from_stage_id IN (SELECT id FROM st)', 'h.seconds_in_from_stage IS NOT NULL', ...timeRange('h.moved_at', scope, p)];
  if (scope.ownerIds) {
    historyWhere.push(`EXISTS (SELECT 1 FROM deals o WHERE o.tenant_id = h.tenant_id AND o.id = h.deal_id
                                AND o.owner_id = ANY(${p.add(scope.ownerIds)}::uuid[]))`);
  }
  const stuckSince = `now() - make_interval(days => ${p.add(stuckDays)}::int)`;
  const sql = `
  WITH st AS (
    SELECT s.id, s.pipeline_id, pl.name AS pipeline_name, pl.position AS pipeline_position, s.name, s.position, s.probability
      FROM stages s JOIN pipelines pl ON pl.tenant_id = s.tenant_id AND pl.id = s.pipeline_id
     WHERE ${where(stageWhere)}),
  facts AS (
    SELECT d.stage_id, d.currency, ${TODAY} AS day, count(*)::int AS n, sum(d.value) AS amount,
           sum(d.value * coalesce(d.probability, st.probability)) / 100 AS weighted,
           sum(extract(epoch FROM now() - d.created_at)) AS age_seconds,
           count(*) FILTER (WHERE d.stage_entered_at < ${stuckSince})::int AS stuck_n,
           coalesce(sum(d.value) FILTER (WHERE d.stage_entered_at < ${stuckSince}), 0) AS stuck
      FROM deals d JOIN st ON st.id = d.stage_id
     WHERE ${where(dealWhere)}
     GROUP BY d.stage_id, d.currency),
  ${conversionCtes(['amount', 'weighted', 'stuck'])},
  per_stage AS (
    SELECT stage_id, sum(n)::int AS n, sum(amount_base) AS total, sum(weighted_base) AS weighted,
           sum(age_seconds) AS age_seconds, sum(stuck_n)::int AS stuck_n, sum(stuck_base) AS stuck
      FROM conv GROUP BY stage_id),
  in_stage AS (
    SELECT h.from_stage_id AS stage_id, sum(h.seconds_in_from_stage) AS seconds, count(*) AS n
      FROM deal_stage_history h WHERE ${where(historyWhere)} GROUP BY h.from_stage_id)
  SELECT
    (SELECT coalesce(json_agg(json_build_object(
        'pipeline_id', st.pipeline_id, 'pipeline_name', st.pipeline_name, 'stage_id', st.id, 'stage_name', st.name,
        'position', st.position, 'probability', st.probability, 'deal_count', coalesce(ps.n, 0),
        'total_value', ${money('ps.total')}, 'weighted_value', ${money('ps.weighted')},
        'average_age_days', ${days('ps.age_seconds', 'ps.n')}, 'average_days_in_stage', ${days('i.seconds', 'i.n')},
        'stuck_count', coalesce(ps.stuck_n, 0), 'stuck_value', ${money('ps.stuck')})
        ORDER BY st.pipeline_position, st.pipeline_name, st.pipeline_id, st.position, st.id), '[]')
       FROM st LEFT JOIN per_stage ps ON ps.stage_id = st.id LEFT JOIN in_stage i ON i.stage_id = st.id) AS rows,
    (SELECT json_build_object('deal_count', coalesce(sum(n), 0)::int, 'total_value', ${money('sum(amount_base)')},
                              'weighted_value', ${money('sum(weighted_base)')}, 'stuck_count', coalesce(sum(stuck_n), 0)::int,
                              'stuck_value', ${money('sum(stuck_base)')})
       FROM conv) AS totals,
    ${currencyMetaColumns('amount')}`;
  const r = await tx.query<{ rows: PipelineRow[]; totals: PipelineTotals } & CurrencyMeta>(sql, p.values);
  return r.rows[0]!;
}

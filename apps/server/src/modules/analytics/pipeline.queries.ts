/**
 * Pipeline report: open deals per stage right now. Weighted value uses the
 * deal's probability override, else its stage's default. Time in stage comes
 * from the stage history (seconds spent in a stage before each move out).
 */
import type { SqlParams } from '../../platform/db/list-sql.js';
import type { Tx } from '../../platform/db/tenant.js';
import { existsProbe, monthRange, planMonths, rawRanges, unionRaw, type MonthPlan } from './monthly-plan.js';
import {
  TODAY, TZ, conversionCtes, currencyMetaColumns, days, money, reportParams, where, type CurrencyMeta, type ReportScope,
} from './report-sql.js';

export interface PipelineRow {
  pipeline_id: string; pipeline_name: string; stage_id: string; stage_name: string; position: number; probability: number;
  deal_count: number; total_value: string; weighted_value: string; average_age_days: string | null;
  average_days_in_stage: string | null; stuck_count: number; stuck_value: string;
}
export interface PipelineTotals { deal_count: number; total_value: string; weighted_value: string; stuck_count: number; stuck_value: string }

/** Open deals created in the local range; stage moves made in it. */
const openProbe = existsProbe('deals d', `d.status = 'open' AND d.deleted_at IS NULL`, 'd.created_at');
export const movesProbe = existsProbe('deal_stage_history h', 'true', 'h.moved_at');

/** CTE `in_stage`: seconds spent in each stage of `st` before the moves out of it made in the range. */
function timeInStage(moved: MonthPlan, owners: string | null, p: SqlParams): string {
  const movesWhere = ['r.from_stage_id IN (SELECT id FROM st)', 'r.timed <> 0', ...monthRange('r.month', moved, p)];
  if (owners) movesWhere.push(`r.owner_id = ANY(${owners})`);
  const historyWhere = () => where(['h.from_stage_id IN (SELECT id FROM st)', 'h.seconds_in_from_stage IS NOT NULL',
    rawRanges('h.moved_at', moved, p),
    ...(owners ? [`EXISTS (SELECT 1 FROM deals o WHERE o.tenant_id = h.tenant_id AND o.id = h.deal_id AND o.owner_id = ANY(${owners}))`] : [])]);
  return `
  in_stage AS (
    SELECT stage_id, sum(seconds) AS seconds, sum(n) AS n FROM (
      SELECT r.from_stage_id AS stage_id, sum(r.seconds) AS seconds, sum(r.timed) AS n
        FROM report_stage_moves r WHERE ${where(movesWhere)} GROUP BY r.from_stage_id
      ${unionRaw(moved, () => `
      SELECT h.from_stage_id, sum(h.seconds_in_from_stage), count(*)
        FROM deal_stage_history h WHERE ${historyWhere()} GROUP BY h.from_stage_id`)}) x
     GROUP BY stage_id)`;
}

export async function queryPipelineReport(tx: Tx, scope: ReportScope, stuckDays: number) {
  const created = await planMonths(tx, scope, openProbe);
  const moved = await planMonths(tx, scope, movesProbe);
  const p = reportParams(scope);
  const stageWhere = ['s.archived_at IS NULL', `s.kind = 'open'`, ...(scope.pipelineId ? [`s.pipeline_id = ${p.add(scope.pipelineId)}::uuid`] : [])];
  const owners = scope.ownerIds && `${p.add(scope.ownerIds)}::uuid[]`;
  const stuckSince = `now() - make_interval(days => ${p.add(stuckDays)}::int)`;
  const openWhere = ['r.stage_id = st.id', ...monthRange('r.created_month', created, p), ...(owners ? [`r.owner_id = ANY(${owners})`] : [])];
  // Deals the rollup part counts as stuck but that entered their stage recently enough not to be.
  const recentWhere = [`d.status = 'open'`, 'd.deleted_at IS NULL', `d.stage_entered_at >= ${stuckSince}`, `d.stage_id = st.id`];
  if (created.fromMonth) recentWhere.push(`d.created_at >= (${p.add(created.fromMonth)}::date::timestamp AT TIME ZONE ${TZ})`);
  if (created.toMonth) recentWhere.push(`d.created_at < ((${p.add(created.toMonth)}::date + interval '1 month')::timestamp AT TIME ZONE ${TZ})`);
  if (owners) recentWhere.push(`d.owner_id = ANY(${owners})`);
  const rawWhere = () => where([`d.status = 'open'`, 'd.deleted_at IS NULL', 'd.stage_id = st.id', rawRanges('d.created_at', created, p), ...(owners ? [`d.owner_id = ANY(${owners})`] : [])]);
  const sql = `
  WITH st AS (
    SELECT s.id, s.pipeline_id, pl.name AS pipeline_name, pl.position AS pipeline_position, s.name, s.position, s.probability
      FROM stages s JOIN pipelines pl ON pl.tenant_id = s.tenant_id AND pl.id = s.pipeline_id
     WHERE ${where(stageWhere)}),
  facts AS (
    SELECT st.id AS stage_id, r.currency, ${TODAY} AS day, sum(r.n)::int AS n, sum(r.amount) AS amount,
           (sum(r.weighted_override) + sum(r.amount_default) * st.probability) / 100 AS weighted,
           sum(r.n) * extract(epoch FROM now()) - sum(r.created_epoch) AS age_seconds,
           sum(r.n)::int AS stuck_n, sum(r.amount) AS stuck
      FROM st JOIN report_deals_open r ON ${where(openWhere)}
     GROUP BY st.id, st.probability, r.currency HAVING sum(r.n) <> 0
    UNION ALL
    SELECT st.id, d.currency, ${TODAY}, 0, 0, 0, 0, -count(*)::int, -sum(d.value)
      FROM st JOIN deals d ON ${where(recentWhere)}
     GROUP BY st.id, d.currency
    ${unionRaw(created, () => `
    SELECT st.id, d.currency, ${TODAY}, count(*)::int, sum(d.value),
           sum(d.value * coalesce(d.probability, st.probability)) / 100,
           sum(extract(epoch FROM now() - d.created_at)),
           count(*) FILTER (WHERE d.stage_entered_at < ${stuckSince})::int,
           coalesce(sum(d.value) FILTER (WHERE d.stage_entered_at < ${stuckSince}), 0)
      FROM st JOIN deals d ON ${rawWhere()}
     GROUP BY st.id, d.currency`)}),
  ${conversionCtes(['amount', 'weighted', 'stuck'])},
  per_stage AS (
    SELECT stage_id, sum(n)::int AS n, sum(amount_base) AS total, sum(weighted_base) AS weighted,
           sum(age_seconds) AS age_seconds, sum(stuck_n)::int AS stuck_n, sum(stuck_base) AS stuck
      FROM conv GROUP BY stage_id),
  ${timeInStage(moved, owners, p)}
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

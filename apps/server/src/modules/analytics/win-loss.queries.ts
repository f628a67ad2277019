/**
 * Win/loss: deals closed (won or lost) in the period, overall, by owner, by
 * source, and lost reasons. The sales cycle is created → won, averaged over
 * won deals. Values convert at the rate of each deal's close date. Whole
 * months come from the closed-deal rollup (migration 0501).
 */
import type { Tx } from '../../platform/db/tenant.js';
import { existsProbe, monthRange, planMonths, rawRanges, unionRaw } from './monthly-plan.js';
import {
  PARAM_TYPES, TZ, conversionCtes, currencyMetaColumns, days, dealScope, fraction, money, reportParams, where,
  type CurrencyMeta, type ReportScope,
} from './report-sql.js';

export interface WinLossFigures {
  won_count: number; won_value: string; lost_count: number; lost_value: string; win_rate: string | null; average_cycle_days: string | null;
}

const figures = `
  'won_count', g.won_n, 'won_value', ${money('g.won_value')}, 'lost_count', g.lost_n, 'lost_value', ${money('g.lost_value')},
  'win_rate', ${fraction('g.won_n', 'g.won_n + g.lost_n')}, 'average_cycle_days', ${days('g.cycle_seconds', 'g.won_n')}`;

/** Closed deals (won and lost) whose close date falls in the report range. */
export const closedProbe = existsProbe('deals d', `d.status IN ('won', 'lost') AND d.deleted_at IS NULL AND d.closed_at IS NOT NULL`, 'd.closed_at');

export async function queryWinLossReport(tx: Tx, scope: ReportScope) {
  const plan = await planMonths(tx, scope, closedProbe);
  const p = reportParams(scope);
  const rollupWhere = [...monthRange('r.month', plan, p)];
  if (scope.pipelineId) rollupWhere.push(`r.pipeline_id = ${p.add(scope.pipelineId)}::uuid`);
  if (scope.ownerIds) rollupWhere.push(`r.owner_id = ANY(${p.add(scope.ownerIds)}::uuid[])`);
  const sql = `
  WITH ${PARAM_TYPES},
  facts AS (
    SELECT r.status, r.owner_id, r.source, r.lost_reason, r.currency, r.rate_day AS day,
           sum(r.n)::int AS n, sum(r.amount) AS amount, sum(r.cycle_seconds) AS cycle_seconds
      FROM report_deals_closed r WHERE ${where(rollupWhere)}
     GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(r.n) <> 0
    ${unionRaw(plan, () => `
    SELECT d.status, d.owner_id, d.source, d.lost_reason, d.currency, (d.closed_at AT TIME ZONE ${TZ})::date AS day,
           count(*)::int AS n, sum(d.value) AS amount, sum(extract(epoch FROM d.closed_at - d.created_at)) AS cycle_seconds
      FROM deals d
     WHERE ${where([`d.status IN ('won', 'lost')`, 'd.closed_at IS NOT NULL', ...dealScope('d', scope, p), rawRanges('d.closed_at', plan, p)])}
     GROUP BY 1, 2, 3, 4, 5, 6`)}),
  ${conversionCtes(['amount'])},
  g AS (
    SELECT GROUPING(owner_id) AS by_owner, GROUPING(source) AS by_source, GROUPING(lost_reason) AS by_reason,
           owner_id, source, lost_reason,
           coalesce(sum(n) FILTER (WHERE status = 'won'), 0)::int AS won_n,
           sum(amount_base) FILTER (WHERE status = 'won') AS won_value,
           coalesce(sum(n) FILTER (WHERE status = 'lost'), 0)::int AS lost_n,
           sum(amount_base) FILTER (WHERE status = 'lost') AS lost_value,
           sum(cycle_seconds) FILTER (WHERE status = 'won') AS cycle_seconds
      FROM conv GROUP BY GROUPING SETS ((), (owner_id), (source), (lost_reason)))
  SELECT
    (SELECT json_build_object(${figures}) FROM g WHERE by_owner = 1 AND by_source = 1 AND by_reason = 1) AS totals,
    (SELECT coalesce(json_agg(json_build_object('owner_id', g.owner_id, 'owner_name', u.name, ${figures})
                              ORDER BY u.name NULLS LAST, g.owner_id), '[]')
       FROM g LEFT JOIN users u ON u.id = g.owner_id WHERE by_owner = 0) AS by_owner,
    (SELECT coalesce(json_agg(json_build_object('source', g.source, ${figures}) ORDER BY g.source NULLS LAST), '[]')
       FROM g WHERE by_source = 0) AS by_source,
    (SELECT coalesce(json_agg(json_build_object('reason', g.lost_reason, 'count', g.lost_n, 'value', ${money('g.lost_value')})
                              ORDER BY g.lost_n DESC, g.lost_reason NULLS LAST), '[]')
       FROM g WHERE by_reason = 0 AND g.lost_n > 0) AS lost_reasons,
    ${currencyMetaColumns('amount')}`;
  const r = await tx.query<{
    totals: WinLossFigures | null;
    by_owner: (WinLossFigures & { owner_id: string | null; owner_name: string | null })[];
    by_source: (WinLossFigures & { source: string | null })[];
    lost_reasons: { reason: string | null; count: number; value: string }[];
  } & CurrencyMeta>(sql, p.values);
  const row = r.rows[0]!;
  const empty: WinLossFigures = { won_count: 0, won_value: '0.00', lost_count: 0, lost_value: '0.00', win_rate: null, average_cycle_days: null };
  return { ...row, totals: row.totals ?? empty };
}

/**
 * Win/loss: deals closed (won or lost) in the period, overall, by owner, by
 * source, and lost reasons. The sales cycle is created → won, averaged over
 * won deals. Values convert at the rate of each deal's close date.
 */
import type { Tx } from '../../platform/db/tenant.js';
import {
  TZ, conversionCtes, currencyMetaColumns, days, dealScope, fraction, money, reportParams, timeRange, where,
  type CurrencyMeta, type ReportScope,
} from './report-sql.js';

export interface WinLossFigures {
  won_count: number; won_value: string; lost_count: number; lost_value: string; win_rate: string | null; average_cycle_days: string | null;
}

const figures = `
  'won_count', g.won_n, 'won_value', ${money('g.won_value')}, 'lost_count', g.lost_n, 'lost_value', ${money('g.lost_value')},
  'win_rate', ${fraction('g.won_n', 'g.won_n + g.lost_n')}, 'average_cycle_days', ${days('g.cycle_seconds', 'g.won_n')}`;

export async function queryWinLossReport(tx: Tx, scope: ReportScope) {
  const p = reportParams(scope);
  const dealWhere = [`d.status IN ('won', 'lost')`, 'd.closed_at IS NOT NULL', ...dealScope('d', scope, p), ...timeRange('d.closed_at', scope, p)];
  const sql = `
  WITH facts AS (
    SELECT d.status, d.owner_id, d.source, d.lost_reason, d.currency, (d.closed_at AT TIME ZONE ${TZ})::date AS day,
           count(*)::int AS n, sum(d.value) AS amount, sum(extract(epoch FROM d.closed_at - d.created_at)) AS cycle_seconds
      FROM deals d WHERE ${where(dealWhere)}
     GROUP BY 1, 2, 3, 4, 5, 6),
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

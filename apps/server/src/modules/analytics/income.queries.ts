/**
 * Income summary: won revenue per period (tenant time zone) and per owner,
 * each beside the period before it. Per period, "previous" is the period
 * just before; per owner and in the totals, it is the same number of whole
 * periods just before the range. Growth = (revenue - previous) / previous.
 */
import type { Tx } from '../../platform/db/tenant.js';
import {
  TZ, conversionCtes, currencyMetaColumns, dealScope, fraction, money, periodEnd, periodLabel, periodStep, periodTrunc,
  reportParams, where, type CurrencyMeta, type PeriodUnit, type ReportScope,
} from './report-sql.js';

export interface IncomeFigures { won_count: number; revenue: string; previous_revenue: string; growth: string | null }

const figures = (n: string, cur: string, prev: string) => `
  'won_count', coalesce(${n}, 0)::int, 'revenue', ${money(cur)}, 'previous_revenue', ${money(prev)},
  'growth', ${fraction(`(coalesce(${cur}, 0) - coalesce(${prev}, 0))`, prev)}`;

export async function queryIncomeReport(tx: Tx, scope: ReportScope & { from: string; to: string }, unit: PeriodUnit) {
  const p = reportParams(scope);
  const from = `${p.add(scope.from)}::date`;
  const to = `${p.add(scope.to)}::date`;
  const step = periodStep(unit);
  const dealWhere = [`d.status = 'won'`, 'd.closed_at IS NOT NULL', ...dealScope('d', scope, p),
    `d.closed_at >= ((SELECT start FROM window_start)::timestamp AT TIME ZONE ${TZ})`,
    `d.closed_at < ((${to} + 1)::timestamp AT TIME ZONE ${TZ})`];
  const sql = `
  WITH periods AS (SELECT g::date AS period_start FROM generate_series(${from}::timestamp, ${to}::timestamp, ${step}) g),
  window_start AS (SELECT (${from} - (SELECT count(*) FROM periods) * ${step})::date AS start),
  facts AS (
    SELECT ${periodTrunc(unit, `d.closed_at AT TIME ZONE ${TZ}`)} AS period, d.owner_id, d.currency,
           (d.closed_at AT TIME ZONE ${TZ})::date AS day, count(*)::int AS n, sum(d.value) AS amount
      FROM deals d WHERE ${where(dealWhere)} GROUP BY 1, 2, 3, 4),
  ${conversionCtes(['amount'])},
  per_period AS (SELECT period, sum(n)::int AS n, sum(amount_base) AS revenue FROM conv GROUP BY period),
  per_owner AS (
    SELECT owner_id,
           sum(n) FILTER (WHERE period >= ${from}) AS n,
           sum(amount_base) FILTER (WHERE period >= ${from}) AS revenue,
           sum(amount_base) FILTER (WHERE period < ${from}) AS previous
      FROM conv GROUP BY owner_id)
  SELECT
    (SELECT coalesce(json_agg(json_build_object(
        'period_start', to_char(pe.period_start, 'YYYY-MM-DD'), 'period_end', to_char(${periodEnd(unit, 'pe.period_start')}, 'YYYY-MM-DD'),
        'label', ${periodLabel(unit, 'pe.period_start')}, ${figures('cur.n', 'cur.revenue', 'prev.revenue')})
        ORDER BY pe.period_start), '[]')
       FROM periods pe
       LEFT JOIN per_period cur ON cur.period = pe.period_start
       LEFT JOIN per_period prev ON prev.period = (pe.period_start - ${step})::date) AS rows,
    (SELECT coalesce(json_agg(json_build_object('owner_id', o.owner_id, 'owner_name', u.name, ${figures('o.n', 'o.revenue', 'o.previous')})
                              ORDER BY o.revenue DESC NULLS LAST, u.name NULLS LAST, o.owner_id), '[]')
       FROM per_owner o LEFT JOIN users u ON u.id = o.owner_id) AS by_owner,
    (SELECT json_build_object(${figures('sum(o.n)', 'sum(o.revenue)', 'sum(o.previous)')}) FROM per_owner o) AS totals,
    ${currencyMetaColumns('amount')}`;
  const r = await tx.query<{
    rows: (IncomeFigures & { period_start: string; period_end: string; label: string })[];
    by_owner: (IncomeFigures & { owner_id: string | null; owner_name: string | null })[];
    totals: IncomeFigures;
  } & CurrencyMeta>(sql, p.values);
  return r.rows[0]!;
}

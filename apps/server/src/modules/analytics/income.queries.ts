/**
 * Income summary: won revenue per period (tenant time zone) and per owner,
 * each beside the period before it. Per period, "previous" is the period
 * just before; per owner and in the totals, it is the same number of whole
 * periods just before the range. Growth = (revenue - previous) / previous.
 */
import type { Tx } from '../../platform/db/tenant.js';
import { monthRange, planMonths, rawRanges, unionRaw } from './monthly-plan.js';
import { addMonths, monthsBetween } from './report-periods.js';
import {
  PARAM_TYPES, TZ, conversionCtes, currencyMetaColumns, dealScope, fraction, money, periodEnd, periodLabel, periodStep, periodTrunc,
  reportParams, where, type CurrencyMeta, type PeriodUnit, type ReportScope,
} from './report-sql.js';
import { closedProbe } from './win-loss.queries.js';

export interface IncomeFigures { won_count: number; revenue: string; previous_revenue: string; growth: string | null }

const figures = (n: string, cur: string, prev: string) => `
  'won_count', coalesce(${n}, 0)::int, 'revenue', ${money(cur)}, 'previous_revenue', ${money(prev)},
  'growth', ${fraction(`(coalesce(${cur}, 0) - coalesce(${prev}, 0))`, prev)}`;

export async function queryIncomeReport(tx: Tx, scope: ReportScope & { from: string; to: string }, unit: PeriodUnit) {
  // The range is whole periods; the comparison window is as many periods just before it.
  const months = monthsBetween(scope.from, scope.to);
  const windowScope = { ...scope, from: addMonths(scope.from, -months) };
  const plan = await planMonths(tx, windowScope, closedProbe);
  const p = reportParams(scope);
  const from = `${p.add(scope.from)}::date`;
  const to = `${p.add(scope.to)}::date`;
  const step = periodStep(unit);
  const rollupWhere = [`r.status = 'won'`, ...monthRange('r.month', plan, p)];
  if (scope.pipelineId) rollupWhere.push(`r.pipeline_id = ${p.add(scope.pipelineId)}::uuid`);
  if (scope.ownerIds) rollupWhere.push(`r.owner_id = ANY(${p.add(scope.ownerIds)}::uuid[])`);
  const sql = `
  WITH ${PARAM_TYPES},
  periods AS (SELECT g::date AS period_start FROM generate_series(${from}::timestamp, ${to}::timestamp, ${step}) g),
  facts AS (
    SELECT ${periodTrunc(unit, 'r.month')} AS period, r.owner_id, r.currency, r.rate_day AS day,
           sum(r.n)::int AS n, sum(r.amount) AS amount
      FROM report_deals_closed r WHERE ${where(rollupWhere)} GROUP BY 1, 2, 3, 4 HAVING sum(r.n) <> 0
    ${unionRaw(plan, () => `
    SELECT ${periodTrunc(unit, `d.closed_at AT TIME ZONE ${TZ}`)} AS period, d.owner_id, d.currency,
           (d.closed_at AT TIME ZONE ${TZ})::date AS day, count(*)::int AS n, sum(d.value) AS amount
      FROM deals d WHERE ${where([`d.status = 'won'`, 'd.closed_at IS NOT NULL', ...dealScope('d', scope, p), rawRanges('d.closed_at', plan, p)])}
     GROUP BY 1, 2, 3, 4`)}),
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

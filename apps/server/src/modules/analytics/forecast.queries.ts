/**
 * Forecast: open deals' value by expected close period, split into
 * categories, beside closed-won revenue of the same periods.
 */
import type { Tx } from '../../platform/db/tenant.js';
import { monthRange, planMonths, rawRanges, unionRaw } from './monthly-plan.js';
import {
  TODAY, TZ, conversionCtes, currencyMetaColumns, dealScope, money, periodEnd, periodLabel,
  periodStep, periodTrunc, reportParams, where, type CurrencyMeta, type PeriodUnit, type ReportScope,
} from './report-sql.js';
import { closedProbe } from './win-loss.queries.js';

export const FORECAST_RULE =
  'Open deals count in the period of their expected close date. Effective probability is the deal\'s override, else its ' +
  'stage\'s default. commit: effective probability >= 90 or tagged "commit"; best_case: 50-89; pipeline: below 50. ' +
  'Categories do not overlap; expected_revenue is the probability-weighted value of all three. ' +
  'Won revenue counts deals won in the period (tenant time zone), converted at the rate of their close date; ' +
  'open deals convert at today\'s rate.';

const CATEGORIES = ['commit', 'best_case', 'pipeline'] as const;

export interface ForecastFigures { [key: string]: number | string }

function categoryColumns(prefix: string) {
  return CATEGORIES.flatMap((c) => [
    `'${c}_count', coalesce(sum(${prefix}n) FILTER (WHERE ${prefix}category = '${c}'), 0)::int`,
    `'${c}_value', ${money(`sum(${prefix}amount_base) FILTER (WHERE ${prefix}category = '${c}')`)}`,
    `'${c}_weighted', ${money(`sum(${prefix}weighted_base) FILTER (WHERE ${prefix}category = '${c}')`)}`,
  ]).concat([
    `'expected_revenue', ${money(`sum(${prefix}weighted_base) FILTER (WHERE ${prefix}category <> 'won')`)}`,
    `'won_count', coalesce(sum(${prefix}n) FILTER (WHERE ${prefix}category = 'won'), 0)::int`,
    `'won_revenue', ${money(`sum(${prefix}amount_base) FILTER (WHERE ${prefix}category = 'won')`)}`,
  ]).join(', ');
}

export async function queryForecastReport(tx: Tx, scope: ReportScope & { from: string; to: string }, unit: PeriodUnit) {
  // The range is whole periods, so the rollups answer it without reading deals (the plan has no raw part).
  const plan = await planMonths(tx, scope, closedProbe);
  const p = reportParams(scope);
  const from = p.add(scope.from);
  const to = p.add(scope.to);
  const openWhere = [`(r.close_month IS NULL OR r.close_month BETWEEN ${from}::date AND ${to}::date)`];
  const wonWhere = [`r.status = 'won'`, ...monthRange('r.month', plan, p)];
  for (const w of [openWhere, wonWhere]) {
    if (scope.pipelineId) w.push(`r.pipeline_id = ${p.add(scope.pipelineId)}::uuid`);
    if (scope.ownerIds) w.push(`r.owner_id = ANY(${p.add(scope.ownerIds)}::uuid[])`);
  }
  const sql = `
  WITH periods AS (
    SELECT g::date AS period_start FROM generate_series(${from}::date::timestamp, ${to}::date::timestamp, ${periodStep(unit)}) g),
  open_groups AS (
    SELECT r.close_month, r.currency, s.probability,
           CASE WHEN r.commit_tag THEN 'commit' WHEN r.band <> 'stage' THEN r.band
                WHEN s.probability >= 90 THEN 'commit' WHEN s.probability >= 50 THEN 'best_case' ELSE 'pipeline' END AS category,
           sum(r.n) AS n, sum(r.amount) AS amount, sum(r.weighted_override) AS weighted_override, sum(r.amount_default) AS amount_default
      FROM report_deals_forecast r JOIN stages s ON s.tenant_id = r.tenant_id AND s.id = r.stage_id
     WHERE ${where(openWhere)}
     GROUP BY r.close_month, r.currency, s.probability, 4),
  facts AS (
    SELECT ${periodTrunc(unit, 'close_month')} AS period, category, currency, ${TODAY} AS day,
           sum(n)::int AS n, sum(amount) AS amount, sum(weighted_override + amount_default * probability) / 100 AS weighted
      FROM open_groups GROUP BY 1, 2, 3 HAVING sum(n) <> 0
    UNION ALL
    SELECT ${periodTrunc(unit, 'r.month')}, 'won', r.currency, r.rate_day, sum(r.n)::int, sum(r.amount), sum(r.amount)
      FROM report_deals_closed r WHERE ${where(wonWhere)} GROUP BY 1, 2, 3, 4 HAVING sum(r.n) <> 0
    ${unionRaw(plan, () => `
    SELECT ${periodTrunc(unit, `d.closed_at AT TIME ZONE ${TZ}`)}, 'won', d.currency, (d.closed_at AT TIME ZONE ${TZ})::date,
           count(*)::int, sum(d.value), sum(d.value)
      FROM deals d WHERE ${where([`d.status = 'won'`, 'd.closed_at IS NOT NULL', ...dealScope('d', scope, p), rawRanges('d.closed_at', plan, p)])}
     GROUP BY 1, 2, 3, 4`)}),
  ${conversionCtes(['amount', 'weighted'])}
  SELECT
    (SELECT coalesce(json_agg(x ORDER BY x.period_start), '[]') FROM (
       SELECT to_char(pe.period_start, 'YYYY-MM-DD') AS period_start, to_char(${periodEnd(unit, 'pe.period_start')}, 'YYYY-MM-DD') AS period_end,
              ${periodLabel(unit, 'pe.period_start')} AS label, json_build_object(${categoryColumns('c.')}) AS figures
         FROM periods pe LEFT JOIN conv c ON c.period = pe.period_start GROUP BY pe.period_start) x) AS rows,
    (SELECT json_build_object(${categoryColumns('c.')}) FROM conv c WHERE c.period IS NOT NULL) AS totals,
    (SELECT json_build_object('count', coalesce(sum(n), 0)::int, 'value', ${money('sum(amount_base)')},
                              'weighted', ${money('sum(weighted_base)')})
       FROM conv WHERE period IS NULL) AS undated,
    ${currencyMetaColumns('amount')}`;
  const r = await tx.query<{
    rows: { period_start: string; period_end: string; label: string; figures: ForecastFigures }[];
    totals: ForecastFigures; undated: { count: number; value: string; weighted: string };
  } & CurrencyMeta>(sql, p.values);
  const row = r.rows[0]!;
  return { ...row, rows: row.rows.map(({ figures, ...period }) => ({ ...period, ...figures })) };
}

/**
 * Lead sources: the leads created in the period, per source — how many,
 * how many converted into deals, and the revenue of those deals won so far
 * (converted at the rate of each deal's close date).
 */
import type { SqlParams } from '../../platform/db/list-sql.js';
import type { Tx } from '../../platform/db/tenant.js';
import { existsProbe, monthRange, planMonths, rawRanges, unionRaw, type MonthPlan } from './monthly-plan.js';
import {
  PARAM_TYPES, TZ, conversionCtes, currencyMetaColumns, fraction, money, reportParams, where, type CurrencyMeta, type ReportScope,
} from './report-sql.js';

export interface LeadSourceFigures { leads: number; converted: number; conversion_rate: string | null; won_deals: number; won_revenue: string }

const figures = (a: string) => `
  'leads', coalesce(${a}.leads, 0), 'converted', coalesce(${a}.converted, 0),
  'conversion_rate', ${fraction(`${a}.converted`, `${a}.leads`)},
  'won_deals', coalesce(${a}.won_n, 0), 'won_revenue', ${money(`${a}.revenue`)}`;

/** Leads created in the local range. */
export const leadsProbe = existsProbe('leads l', 'l.deleted_at IS NULL', 'l.created_at');

/**
 * CTE `lr`: the leads created in the plan's range, grouped by source and
 * converted flag, with the deal each became when that deal is won (its
 * pipeline, currency and the day whose rate converts it) — from the lead
 * rollup for whole months, from the leads and deals for the rest.
 */
export function leadCohort(scope: ReportScope, plan: MonthPlan, p: SqlParams): string {
  const owners = scope.ownerIds && p.add(scope.ownerIds);
  const rollupWhere = [...monthRange('r.created_month', plan, p), ...(owners ? [`r.owner_id = ANY(${owners}::uuid[])`] : [])];
  return `
  lr AS (
    SELECT r.source, r.converted, r.won_pipeline_id, r.won_currency, r.won_rate_day AS won_day, sum(r.n) AS n, sum(r.won_amount) AS won_amount
      FROM report_leads r WHERE ${where(rollupWhere)} GROUP BY 1, 2, 3, 4, 5 HAVING sum(r.n) <> 0
    ${unionRaw(plan, () => `
    SELECT l.source, l.status = 'converted' OR l.converted_deal_id IS NOT NULL, d.pipeline_id, d.currency,
           (d.closed_at AT TIME ZONE ${TZ})::date, count(*), coalesce(sum(d.value), 0)
      FROM leads l
      LEFT JOIN deals d ON d.tenant_id = l.tenant_id AND d.id = l.converted_deal_id
                       AND d.status = 'won' AND d.closed_at IS NOT NULL AND d.deleted_at IS NULL
     WHERE ${where(['l.deleted_at IS NULL', rawRanges('l.created_at', plan, p), ...(owners ? [`l.owner_id = ANY(${owners}::uuid[])`] : [])])}
     GROUP BY 1, 2, 3, 4, 5`)})`;
}

/** Lead-cohort rows whose deal is won, in the report's pipeline when it has one. */
export const wonInScope = (scope: ReportScope, p: SqlParams) =>
  `won_pipeline_id IS NOT NULL${scope.pipelineId ? ` AND won_pipeline_id = ${p.add(scope.pipelineId)}::uuid` : ''}`;

export async function queryLeadSourcesReport(tx: Tx, scope: ReportScope) {
  const plan = await planMonths(tx, scope, leadsProbe);
  const p = reportParams(scope);
  const sql = `
  WITH ${PARAM_TYPES}, ${leadCohort(scope, plan, p)},
  counts AS (
    SELECT source, sum(n)::int AS leads, coalesce(sum(n) FILTER (WHERE converted), 0)::int AS converted FROM lr GROUP BY source),
  facts AS (
    SELECT source, won_currency AS currency, won_day AS day, sum(n)::int AS n, sum(won_amount) AS amount
      FROM lr WHERE ${wonInScope(scope, p)} GROUP BY 1, 2, 3),
  ${conversionCtes(['amount'])},
  won AS (SELECT source, sum(n)::int AS won_n, sum(amount_base) AS revenue FROM conv GROUP BY source),
  per_source AS (
    SELECT c.source, c.leads, c.converted, w.won_n, w.revenue
      FROM counts c LEFT JOIN won w ON w.source IS NOT DISTINCT FROM c.source)
  SELECT
    (SELECT coalesce(json_agg(json_build_object('source', s.source, ${figures('s')}) ORDER BY s.leads DESC, s.source NULLS LAST), '[]')
       FROM per_source s) AS rows,
    (SELECT json_build_object(${figures('t')})
       FROM (SELECT sum(leads)::int AS leads, sum(converted)::int AS converted, sum(won_n)::int AS won_n, sum(revenue) AS revenue
               FROM per_source) t) AS totals,
    ${currencyMetaColumns('amount')}`;
  const r = await tx.query<{ rows: (LeadSourceFigures & { source: string | null })[]; totals: LeadSourceFigures } & CurrencyMeta>(sql, p.values);
  return r.rows[0]!;
}

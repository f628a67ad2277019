/**
 * Lead sources: the leads created in the period, per source — how many,
 * how many converted into deals, and the revenue of those deals won so far
 * (converted at the rate of each deal's close date).
 */
import type { Tx } from '../../platform/db/tenant.js';
import {
  TZ, conversionCtes, currencyMetaColumns, dealScope, fraction, money, reportParams, timeRange, where,
  type CurrencyMeta, type ReportScope,
} from './report-sql.js';

export interface LeadSourceFigures { leads: number; converted: number; conversion_rate: string | null; won_deals: number; won_revenue: string }

const figures = (a: string) => `
  'leads', coalesce(${a}.leads, 0), 'converted', coalesce(${a}.converted, 0),
  'conversion_rate', ${fraction(`${a}.converted`, `${a}.leads`)},
  'won_deals', coalesce(${a}.won_n, 0), 'won_revenue', ${money(`${a}.revenue`)}`;

export async function queryLeadSourcesReport(tx: Tx, scope: ReportScope) {
  const p = reportParams(scope);
  const leadWhere = ['l.deleted_at IS NULL', ...timeRange('l.created_at', scope, p)];
  if (scope.ownerIds) leadWhere.push(`l.owner_id = ANY(${p.add(scope.ownerIds)}::uuid[])`);
  const dealWhere = [`d.status = 'won'`, 'd.closed_at IS NOT NULL', ...dealScope('d', { ...scope, ownerIds: null }, p)];
  const sql = `
  WITH cohort AS (
    SELECT l.tenant_id, l.source, (l.status = 'converted' OR l.converted_deal_id IS NOT NULL) AS converted, l.converted_deal_id
      FROM leads l WHERE ${where(leadWhere)}),
  counts AS (
    SELECT source, count(*)::int AS leads, count(*) FILTER (WHERE converted)::int AS converted FROM cohort GROUP BY source),
  facts AS (
    SELECT c.source, d.currency, (d.closed_at AT TIME ZONE ${TZ})::date AS day, count(*)::int AS n, sum(d.value) AS amount
      FROM cohort c JOIN deals d ON d.tenant_id = c.tenant_id AND d.id = c.converted_deal_id
     WHERE ${where(dealWhere)} GROUP BY 1, 2, 3),
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

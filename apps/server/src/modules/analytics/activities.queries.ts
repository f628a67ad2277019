/**
 * Activities: counted on their due date (else their creation), in the
 * tenant's time zone, by type, by assignee and by period; completed, still
 * open, and overdue (open and past due now). Activities per won deal: all
 * activities on the deals won in the period, divided by those deals.
 */
import type { Tx } from '../../platform/db/tenant.js';
import {
  TZ, dealScope, periodLabel, periodTrunc, reportParams, timeRange, where, type PeriodUnit, type ReportScope,
} from './report-sql.js';

export interface ActivityFigures { total: number; completed: number; open: number; overdue: number }

const figures = `'total', g.total, 'completed', g.completed, 'open', g.total - g.completed, 'overdue', g.overdue`;

export async function queryActivitiesReport(tx: Tx, scope: ReportScope, unit: PeriodUnit) {
  const p = reportParams(scope, false);
  const activityWhere = ['a.deleted_at IS NULL', ...timeRange('coalesce(a.due_at, a.created_at)', scope, p)];
  if (scope.ownerIds) activityWhere.push(`a.assignee_id = ANY(${p.add(scope.ownerIds)}::uuid[])`);
  if (scope.pipelineId) {
    activityWhere.push(`EXISTS (SELECT 1 FROM deals pd WHERE pd.tenant_id = a.tenant_id AND pd.id = a.deal_id
                                 AND pd.pipeline_id = ${p.add(scope.pipelineId)}::uuid)`);
  }
  const wonWhere = [`d.status = 'won'`, 'd.closed_at IS NOT NULL', ...dealScope('d', scope, p), ...timeRange('d.closed_at', scope, p)];
  const period = periodTrunc(unit, `coalesce(a.due_at, a.created_at) AT TIME ZONE ${TZ}`);
  const sql = `
  WITH g AS (
    SELECT GROUPING(a.type) AS by_type, GROUPING(a.assignee_id) AS by_user, GROUPING(${period}) AS by_period,
           a.type, a.assignee_id, ${period} AS period,
           count(*)::int AS total, count(a.completed_at)::int AS completed,
           count(*) FILTER (WHERE a.completed_at IS NULL AND a.due_at < now())::int AS overdue
      FROM activities a WHERE ${where(activityWhere)}
     GROUP BY GROUPING SETS ((), (a.type), (a.assignee_id), (${period}))),
  won AS (SELECT d.tenant_id, d.id FROM deals d WHERE ${where(wonWhere)}),
  per_won AS (
    SELECT (SELECT count(*)::int FROM won) AS won_deals,
           (SELECT count(*)::int FROM activities a JOIN won w ON w.tenant_id = a.tenant_id AND w.id = a.deal_id
             WHERE a.deleted_at IS NULL) AS activities)
  SELECT
    (SELECT json_build_object(${figures}) FROM g WHERE by_type = 1 AND by_user = 1 AND by_period = 1) AS totals,
    (SELECT coalesce(json_agg(json_build_object('type', g.type, ${figures}) ORDER BY g.total DESC, g.type), '[]')
       FROM g WHERE by_type = 0) AS by_type,
    (SELECT coalesce(json_agg(json_build_object('user_id', g.assignee_id, 'user_name', u.name, ${figures})
                              ORDER BY u.name NULLS LAST, g.assignee_id), '[]')
       FROM g LEFT JOIN users u ON u.id = g.assignee_id WHERE by_user = 0) AS by_user,
    (SELECT coalesce(json_agg(json_build_object('period_start', to_char(g.period, 'YYYY-MM-DD'),
                                                'label', ${periodLabel(unit, 'g.period')}, ${figures}) ORDER BY g.period), '[]')
       FROM g WHERE by_period = 0) AS by_period,
    (SELECT json_build_object('won_deals', won_deals, 'activities', activities,
                              'per_deal', CASE WHEN won_deals = 0 THEN NULL ELSE round(activities::numeric / won_deals, 2)::text END)
       FROM per_won) AS per_won_deal`;
  const r = await tx.query<{
    totals: ActivityFigures | null;
    by_type: (ActivityFigures & { type: string })[];
    by_user: (ActivityFigures & { user_id: string | null; user_name: string | null })[];
    by_period: (ActivityFigures & { period_start: string; label: string })[];
    per_won_deal: { won_deals: number; activities: number; per_deal: string | null };
  }>(sql, p.values);
  const row = r.rows[0]!;
  return { ...row, totals: row.totals ?? { total: 0, completed: 0, open: 0, overdue: 0 }, rates_used: [], missing_rates: [] };
}

/**
 * Activities: counted on their due date (else their creation), in the
 * tenant's time zone, by type, by assignee and by period; completed, still
 * open, and overdue (open and past due now). Activities per won deal: all
 * activities on the deals won in the period, divided by those deals.
 */
import type { SqlParams } from '../../platform/db/list-sql.js';
import type { Tx } from '../../platform/db/tenant.js';
import { monthRange, planMonths, rawRanges, unionRaw, type MonthPlan } from './monthly-plan.js';
import {
  TZ, dealScope, periodLabel, periodTrunc, reportParams, timeRange, where, type PeriodUnit, type ReportScope,
} from './report-sql.js';
import { closedProbe } from './win-loss.queries.js';

export interface ActivityFigures { total: number; completed: number; open: number; overdue: number }

const figures = `'total', g.total, 'completed', g.completed, 'open', g.total - g.completed, 'overdue', g.overdue`;

/** CTE `won`: the deals won in the range (n) and their live activities. */
function wonDeals(scope: ReportScope, wonPlan: MonthPlan, p: SqlParams): string {
  const wonRollup = [`r.status = 'won'`, ...monthRange('r.month', wonPlan, p)];
  if (scope.pipelineId) wonRollup.push(`r.pipeline_id = ${p.add(scope.pipelineId)}::uuid`);
  if (scope.ownerIds) wonRollup.push(`r.owner_id = ANY(${p.add(scope.ownerIds)}::uuid[])`);
  return `
  won AS (
    SELECT sum(r.n) AS n, sum(r.activities) AS activities FROM report_deals_closed r WHERE ${where(wonRollup)}
    ${unionRaw(wonPlan, () => `
    SELECT count(*), sum((SELECT count(*) FROM activities a WHERE a.tenant_id = d.tenant_id AND a.deal_id = d.id AND a.deleted_at IS NULL))
      FROM deals d WHERE ${where([`d.status = 'won'`, 'd.closed_at IS NOT NULL', ...dealScope('d', scope, p), rawRanges('d.closed_at', wonPlan, p)])}`)})`;
}

export async function queryActivitiesReport(tx: Tx, scope: ReportScope, unit: PeriodUnit) {
  const wonPlan = await planMonths(tx, scope, closedProbe);
  const p = reportParams(scope, false);
  const today = `(now() AT TIME ZONE ${TZ})::date`;
  const rollupWhere: string[] = [];
  if (scope.from) rollupWhere.push(`r.day >= ${p.add(scope.from)}::date`);
  if (scope.to) rollupWhere.push(`r.day <= ${p.add(scope.to)}::date`);
  // Overdue today: the rollup knows the due date, not the time; read today's open activities already due.
  const dueTodayWhere = ['a.deleted_at IS NULL', 'a.completed_at IS NULL', `a.due_at >= (${today}::timestamp AT TIME ZONE ${TZ})`,
    'a.due_at < now()', ...timeRange('a.due_at', scope, p)];
  if (scope.ownerIds) {
    const owners = p.add(scope.ownerIds);
    rollupWhere.push(`r.assignee_id = ANY(${owners}::uuid[])`);
    dueTodayWhere.push(`a.assignee_id = ANY(${owners}::uuid[])`);
  }
  if (scope.pipelineId) {
    const id = p.add(scope.pipelineId);
    rollupWhere.push(`r.pipeline_id = ${id}::uuid`);
    dueTodayWhere.push(`EXISTS (SELECT 1 FROM deals pd WHERE pd.tenant_id = a.tenant_id AND pd.id = a.deal_id AND pd.pipeline_id = ${id}::uuid)`);
  }
  const period = periodTrunc(unit, 'x.day');
  const sql = `
  WITH x AS (
    SELECT r.type, r.assignee_id, r.day, sum(r.total) AS total, sum(r.completed) AS completed,
           coalesce(sum(r.open_due) FILTER (WHERE r.day < ${today}), 0) AS overdue
      FROM report_activities r WHERE ${where(rollupWhere)} GROUP BY 1, 2, 3 HAVING sum(r.total) <> 0
    UNION ALL
    SELECT a.type, a.assignee_id, ${today}, 0, 0, count(*) FROM activities a WHERE ${where(dueTodayWhere)} GROUP BY 1, 2),
  g AS (
    SELECT GROUPING(x.type) AS by_type, GROUPING(x.assignee_id) AS by_user, GROUPING(${period}) AS by_period,
           x.type, x.assignee_id, ${period} AS period,
           coalesce(sum(x.total), 0)::int AS total, coalesce(sum(x.completed), 0)::int AS completed,
           coalesce(sum(x.overdue), 0)::int AS overdue
      FROM x GROUP BY GROUPING SETS ((), (x.type), (x.assignee_id), (${period}))),
  ${wonDeals(scope, wonPlan, p)},
  per_won AS (SELECT coalesce(sum(n), 0)::int AS won_deals, coalesce(sum(activities), 0)::int AS activities FROM won)
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

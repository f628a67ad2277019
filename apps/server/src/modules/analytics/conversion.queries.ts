/**
 * Conversion: stage-to-stage movement from the stage history in the period,
 * and the lead → deal → won funnel of the leads created in the period.
 */
import type { Tx } from '../../platform/db/tenant.js';
import { monthRange, planMonths, rawRanges, unionRaw, type MonthPlan } from './monthly-plan.js';
import { movesProbe } from './pipeline.queries.js';
import type { SqlParams } from '../../platform/db/list-sql.js';
import { leadCohort, leadsProbe, wonInScope } from './lead-sources.queries.js';
import { PARAM_TYPES, fraction, reportParams, where, type ReportScope } from './report-sql.js';

export interface ConversionRow {
  pipeline_id: string; pipeline_name: string; stage_id: string; stage_name: string; position: number; kind: string;
  entered: number; exited: number; advanced: number; moved_back: number; won: number; lost: number; conversion_rate: string | null;
}
export interface Funnel {
  leads_created: number; leads_converted: number; deals_won: number;
  lead_to_deal_rate: string | null; deal_to_won_rate: string | null; lead_to_won_rate: string | null;
}

export const CONVERSION_RULE =
  'Stage rows count stage moves made in the period: entered = moves into the stage, exited = moves out of it, ' +
  'advanced = moves out to a later open stage or to a won stage, conversion_rate = advanced / exited. ' +
  'The funnel follows the leads created in the period: converted = leads turned into deals, won = those deals now won.';

function stageQuery(scope: ReportScope, plan: MonthPlan, p: ReturnType<typeof reportParams>) {
  const stageWhere = ['s.archived_at IS NULL'];
  const rollupWhere = [...monthRange('r.month', plan, p)];
  const pipelineId = scope.pipelineId && p.add(scope.pipelineId);
  const owners = scope.ownerIds && p.add(scope.ownerIds);
  if (pipelineId) {
    stageWhere.push(`s.pipeline_id = ${pipelineId}::uuid`);
    rollupWhere.push(`r.pipeline_id = ${pipelineId}::uuid`);
  }
  if (owners) rollupWhere.push(`r.owner_id = ANY(${owners}::uuid[])`);
  const moveWhere = () => {
    const w = [rawRanges('h.moved_at', plan, p)];
    if (pipelineId) w.push(`h.pipeline_id = ${pipelineId}::uuid`);
    if (owners) {
      w.push(`EXISTS (SELECT 1 FROM deals o WHERE o.tenant_id = h.tenant_id AND o.id = h.deal_id AND o.owner_id = ANY(${owners}::uuid[]))`);
    }
    return where(w);
  };
  return `
  st AS (
    SELECT s.id, s.pipeline_id, pl.name AS pipeline_name, pl.position AS pipeline_position, s.name, s.position, s.kind
      FROM stages s JOIN pipelines pl ON pl.tenant_id = s.tenant_id AND pl.id = s.pipeline_id
     WHERE ${where(stageWhere)}),
  moves AS (
    SELECT from_stage_id, to_stage_id, sum(n)::int AS n FROM (
      SELECT r.from_stage_id, r.to_stage_id, sum(r.n) AS n FROM report_stage_moves r WHERE ${where(rollupWhere)} GROUP BY 1, 2
      ${unionRaw(plan, () => `SELECT h.from_stage_id, h.to_stage_id, count(*) FROM deal_stage_history h WHERE ${moveWhere()} GROUP BY 1, 2`)}) x
     GROUP BY 1, 2 HAVING sum(n) <> 0),
  m AS (
    SELECT mv.*, f.position AS from_position, t.position AS to_position, t.kind AS to_kind
      FROM moves mv LEFT JOIN stages f ON f.id = mv.from_stage_id JOIN stages t ON t.id = mv.to_stage_id),
  entered AS (SELECT to_stage_id AS stage_id, sum(n)::int AS n FROM m GROUP BY to_stage_id),
  exited AS (
    SELECT from_stage_id AS stage_id, sum(n)::int AS n,
           coalesce(sum(n) FILTER (WHERE to_kind = 'won' OR (to_kind = 'open' AND to_position > from_position)), 0)::int AS advanced,
           coalesce(sum(n) FILTER (WHERE to_kind = 'open' AND to_position < from_position), 0)::int AS moved_back,
           coalesce(sum(n) FILTER (WHERE to_kind = 'won'), 0)::int AS won,
           coalesce(sum(n) FILTER (WHERE to_kind = 'lost'), 0)::int AS lost
      FROM m WHERE from_stage_id IS NOT NULL GROUP BY from_stage_id)`;
}

function funnelQuery(scope: ReportScope, plan: MonthPlan, p: SqlParams) {
  return `${leadCohort(scope, plan, p)},
  funnel AS (
    SELECT coalesce(sum(n), 0)::int AS leads_created, coalesce(sum(n) FILTER (WHERE converted), 0)::int AS leads_converted,
           coalesce(sum(n) FILTER (WHERE ${wonInScope(scope, p)}), 0)::int AS deals_won
      FROM lr)`;
}

export async function queryConversionReport(tx: Tx, scope: ReportScope) {
  const moves = await planMonths(tx, scope, movesProbe);
  const leads = await planMonths(tx, scope, leadsProbe);
  const p = reportParams(scope);
  const sql = `
  WITH ${PARAM_TYPES}, ${stageQuery(scope, moves, p)}, ${funnelQuery(scope, leads, p)}
  SELECT
    (SELECT coalesce(json_agg(json_build_object(
        'pipeline_id', st.pipeline_id, 'pipeline_name', st.pipeline_name, 'stage_id', st.id, 'stage_name', st.name,
        'position', st.position, 'kind', st.kind, 'entered', coalesce(en.n, 0), 'exited', coalesce(ex.n, 0),
        'advanced', coalesce(ex.advanced, 0), 'moved_back', coalesce(ex.moved_back, 0), 'won', coalesce(ex.won, 0),
        'lost', coalesce(ex.lost, 0), 'conversion_rate', ${fraction('ex.advanced', 'ex.n')})
        ORDER BY st.pipeline_position, st.pipeline_name, st.pipeline_id, st.position, st.id), '[]')
       FROM st LEFT JOIN entered en ON en.stage_id = st.id LEFT JOIN exited ex ON ex.stage_id = st.id) AS rows,
    (SELECT json_build_object('leads_created', leads_created, 'leads_converted', leads_converted, 'deals_won', deals_won,
                              'lead_to_deal_rate', ${fraction('leads_converted', 'leads_created')},
                              'deal_to_won_rate', ${fraction('deals_won', 'leads_converted')},
                              'lead_to_won_rate', ${fraction('deals_won', 'leads_created')})
       FROM funnel) AS funnel`;
  const r = await tx.query<{ rows: ConversionRow[]; funnel: Funnel }>(sql, p.values);
  return { ...r.rows[0]!, rates_used: [], missing_rates: [] };
}

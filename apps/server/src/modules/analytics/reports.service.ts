/**
 * Runs a report: reads the firm's base currency, time zone and today, checks
 * the filter references, fills the default range, then runs the report's one
 * query in the same transaction. Money stays as decimal strings throughout.
 */
import type { ReportName, ReportQuery, ReportResponse } from '@pillar/shared';
import { withTenant, type TenantContext, type Tx } from '../../platform/db/tenant.js';
import { referenceNotFound } from '../../platform/errors.js';
import { queryActivitiesReport } from './activities.queries.js';
import { CONVERSION_RULE, queryConversionReport } from './conversion.queries.js';
import { FORECAST_RULE, queryForecastReport } from './forecast.queries.js';
import { queryIncomeReport } from './income.queries.js';
import { queryLeadSourcesReport } from './lead-sources.queries.js';
import { queryPipelineReport } from './pipeline.queries.js';
import { addDays, addMonths, alignToPeriods, periodStart } from './report-periods.js';
import type { ReportScope } from './report-sql.js';
import { queryWinLossReport } from './win-loss.queries.js';

interface Settings {
  base_currency: string;
  timezone: string;
  today: string;
  generated_at: string;
  pipeline_ok: boolean;
  owners_found: number;
}

async function loadScope(tx: Tx, query: ReportQuery<ReportName>): Promise<{ scope: ReportScope; generatedAt: string }> {
  const ownerIds = query.team ?? (query.owner_id ? [query.owner_id] : null);
  const s = (await tx.query<Settings>(
    `SELECT t.base_currency::text AS base_currency, t.timezone,
            to_char((now() AT TIME ZONE t.timezone)::date, 'YYYY-MM-DD') AS today, now() AS generated_at,
            ($1::uuid IS NULL OR EXISTS (SELECT 1 FROM pipelines p WHERE p.id = $1::uuid)) AS pipeline_ok,
            (SELECT count(DISTINCT m.user_id)::int FROM memberships m WHERE m.user_id = ANY($2::uuid[])) AS owners_found
       FROM tenants t`,
    [query.pipeline_id ?? null, ownerIds ?? []],
  )).rows[0]!;
  if (!s.pipeline_ok) throw referenceNotFound('pipeline_id');
  if (ownerIds && s.owners_found !== new Set(ownerIds).size) throw referenceNotFound(query.team ? 'team' : 'owner_id');
  return {
    generatedAt: s.generated_at,
    scope: {
      timezone: s.timezone, baseCurrency: s.base_currency, today: s.today,
      pipelineId: query.pipeline_id ?? null, ownerIds, from: query.from ?? null, to: query.to ?? null,
    },
  };
}

/** The last twelve months, this one included, unless the query says otherwise. */
function lastYear(scope: ReportScope): { from: string; to: string } {
  const to = scope.to ?? scope.today;
  return { from: scope.from ?? addMonths(periodStart(to, 'month'), -11), to };
}

type Runner = (tx: Tx, scope: ReportScope, query: Record<string, unknown>) => Promise<{ scope: ReportScope; body: object }>;

const runners: Record<ReportName, Runner> = {
  pipeline: async (tx, scope, q) => ({ scope, body: await queryPipelineReport(tx, scope, q.stuck_days as number) }),
  forecast: async (tx, scope, q) => {
    const unit = q.interval as 'month' | 'quarter';
    const from = scope.from ?? periodStart(scope.today, 'month');
    const range = alignToPeriods(from, scope.to ?? addDays(addMonths(from, 6), -1), unit);
    const ranged = { ...scope, ...range };
    return { scope: ranged, body: { rule: FORECAST_RULE, ...(await queryForecastReport(tx, ranged, unit)) } };
  },
  conversion: async (tx, scope) => {
    const ranged = { ...scope, ...lastYear(scope) };
    return { scope: ranged, body: { rule: CONVERSION_RULE, ...(await queryConversionReport(tx, ranged)) } };
  },
  'win-loss': async (tx, scope) => {
    const ranged = { ...scope, ...lastYear(scope) };
    return { scope: ranged, body: await queryWinLossReport(tx, ranged) };
  },
  'lead-sources': async (tx, scope) => {
    const ranged = { ...scope, ...lastYear(scope) };
    return { scope: ranged, body: await queryLeadSourcesReport(tx, ranged) };
  },
  activities: async (tx, scope, q) => {
    const unit = q.interval as 'day' | 'week' | 'month';
    const base = lastYear(scope);
    const ranged = { ...scope, ...alignToPeriods(base.from, base.to, unit) };
    return { scope: ranged, body: await queryActivitiesReport(tx, ranged, unit) };
  },
  income: async (tx, scope, q) => {
    const unit = q.interval as 'month' | 'quarter' | 'year';
    const base = lastYear(scope);
    const ranged = { ...scope, ...alignToPeriods(base.from, base.to, unit) };
    return { scope: ranged, body: await queryIncomeReport(tx, ranged, unit) };
  },
};

/** Extra parameters echoed back in `filters` (e.g. interval, stuck_days). */
function extras(query: Record<string, unknown>): Record<string, unknown> {
  const { pipeline_id: _p, owner_id: _o, team: _t, from: _f, to: _to, format: _fmt, ...rest } = query;
  return rest;
}

export async function runReport<N extends ReportName>(ctx: TenantContext, name: N, query: ReportQuery<N>): Promise<ReportResponse<N>> {
  return withTenant(ctx, async (tx) => {
    const { scope, generatedAt } = await loadScope(tx, query);
    const result = await runners[name](tx, scope, query);
    const s = result.scope;
    return {
      report: name,
      generated_at: generatedAt,
      timezone: s.timezone,
      base_currency: s.baseCurrency,
      filters: { pipeline_id: s.pipelineId, owner_ids: s.ownerIds, from: s.from, to: s.to, ...extras(query) },
      ...result.body,
    } as unknown as ReportResponse<N>;
  });
}

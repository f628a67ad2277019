/**
 * Sales analytics contracts: report queries and answers, exchange rates and
 * dashboards. Money is always a decimal string in the firm's base currency
 * ("1234.50"); rates are decimal fractions as strings ("0.4000").
 */
import { z } from 'zod';
import { UuidSchema } from './common.js';

export const ReportNames = ['pipeline', 'forecast', 'conversion', 'win-loss', 'lead-sources', 'activities', 'income'] as const;
export type ReportName = (typeof ReportNames)[number];
export const ReportNameSchema = z.enum(ReportNames);

const DateSchema = z.iso.date({ message: 'must be a date (YYYY-MM-DD)' });
const MAX_RANGE_DAYS = 3660;

const TeamSchema = z
  .string()
  .max(8000)
  .transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x !== ''))
  .pipe(z.array(UuidSchema).min(1, 'must list at least one owner id').max(200));

/** Filters every report accepts. `team` is a comma-separated list of owner ids. */
const baseFilterShape = {
  pipeline_id: UuidSchema.optional(),
  owner_id: UuidSchema.optional(),
  team: TeamSchema.optional(),
  from: DateSchema.optional(),
  to: DateSchema.optional(),
};

const extraShapes = {
  pipeline: { stuck_days: z.coerce.number().int().min(1).max(3650).default(30) },
  forecast: { interval: z.enum(['month', 'quarter']).default('month') },
  conversion: {},
  'win-loss': {},
  'lead-sources': {},
  activities: { interval: z.enum(['day', 'week', 'month']).default('month') },
  income: { interval: z.enum(['month', 'quarter', 'year']).default('month') },
} as const;

interface RangeInput { owner_id?: string | undefined; team?: string[] | undefined; from?: string | undefined; to?: string | undefined }

function rangeIssues(q: RangeInput): { path: string[]; message: string }[] {
  const issues: { path: string[]; message: string }[] = [];
  if (q.owner_id && q.team) issues.push({ path: ['team'], message: 'give owner_id or team, not both' });
  if (q.from && q.to) {
    const days = (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000;
    if (days < 0) issues.push({ path: ['to'], message: 'must not be before from' });
    if (days > MAX_RANGE_DAYS) issues.push({ path: ['to'], message: `the range may span at most ${MAX_RANGE_DAYS} days` });
  }
  return issues;
}

function filtersOf<T extends z.ZodRawShape>(extra: T) {
  return z.strictObject({ ...baseFilterShape, ...extra }).superRefine((q, ctx) => {
    for (const issue of rangeIssues(q as RangeInput)) ctx.addIssue({ code: 'custom', ...issue });
  });
}

/** Report filters as saved in a dashboard widget (no output format). */
export const ReportFilterSchemas = {
  pipeline: filtersOf(extraShapes.pipeline),
  forecast: filtersOf(extraShapes.forecast),
  conversion: filtersOf(extraShapes.conversion),
  'win-loss': filtersOf(extraShapes['win-loss']),
  'lead-sources': filtersOf(extraShapes['lead-sources']),
  activities: filtersOf(extraShapes.activities),
  income: filtersOf(extraShapes.income),
} as const;

const formatShape = { format: z.enum(['json', 'csv']).default('json') };
/** Query string of `GET /reports/<name>`: the filters plus `format=json|csv`. */
export const ReportQuerySchemas = {
  pipeline: filtersOf({ ...extraShapes.pipeline, ...formatShape }),
  forecast: filtersOf({ ...extraShapes.forecast, ...formatShape }),
  conversion: filtersOf({ ...formatShape }),
  'win-loss': filtersOf({ ...formatShape }),
  'lead-sources': filtersOf({ ...formatShape }),
  activities: filtersOf({ ...extraShapes.activities, ...formatShape }),
  income: filtersOf({ ...extraShapes.income, ...formatShape }),
} as const;
export type ReportQuery<N extends ReportName> = z.infer<(typeof ReportQuerySchemas)[N]>;

export const MoneySchema = z.string().regex(/^-?\d+\.\d{2}$/).describe('decimal amount in the base currency, e.g. "1234.50"');
const Fraction = z.string().nullable().describe('decimal fraction, e.g. "0.4000"; null when the denominator is zero');
const Days = z.string().nullable().describe('days as a decimal, e.g. "12.50"; null when there is nothing to average');
const Count = z.number().int();

export const ReportMetaSchema = z.object({
  report: ReportNameSchema,
  generated_at: z.string(),
  timezone: z.string(),
  base_currency: z.string(),
  filters: z.object({
    pipeline_id: UuidSchema.nullable(),
    owner_ids: z.array(UuidSchema).nullable(),
    from: z.string().nullable(),
    to: z.string().nullable(),
  }).catchall(z.unknown()),
  rates_used: z.array(z.object({ currency: z.string(), rate: z.string(), effective_from: z.string() }))
    .describe('every exchange rate a converted amount used'),
  missing_rates: z.array(z.object({ currency: z.string(), deal_count: Count, amount: z.string() }))
    .describe('amounts left out of the totals because no rate was in effect (amount in their own currency)'),
});
export type ReportMeta = z.infer<typeof ReportMetaSchema>;

const StageKey = { pipeline_id: UuidSchema, pipeline_name: z.string(), stage_id: UuidSchema, stage_name: z.string(), position: Count };

export const PipelineReportSchema = ReportMetaSchema.extend({
  rows: z.array(z.object({
    ...StageKey, probability: Count, deal_count: Count, total_value: MoneySchema, weighted_value: MoneySchema,
    average_age_days: Days, average_days_in_stage: Days, stuck_count: Count, stuck_value: MoneySchema,
  })),
  totals: z.object({ deal_count: Count, total_value: MoneySchema, weighted_value: MoneySchema, stuck_count: Count, stuck_value: MoneySchema }),
});

const ForecastFigures = {
  commit_count: Count, commit_value: MoneySchema, commit_weighted: MoneySchema,
  best_case_count: Count, best_case_value: MoneySchema, best_case_weighted: MoneySchema,
  pipeline_count: Count, pipeline_value: MoneySchema, pipeline_weighted: MoneySchema,
  expected_revenue: MoneySchema, won_count: Count, won_revenue: MoneySchema,
};
export const ForecastReportSchema = ReportMetaSchema.extend({
  rule: z.string(),
  rows: z.array(z.object({ period_start: z.string(), period_end: z.string(), label: z.string(), ...ForecastFigures })),
  totals: z.object(ForecastFigures),
  undated: z.object({ count: Count, value: MoneySchema, weighted: MoneySchema }).describe('open deals without an expected close date'),
});

export const ConversionReportSchema = ReportMetaSchema.extend({
  rows: z.array(z.object({
    ...StageKey, kind: z.string(), entered: Count, exited: Count, advanced: Count, moved_back: Count, won: Count, lost: Count,
    conversion_rate: Fraction,
  })),
  funnel: z.object({
    leads_created: Count, leads_converted: Count, deals_won: Count,
    lead_to_deal_rate: Fraction, deal_to_won_rate: Fraction, lead_to_won_rate: Fraction,
  }),
});

const WinLossFigures = {
  won_count: Count, won_value: MoneySchema, lost_count: Count, lost_value: MoneySchema, win_rate: Fraction, average_cycle_days: Days,
};
export const WinLossReportSchema = ReportMetaSchema.extend({
  totals: z.object(WinLossFigures),
  by_owner: z.array(z.object({ owner_id: UuidSchema.nullable(), owner_name: z.string().nullable(), ...WinLossFigures })),
  by_source: z.array(z.object({ source: z.string().nullable(), ...WinLossFigures })),
  lost_reasons: z.array(z.object({ reason: z.string().nullable(), count: Count, value: MoneySchema })),
});

const LeadSourceFigures = { leads: Count, converted: Count, conversion_rate: Fraction, won_deals: Count, won_revenue: MoneySchema };
export const LeadSourcesReportSchema = ReportMetaSchema.extend({
  rows: z.array(z.object({ source: z.string().nullable(), ...LeadSourceFigures })),
  totals: z.object(LeadSourceFigures),
});

const ActivityFigures = { total: Count, completed: Count, open: Count, overdue: Count };
export const ActivitiesReportSchema = ReportMetaSchema.extend({
  totals: z.object(ActivityFigures),
  by_type: z.array(z.object({ type: z.string(), ...ActivityFigures })),
  by_user: z.array(z.object({ user_id: UuidSchema.nullable(), user_name: z.string().nullable(), ...ActivityFigures })),
  by_period: z.array(z.object({ period_start: z.string(), label: z.string(), ...ActivityFigures })),
  per_won_deal: z.object({ won_deals: Count, activities: Count, per_deal: z.string().nullable() }),
});

const IncomeFigures = { won_count: Count, revenue: MoneySchema, previous_revenue: MoneySchema, growth: Fraction };
export const IncomeReportSchema = ReportMetaSchema.extend({
  rows: z.array(z.object({ period_start: z.string(), period_end: z.string(), label: z.string(), ...IncomeFigures })),
  by_owner: z.array(z.object({ owner_id: UuidSchema.nullable(), owner_name: z.string().nullable(), ...IncomeFigures })),
  totals: z.object(IncomeFigures),
});

export const ReportResponseSchemas = {
  pipeline: PipelineReportSchema,
  forecast: ForecastReportSchema,
  conversion: ConversionReportSchema,
  'win-loss': WinLossReportSchema,
  'lead-sources': LeadSourcesReportSchema,
  activities: ActivitiesReportSchema,
  income: IncomeReportSchema,
} as const;
export type ReportResponse<N extends ReportName> = z.infer<(typeof ReportResponseSchemas)[N]>;

/**
 * SQL building blocks shared by the reports. Money never leaves SQL as a
 * number: sums are numeric, rounded once (half away from zero) and cast to
 * text before they reach JavaScript. Every report's parameters start with
 * $1 = the tenant's time zone and $2 = its base currency.
 */
import { SqlParams } from '../../platform/db/list-sql.js';

export interface ReportScope {
  timezone: string;
  baseCurrency: string;
  /** Today in the tenant's time zone, YYYY-MM-DD. */
  today: string;
  pipelineId: string | null;
  ownerIds: string[] | null;
  /** Inclusive local dates; null when the report is not limited in time. */
  from: string | null;
  to: string | null;
}

export type PeriodUnit = 'day' | 'week' | 'month' | 'quarter' | 'year';

const LABELS: Record<PeriodUnit, string> = {
  day: 'YYYY-MM-DD', week: 'IYYY-"W"IW', month: 'YYYY-MM', quarter: 'YYYY-"Q"Q', year: 'YYYY',
};
const STEPS: Record<PeriodUnit, string> = {
  day: '1 day', week: '1 week', month: '1 month', quarter: '3 months', year: '1 year',
};

export const TZ = '$1::text';
export const BASE = '$2::text';
export const TODAY = `(now() AT TIME ZONE ${TZ})::date`;

/** $1 = time zone, $2 = base currency (left out for reports without money, as an unused parameter has no type). */
export function reportParams(scope: ReportScope, withCurrency = true): SqlParams {
  return new SqlParams(withCurrency ? [scope.timezone, scope.baseCurrency] : [scope.timezone]);
}

/**
 * A CTE that only declares $1 (time zone) and $2 (base currency), for
 * statements whose other parts may leave them unused: PostgreSQL refuses a
 * parameter it cannot type.
 */
export const PARAM_TYPES = `report_params AS (SELECT ${TZ} AS timezone, ${BASE} AS base_currency)`;

/** Rounded money as text: "1234.50"; nothing is "0.00". */
export const money = (expr: string) => `round(coalesce(${expr}, 0)::numeric, 2)::text`;
/** a / b as a fraction with 4 decimals, null when b is zero. */
export const fraction = (a: string, b: string) =>
  `CASE WHEN coalesce(${b}, 0) = 0 THEN NULL ELSE round(coalesce(${a}, 0)::numeric / (${b}), 4)::text END`;
/** Average days from a sum of seconds and a count, 2 decimals. */
export const days = (seconds: string, count: string) =>
  `CASE WHEN coalesce(${count}, 0) = 0 THEN NULL ELSE round((${seconds})::numeric / (${count}) / 86400, 2)::text END`;

export const periodTrunc = (unit: PeriodUnit, dateExpr: string) => `date_trunc('${unit}', (${dateExpr})::timestamp)::date`;
export const periodLabel = (unit: PeriodUnit, dateExpr: string) => `to_char(${dateExpr}, '${LABELS[unit]}')`;
export const periodEnd = (unit: PeriodUnit, startExpr: string) => `(${startExpr} + interval '${STEPS[unit]}' - interval '1 day')::date`;
export const periodStep = (unit: PeriodUnit) => `interval '${STEPS[unit]}'`;

/** A local calendar date's first instant, as timestamptz (index-friendly bounds on timestamptz columns). */
export const localStart = (p: SqlParams, date: string) => `(${p.add(date)}::date::timestamp AT TIME ZONE ${TZ})`;
export const localEnd = (p: SqlParams, date: string) => `((${p.add(date)}::date + 1)::timestamp AT TIME ZONE ${TZ})`;

/** Conditions on deals (alias `a`) for the pipeline and owner filters. */
export function dealScope(a: string, scope: ReportScope, p: SqlParams): string[] {
  const where = [`${a}.deleted_at IS NULL`];
  if (scope.pipelineId) where.push(`${a}.pipeline_id = ${p.add(scope.pipelineId)}::uuid`);
  if (scope.ownerIds) where.push(`${a}.owner_id = ANY(${p.add(scope.ownerIds)}::uuid[])`);
  return where;
}

/** `column` within the report's local date range, when it has one. */
export function timeRange(column: string, scope: ReportScope, p: SqlParams): string[] {
  const where: string[] = [];
  if (scope.from) where.push(`${column} >= ${localStart(p, scope.from)}`);
  if (scope.to) where.push(`${column} < ${localEnd(p, scope.to)}`);
  return where;
}

/**
 * Currency conversion over a CTE `facts` with columns currency, day (the
 * local date whose rate applies), n (deals) and the given amount columns.
 * Yields `conv`: every fact column plus `<amount>_base` (NULL when no rate
 * was in effect) and `rate_id`. The base currency always converts at 1.
 * Rates are looked up per (currency, day) through a small day table, so the
 * join stays a hash join however many deals there are.
 */
export function conversionCtes(amounts: readonly string[]): string {
  const converted = amounts
    .map((a) => `CASE WHEN f.currency = ${BASE} THEN f.${a} ELSE f.${a} * dr.rate END AS ${a}_base`)
    .join(', ');
  return `
  rates AS (
    SELECT id, currency, rate, effective_from,
           lead(effective_from) OVER (PARTITION BY currency ORDER BY effective_from) AS until
      FROM exchange_rates WHERE currency <> ${BASE}),
  day_rates AS (
    SELECT g::date AS day, r.currency, r.rate, r.id AS rate_id
      FROM generate_series((SELECT min(day) FROM facts)::timestamp, (SELECT max(day) FROM facts)::timestamp, interval '1 day') g
      JOIN rates r ON r.effective_from <= g::date AND (r.until IS NULL OR g::date < r.until)),
  conv AS (
    SELECT f.*, ${converted}, dr.rate_id
      FROM facts f
      LEFT JOIN day_rates dr ON f.currency <> ${BASE} AND dr.currency = f.currency AND dr.day = f.day)`;
}

/** Select-list columns `rates_used` and `missing_rates` (json) over `conv`; `amount` is the first amount column. */
export function currencyMetaColumns(amount: string): string {
  return `
  (SELECT coalesce(json_agg(json_build_object('currency', r.currency::text, 'rate', trim_scale(r.rate)::text,
                                              'effective_from', to_char(r.effective_from, 'YYYY-MM-DD'))
                            ORDER BY r.currency, r.effective_from), '[]')
     FROM rates r WHERE r.id IN (SELECT rate_id FROM conv)) AS rates_used,
  (SELECT coalesce(json_agg(json_build_object('currency', m.currency, 'deal_count', m.n, 'amount', m.amount::text)
                            ORDER BY m.currency), '[]')
     FROM (SELECT currency::text AS currency, sum(n)::int AS n, sum(${amount}) AS amount
             FROM conv WHERE ${amount}_base IS NULL AND ${amount} IS NOT NULL GROUP BY currency) m) AS missing_rates`;
}

export interface CurrencyMeta {
  rates_used: { currency: string; rate: string; effective_from: string }[];
  missing_rates: { currency: string; deal_count: number; amount: string }[];
}

export const where = (conditions: readonly string[]) => (conditions.length ? conditions.join(' AND ') : 'true');

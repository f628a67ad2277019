/**
 * Which part of a report's local date range comes from a monthly rollup and
 * which from the source rows. Whole months come from the rollup. A month the
 * range only partly covers does too when its part outside the range holds no
 * rows (one indexed EXISTS each); otherwise the covered part of that month is
 * read from the source rows. Either way the figures are exact.
 */
import type { Tx } from '../../platform/db/tenant.js';
import { SqlParams } from '../../platform/db/list-sql.js';
import { addDays, addMonths, periodLastDay, periodStart } from './report-periods.js';
import { TZ, localEnd, localStart, type ReportScope } from './report-sql.js';

export interface DateRange { from: string; to: string }

export interface MonthPlan {
  /** First and last rollup month (first days, inclusive); null = unbounded. The rollup part is empty when from > to. */
  fromMonth: string | null;
  toMonth: string | null;
  /** Local date ranges to read from the source rows. */
  raw: DateRange[];
}

/** A boolean SQL expression: does the source hold rows whose `column` falls in the local range [from, to]? */
export type Probe = (p: SqlParams, from: string, to: string) => string;

/** `EXISTS (SELECT 1 FROM <from> WHERE <where> AND <column> in the local range)`. */
export function existsProbe(fromClause: string, conditions: string, column: string): Probe {
  return (p, from, to) =>
    `EXISTS (SELECT 1 FROM ${fromClause} WHERE ${conditions} AND ${column} >= ${localStart(p, from)} AND ${column} < ${localEnd(p, to)})`;
}

export async function planMonths(tx: Tx, scope: Pick<ReportScope, 'from' | 'to' | 'timezone'>, probe: Probe): Promise<MonthPlan> {
  const { from, to } = scope;
  const plan: MonthPlan = { fromMonth: from && periodStart(from, 'month'), toMonth: to && periodStart(to, 'month'), raw: [] };
  const head = from && from !== plan.fromMonth ? { from: plan.fromMonth!, to: addDays(from, -1) } : null;
  const tail = to && to !== periodLastDay(to, 'month') ? { from: addDays(to, 1), to: periodLastDay(to, 'month') } : null;
  if (!head && !tail) return plan;
  const p = new SqlParams([scope.timezone]);
  const checks = [head ? probe(p, head.from, head.to) : 'false', tail ? probe(p, tail.from, tail.to) : 'false'];
  const r = (await tx.query<{ head: boolean; tail: boolean }>(`SELECT ${checks[0]} AS head, ${checks[1]} AS tail`, p.values)).rows[0]!;
  if (r.head) {
    const monthEnd = periodLastDay(from!, 'month');
    plan.raw.push({ from: from!, to: to && to < monthEnd ? to : monthEnd });
    plan.fromMonth = addMonths(plan.fromMonth!, 1);
  }
  if (r.tail) {
    const sameMonthDone = r.head && plan.toMonth === periodStart(from!, 'month');
    if (!sameMonthDone) plan.raw.push({ from: from && from > plan.toMonth! ? from : plan.toMonth!, to: to! });
    plan.toMonth = addMonths(plan.toMonth!, -1);
  }
  return plan;
}

/** Conditions on a rollup's month column for the plan's rollup part. */
export function monthRange(column: string, plan: MonthPlan, p: SqlParams): string[] {
  const where: string[] = [];
  if (plan.fromMonth) where.push(`${column} >= ${p.add(plan.fromMonth)}::date`);
  if (plan.toMonth) where.push(`${column} <= ${p.add(plan.toMonth)}::date`);
  return where;
}

/** `column` within one of the plan's raw ranges. */
export function rawRanges(column: string, plan: MonthPlan, p: SqlParams): string {
  return `(${plan.raw.map((r) => `(${column} >= ${localStart(p, r.from)} AND ${column} < ${localEnd(p, r.to)})`).join(' OR ')})`;
}

/**
 * `UNION ALL <the source rows' part>` when the plan has raw ranges, else
 * nothing. `build` runs only then, so it adds no parameter a statement does
 * not use (PostgreSQL cannot type an unused parameter).
 */
export const unionRaw = (plan: MonthPlan, build: () => string) => (plan.raw.length ? `UNION ALL\n${build()}` : '');

/** Local month start of a timestamptz column, as a date. */
export const localMonth = (column: string) => `date_trunc('month', ${column} AT TIME ZONE ${TZ})::date`;

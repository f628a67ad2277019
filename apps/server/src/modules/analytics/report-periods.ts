/**
 * Calendar arithmetic on local dates ('YYYY-MM-DD') for report ranges. Only
 * dates, never money, are computed here.
 */
import type { PeriodUnit } from './report-sql.js';

function parse(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

function format(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function addDays(date: string, n: number): string {
  const d = parse(date);
  d.setUTCDate(d.getUTCDate() + n);
  return format(d);
}

export function addMonths(date: string, n: number): string {
  const d = parse(date);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + n);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return format(d);
}

/** First day of the period holding `date` (weeks start on Monday, ISO). */
export function periodStart(date: string, unit: PeriodUnit): string {
  const d = parse(date);
  switch (unit) {
    case 'day':
      return date;
    case 'week':
      return addDays(date, -((d.getUTCDay() + 6) % 7));
    case 'month':
      return format(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)));
    case 'quarter':
      return format(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - (d.getUTCMonth() % 3), 1)));
    case 'year':
      return format(new Date(Date.UTC(d.getUTCFullYear(), 0, 1)));
  }
}

/** Last day of the period holding `date`. */
export function periodLastDay(date: string, unit: PeriodUnit): string {
  const start = periodStart(date, unit);
  switch (unit) {
    case 'day':
      return start;
    case 'week':
      return addDays(start, 6);
    case 'month':
      return addDays(addMonths(start, 1), -1);
    case 'quarter':
      return addDays(addMonths(start, 3), -1);
    case 'year':
      return addDays(addMonths(start, 12), -1);
  }
}

/** Whole periods covering [from, to]. */
export function alignToPeriods(from: string, to: string, unit: PeriodUnit): { from: string; to: string } {
  return { from: periodStart(from, unit), to: periodLastDay(to, unit) };
}

/** Months from the month of `from` through the month of `to`, both included. */
export function monthsBetween(from: string, to: string): number {
  const [fy, fm] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  return (ty - fy) * 12 + (tm - fm) + 1;
}

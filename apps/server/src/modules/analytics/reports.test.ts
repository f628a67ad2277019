/**
 * Every figure of every report on a known data set (test/analytics-fixture.ts):
 * tenant time zone America/New_York, base USD, EUR at 1.10 from 2026-01-01
 * and 1.20 from 2026-06-01, GBP without a rate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchReport, seedAnalytics, type Fixture } from '../../../test/analytics-fixture.js';
import { buildTestApp, type TestApp } from '../../../test/app.js';
import { addMember, as, signUp, type Principal } from '../../../test/factories.js';

let t: TestApp;
let owner: Principal;
let member: Principal;
let f: Fixture;

const report = (name: string, query: Record<string, string>, who: Principal = owner) => fetchReport(t.server, who, name, query);
const EUR_NOW = { currency: 'EUR', rate: '1.2', effective_from: '2026-06-01' };
const EUR_EARLY = { currency: 'EUR', rate: '1.1', effective_from: '2026-01-01' };
const GBP_MISSING = { currency: 'GBP', deal_count: 1, amount: '300.00' };

beforeAll(async () => {
  t = await buildTestApp();
  owner = await signUp(t.server);
  member = await addMember(t.server, owner, 'member');
  f = await seedAnalytics(t.db, owner.tenantId, { o: owner.userId, m: member.userId });
});
afterAll(() => t.close());

describe('pipeline report', () => {
  it('counts, values, weights, ages, time in stage and stuck deals per stage', async () => {
    const r = await report('pipeline', { pipeline_id: f.pipelineId, stuck_days: '30' });
    expect(r).toMatchObject({ report: 'pipeline', timezone: 'America/New_York', base_currency: 'USD',
      rates_used: [EUR_NOW], missing_rates: [GBP_MISSING] });
    const figures = r.rows.map((x: Record<string, unknown>) => [x.stage_name, x.deal_count, x.total_value, x.weighted_value,
      x.average_age_days, x.average_days_in_stage, x.stuck_count, x.stuck_value]);
    expect(figures).toEqual([
      ['Qualify', 2, '1400.00', '280.00', '30.00', '4.00', 1, '1000.00'],
      ['Propose', 2, '600.00', '570.00', '20.00', '4.00', 0, '0.00'],
      ['Negotiate', 1, '250.50', '225.45', '10.00', '10.00', 0, '0.00'],
    ]);
    expect(r.totals).toEqual({ deal_count: 5, total_value: '2250.50', weighted_value: '1075.45', stuck_count: 1, stuck_value: '1000.00' });
  });

  it('filters by owner and by team', async () => {
    const mine = await report('pipeline', { pipeline_id: f.pipelineId, owner_id: member.userId });
    expect(mine.totals).toMatchObject({ deal_count: 1, total_value: '250.50', weighted_value: '225.45' });
    expect(mine.missing_rates).toEqual([]);
    expect(mine.rows.find((x: { stage_name: string }) => x.stage_name === 'Propose').average_days_in_stage).toBe('2.00');
    const team = await report('pipeline', { pipeline_id: f.pipelineId, team: `${owner.userId},${member.userId}`, stuck_days: '3' });
    expect(team.totals).toMatchObject({ deal_count: 5, stuck_count: 3, stuck_value: '1600.00' });
  });
});

describe('forecast report', () => {
  it('splits open deals into commit, best case and pipeline by month beside won revenue', async () => {
    const r = await report('forecast', { pipeline_id: f.pipelineId, from: '2026-07-01', to: '2026-08-31' });
    expect(r.rule).toContain('commit');
    expect(r.rows).toEqual([
      { period_start: '2026-07-01', period_end: '2026-07-31', label: '2026-07',
        commit_count: 1, commit_value: '600.00', commit_weighted: '570.00', best_case_count: 0, best_case_value: '0.00', best_case_weighted: '0.00',
        pipeline_count: 1, pipeline_value: '1000.00', pipeline_weighted: '200.00', expected_revenue: '770.00', won_count: 2, won_revenue: '1300.00' },
      { period_start: '2026-08-01', period_end: '2026-08-31', label: '2026-08',
        commit_count: 1, commit_value: '250.50', commit_weighted: '225.45', best_case_count: 1, best_case_value: '0.00', best_case_weighted: '0.00',
        pipeline_count: 0, pipeline_value: '0.00', pipeline_weighted: '0.00', expected_revenue: '225.45', won_count: 0, won_revenue: '0.00' },
    ]);
    expect(r.totals).toMatchObject({ commit_count: 2, commit_weighted: '795.45', expected_revenue: '995.45', won_count: 2, won_revenue: '1300.00' });
    expect(r.undated).toEqual({ count: 1, value: '400.00', weighted: '80.00' });
    expect(r.missing_rates).toEqual([GBP_MISSING]);
    expect(r.rates_used).toEqual([EUR_NOW]);
  });

  it('rolls months into quarters and widens the range to whole periods', async () => {
    const r = await report('forecast', { pipeline_id: f.pipelineId, from: '2026-08-15', to: '2026-08-20', interval: 'quarter' });
    expect(r.filters).toMatchObject({ from: '2026-07-01', to: '2026-09-30', interval: 'quarter' });
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0]).toMatchObject({ label: '2026-Q3', expected_revenue: '995.45', won_count: 2, won_revenue: '1300.00' });
  });
});

describe('win/loss report', () => {
  it('counts and values won and lost deals, win rate, cycle, owners, sources and lost reasons', async () => {
    const r = await report('win-loss', { pipeline_id: f.pipelineId, from: '2026-01-01', to: '2026-12-31' });
    expect(r.totals).toEqual({ won_count: 4, won_value: '3511.00', lost_count: 1, lost_value: '700.00', win_rate: '0.8000', average_cycle_days: '10.00' });
    expect(r.by_owner.map((x: Record<string, unknown>) => [x.owner_id, x.won_count, x.won_value, x.lost_count, x.win_rate])).toEqual(
      // Ordered by name: "A member" before "Test Owner".
      [[member.userId, 1, '100.00', 0, '1.0000'], [owner.userId, 3, '3411.00', 1, '0.7500']]);
    expect(r.by_source.map((x: Record<string, unknown>) => [x.source, x.won_count, x.won_value, x.lost_count])).toEqual([
      ['referral', 1, '100.00', 0], ['web', 2, '3400.00', 1], [null, 1, '11.00', 0]]);
    expect(r.lost_reasons).toEqual([{ reason: '=SUM(1+1)', count: 1, value: '700.00' }]);
    expect(r.rates_used).toEqual([EUR_EARLY, EUR_NOW]);
  });

  it('puts a deal closed at 22:30 in New York on 31 July into July, not August (UTC)', async () => {
    const july = await report('win-loss', { pipeline_id: f.pipelineId, from: '2026-07-01', to: '2026-07-31' });
    expect(july.totals).toMatchObject({ won_count: 2, won_value: '1300.00', lost_count: 1 });
    const august = await report('win-loss', { pipeline_id: f.pipelineId, from: '2026-08-01', to: '2026-08-31' });
    expect(august.totals).toMatchObject({ won_count: 0, won_value: '0.00', lost_count: 0, win_rate: null, average_cycle_days: null });
  });
});

describe('income report', () => {
  it('converts at the rate of the local close date and compares with the previous period', async () => {
    const r = await report('income', { pipeline_id: f.pipelineId, from: '2026-05-01', to: '2026-07-31' });
    expect(r.rows.map((x: Record<string, unknown>) => [x.label, x.won_count, x.revenue, x.previous_revenue, x.growth])).toEqual([
      ['2026-05', 1, '11.00', '0.00', null],
      ['2026-06', 0, '0.00', '11.00', '-1.0000'],
      ['2026-07', 2, '1300.00', '0.00', null],
    ]);
    expect(r.totals).toEqual({ won_count: 3, revenue: '1311.00', previous_revenue: '2200.00', growth: '-0.4041' });
    expect(r.by_owner.map((x: Record<string, unknown>) => [x.owner_id, x.won_count, x.revenue, x.previous_revenue, x.growth])).toEqual([
      [owner.userId, 2, '1211.00', '2200.00', '-0.4495'],
      [member.userId, 1, '100.00', '0.00', null],
    ]);
    expect(r.rates_used).toEqual([EUR_EARLY, EUR_NOW]);
  });

  it('uses the rate in force when the rate table changes', async () => {
    const created = await t.server.inject(as(owner, { method: 'POST', url: '/api/v1/exchange-rates',
      payload: { currency: 'EUR', rate: '1.5', effective_from: '2026-07-10' } }));
    expect(created.statusCode, created.body).toBe(201);
    const r = await report('income', { pipeline_id: f.pipelineId, from: '2026-07-01', to: '2026-07-31' });
    expect(r.rows[0]).toMatchObject({ revenue: '1600.00' });
    expect(r.rates_used).toEqual([{ currency: 'EUR', rate: '1.5', effective_from: '2026-07-10' }]);
    const del = await t.server.inject(as(owner, { method: 'DELETE', url: `/api/v1/exchange-rates/${created.json().id}` }));
    expect(del.statusCode).toBe(204);
  });
});

describe('conversion report', () => {
  it('derives stage-to-stage rates from the stage history and the lead funnel', async () => {
    const r = await report('conversion', { pipeline_id: f.pipelineId, from: '2026-01-01', to: '2026-12-31' });
    expect(r.rows.map((x: Record<string, unknown>) => [x.stage_name, x.entered, x.exited, x.advanced, x.moved_back, x.won, x.lost, x.conversion_rate])).toEqual([
      ['Qualify', 1, 2, 2, 0, 0, 0, '1.0000'],
      ['Propose', 2, 2, 1, 0, 0, 1, '0.5000'],
      ['Negotiate', 1, 1, 1, 0, 1, 0, '1.0000'],
      ['Won', 1, 0, 0, 0, 0, 0, null],
      ['Lost', 1, 0, 0, 0, 0, 0, null],
    ]);
    expect(r.funnel).toEqual({ leads_created: 4, leads_converted: 2, deals_won: 1,
      lead_to_deal_rate: '0.5000', deal_to_won_rate: '0.5000', lead_to_won_rate: '0.2500' });
  });
});

describe('lead sources report', () => {
  it('counts leads, conversions and won revenue per source', async () => {
    const r = await report('lead-sources', { from: '2026-01-01', to: '2026-12-31' });
    expect(r.rows).toEqual([
      { source: 'web', leads: 2, converted: 2, conversion_rate: '1.0000', won_deals: 1, won_revenue: '2200.00' },
      { source: 'event', leads: 1, converted: 0, conversion_rate: '0.0000', won_deals: 0, won_revenue: '0.00' },
      { source: 'referral', leads: 1, converted: 0, conversion_rate: '0.0000', won_deals: 0, won_revenue: '0.00' },
    ]);
    expect(r.totals).toEqual({ leads: 4, converted: 2, conversion_rate: '0.5000', won_deals: 1, won_revenue: '2200.00' });
    expect(r.rates_used).toEqual([EUR_EARLY]);
  });
});

describe('activities report', () => {
  it('counts by type, person and local month; completed, open, overdue; per won deal', async () => {
    const r = await report('activities', { from: '2026-01-01', to: '2026-12-31' });
    expect(r.totals).toEqual({ total: 4, completed: 1, open: 3, overdue: 1 });
    expect(r.by_type.map((x: { type: string; total: number }) => [x.type, x.total])).toEqual([['call', 1], ['email', 1], ['meeting', 1], ['task', 1]]);
    expect(r.by_user.find((x: { user_id: string }) => x.user_id === owner.userId)).toMatchObject({ total: 3, completed: 1, open: 2, overdue: 1 });
    expect(r.by_user.find((x: { user_id: string }) => x.user_id === member.userId)).toMatchObject({ total: 1, completed: 0, open: 1, overdue: 0 });
    // The email created at 02:00 UTC on 1 August is 31 July in New York.
    expect(r.by_period.map((x: { label: string; total: number }) => [x.label, x.total])).toEqual([['2026-07', 3], ['2026-12', 1]]);
    expect(r.per_won_deal).toEqual({ won_deals: 4, activities: 3, per_deal: '0.75' });
  });
});

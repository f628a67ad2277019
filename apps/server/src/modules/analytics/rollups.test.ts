/**
 * The report rollups (migration 0501) against the source rows: ranges that
 * cut through a month, and incremental maintenance through every kind of
 * change, compared with a rebuild from scratch and across compaction.
 */
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compactReportRollups } from '../../platform/jobs/maintenance.js';
import { withSystem } from '../../platform/db/system.js';
import { fetchReport, seedAnalytics, type Fixture } from '../../../test/analytics-fixture.js';
import { buildTestApp, type TestApp } from '../../../test/app.js';
import { addMember, signUp, type Principal } from '../../../test/factories.js';

let t: TestApp;
let owner: Principal;
let member: Principal;
let f: Fixture;

const report = (name: string, query: Record<string, string>) => fetchReport(t.server, owner, name, query);

const ROLLUPS: Record<string, { keys: string; sums: string }> = {
  report_deals_open: { keys: 'pipeline_id, stage_id, owner_id, currency, created_month', sums: 'n, amount, weighted_override, amount_default, created_epoch' },
  report_deals_forecast: { keys: 'pipeline_id, stage_id, owner_id, currency, close_month, band, commit_tag', sums: 'n, amount, weighted_override, amount_default' },
  report_deals_closed: { keys: 'month, pipeline_id, owner_id, status, source, lost_reason, currency, rate_day', sums: 'n, amount, cycle_seconds, activities' },
  report_stage_moves: { keys: 'month, pipeline_id, from_stage_id, to_stage_id, owner_id', sums: 'n, seconds, timed' },
  report_activities: { keys: 'day, type, assignee_id, pipeline_id', sums: 'total, completed, open_due' },
  report_leads: { keys: 'created_month, source, owner_id, converted, won_pipeline_id, won_currency, won_rate_day', sums: 'n, won_amount' },
};

/** Every rollup of the firm as group → sums (groups summing to nothing left out), and the most rows any group has. */
async function snapshot(): Promise<{ sums: Record<string, unknown[]>; maxRowsPerGroup: number }> {
  return withSystem(t.db, async (tx) => {
    const sums: Record<string, unknown[]> = {};
    let maxRowsPerGroup = 0;
    for (const [table, { keys, sums: measures }] of Object.entries(ROLLUPS)) {
      const totals = measures.split(', ').map((m) => `sum(${m})::text AS ${m}`).join(', ');
      const nonzero = measures.split(', ').map((m) => `sum(${m}) <> 0`).join(' OR ');
      const rows = (await tx.query<Record<string, unknown> & { rows_in_group: number }>(
        `SELECT ${keys}, ${totals}, count(*)::int AS rows_in_group FROM ${table} WHERE tenant_id = $1
          GROUP BY ${keys} HAVING ${nonzero} ORDER BY ${keys}`, [owner.tenantId])).rows;
      sums[table] = rows.map(({ rows_in_group, ...group }) => {
        maxRowsPerGroup = Math.max(maxRowsPerGroup, rows_in_group);
        return group;
      });
    }
    return { sums, maxRowsPerGroup };
  });
}

const rebuild = () => withSystem(t.db, (tx) => tx.query('SELECT report_rebuild($1)', [owner.tenantId]));
const sql = (text: string, params: unknown[] = []) => withSystem(t.db, (tx) => tx.query(text, [owner.tenantId, ...params]));

beforeAll(async () => {
  t = await buildTestApp();
  owner = await signUp(t.server);
  member = await addMember(t.server, owner, 'member');
  f = await seedAnalytics(t.db, owner.tenantId, { o: owner.userId, m: member.userId });
});
afterAll(() => t.close());

describe('ranges that cut through a month', () => {
  it('read the cut months from the deals and the whole months from the rollup', async () => {
    // July (New York): w2 won 10 Jul (EUR 1000 at 1.20), l1 lost 20 Jul (USD 700), w3 won 31 Jul (USD 100).
    const late = await report('win-loss', { pipeline_id: f.pipelineId, from: '2026-07-15', to: '2026-07-31' });
    expect(late.totals).toMatchObject({ won_count: 1, won_value: '100.00', lost_count: 1, lost_value: '700.00' });
    const early = await report('win-loss', { pipeline_id: f.pipelineId, from: '2026-07-01', to: '2026-07-15' });
    expect(early.totals).toMatchObject({ won_count: 1, won_value: '1200.00', lost_count: 0 });
    const middle = await report('win-loss', { pipeline_id: f.pipelineId, from: '2026-07-05', to: '2026-07-25' });
    expect(middle.totals).toMatchObject({ won_count: 1, won_value: '1200.00', lost_count: 1, lost_value: '700.00' });
    const across = await report('win-loss', { pipeline_id: f.pipelineId, from: '2026-03-10', to: '2026-07-15' });
    // w1 (15 Mar, EUR 2000 at 1.10), w4 (31 May, EUR 10 at 1.10), w2.
    expect(across.totals).toMatchObject({ won_count: 3, won_value: '3411.00', lost_count: 0 });
  });

  it('apply to leads', async () => {
    // Leads: web 10 Feb (became w1, won: EUR 2000 at 1.10), web 11 Feb (became d1, open), referral 1 Mar.
    const feb = await report('lead-sources', { from: '2026-02-01', to: '2026-02-10' });
    expect(feb.totals).toMatchObject({ leads: 1, converted: 1, won_deals: 1, won_revenue: '2200.00' });
    const later = await report('lead-sources', { from: '2026-02-11', to: '2026-03-31' });
    expect(later.totals).toMatchObject({ leads: 2, converted: 1, won_deals: 0, won_revenue: '0.00' });
    const funnel = (await report('conversion', { from: '2026-02-05', to: '2026-02-20' })).funnel;
    expect(funnel).toMatchObject({ leads_created: 2, leads_converted: 2, deals_won: 1 });
  });

  it('apply to stage moves too', async () => {
    const r = await report('conversion', { pipeline_id: f.pipelineId, from: '2026-07-15', to: '2026-07-31' });
    const moves = r.rows.map((x: { stage_name: string; entered: number; exited: number }) => [x.stage_name, x.entered, x.exited]);
    expect(moves).toEqual([['Qualify', 0, 0], ['Propose', 0, 1], ['Negotiate', 0, 0], ['Won', 0, 0], ['Lost', 1, 0]]);
  });
});

describe('incremental maintenance', () => {
  it('matches a rebuild from the source rows after every kind of change, and compaction changes no sum', async () => {
    const other = uuidv7();
    const otherStage = uuidv7();
    await sql(`INSERT INTO pipelines (tenant_id, id, name, position) VALUES ($1, $2, 'Other', 10)`, [other]);
    await sql(`INSERT INTO stages (tenant_id, id, pipeline_id, name, position, probability, kind) VALUES ($1, $2, $3, 'Other won', 1, 100, 'won')`,
      [otherStage, other]);
    const d = f.deals;
    // Deals: value, probability, owner and stage change; a close; a reopen; soft and hard deletes; currency and pipeline moves.
    await sql(`UPDATE deals SET value = 1234.56, probability = 55, owner_id = $3, stage_id = $4 WHERE tenant_id = $1 AND id = $2`,
      [d.d1, member.userId, f.stages.s2]);
    await sql(`UPDATE deals SET status = 'won', stage_id = $3, closed_at = now() WHERE tenant_id = $1 AND id = $2`, [d.d2, f.stages.won]);
    await sql(`UPDATE deals SET status = 'open', stage_id = $3, closed_at = NULL WHERE tenant_id = $1 AND id = $2`, [d.w4, f.stages.s3]);
    await sql(`UPDATE deals SET deleted_at = now() WHERE tenant_id = $1 AND id = $2`, [d.d3]);
    await sql(`DELETE FROM deals WHERE tenant_id = $1 AND id = $2`, [d.l1]);
    await sql(`UPDATE deals SET currency = 'GBP', tags = '{commit}' WHERE tenant_id = $1 AND id = $2`, [d.w1]);
    await sql(`UPDATE deals SET pipeline_id = $3, stage_id = $4, owner_id = $5 WHERE tenant_id = $1 AND id = $2`,
      [d.w2, other, otherStage, member.userId]);
    await sql(`UPDATE deals SET name = 'renamed', position = 'zz' WHERE tenant_id = $1 AND id = $2`, [d.d5]);
    // Leads: one becomes deal w3 (won), one changes source, one is trashed; deal d1, which a lead became, is deleted.
    await sql(`UPDATE leads SET status = 'converted', converted_deal_id = $2 WHERE tenant_id = $1 AND source = 'referral'`, [d.w3]);
    await sql(`UPDATE leads SET source = 'partner' WHERE tenant_id = $1 AND source = 'event'`);
    await sql(`UPDATE leads SET deleted_at = now() WHERE tenant_id = $1 AND converted_deal_id = $2`, [d.w1]);
    await sql(`DELETE FROM deals WHERE tenant_id = $1 AND id = $2`, [d.d1]);
    // Stage history and activities.
    await sql(`INSERT INTO deal_stage_history (tenant_id, id, deal_id, pipeline_id, from_stage_id, to_stage_id, moved_at, seconds_in_from_stage)
               VALUES ($1, $2, $3, $4, $5, $6, now(), 3600)`, [uuidv7(), d.d5, f.pipelineId, f.stages.s1, f.stages.s2]);
    await sql(`INSERT INTO activities (tenant_id, id, type, subject, due_at, assignee_id, deal_id)
               VALUES ($1, $2, 'call', 'x', now() - interval '1 hour', $3, $4), ($1, $5, 'note', 'y', NULL, NULL, $6)`,
      [uuidv7(), member.userId, d.w3, uuidv7(), d.d4]);
    await sql(`UPDATE activities SET completed_at = now() WHERE tenant_id = $1 AND type = 'task'`);
    await sql(`UPDATE activities SET deleted_at = now() WHERE tenant_id = $1 AND type = 'email'`);
    await sql(`DELETE FROM activities WHERE tenant_id = $1 AND type = 'meeting'`);
    // A new exchange rate in the middle of July, then a new figure for it.
    const rate = uuidv7();
    await sql(`INSERT INTO exchange_rates (tenant_id, id, currency, rate, effective_from) VALUES ($1, $2, 'EUR', 1.3, '2026-07-05')`, [rate]);
    await sql(`UPDATE exchange_rates SET rate = 1.35 WHERE tenant_id = $1 AND id = $2`, [rate]);

    const incremental = await snapshot();
    expect(incremental.maxRowsPerGroup).toBeGreaterThan(1);
    expect(await compactReportRollups(t.db)).toBeGreaterThan(0);
    const compacted = await snapshot();
    expect(compacted.sums).toEqual(incremental.sums);
    expect(compacted.maxRowsPerGroup).toBe(1);
    await rebuild();
    expect((await snapshot()).sums).toEqual(incremental.sums);

    // A change of time zone moves every bucket; the firm's rollups are rebuilt with it.
    const before = await report('win-loss', { from: '2026-07-01', to: '2026-07-31' });
    await sql(`UPDATE tenants SET timezone = 'Asia/Kolkata' WHERE id = $1`);
    const moved = await snapshot();
    await rebuild();
    expect((await snapshot()).sums).toEqual(moved.sums);
    const after = await report('win-loss', { from: '2026-07-01', to: '2026-07-31' });
    expect(after.timezone).toBe('Asia/Kolkata');
    // w3 closed 31 Jul in New York is 1 Aug in Kolkata: July loses it.
    expect(after.totals.won_count).toBe(before.totals.won_count - 1);
  });

  it('stays exact when writers and the compaction job run at the same time', async () => {
    const stages = [f.stages.s1, f.stages.s2, f.stages.s3];
    const ids = await withSystem(t.db, async (tx) => (await tx.query<{ id: string }>(
      `INSERT INTO deals (tenant_id, id, name, value, currency, pipeline_id, stage_id, position, owner_id)
       SELECT $1, gen_random_uuid(), 'Race ' || i, 10 * i, 'USD', $2, $3, 'r' || i, $4 FROM generate_series(1, 20) i RETURNING id`,
      [owner.tenantId, f.pipelineId, f.stages.s1, owner.userId])).rows.map((r) => r.id));
    // Every deal moves, changes value and owner, and half are won, each in its own transaction, interleaved with compactions.
    await Promise.all([
      ...ids.map((id, i) => sql(`UPDATE deals SET stage_id = $3, value = value + 1, owner_id = $4 WHERE tenant_id = $1 AND id = $2`,
        [id, stages[i % 3], i % 2 ? member.userId : owner.userId])),
      ...ids.filter((_, i) => i % 2).map((id) => sql(`UPDATE deals SET status = 'won', stage_id = $3, closed_at = now() WHERE tenant_id = $1 AND id = $2`,
        [id, f.stages.won])),
      compactReportRollups(t.db), compactReportRollups(t.db),
    ]);
    const live = await snapshot();
    await rebuild();
    expect((await snapshot()).sums).toEqual(live.sums);
  });

  it('deletes a whole firm with its rollups', async () => {
    await sql('DELETE FROM tenants WHERE id = $1');
    const left = await withSystem(t.db, (tx) => tx.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM report_deals_closed WHERE tenant_id = $1) + (SELECT count(*) FROM report_activities WHERE tenant_id = $1)
            + (SELECT count(*) FROM report_stage_moves WHERE tenant_id = $1) AS n`, [owner.tenantId]));
    expect(Number(left.rows[0]!.n)).toBe(0);
  });
});

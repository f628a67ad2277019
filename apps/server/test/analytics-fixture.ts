/**
 * A small, fully known sales data set for the analytics tests. Rows are
 * written directly (closed and moved deals need past timestamps that the
 * API does not let a client set). Tenant time zone America/New_York, base
 * currency USD; EUR has two rates, GBP none.
 */
import type { FastifyInstance } from 'fastify';
import { uuidv7 } from 'uuidv7';
import { expect } from 'vitest';
import type { Database } from '../src/platform/db/database.js';
import { withSystem } from '../src/platform/db/system.js';
import { as, type Principal } from './factories.js';

export interface Fixture {
  pipelineId: string;
  stages: Record<'s1' | 's2' | 's3' | 'won' | 'lost', string>;
  deals: Record<string, string>;
}

interface DealSpec {
  key: string;
  stage: keyof Fixture['stages'];
  value: string;
  currency: string;
  probability?: number;
  status?: 'open' | 'won' | 'lost';
  owner?: 'o' | 'm';
  expected?: string;
  closed?: string;
  created: string;
  entered: string;
  source?: string;
  lostReason?: string;
  tags?: string[];
}

// Relative instants are SQL expressions so "now" is the database's.
const DEALS: DealSpec[] = [
  { key: 'd1', stage: 's1', value: '1000.00', currency: 'USD', expected: '2026-07-15', created: `now() - interval '50 days'`, entered: `now() - interval '40 days'` },
  { key: 'd2', stage: 's2', value: '500.00', currency: 'EUR', probability: 95, expected: '2026-07-20', created: `now() - interval '20 days'`, entered: `now() - interval '5 days'` },
  { key: 'd3', stage: 's2', value: '300.00', currency: 'GBP', expected: '2026-08-05', created: `now() - interval '20 days'`, entered: `now() - interval '5 days'` },
  { key: 'd4', stage: 's3', value: '250.50', currency: 'USD', owner: 'm', expected: '2026-08-10', created: `now() - interval '10 days'`, entered: `now() - interval '2 days'` },
  { key: 'd5', stage: 's1', value: '400.00', currency: 'USD', tags: ['commit'], created: `now() - interval '10 days'`, entered: `now() - interval '1 day'` },
  // Won: w3 closes on 31 July in New York but 1 August in UTC; w4 on 31 May in New York (EUR rate 1.10), 1 June in UTC (1.20).
  { key: 'w1', stage: 'won', status: 'won', value: '2000.00', currency: 'EUR', source: 'web', closed: `'2026-03-15T12:00:00Z'`, created: `'2026-03-05T12:00:00Z'`, entered: `'2026-03-15T12:00:00Z'` },
  { key: 'w2', stage: 'won', status: 'won', value: '1000.00', currency: 'EUR', source: 'web', closed: `'2026-07-10T15:00:00Z'`, created: `'2026-06-30T15:00:00Z'`, entered: `'2026-07-10T15:00:00Z'` },
  { key: 'w3', stage: 'won', status: 'won', value: '100.00', currency: 'USD', owner: 'm', source: 'referral', closed: `'2026-08-01T02:30:00Z'`, created: `'2026-07-22T02:30:00Z'`, entered: `'2026-08-01T02:30:00Z'` },
  { key: 'w4', stage: 'won', status: 'won', value: '10.00', currency: 'EUR', closed: `'2026-06-01T03:00:00Z'`, created: `'2026-05-22T03:00:00Z'`, entered: `'2026-06-01T03:00:00Z'` },
  { key: 'l1', stage: 'lost', status: 'lost', value: '700.00', currency: 'USD', source: 'web', lostReason: '=SUM(1+1)', closed: `'2026-07-20T12:00:00Z'`, created: `'2026-07-01T12:00:00Z'`, entered: `'2026-07-20T12:00:00Z'` },
];

async function seedPipeline(db: Database, tenantId: string): Promise<Pick<Fixture, 'pipelineId' | 'stages'>> {
  const pipelineId = uuidv7();
  const stages = { s1: uuidv7(), s2: uuidv7(), s3: uuidv7(), won: uuidv7(), lost: uuidv7() };
  await withSystem(db, async (tx) => {
    await tx.query(`UPDATE tenants SET timezone = 'America/New_York', base_currency = 'USD' WHERE id = $1`, [tenantId]);
    await tx.query(`INSERT INTO pipelines (tenant_id, id, name, position) VALUES ($1, $2, 'Analytics', 9)`, [tenantId, pipelineId]);
    const rows: [string, string, number, number, string][] = [
      [stages.s1, 'Qualify', 1, 20, 'open'], [stages.s2, 'Propose', 2, 60, 'open'], [stages.s3, 'Negotiate', 3, 90, 'open'],
      [stages.won, 'Won', 4, 100, 'won'], [stages.lost, 'Lost', 5, 0, 'lost'],
    ];
    for (const [id, name, position, probability, kind] of rows) {
      await tx.query('INSERT INTO stages (tenant_id, id, pipeline_id, name, position, probability, kind) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [tenantId, id, pipelineId, name, position, probability, kind]);
    }
    await tx.query(`INSERT INTO exchange_rates (tenant_id, id, currency, rate, effective_from) VALUES
      ($1, $2, 'EUR', 1.10, '2026-01-01'), ($1, $3, 'EUR', 1.20, '2026-06-01')`, [tenantId, uuidv7(), uuidv7()]);
  });
  return { pipelineId, stages };
}

async function seedDeals(db: Database, tenantId: string, owners: { o: string; m: string }, base: Pick<Fixture, 'pipelineId' | 'stages'>) {
  const deals: Record<string, string> = {};
  await withSystem(db, async (tx) => {
    for (const d of DEALS) {
      deals[d.key] = uuidv7();
      await tx.query(
        `INSERT INTO deals (tenant_id, id, name, value, currency, probability, pipeline_id, stage_id, position, status, lost_reason,
                            expected_close_date, closed_at, stage_entered_at, source, owner_id, tags, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $3, $9, $10, $11, ${d.closed ?? 'NULL'}, ${d.entered}, $12, $13, $14, ${d.created})`,
        [tenantId, deals[d.key], d.key, d.value, d.currency, d.probability ?? null, base.pipelineId, base.stages[d.stage],
          d.status ?? 'open', d.lostReason ?? null, d.expected ?? null, d.source ?? null, owners[d.owner ?? 'o'], d.tags ?? []]);
    }
  });
  return deals;
}

async function seedHistory(db: Database, tenantId: string, f: Fixture) {
  const { s1, s2, s3, won, lost } = f.stages;
  const moves: [string, string | null, string, string, number | null][] = [
    ['d1', null, s1, '2026-02-01T12:00:00Z', null],
    ['d2', s1, s2, '2026-04-01T12:00:00Z', 3 * 86400],
    ['d4', s1, s2, '2026-04-02T12:00:00Z', 5 * 86400],
    ['d4', s2, s3, '2026-04-04T12:00:00Z', 2 * 86400],
    ['w2', s3, won, '2026-07-10T15:00:00Z', 10 * 86400],
    ['l1', s2, lost, '2026-07-20T12:00:00Z', 6 * 86400],
  ];
  await withSystem(db, async (tx) => {
    for (const [deal, from, to, at, seconds] of moves) {
      await tx.query(
        `INSERT INTO deal_stage_history (tenant_id, id, deal_id, pipeline_id, from_stage_id, to_stage_id, moved_at, seconds_in_from_stage)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [tenantId, uuidv7(), f.deals[deal], f.pipelineId, from, to, at, seconds]);
    }
  });
}

async function seedLeadsAndActivities(db: Database, tenantId: string, owners: { o: string; m: string }, f: Fixture) {
  const leads: [string, string, string | null, string][] = [
    ['web', 'converted', f.deals.w1!, '2026-02-10T12:00:00Z'],
    ['web', 'converted', f.deals.d1!, '2026-02-11T12:00:00Z'],
    ['referral', 'new', null, '2026-03-01T12:00:00Z'],
    ['event', 'unqualified', null, '2026-04-01T12:00:00Z'],
  ];
  const activities: [string, string, string | null, string | null, string, string | null][] = [
    ['call', owners.o, '2026-07-10T12:00:00Z', '2026-07-10T13:00:00Z', '2026-07-01T12:00:00Z', f.deals.w2!],
    ['task', owners.o, '2026-07-20T12:00:00Z', null, '2026-07-01T12:00:00Z', f.deals.w2!],
    ['email', owners.m, null, null, '2026-08-01T02:00:00Z', f.deals.w3!],
    ['meeting', owners.o, '2026-12-30T15:00:00Z', null, '2026-11-01T12:00:00Z', null],
  ];
  await withSystem(db, async (tx) => {
    for (const [source, status, dealId, created] of leads) {
      await tx.query(`INSERT INTO leads (tenant_id, id, title, source, status, converted_deal_id, owner_id, created_at)
                      VALUES ($1, $2, 'Lead', $3, $4, $5, $6, $7)`, [tenantId, uuidv7(), source, status, dealId, owners.o, created]);
    }
    for (const [type, assignee, due, completed, created, dealId] of activities) {
      await tx.query(`INSERT INTO activities (tenant_id, id, type, subject, due_at, completed_at, assignee_id, deal_id, created_at)
                      VALUES ($1, $2, $3, 'Activity', $4, $5, $6, $7, $8)`, [tenantId, uuidv7(), type, due, completed, assignee, dealId, created]);
    }
  });
}

export async function seedAnalytics(db: Database, tenantId: string, owners: { o: string; m: string }): Promise<Fixture> {
  const base = await seedPipeline(db, tenantId);
  const f: Fixture = { ...base, deals: await seedDeals(db, tenantId, owners, base) };
  await seedHistory(db, tenantId, f);
  await seedLeadsAndActivities(db, tenantId, owners, f);
  return f;
}

/** GET /api/v1/reports/<name> as `who`; expects 200 and returns the body (compared field by field by the tests). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- report bodies are compared field by field
export async function fetchReport(server: FastifyInstance, who: Principal, name: string, query: Record<string, string>): Promise<any> {
  const res = await server.inject(as(who, { method: 'GET', url: `/api/v1/reports/${name}`, query }));
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** Reports: who may read them, input validation, tenant isolation, CSV export, deals made through the API. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAnalytics, type Fixture } from '../../../test/analytics-fixture.js';
import { buildTestApp, type TestApp } from '../../../test/app.js';
import { addMember, as, signUp, type Principal } from '../../../test/factories.js';

let t: TestApp;
let owner: Principal;
let viewer: Principal;
let other: Principal;
let f: Fixture;

const get = (who: Principal | null, url: string, query: Record<string, string> = {}) =>
  t.server.inject({ method: 'GET', url: `/api/v1${url}`, query, ...(who ? { headers: who.headers } : {}) });

beforeAll(async () => {
  t = await buildTestApp();
  owner = await signUp(t.server);
  viewer = await addMember(t.server, owner, 'viewer');
  other = await signUp(t.server);
  f = await seedAnalytics(t.db, owner.tenantId, { o: owner.userId, m: viewer.userId });
});
afterAll(() => t.close());

describe('report access', () => {
  it('needs a sign-in; every role with reports:read may read every report', async () => {
    expect((await get(null, '/reports/pipeline')).statusCode).toBe(401);
    for (const name of ['pipeline', 'forecast', 'conversion', 'win-loss', 'lead-sources', 'activities', 'income']) {
      const res = await get(viewer, `/reports/${name}`);
      expect(res.statusCode, `${name}: ${res.body}`).toBe(200);
      expect(res.json().report).toBe(name);
    }
  });

  it('refuses bad filters with 400 and a field path', async () => {
    const bad: [string, Record<string, string>, string][] = [
      ['pipeline', { pipeline_id: 'nope' }, 'pipeline_id'],
      ['win-loss', { from: '2026-05-01', to: '2026-04-01' }, 'to'],
      ['win-loss', { from: '2026-13-01' }, 'from'],
      ['income', { from: '2010-01-01', to: '2026-01-01' }, 'to'],
      ['income', { owner_id: owner.userId, team: owner.userId }, 'team'],
      ['income', { team: 'a,b' }, 'team'],
      ['forecast', { interval: 'week' }, 'interval'],
      ['pipeline', { stuck_days: '0' }, 'stuck_days'],
      ['pipeline', { unknown: '1' }, ''],
      ['pipeline', { format: 'xlsx' }, 'format'],
    ];
    for (const [name, query, field] of bad) {
      const res = await get(owner, `/reports/${name}`, query);
      expect(res.statusCode, `${name} ${JSON.stringify(query)}`).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      if (field) expect(JSON.stringify(res.json().errors)).toContain(field);
    }
  });

  it('answers 422 for another firm\'s pipeline or people, and never shows another firm\'s figures', async () => {
    expect((await get(other, '/reports/pipeline', { pipeline_id: f.pipelineId })).statusCode).toBe(422);
    expect((await get(other, '/reports/income', { owner_id: owner.userId })).statusCode).toBe(422);
    expect((await get(other, '/reports/income', { team: `${other.userId},${owner.userId}` })).statusCode).toBe(422);
    const theirs = await get(other, '/reports/win-loss', { from: '2026-01-01', to: '2026-12-31' });
    expect(theirs.json().totals).toMatchObject({ won_count: 0, lost_count: 0, won_value: '0.00' });
    const pipeline = await get(other, '/reports/pipeline');
    expect(pipeline.json().rows.map((r: { stage_id: string }) => r.stage_id)).not.toContain(f.stages.s1);
    expect(pipeline.json().totals.deal_count).toBe(0);
  });
});

describe('CSV export', () => {
  it('exports with ?format=csv and .csv, one table, formulas neutralised, numbers kept', async () => {
    const a = await get(owner, '/reports/win-loss', { pipeline_id: f.pipelineId, from: '2026-01-01', to: '2026-12-31', format: 'csv' });
    const b = await get(owner, '/reports/win-loss.csv', { pipeline_id: f.pipelineId, from: '2026-01-01', to: '2026-12-31' });
    for (const res of [a, b]) {
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="win-loss-\d{4}-\d{2}-\d{2}\.csv"$/);
    }
    expect(a.body).toBe(b.body);
    const lines = a.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe('section,won_count,won_value,lost_count,lost_value,win_rate,average_cycle_days,owner_id,owner_name,source,reason,count,value,currency,rate,effective_from');
    expect(lines[1]).toBe('totals,4,3511.00,1,700.00,0.8000,10.00,,,,,,,,,');
    expect(lines).toContain("lost_reasons,,,,,,,,,,'=SUM(1+1),1,700.00,,,");
    expect(lines).toContain('rates_used,,,,,,,,,,,,,EUR,1.1,2026-01-01');
  });

  it('keeps negative figures numeric', async () => {
    const res = await get(owner, '/reports/income.csv', { pipeline_id: f.pipelineId, from: '2026-05-01', to: '2026-07-31' });
    expect(res.body).toContain('totals,,,,3,1311.00,2200.00,-0.4041');
  });
});

describe('deals made through the sales API', () => {
  it('appear in the pipeline report with their weighted value rounded half away from zero', async () => {
    const firm = await signUp(t.server);
    const pipelines = await get(firm, '/pipelines');
    expect(pipelines.statusCode, pipelines.body).toBe(200);
    const pipeline = pipelines.json().data[0];
    const created = await t.server.inject(as(firm, { method: 'POST', url: '/api/v1/deals', payload: { name: 'Via API', value: '123.45', currency: 'USD' } }));
    expect(created.statusCode, created.body).toBe(201);
    const r = (await get(firm, '/reports/pipeline', { pipeline_id: pipeline.id })).json();
    const first = r.rows.find((x: { stage_id: string }) => x.stage_id === created.json().stage_id);
    // 123.45 × 10 % = 12.345 → 12.35
    expect(first).toMatchObject({ deal_count: 1, total_value: '123.45', weighted_value: '12.35', stuck_count: 0 });
    expect(r.totals).toMatchObject({ deal_count: 1, total_value: '123.45', weighted_value: '12.35' });
  });
});

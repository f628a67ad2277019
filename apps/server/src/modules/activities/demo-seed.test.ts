/** The sales demo seed: complete, linked to the crm seed, deterministic. Timing is printed, not asserted (bench/ holds targets). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/app.js';
import { signUp } from '../../../test/factories.js';
import { withSystem } from '../../platform/db/system.js';
import { systemContext } from '../../platform/db/tenant.js';
import { modules } from '../index.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const SALES = new Set(['pipelines', 'deals', 'leads', 'activities', 'timeline']);

async function seed(tenantId: string): Promise<{ crm: number; sales: number; parts: string }> {
  const ctx = systemContext(t.db, tenantId);
  let started = performance.now();
  for (const m of modules) if (m.seedDemo && !SALES.has(m.name)) await m.seedDemo(ctx);
  const crm = performance.now() - started;
  const parts: string[] = [];
  let sales = 0;
  for (const m of modules) {
    if (!m.seedDemo || !SALES.has(m.name)) continue;
    started = performance.now();
    await m.seedDemo(ctx);
    const ms = performance.now() - started;
    sales += ms;
    parts.push(`${m.name} ${ms.toFixed(0)} ms`);
  }
  return { crm, sales, parts: parts.join(', ') };
}

const q = async <T>(tenantId: string, sql: string) => (await withSystem(t.db, (tx) => tx.query<T>(sql.replaceAll(':t', `'${tenantId}'`)))).rows;

describe('sales demo seed', () => {
  it('fills every stage, status and activity state, linked to crm records, the same way each time', async () => {
    const a = await signUp(t.server);
    const b = await signUp(t.server);
    const timing = await seed(a.tenantId);
    console.log(`sales demo seed on ${t.db.kind}: ${timing.sales.toFixed(0)} ms (${timing.parts}; crm seed ${timing.crm.toFixed(0)} ms)`);
    await seed(b.tenantId);
    const empty = await q<{ n: number }>(a.tenantId, `SELECT count(*)::int AS n FROM stages s WHERE s.tenant_id = :t AND NOT EXISTS (SELECT 1 FROM deals d WHERE d.stage_id = s.id)`);
    expect(empty[0]!.n).toBe(0);
    expect((await q<{ n: number }>(a.tenantId, 'SELECT count(*)::int AS n FROM pipelines WHERE tenant_id = :t'))[0]!.n).toBe(2);
    const statuses = await q<{ status: string }>(a.tenantId, 'SELECT DISTINCT status FROM leads WHERE tenant_id = :t ORDER BY status');
    expect(statuses.map((s) => s.status)).toEqual(['contacted', 'converted', 'new', 'qualified', 'unqualified']);
    const acts = await q<{ overdue: number; done: number }>(a.tenantId,
      `SELECT count(*) FILTER (WHERE completed_at IS NULL AND due_at < now())::int AS overdue, count(*) FILTER (WHERE completed_at IS NOT NULL)::int AS done FROM activities WHERE tenant_id = :t`);
    expect(acts[0]!.overdue).toBeGreaterThan(0);
    expect(acts[0]!.done).toBeGreaterThan(0);
    expect((await q<{ n: number }>(a.tenantId, 'SELECT count(*)::int AS n FROM deals WHERE tenant_id = :t AND contact_id IS NOT NULL'))[0]!.n).toBeGreaterThan(0);
    expect((await q<{ n: number }>(a.tenantId, 'SELECT count(*)::int AS n FROM deal_stage_history WHERE tenant_id = :t AND from_stage_id IS NOT NULL'))[0]!.n).toBeGreaterThan(0);
    expect((await q<{ n: number }>(a.tenantId, 'SELECT count(*)::int AS n FROM leads WHERE tenant_id = :t AND score > 0'))[0]!.n).toBeGreaterThan(0);
    const names = (id: string) => q<{ name: string }>(id, 'SELECT name FROM deals WHERE tenant_id = :t ORDER BY name');
    expect(await names(b.tenantId)).toEqual(await names(a.tenantId));
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/app.js';
import { as, signUp, type Principal } from '../../../test/factories.js';
import { seedCrmDemo } from './demo-seed.js';

let t: TestApp;
let a: Principal;
let b: Principal;
beforeAll(async () => {
  t = await buildTestApp();
  a = await signUp(t.server);
  b = await signUp(t.server);
});
afterAll(() => t.close());

const ctxOf = (p: Principal) => ({
  db: t.db, tenantId: p.tenantId, userId: null, role: 'owner' as const, actor: { type: 'system' as const, id: null }, requestId: null, ip: null,
});

async function snapshot(p: Principal) {
  const r = await t.db.query<{ first_name: string; last_name: string; email: string; tags: string[]; custom: unknown }>(
    'SELECT first_name, last_name, email, tags, custom FROM contacts WHERE tenant_id = $1 ORDER BY id', [p.tenantId]);
  return r.rows;
}

describe('CRM demo seed', () => {
  it('fills a workspace with companies in a hierarchy and contacts, the same every time', async () => {
    const started = Date.now();
    await seedCrmDemo(ctxOf(a));
    const elapsed = Date.now() - started;
    await seedCrmDemo(ctxOf(b));
    const counts = await t.db.query<{ companies: number; children: number; contacts: number; tagged: number; linked: number }>(
      `SELECT (SELECT count(*)::int FROM companies WHERE tenant_id = $1) AS companies,
              (SELECT count(*)::int FROM companies WHERE tenant_id = $1 AND parent_id IS NOT NULL) AS children,
              (SELECT count(*)::int FROM contacts WHERE tenant_id = $1) AS contacts,
              (SELECT count(*)::int FROM contacts WHERE tenant_id = $1 AND cardinality(tags) > 0) AS tagged,
              (SELECT count(*)::int FROM contacts WHERE tenant_id = $1 AND company_id IS NOT NULL) AS linked`, [a.tenantId]);
    expect(counts.rows[0]!.companies).toBe(80);
    expect(counts.rows[0]!.contacts).toBe(320);
    expect(counts.rows[0]!.children).toBeGreaterThan(10);
    expect(counts.rows[0]!.tagged).toBeGreaterThan(150);
    expect(counts.rows[0]!.linked).toBeGreaterThan(250);
    expect(await snapshot(a)).toEqual(await snapshot(b));
    // The seeded data is usable through the API: custom fields sort, search finds people.
    const sorted = await t.server.inject(as(a, { method: 'GET', url: '/api/v1/companies?sort=-custom.annual_revenue&limit=3' }));
    expect(sorted.statusCode, sorted.body).toBe(200);
    const revenues = sorted.json().data.map((c: { custom: { annual_revenue: string } }) => Number(c.custom.annual_revenue));
    expect(revenues).toEqual([...revenues].sort((x, y) => y - x));
    const search = await t.server.inject(as(a, { method: 'GET', url: '/api/v1/search?q=lovelace' }));
    expect(search.json().data.length).toBeGreaterThan(0);
    console.info(`CRM demo seed took ${elapsed} ms on ${t.db.kind}`);
  });
});

import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/app.js';
import { addMember, as, signUp, type Principal } from '../../../test/factories.js';
import { customFieldSpec } from '../../platform/db/list-sql.js';
import { refreshCustomFieldStatistics } from '../../platform/jobs/maintenance.js';
import { customSortExpression } from './index.js';

let t: TestApp;
let owner: Principal;
let other: Principal;
let member: Principal;
let viewer: Principal;
beforeAll(async () => {
  t = await buildTestApp();
  owner = await signUp(t.server);
  other = await signUp(t.server);
  member = await addMember(t.server, owner, 'member');
  viewer = await addMember(t.server, owner, 'viewer');
});
afterAll(() => t.close());

const api = (p: Principal, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
  t.server.inject(as(p, { method, url: `/api/v1${url}`, ...(payload === undefined ? {} : { payload: payload as object }), headers }));

async function define(p: Principal, body: Record<string, unknown>) {
  const res = await api(p, 'POST', '/custom-fields', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string; version: number; key: string }>();
}

describe('custom field definitions', () => {
  it('creates, lists, updates with If-Match and archives', async () => {
    const f = await define(owner, { entity: 'contact', key: 'tier', label: 'Tier', type: 'select', options: [{ value: 'gold' }, { value: 'silver' }] });
    const dup = await api(owner, 'POST', '/custom-fields', { entity: 'contact', key: 'tier', label: 'Again', type: 'text' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: 'duplicate', existing_id: f.id });
    // Same key on another entity or in another tenant is fine.
    await define(owner, { entity: 'company', key: 'tier', label: 'Tier', type: 'text' });
    await define(other, { entity: 'contact', key: 'tier', label: 'Tier', type: 'number' });

    const list = await api(viewer, 'GET', '/custom-fields?entity=contact');
    expect(list.json().data.map((d: { key: string }) => d.key)).toEqual(['tier']);
    const upd = await api(owner, 'PATCH', `/custom-fields/${f.id}`, { label: 'Customer tier' }, { 'if-match': '"1"' });
    expect(upd.statusCode).toBe(200);
    expect((await api(owner, 'PATCH', `/custom-fields/${f.id}`, { label: 'x' }, { 'if-match': '"1"' })).statusCode).toBe(412);
    const archived = await api(owner, 'DELETE', `/custom-fields/${f.id}`);
    expect(archived.statusCode).toBe(200);
    expect(archived.json().archived_at).not.toBeNull();
    expect((await api(owner, 'GET', '/custom-fields?entity=contact')).json().data).toEqual([]);
    expect((await api(owner, 'GET', '/custom-fields?entity=contact&include_archived=true')).json().data).toHaveLength(1);
    // Writing an archived field is refused; restoring brings it back.
    expect((await api(owner, 'POST', '/contacts', { first_name: 'A', custom: { tier: 'gold' } })).statusCode).toBe(400);
    expect((await api(owner, 'POST', `/custom-fields/${f.id}/restore`)).statusCode).toBe(200);
    expect((await api(owner, 'POST', '/contacts', { first_name: 'A', custom: { tier: 'gold' } })).statusCode).toBe(201);
  });

  it('validates definitions (400), permissions (403) and tenancy (404)', async () => {
    for (const body of [
      { entity: 'contact', key: 'Bad Key', label: 'x', type: 'text' }, { entity: 'invoice', key: 'x', label: 'x', type: 'text' },
      { entity: 'contact', key: 'x', label: 'x', type: 'select' }, { entity: 'contact', key: 'x', label: 'x', type: 'text', options: [{ value: 'a' }] },
      { entity: 'contact', key: 'x', label: 'x', type: 'color' },
    ]) {
      expect((await api(owner, 'POST', '/custom-fields', body)).statusCode, JSON.stringify(body)).toBe(400);
    }
    const f = await define(owner, { entity: 'deal', key: 'region_code', label: 'Region', type: 'text' });
    expect((await api(member, 'POST', '/custom-fields', { entity: 'deal', key: 'y', label: 'y', type: 'text' })).statusCode).toBe(403);
    expect((await api(member, 'PATCH', `/custom-fields/${f.id}`, { label: 'y' })).statusCode).toBe(403);
    expect((await api(viewer, 'DELETE', `/custom-fields/${f.id}`)).statusCode).toBe(403);
    expect((await api(other, 'GET', `/custom-fields/${f.id}`)).statusCode).toBe(404);
    expect((await api(other, 'PATCH', `/custom-fields/${f.id}`, { label: 'pwned' })).statusCode).toBe(404);
    expect((await api(other, 'DELETE', `/custom-fields/${f.id}`)).statusCode).toBe(404);
    const stored = await t.db.query<{ label: string; archived_at: string | null }>('SELECT label, archived_at FROM custom_field_definitions WHERE id = $1', [f.id]);
    expect(stored.rows[0]).toEqual({ label: 'Region', archived_at: null });
  });
});

describe('custom field values', () => {
  let p: Principal;
  beforeAll(async () => {
    p = await signUp(t.server);
    await define(p, { entity: 'contact', key: 'score', label: 'Score', type: 'number' });
    await define(p, { entity: 'contact', key: 'budget', label: 'Budget', type: 'currency' });
    await define(p, { entity: 'contact', key: 'since', label: 'Since', type: 'date' });
    await define(p, { entity: 'contact', key: 'vip', label: 'VIP', type: 'boolean' });
    await define(p, { entity: 'contact', key: 'langs', label: 'Languages', type: 'multi_select', options: [{ value: 'en' }, { value: 'fr' }, { value: 'de' }] });
    await define(p, { entity: 'contact', key: 'site', label: 'Site', type: 'url' });
    await define(p, { entity: 'contact', key: 'assistant', label: 'Assistant', type: 'email' });
    await define(p, { entity: 'contact', key: 'buddy', label: 'Buddy', type: 'user' });
    await define(p, { entity: 'contact', key: 'region', label: 'Region', type: 'text', required: true });
  });

  it('validates and normalises values on every write', async () => {
    const ok = await api(p, 'POST', '/contacts', {
      first_name: 'Val', custom: { score: '42.5', budget: 1234.5, since: '2024-02-29', vip: true, langs: ['en', 'fr', 'en'], site: 'https://x.test', assistant: 'Pa@X.test', buddy: p.userId, region: ' EMEA ' },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().custom).toEqual({ score: 42.5, budget: '1234.50', since: '2024-02-29', vip: true, langs: ['en', 'fr'], site: 'https://x.test/', assistant: 'pa@x.test', buddy: p.userId, region: 'EMEA' });
    const id = ok.json().id as string;
    for (const custom of [{ score: 'abc' }, { budget: '1.234' }, { since: '2023-02-29' }, { vip: 'yes' }, { langs: ['es'] }, { site: 'javascript:alert(1)' }, { assistant: 'nope' }, { region: null }]) {
      const res = await api(p, 'PATCH', `/contacts/${id}`, { custom });
      expect(res.statusCode, JSON.stringify(custom)).toBe(400);
      expect(res.json().errors[0].path).toMatch(/^body\.custom\./);
    }
    expect((await api(p, 'PATCH', `/contacts/${id}`, { custom: { buddy: other.userId } })).statusCode).toBe(422);
    // Required on create; null clears an optional value.
    expect((await api(p, 'POST', '/contacts', { first_name: 'NoRegion' })).statusCode).toBe(400);
    const cleared = await api(p, 'PATCH', `/contacts/${id}`, { custom: { score: null } });
    expect(cleared.json().custom).not.toHaveProperty('score');
  });

  it('filters and sorts on custom fields with keyset pages', async () => {
    for (const [i, s] of [5, 50, 12, 99, 7].entries()) {
      await api(p, 'POST', '/contacts', { first_name: `Sorted${i}`, custom: { region: 'x', score: s, langs: i % 2 ? ['de'] : ['en'] } });
    }
    const f = encodeURIComponent(JSON.stringify({ and: [{ field: 'custom.score', op: 'gte', value: 7 }, { field: 'first_name', op: 'starts_with', value: 'Sorted' }] }));
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const res = await api(p, 'GET', `/contacts?filter=${f}&sort=-custom.score&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      seen.push(...res.json().data.map((c: { custom: { score: number } }) => c.custom.score));
      cursor = res.json().next_cursor;
    } while (cursor);
    expect(seen).toEqual([99, 50, 12, 7]);
    const langs = encodeURIComponent(JSON.stringify({ field: 'custom.langs', op: 'has_any', value: ['de'] }));
    expect((await api(p, 'GET', `/contacts?filter=${langs}`)).json().data).toHaveLength(2);
    expect((await api(p, 'GET', '/contacts?sort=custom.langs')).statusCode).toBe(400);
    expect((await api(p, 'GET', '/contacts?sort=custom.nope')).statusCode).toBe(400);
  });

  it('creates an expression index whose text matches the list sort key', async () => {
    const expr = customSortExpression('number', 'score');
    const idx = await t.db.query<{ indexdef: string }>(`SELECT indexdef FROM pg_indexes WHERE tablename = 'contacts' AND indexname LIKE 'cf_contacts_%'`);
    expect(idx.rows.length).toBeGreaterThan(0);
    expect(idx.rows.some((r) => r.indexdef.includes("'score'::text") && r.indexdef.includes('numeric'))).toBe(true);
    expect(expr).toBe(`coalesce(((custom->>'score')::numeric), '-Infinity'::numeric)`);
    // The planner can answer the sort from that index.
    const plan = await t.db.transaction(async (tx) => {
      await tx.query('SET LOCAL enable_seqscan = off');
      await tx.query('SET LOCAL enable_sort = off');
      return tx.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT id FROM contacts WHERE tenant_id = $1 AND deleted_at IS NULL ORDER BY ${expr} DESC, id DESC LIMIT 10`, [p.tenantId]);
    });
    expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/Index Scan Backward using cf_contacts_/);
  });

  it('the index function refuses an expression it did not build', async () => {
    const call = (args: string) => t.db.transaction(async (tx) => {
      await tx.query(`SELECT set_config('app.tenant_id', $1, true)`, [p.tenantId]);
      return tx.query(`SELECT crm_ensure_custom_field_index(${args})`);
    });
    await expect(call(`'contact', 'score', 'number', 'now()'`)).rejects.toThrow(/unexpected sort expression/);
    await expect(call(`'contact', 'x; drop table contacts', 'number', 'x'`)).rejects.toThrow(/invalid custom field/);
    // Without a tenant nothing happens.
    await expect(t.db.query(`SELECT crm_ensure_custom_field_index('contact', 'score', 'number', 'x')`)).rejects.toThrow(/invalid custom field/);
  });
});

describe('filtered views sorted by a custom field', () => {
  let p: Principal;
  // score null (no value) sorts as the lowest key; equal scores are ordered by id.
  const rows = [
    { tier: 'gold', score: 5, src: 'referral' }, { tier: 'gold', score: null, src: 'referral' }, { tier: 'silver', score: 5, src: 'referral' },
    { tier: 'gold', score: 9, src: 'referral' }, { tier: 'Gold', score: 5, src: 'Referral' }, { tier: null, score: 9, src: 'referral' },
    { tier: 'gold', score: null, src: 'referral' }, { tier: 'gold', score: 9, src: 'ads' }, { tier: 'gold', score: 5, src: 'referral' },
    { tier: 'gold', score: -3, src: 'referral' }, { tier: 'gold', score: null, src: null }, { tier: 'gold', score: 9, src: 'referral' },
  ];
  const created: { id: string; tier: string | null; score: number | null; src: string | null }[] = [];
  beforeAll(async () => {
    p = await signUp(t.server);
    await define(p, { entity: 'contact', key: 'tier', label: 'Tier', type: 'text' });
    await define(p, { entity: 'contact', key: 'score', label: 'Score', type: 'number' });
    for (const r of rows) {
      const custom: Record<string, unknown> = {};
      if (r.tier !== null) custom.tier = r.tier;
      if (r.score !== null) custom.score = r.score;
      const res = await api(p, 'POST', '/contacts', { first_name: 'Keyset', lead_source: r.src, custom });
      expect(res.statusCode, res.body).toBe(201);
      created.push({ id: res.json().id, ...r });
    }
  });

  async function pages(filter: unknown, sort: string, limit: number): Promise<string[]> {
    const f = encodeURIComponent(JSON.stringify(filter));
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 50; guard++) {
      const res = await api(p, 'GET', `/contacts?filter=${f}&sort=${sort}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      ids.push(...res.json().data.map((c: { id: string }) => c.id));
      cursor = res.json().next_cursor;
      if (!cursor) break;
    }
    return ids;
  }

  const key = (s: number | null) => (s === null ? -Infinity : s);
  function expected(match: (r: (typeof created)[number]) => boolean, desc: boolean): string[] {
    const sorted = created.filter(match).sort((a, b) => key(a.score) - key(b.score) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return (desc ? sorted.reverse() : sorted).map((r) => r.id);
  }

  it('continues each page exactly where the previous one ended, ties by id, NULL values last (descending)', async () => {
    const filter = { and: [{ field: 'lead_source', op: 'eq', value: 'referral' }, { field: 'custom.tier', op: 'eq', value: 'gold' }] };
    const want = expected((r) => r.src?.toLowerCase() === 'referral' && r.tier?.toLowerCase() === 'gold', true);
    expect(want).toHaveLength(8);
    for (const limit of [1, 2, 3, 50]) {
      expect(await pages(filter, '-custom.score', limit), `limit ${limit}`).toEqual(want);
    }
  });

  it('pages ascending, and with IN and range conditions on the custom fields', async () => {
    const filter = { and: [{ field: 'custom.tier', op: 'in', value: ['GOLD', 'silver'] }, { field: 'custom.score', op: 'gte', value: 5 }] };
    const want = expected((r) => ['gold', 'silver'].includes(r.tier?.toLowerCase() ?? '') && r.score !== null && r.score >= 5, false);
    expect(want).toHaveLength(7);
    for (const limit of [1, 3]) expect(await pages(filter, 'custom.score', limit)).toEqual(want);
    // Conditions the sort key cannot answer keep their meaning: NULL is not below 6, and '' is not NULL.
    expect(await pages({ field: 'custom.score', op: 'lt', value: 6 }, 'custom.score', 2)).toEqual(expected((r) => r.score !== null && r.score < 6, false));
    expect(await pages({ field: 'custom.tier', op: 'eq', value: '' }, 'custom.score', 5)).toEqual([]);
    expect(await pages({ field: 'custom.tier', op: 'neq', value: 'gold' }, '-custom.score', 2)).toEqual(expected((r) => r.tier?.toLowerCase() !== 'gold', true));
  });
});

describe('planner statistics for custom fields', () => {
  it('gives text-valued fields a statistics object on the expression their filters compare, analysed by the job, and none to numbers', async () => {
    const p = await signUp(t.server);
    const key = `stx_${Date.now().toString(36)}`;
    await define(p, { entity: 'contact', key, label: 'Stats', type: 'select', options: [{ value: 'a' }, { value: 'b' }] });
    await define(p, { entity: 'contact', key: `${key}_u`, label: 'Stats u', type: 'user' });
    await define(p, { entity: 'contact', key: `${key}_n`, label: 'Stats n', type: 'number' });
    // The expressions list-sql compiles for eq/in/neq/ranges on these fields.
    const compiled = {
      select: `lower(${customFieldSpec('custom', key, 'select').sql})`,
      user: customFieldSpec('custom', `${key}_u`, 'user').sql,
      number: customFieldSpec('custom', `${key}_n`, 'number').sql,
    };
    expect(compiled.select).toBe(`lower((custom->>'${key}'))`);
    const name = (expr: string) => `cfs_contacts_${createHash('md5').update(expr).digest('hex').slice(0, 24)}`;
    // Defining a field takes no statistics lock (that is the job's work) …
    const before = await t.db.query('SELECT 1 FROM pg_statistic_ext WHERE stxname = ANY($1)', [Object.values(compiled).map(name)]);
    expect(before.rows).toHaveLength(0);
    // … which creates the two objects and analyses contacts, once.
    expect(await refreshCustomFieldStatistics(t.db)).toBeGreaterThanOrEqual(2);
    expect(await refreshCustomFieldStatistics(t.db)).toBe(0);
    const stats = await t.db.query<{ statistics_name: string; expr: string }>(
      'SELECT statistics_name, expr FROM pg_stats_ext_exprs WHERE statistics_name = ANY($1) ORDER BY expr',
      [Object.values(compiled).map(name)]);
    expect(stats.rows).toEqual([
      { statistics_name: name(compiled.user), expr: `(custom ->> '${key}_u'::text)` },
      { statistics_name: name(compiled.select), expr: `lower((custom ->> '${key}'::text))` },
    ]);
  });

  it('lets tenants create the same text key at the same time (one shared statistics object)', async () => {
    const [a, b, c] = await Promise.all([signUp(t.server), signUp(t.server), signUp(t.server)]);
    const key = `race_${Date.now().toString(36)}`;
    const res = await Promise.all([a, b, c].map((p) => api(p, 'POST', '/custom-fields', { entity: 'contact', key, label: 'Race', type: 'text' })));
    expect(res.map((r) => r.statusCode)).toEqual([201, 201, 201]);
    await refreshCustomFieldStatistics(t.db);
    const stats = await t.db.query('SELECT 1 FROM pg_statistic_ext WHERE stxname = $1',
      [`cfs_contacts_${createHash('md5').update(`lower((custom->>'${key}'))`).digest('hex').slice(0, 24)}`]);
    expect(stats.rows).toHaveLength(1);
  });

  it('has statistics on the built-in text columns that filters lower()', async () => {
    const r = await t.db.query<{ statistics_name: string }>(
      `SELECT statistics_name FROM pg_stats_ext_exprs WHERE tablename = 'contacts' AND expr = 'lower(lead_source)'`);
    expect(r.rows.map((x) => x.statistics_name)).toEqual(['contacts_lower_lead_source_stx']);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/app.js';
import { addMember, as, signUp, type Principal } from '../../../test/factories.js';
import type { Tx } from '../../platform/db/tenant.js';

let t: TestApp;
let owner: Principal;
let other: Principal;
let viewer: Principal;
const ids: Record<string, string> = {};
beforeAll(async () => {
  t = await buildTestApp();
  owner = await signUp(t.server);
  other = await signUp(t.server);
  viewer = await addMember(t.server, owner, 'viewer');
  const post = async (p: Principal, url: string, payload: object) => {
    const res = await t.server.inject(as(p, { method: 'POST', url: `/api/v1${url}`, payload }));
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string }>().id;
  };
  ids.engines = await post(owner, '/companies', { name: 'Analytical Engines', domain: 'engines.test' });
  ids.babbage = await post(owner, '/companies', { name: 'Babbage & Co', domain: 'babbage.test' });
  ids.ada = await post(owner, '/contacts', { first_name: 'Ada', last_name: 'Lovelace', email: 'countess@engines.test', phone: '+44 20 7946 0011', company_id: ids.engines });
  ids.adam = await post(owner, '/contacts', { first_name: 'Adam', last_name: 'Smith', email: 'adam@economy.test' });
  ids.charles = await post(owner, '/contacts', { first_name: 'Charles', last_name: 'Babbage', email: 'charles@babbage.test' });
  ids.gone = await post(owner, '/contacts', { first_name: 'Adalbert', last_name: 'Gone', email: 'gone@x.test' });
  await t.server.inject(as(owner, { method: 'DELETE', url: `/api/v1/contacts/${ids.gone}` }));
  ids.theirAda = await post(other, '/contacts', { first_name: 'Ada', last_name: 'Lovelace', email: 'ada@other.test' });
});
afterAll(() => t.close());

async function search(p: Principal, query: string) {
  const res = await t.server.inject(as(p, { method: 'GET', url: `/api/v1/search?${query}` }));
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ data: { type: string; id: string; title: string; subtitle: string | null; url: string; score: number }[] }>().data;
}
const idsOf = (hits: { id: string }[]) => hits.map((h) => h.id);

describe('global search', () => {
  it('finds 3-letter prefixes and fragments, full names, email prefixes, company names and phones', async () => {
    const ada = await search(owner, 'q=ada');
    expect(idsOf(ada).slice(0, 2).sort()).toEqual([ids.ada, ids.adam].sort());
    expect(ada[0]).toMatchObject({ type: 'contact', url: expect.stringMatching(/^\/contacts\//) });
    expect(idsOf(await search(owner, `q=${encodeURIComponent('ada lovelace')}`))[0]).toBe(ids.ada);
    expect(idsOf(await search(owner, 'q=countess@eng'))).toContain(ids.ada);
    expect(idsOf(await search(owner, 'q=ovela'))).toContain(ids.ada);
    const engines = await search(owner, 'q=analytical');
    expect(engines[0]).toMatchObject({ type: 'company', id: ids.engines, title: 'Analytical Engines', subtitle: 'engines.test' });
    expect(idsOf(await search(owner, `q=${encodeURIComponent('7946 0011')}`))).toContain(ids.ada);
  });

  it('tolerates typos', async () => {
    expect(idsOf(await search(owner, 'q=lovelase'))).toContain(ids.ada);
    expect(idsOf(await search(owner, 'q=babage'))).toEqual(expect.arrayContaining([ids.babbage, ids.charles]));
  });

  it('filters by type, ranks by score and leaves out trashed records', async () => {
    const companies = await search(owner, 'q=babbage&types=company');
    expect(companies.every((h) => h.type === 'company')).toBe(true);
    const all = await search(owner, 'q=babbage');
    expect(all.map((h) => h.score)).toEqual([...all.map((h) => h.score)].sort((a, b) => b - a));
    expect(idsOf(await search(owner, 'q=adalbert'))).not.toContain(ids.gone);
  });

  it('never crosses tenants', async () => {
    expect(idsOf(await search(owner, 'q=ada'))).not.toContain(ids.theirAda);
    const theirs = await search(other, 'q=ada');
    expect(idsOf(theirs)).toEqual([ids.theirAda]);
    expect(idsOf(await search(other, 'q=analytical'))).toEqual([]);
  });

  it('returns nothing from the search functions when no tenant is set', async () => {
    const r = await t.db.query<{ id: string }>(`SELECT id FROM crm_search_contacts('ada', 20)`);
    expect(r.rows).toEqual([]);
    const s = await t.db.transaction(async (tx) => {
      await tx.query(`SELECT set_config('app.tenant_id', '', true)`);
      return tx.query<{ id: string }>(`SELECT id FROM crm_search_companies('analytical', 20)`);
    });
    expect(s.rows).toEqual([]);
  });

  it('validates its query (400) and is open to viewers', async () => {
    for (const q of ['', 'q=', 'q=x&types=invoice', 'q=x&limit=500', 'q=x&extra=1']) {
      const res = await t.server.inject(as(owner, { method: 'GET', url: `/api/v1/search?${q}` }));
      expect(res.statusCode, q).toBe(400);
    }
    expect(await search(viewer, 'q=ada')).not.toHaveLength(0);
    expect((await t.server.inject({ method: 'GET', url: '/api/v1/search?q=ada' })).statusCode).toBe(401);
  });

  it('treats LIKE wildcards literally', async () => {
    expect(await search(owner, 'q=%25%25%25')).toEqual([]);
    expect(await search(owner, 'q=___')).toEqual([]);
  });
});

describe('q on lists', () => {
  it('ranks contacts by relevance and pages through matches', async () => {
    const res = await t.server.inject(as(owner, { method: 'GET', url: '/api/v1/contacts?q=ada&limit=1' }));
    const first = res.json<{ data: { id: string }[]; next_cursor: string }>();
    expect(first.data).toHaveLength(1);
    const next = await t.server.inject(as(owner, { method: 'GET', url: `/api/v1/contacts?q=ada&limit=1&cursor=${first.next_cursor}` }));
    expect(next.statusCode, next.body).toBe(200);
    expect([first.data[0]!.id, next.json().data[0].id].sort()).toEqual([ids.ada, ids.adam].sort());
    const filtered = await t.server.inject(as(owner, {
      method: 'GET', url: `/api/v1/contacts?q=ada&filter=${encodeURIComponent(JSON.stringify({ field: 'company_id', op: 'eq', value: ids.engines }))}`,
    }));
    expect(filtered.json().data.map((c: { id: string }) => c.id)).toEqual([ids.ada]);
    const sorted = await t.server.inject(as(owner, { method: 'GET', url: '/api/v1/contacts?q=ada&sort=first_name' }));
    expect(sorted.json().data.map((c: { first_name: string }) => c.first_name)).toEqual(['Ada', 'Adam']);
  });
});

describe('search functions (deals, leads, planner settings, indexes)', () => {
  const found: Record<string, string> = {};
  beforeAll(async () => {
    const post = async (p: Principal, url: string, payload: object) => {
      const res = await t.server.inject(as(p, { method: 'POST', url: `/api/v1${url}`, payload }));
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: string }>().id;
    };
    found.dealPrefix = await post(owner, '/deals', { name: 'Hughes Expansion', value: '100.00' });
    found.dealWord = await post(owner, '/deals', { name: 'Renewal for Hughes Ltd', value: '50.00' });
    found.dealOther = await post(owner, '/deals', { name: 'Unrelated Retainer', value: '10.00' });
    found.leadPrefix = await post(owner, '/leads', { title: 'Hughes referral' });
    found.leadWord = await post(owner, '/leads', { title: 'Inbound from Hughes Media' });
    found.theirDeal = await post(other, '/deals', { name: 'Hughes Expansion', value: '100.00' });
    found.theirLead = await post(other, '/leads', { title: 'Hughes referral' });
  });

  it('ranks deal and lead prefixes before fragments and keeps typo tolerance', async () => {
    for (const [type, prefix, word] of [['deal', found.dealPrefix, found.dealWord], ['lead', found.leadPrefix, found.leadWord]] as const) {
      const hits = await search(owner, `q=hughes&types=${type}`);
      expect(idsOf(hits), type).toEqual([prefix, word]);
      expect(hits[0]!.score, type).toBe(1);
      expect(hits[1]!.score, type).toBeLessThanOrEqual(0.8);
      expect(hits[1]!.score, type).toBeGreaterThan(0);
      // "hughs": no prefix, no substring; both records by trigram similarity only.
      const typo = await search(owner, `q=hughs&types=${type}`);
      expect(idsOf(typo).sort(), type).toEqual([prefix, word].sort());
      expect(typo.every((h) => h.score < 0.8 && h.score >= 0.4), type).toBe(true);
      // A fragment inside a word (3 letters: substring only).
      expect(idsOf(await search(owner, `q=ugh&types=${type}`)).sort(), type).toEqual([prefix, word].sort());
      // When the prefix matches fill the page, they are the page.
      expect(idsOf(await search(owner, `q=hughes&types=${type}&limit=1`)), type).toEqual([prefix]);
    }
    expect(idsOf(await search(owner, 'q=retainer&types=deal'))).toEqual([found.dealOther]);
  });

  it('keeps deals and leads to their tenant', async () => {
    const mine = idsOf(await search(owner, 'q=hughes'));
    expect(mine).not.toContain(found.theirDeal);
    expect(mine).not.toContain(found.theirLead);
    expect(idsOf(await search(other, 'q=hughes')).sort()).toEqual([found.theirDeal, found.theirLead].sort());
    expect(idsOf(await search(other, 'q=hughs')).sort()).toEqual([found.theirDeal, found.theirLead].sort());
    for (const fn of ['crm_search_deals', 'crm_search_leads']) {
      expect((await t.db.query(`SELECT id FROM ${fn}('hughes', 20)`)).rows, fn).toEqual([]);
      expect((await t.db.query(`SELECT id FROM ${fn}('hughs', 20)`)).rows, fn).toEqual([]);
    }
  });

  it('restores the planner settings it changes for its trigram lookups', async () => {
    const asApp = async (tx: Tx) => {
      await tx.query(`SELECT set_config('app.tenant_id', (SELECT tenant_id::text FROM deals WHERE id = $1), true)`, [found.dealPrefix]);
      await tx.query(`SELECT set_config('role', 'pillar_app', true)`);
    };
    const settings = await t.db.transaction(async (tx) => {
      await asApp(tx);
      await tx.query(`SET LOCAL enable_indexscan = off`);
      const out: Record<string, unknown> = {};
      for (const fn of ['crm_search_contacts', 'crm_search_companies', 'crm_search_deals', 'crm_search_leads']) {
        // "hughs" has no prefix match, so each function runs its trigram branch.
        await tx.query(`SELECT * FROM ${fn}('hughs', 20)`);
        const s = await tx.query(`SELECT current_setting('enable_seqscan') AS seq, current_setting('enable_indexscan') AS idx,
                                         current_setting('enable_indexonlyscan') AS only`);
        out[fn] = s.rows[0];
      }
      return out;
    });
    for (const fn of Object.keys(settings)) expect(settings[fn], fn).toEqual({ seq: 'on', idx: 'off', only: 'on' });
    expect(Object.keys(settings)).toHaveLength(4);
    // The helper that switches them is not callable by the application role.
    await expect(t.db.transaction(async (tx) => {
      await asApp(tx);
      await tx.query(`SELECT crm_search_bitmap_only()`);
    })).rejects.toThrow(/permission denied/);
  });

  it('ranks a substring that most rows contain among its first 300 matches in id order', async () => {
    const bulk = await signUp(t.server);
    // 330 contacts share "commonplace": the sampled path (first 300 matches by id) answers, not the index.
    // Ids descend as rows are written, so the 20 lowest ids are among the last rows on disk, which
    // a scan in physical order (the index bitmap's) capped at 300 candidates would not reach.
    await t.db.query(
      `INSERT INTO contacts (tenant_id, id, first_name, last_name, email)
       SELECT $1::uuid, ('00000000-0000-4000-8000-' || lpad(to_hex(1000 - i), 12, '0'))::uuid, 'Bulk', 'Person ' || i,
              'bulk' || i || '@commonplace.test'
         FROM generate_series(1, 330) i ORDER BY i`,
      [bulk.tenantId]);
    const firstByDoc = await t.db.query<{ id: string }>(
      `SELECT id FROM contacts WHERE tenant_id = $1 ORDER BY id LIMIT 300`, [bulk.tenantId]);
    const hits = await search(bulk, 'q=commonplace&types=contact');
    expect(hits).toHaveLength(20);
    expect(hits.every((h) => h.score === 0.8)).toBe(true);
    // Equal scores: the function keeps the lowest ids (the page orders them by title).
    const expected = firstByDoc.rows.map((r) => r.id).slice(0, 20).sort();
    expect(idsOf(hits).sort()).toEqual(expected);
    expect(idsOf(await search(bulk, 'q=commonplace&types=contact')).sort()).toEqual(expected);
    // A typo of it misses the substring sample and goes through the index.
    const typo = await search(bulk, 'q=comonplace&types=contact');
    expect(typo).toHaveLength(20);
    expect(typo.every((h) => h.score > 0 && h.score < 0.8)).toBe(true);
    // A name prefix still comes first.
    const named = await t.server.inject(as(bulk, { method: 'POST', url: '/api/v1/contacts', payload: { first_name: 'Commonplace', last_name: 'Founder' } }));
    expect(named.statusCode, named.body).toBe(201);
    const withPrefix = await search(bulk, 'q=commonplace&types=contact');
    expect(withPrefix[0]).toMatchObject({ id: named.json<{ id: string }>().id, score: 1 });
    expect(withPrefix.slice(1).every((h) => h.score === 0.8)).toBe(true);
    expect(await search(owner, 'q=commonplace')).toEqual([]);
  });

  it('keeps the trigram indexes\' pending lists short', async () => {
    const r = await t.db.query<{ relname: string; reloptions: string[] | null }>(
      `SELECT relname, reloptions FROM pg_class WHERE relname LIKE '%\\_search\\_trgm\\_idx' ORDER BY relname`);
    expect(r.rows.map((x) => x.relname)).toEqual(['companies_search_trgm_idx', 'contacts_search_trgm_idx', 'deals_search_trgm_idx', 'leads_search_trgm_idx']);
    for (const row of r.rows) expect(row.reloptions, row.relname).toContain('gin_pending_list_limit=256');
  });

  it('tells which terms the trigram index can look up', async () => {
    const r = await t.db.query<{ a: boolean; b: boolean; c: boolean; d: boolean }>(
      `SELECT crm_search_indexable('ugh') AS a, crm_search_indexable('a.b.c') AS b, crm_search_indexable('%%%') AS c,
              crm_search_indexable('max.hug') AS d`);
    expect(r.rows[0]).toEqual({ a: true, b: false, c: false, d: true });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/app.js';
import { addMember, as, signUp, type Principal } from '../../../test/factories.js';

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
const row = async (id: string) => (await t.db.query<Record<string, unknown>>('SELECT * FROM companies WHERE id = $1', [id])).rows[0];

async function company(p: Principal, body: Record<string, unknown>) {
  const res = await api(p, 'POST', '/companies', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string; version: number } & Record<string, unknown>>();
}

describe('companies', () => {
  it('creates a company with a normalised domain, website and phone', async () => {
    const c = await company(owner, {
      name: 'Globex', domain: 'HTTPS://WWW.Globex.Example/about?x=1', website: 'globex.example', phone: '(212) 555-0199',
      size: '51-200', address: { city: 'New York', country: 'US' }, tags: ['Customer'], owner_id: member.userId,
    });
    expect(c).toMatchObject({
      name: 'Globex', domain: 'globex.example', website: 'https://globex.example/', phone: '+12125550199', size: '51-200',
      tags: ['customer'], owner_id: member.userId, parent_id: null, version: 1,
    });
    expect((await api(owner, 'GET', `/companies/${c.id}`)).headers.etag).toBe('"1"');
  });

  it('rejects invalid input with 400', async () => {
    for (const body of [{}, { name: '' }, { name: 'x', domain: 'not a domain' }, { name: 'x', size: 'huge' }, { name: 'x', website: 'ftp://x.test' }, { name: 'x', extra: 1 }]) {
      const res = await api(owner, 'POST', '/companies', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
  });

  it('owner must be a member and parent a company of this tenant (422)', async () => {
    const theirs = await company(other, { name: 'Theirs' });
    for (const body of [{ name: 'x', owner_id: other.userId }, { name: 'x', parent_id: theirs.id }]) {
      const res = await api(owner, 'POST', '/companies', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(422);
    }
  });

  it('builds a hierarchy, lists children and rejects cycles with 422', async () => {
    const root = await company(owner, { name: 'Root Holdings' });
    const mid = await company(owner, { name: 'Mid Co', parent_id: root.id });
    const leaf = await company(owner, { name: 'Leaf Co', parent_id: mid.id });
    const children = await api(owner, 'GET', `/companies/${root.id}/children`);
    expect(children.json().data.map((c: { id: string }) => c.id)).toEqual([mid.id]);
    const cycle = await api(owner, 'PATCH', `/companies/${root.id}`, { parent_id: leaf.id });
    expect(cycle.statusCode).toBe(422);
    const self = await api(owner, 'PATCH', `/companies/${root.id}`, { parent_id: root.id });
    expect(self.statusCode).toBe(422);
    expect((await row(root.id))!.parent_id).toBeNull();
    expect((await api(other, 'GET', `/companies/${root.id}/children`)).statusCode).toBe(404);
  });

  it('serves the company page: contacts, children, deals, activities', async () => {
    const parent = await company(owner, { name: 'Page Co' });
    await company(owner, { name: 'Page Child', parent_id: parent.id });
    await api(owner, 'POST', '/contacts', { first_name: 'On', last_name: 'Page', company_id: parent.id });
    const res = await api(owner, 'GET', `/companies/${parent.id}/related`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ counts: { contacts: 1, children: 1, deals: 0, activities: 0 } });
    expect(res.json().contacts[0].name).toBe('On Page');
    expect((await api(other, 'GET', `/companies/${parent.id}/related`)).statusCode).toBe(404);
  });

  it('updates with If-Match; stale → 412 and unchanged', async () => {
    const c = await company(owner, { name: 'Versioned' });
    const ok = await api(member, 'PATCH', `/companies/${c.id}`, { industry: 'Software' }, { 'if-match': '"1"' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ industry: 'Software', version: 2 });
    const stale = await api(owner, 'PATCH', `/companies/${c.id}`, { industry: 'Retail' }, { 'if-match': '"1"' });
    expect(stale.statusCode).toBe(412);
    expect((await row(c.id))!.industry).toBe('Software');
    const ev = await t.db.query<{ type: string }>('SELECT type FROM events WHERE entity_id = $1 ORDER BY seq', [c.id]);
    expect(ev.rows.map((e) => e.type)).toEqual(['company.created', 'company.updated']);
  });

  it('another tenant: 404 on every route, rows unchanged', async () => {
    const c = await company(owner, { name: 'Secret Co' });
    const before = await row(c.id);
    for (const [method, url, body] of [
      ['GET', `/companies/${c.id}`], ['PATCH', `/companies/${c.id}`, { name: 'Pwned' }], ['DELETE', `/companies/${c.id}`],
      ['GET', `/companies/${c.id}/duplicates`], ['POST', `/companies/${c.id}/merge`, { other_id: c.id }],
    ] as const) {
      expect((await api(other, method, url, body)).statusCode, `${method} ${url}`).toBe(404);
    }
    expect(await row(c.id)).toEqual(before);
  });

  it('viewer may read, not write (403, nothing written)', async () => {
    const c = await company(owner, { name: 'Viewable' });
    expect((await api(viewer, 'GET', '/companies')).statusCode).toBe(200);
    expect((await api(viewer, 'POST', '/companies', { name: 'Nope' })).statusCode).toBe(403);
    expect((await api(viewer, 'PATCH', `/companies/${c.id}`, { name: 'Nope' })).statusCode).toBe(403);
    expect((await api(viewer, 'DELETE', `/companies/${c.id}`)).statusCode).toBe(403);
    expect(await row(c.id)).toMatchObject({ name: 'Viewable', deleted_at: null });
  });

  it('trash, restore and purge through the service functions', async () => {
    const { restoreCompany, purgeCompany } = await import('./index.js');
    const ctx = { db: t.db, tenantId: owner.tenantId, userId: owner.userId, role: 'owner' as const, actor: { type: 'user' as const, id: owner.userId }, requestId: null, ip: null };
    const c = await company(owner, { name: 'Binned' });
    await expect(purgeCompany(ctx, c.id)).rejects.toMatchObject({ code: 'conflict' });
    expect((await api(owner, 'DELETE', `/companies/${c.id}`)).statusCode).toBe(204);
    expect((await api(owner, 'GET', `/companies/${c.id}`)).statusCode).toBe(404);
    const back = await restoreCompany(ctx, c.id);
    expect(back.deleted_at).toBeNull();
    expect((await api(owner, 'DELETE', `/companies/${c.id}`)).statusCode).toBe(204);
    await purgeCompany(ctx, c.id);
    expect(await row(c.id)).toBeUndefined();
    const otherCtx = { ...ctx, tenantId: other.tenantId, userId: other.userId };
    const mine = await company(owner, { name: 'Not yours' });
    await expect(restoreCompany(otherCtx, mine.id)).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('company lists', () => {
  let lister: Principal;
  beforeAll(async () => {
    lister = await signUp(t.server);
    for (const [i, name] of ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo', 'Foxtrot', 'Golf'].entries()) {
      await company(lister, { name, industry: i % 2 ? 'Retail' : 'Software', tags: i < 3 ? ['vip'] : [], address: { city: i < 4 ? 'Paris' : 'Rome' } });
    }
  });

  it('pages by keyset without gaps or repeats, in any sort', async () => {
    for (const sort of ['name', '-name', 'created_at', '-updated_at', 'industry']) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await api(lister, 'GET', `/companies?limit=3&sort=${sort}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.statusCode, res.body).toBe(200);
        const body = res.json<{ data: { name: string }[]; next_cursor: string | null }>();
        seen.push(...body.data.map((c) => c.name));
        cursor = body.next_cursor;
      } while (cursor);
      expect(seen, sort).toHaveLength(7);
      expect(new Set(seen).size).toBe(7);
      if (sort === 'name') expect(seen).toEqual(['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo', 'Foxtrot', 'Golf']);
    }
  });

  it('filters on standard fields and tags; bad filters, sorts and cursors are 400', async () => {
    const f = encodeURIComponent(JSON.stringify({ and: [{ field: 'industry', op: 'eq', value: 'software' }, { field: 'city', op: 'eq', value: 'Paris' }] }));
    const res = await api(lister, 'GET', `/companies?filter=${f}&sort=name`);
    expect(res.json().data.map((c: { name: string }) => c.name)).toEqual(['Alpha', 'Charlie']);
    const tags = encodeURIComponent(JSON.stringify({ field: 'tags', op: 'has_any', value: ['vip'] }));
    expect((await api(lister, 'GET', `/companies?filter=${tags}`)).json().data).toHaveLength(3);
    for (const q of ['filter=%7Bnope', `filter=${encodeURIComponent(JSON.stringify({ field: 'secret', op: 'eq', value: 1 }))}`, 'sort=tags', 'cursor=garbage', 'limit=1000']) {
      expect((await api(lister, 'GET', `/companies?${q}`)).statusCode, q).toBe(400);
    }
    const page = (await api(lister, 'GET', '/companies?limit=2&sort=name')).json<{ next_cursor: string }>();
    expect((await api(lister, 'GET', `/companies?limit=2&sort=-name&cursor=${page.next_cursor}`)).statusCode).toBe(400);
  });

  it('searches by q: prefix, fragment and typo', async () => {
    const names = async (q: string): Promise<string[]> =>
      (await api(lister, 'GET', `/companies?q=${encodeURIComponent(q)}`)).json<{ data: { name: string }[] }>().data.map((c) => c.name);
    expect(await names('char')).toEqual(['Charlie']);
    expect(await names('oxtr')).toEqual(['Foxtrot']);
    expect(await names('Foxtrott')).toContain('Foxtrot');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/app.js';
import { addMember, as, signUp, type Principal } from '../../../test/factories.js';

let t: TestApp;
let owner: Principal;
let other: Principal;
let member: Principal;
beforeAll(async () => {
  t = await buildTestApp();
  owner = await signUp(t.server);
  other = await signUp(t.server);
  member = await addMember(t.server, owner, 'member');
  for (const [url, payload] of [
    ['/contacts', { first_name: 'A', tags: ['VIP', 'lead magnet'] }], ['/contacts', { first_name: 'B', tags: ['vip'] }],
    ['/contacts', { first_name: 'C', tags: ['gold', 'vip'] }], ['/companies', { name: 'Co', tags: ['vip', 'partner'] }],
  ] as const) {
    expect((await t.server.inject(as(owner, { method: 'POST', url: `/api/v1${url}`, payload }))).statusCode).toBe(201);
  }
  await t.server.inject(as(other, { method: 'POST', url: '/api/v1/contacts', payload: { first_name: 'Z', tags: ['vip'] } }));
});
afterAll(() => t.close());

const api = (p: Principal, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
  t.server.inject(as(p, { method, url: `/api/v1${url}`, ...(payload ? { payload } : {}) }));

describe('tags', () => {
  it('lists tags with counts per record type', async () => {
    const res = await api(member, 'GET', '/tags');
    expect(res.statusCode).toBe(200);
    expect(res.json().data[0]).toEqual({ tag: 'vip', total: 4, counts: { contact: 3, company: 1, lead: 0, deal: 0 } });
    expect((await api(owner, 'GET', '/tags?entity=company')).json().data.map((x: { tag: string }) => x.tag).sort()).toEqual(['partner', 'vip']);
  });

  it('renames a tag across records, merging with an existing one', async () => {
    const res = await api(owner, 'POST', '/tags/rename', { from: 'VIP', to: 'Gold', entity: 'contact' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ updated: 3 });
    const tags = await t.db.query<{ tags: string[] }>(`SELECT tags FROM contacts WHERE tenant_id = $1 ORDER BY first_name`, [owner.tenantId]);
    expect(tags.rows.map((r) => r.tags)).toEqual([['gold', 'lead magnet'], ['gold'], ['gold']]);
    // The company and the other tenant keep theirs.
    expect((await api(owner, 'GET', '/tags?entity=company')).json().data.map((x: { tag: string }) => x.tag)).toContain('vip');
    expect((await api(other, 'GET', '/tags')).json().data).toEqual([{ tag: 'vip', total: 1, counts: { contact: 1, company: 0, lead: 0, deal: 0 } }]);
  });

  it('removes a tag everywhere', async () => {
    const res = await api(owner, 'DELETE', `/tags/${encodeURIComponent('lead magnet')}`);
    expect(res.json()).toEqual({ updated: 1 });
    expect((await api(owner, 'GET', '/tags')).json().data.map((x: { tag: string }) => x.tag)).not.toContain('lead magnet');
  });

  it('needs records:bulk to change tags (403, nothing changed) and validates input', async () => {
    expect((await api(member, 'POST', '/tags/rename', { from: 'gold', to: 'x' })).statusCode).toBe(403);
    expect((await api(member, 'DELETE', '/tags/gold')).statusCode).toBe(403);
    expect((await api(owner, 'POST', '/tags/rename', { from: 'gold', to: ' GOLD ' })).statusCode).toBe(400);
    expect((await api(owner, 'POST', '/tags/rename', { from: 'gold' })).statusCode).toBe(400);
    // A NUL byte (which PostgreSQL text cannot hold) or another control character in the path is refused, not a 500.
    expect((await api(owner, 'DELETE', '/tags/%00')).statusCode).toBe(400);
    expect((await api(owner, 'DELETE', '/tags/a%07b')).statusCode).toBe(400);
    const n = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM contacts WHERE tenant_id = $1 AND 'gold' = ANY(tags)`, [owner.tenantId]);
    expect(n.rows[0]!.n).toBe(3);
    // Another tenant's rename touches only its own rows.
    await api(other, 'POST', '/tags/rename', { from: 'gold', to: 'stolen' });
    expect((await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM contacts WHERE tenant_id = $1 AND 'gold' = ANY(tags)`, [owner.tenantId])).rows[0]!.n).toBe(3);
  });
});

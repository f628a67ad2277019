import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/app.js';
import { count, defineCustomField, sql } from '../../../test/data-fixtures.js';
import { addMember, as, signUp, type Principal } from '../../../test/factories.js';

let t: TestApp;
let owner: Principal;
let member: Principal;
let viewer: Principal;
let other: Principal;
beforeAll(async () => {
  t = await buildTestApp();
  owner = await signUp(t.server);
  member = await addMember(t.server, owner, 'member');
  viewer = await addMember(t.server, owner, 'viewer');
  other = await signUp(t.server);
  await defineCustomField(t.db, owner.tenantId, 'contact', 'tier', 'select', ['Gold', 'Silver']);
});
afterAll(() => t.close());

const filter = { and: [{ field: 'tags', op: 'has_any', value: ['vip'] }, { field: 'custom.tier', op: 'eq', value: 'Gold' }] };
const create = (p: Principal, payload: object) => t.server.inject(as(p, { method: 'POST', url: '/api/v1/views', payload }));

describe('saved views', () => {
  it('creates, reads, lists, changes and deletes a view with ETags', async () => {
    const res = await create(member, { name: 'Gold VIPs', entity: 'contacts', filter, sort: '-created_at', columns: ['first_name', 'email', 'custom.tier'] });
    expect(res.statusCode, res.body).toBe(201);
    const view = res.json();
    expect(view).toMatchObject({ name: 'Gold VIPs', entity: 'contacts', filter, sort: '-created_at', is_shared: false, owner_id: member.userId, version: 1 });
    expect(res.headers.etag).toBe('"1"');
    const got = await t.server.inject(as(member, { method: 'GET', url: `/api/v1/views/${view.id}` }));
    expect(got.json()).toEqual(view);
    const list = await t.server.inject(as(member, { method: 'GET', url: '/api/v1/views?entity=contacts' }));
    expect(list.json().data.map((v: { id: string }) => v.id)).toContain(view.id);
    const patched = await t.server.inject(as(member, { method: 'PATCH', url: `/api/v1/views/${view.id}`, headers: { 'if-match': '"1"' }, payload: { name: 'Gold', filter: null } }));
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ name: 'Gold', filter: null, version: 2 });
    const stale = await t.server.inject(as(member, { method: 'PATCH', url: `/api/v1/views/${view.id}`, headers: { 'if-match': '"1"' }, payload: { name: 'X' } }));
    expect(stale.statusCode).toBe(412);
    const staleDelete = await t.server.inject(as(member, { method: 'DELETE', url: `/api/v1/views/${view.id}`, headers: { 'if-match': '"1"' } }));
    expect(staleDelete.statusCode).toBe(412);
    expect((await sql(t.db, 'SELECT name FROM saved_views WHERE id = $1', [view.id]))[0]).toEqual({ name: 'Gold' });
    const del = await t.server.inject(as(member, { method: 'DELETE', url: `/api/v1/views/${view.id}`, headers: { 'if-match': '"2"' } }));
    expect(del.statusCode).toBe(204);
    expect(await count(t.db, 'saved_views WHERE id = $1', [view.id])).toBe(0);
    expect(await count(t.db, `audit_log WHERE entity = 'saved_view' AND entity_id = $1`, [view.id])).toBe(3);
  });

  it('rejects unknown fields, bad sorts and malformed filters with 400', async () => {
    for (const payload of [
      { name: 'x', entity: 'contacts', filter: { field: 'nope', op: 'eq', value: 1 } },
      { name: 'x', entity: 'contacts', sort: 'tags' },
      { name: 'x', entity: 'deals', columns: ['first_name'] },
      { name: 'x', entity: 'contacts', filter: { field: 'email', op: 'bogus' } },
      { name: '', entity: 'contacts' },
      { name: 'x', entity: 'widgets' },
    ]) {
      const res = await create(owner, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect(await count(t.db, `saved_views WHERE tenant_id = $1 AND name = 'x'`, [owner.tenantId])).toBe(0);
  });

  it('shares with the firm only with views:share; others see shared views read-only', async () => {
    const denied = await create(member, { name: 'Team', entity: 'deals', is_shared: true });
    expect(denied.statusCode).toBe(403);
    expect(await count(t.db, `saved_views WHERE tenant_id = $1 AND name = 'Team'`, [owner.tenantId])).toBe(0);
    const shared = (await create(owner, { name: 'Team', entity: 'deals', is_shared: true })).json();
    const mine = (await create(owner, { name: 'Private', entity: 'deals' })).json();
    const seen = (await t.server.inject(as(viewer, { method: 'GET', url: '/api/v1/views?entity=deals' }))).json().data.map((v: { id: string }) => v.id);
    expect(seen).toContain(shared.id);
    expect(seen).not.toContain(mine.id);
    expect((await t.server.inject(as(viewer, { method: 'GET', url: `/api/v1/views/${mine.id}` }))).statusCode).toBe(404);
    const edit = await t.server.inject(as(member, { method: 'PATCH', url: `/api/v1/views/${shared.id}`, payload: { name: 'Mine now' } }));
    expect(edit.statusCode).toBe(403);
    const share = await t.server.inject(as(member, { method: 'PATCH', url: `/api/v1/views/${shared.id}`, payload: { is_shared: false } }));
    expect(share.statusCode).toBe(403);
    expect((await sql(t.db, 'SELECT name, is_shared FROM saved_views WHERE id = $1', [shared.id]))[0]).toEqual({ name: 'Team', is_shared: true });
  });

  it('pages with a cursor', async () => {
    for (const name of ['a', 'b', 'c']) await create(viewer, { name, entity: 'leads' });
    const p1 = (await t.server.inject(as(viewer, { method: 'GET', url: '/api/v1/views?entity=leads&limit=2' }))).json();
    expect(p1.data).toHaveLength(2);
    const p2 = (await t.server.inject(as(viewer, { method: 'GET', url: `/api/v1/views?entity=leads&limit=2&cursor=${p1.next_cursor}` }))).json();
    expect(p2.data.map((v: { name: string }) => v.name)).toEqual(['c']);
    expect(p2.next_cursor).toBeNull();
    expect((await t.server.inject(as(viewer, { method: 'GET', url: '/api/v1/views?cursor=garbage' }))).statusCode).toBe(400);
  });

  it('another tenant gets 404 and changes nothing', async () => {
    const view = (await create(owner, { name: 'Shared one', entity: 'contacts', is_shared: true })).json();
    expect((await t.server.inject(as(other, { method: 'GET', url: `/api/v1/views/${view.id}` }))).statusCode).toBe(404);
    expect((await t.server.inject(as(other, { method: 'PATCH', url: `/api/v1/views/${view.id}`, payload: { name: 'hijack' } }))).statusCode).toBe(404);
    expect((await t.server.inject(as(other, { method: 'DELETE', url: `/api/v1/views/${view.id}` }))).statusCode).toBe(404);
    const list = (await t.server.inject(as(other, { method: 'GET', url: '/api/v1/views' }))).json();
    expect(list.data).toEqual([]);
    expect((await sql(t.db, 'SELECT name, version FROM saved_views WHERE id = $1', [view.id]))[0]).toEqual({ name: 'Shared one', version: 1 });
  });
});

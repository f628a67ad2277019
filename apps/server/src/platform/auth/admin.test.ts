import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/app.js';
import { addMember, as, signUp, uniqueEmail, type Principal } from '../../../test/factories.js';
import { withSystem } from '../db/system.js';

let t: TestApp;
let owner: Principal;
let other: Principal;
beforeAll(async () => {
  t = await buildTestApp();
  owner = await signUp(t.server);
  other = await signUp(t.server);
});
afterAll(() => t.close());

const count = async (sql: string, params: unknown[]) =>
  (await withSystem(t.db, (tx) => tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params))).rows[0]!.n;

describe('API keys', () => {
  it('creates a key shown once, authenticates with it, and stops after revocation', async () => {
    const created = await t.server.inject(as(owner, { method: 'POST', url: '/api/v1/api-keys', payload: { name: 'Zapier', role: 'member' } }));
    expect(created.statusCode).toBe(201);
    const { key, id } = created.json<{ key: string; id: string }>();
    const stored = await withSystem(t.db, (tx) => tx.query<{ secret_hash: string }>('SELECT secret_hash FROM api_keys WHERE id = $1', [id]));
    expect(stored.rows[0]?.secret_hash).not.toContain(key.split('_')[2]);
    const list = await t.server.inject(as(owner, { method: 'GET', url: '/api/v1/api-keys' }));
    expect(JSON.stringify(list.json())).not.toContain(key);

    const me = await t.server.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${key}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json().tenant).toMatchObject({ tenant_id: owner.tenantId, role: 'member' });
    // A member key may not manage users.
    const denied = await t.server.inject({ method: 'GET', url: '/api/v1/invitations', headers: { authorization: `Bearer ${key}` } });
    expect(denied.statusCode).toBe(403);

    expect((await t.server.inject(as(owner, { method: 'DELETE', url: `/api/v1/api-keys/${id}` }))).statusCode).toBe(204);
    const after = await t.server.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${key}` } });
    expect(after.statusCode).toBe(401);
    const wrongSecret = await t.server.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${key.slice(0, -2)}xx` } });
    expect(wrongSecret.statusCode).toBe(401);
  });

  it('another tenant cannot revoke or see the key (404, unchanged)', async () => {
    const created = await t.server.inject(as(owner, { method: 'POST', url: '/api/v1/api-keys', payload: { name: 'CI', role: 'viewer' } }));
    const id = created.json<{ id: string }>().id;
    const res = await t.server.inject(as(other, { method: 'DELETE', url: `/api/v1/api-keys/${id}` }));
    expect(res.statusCode).toBe(404);
    expect(await count('api_keys WHERE id = $1 AND revoked_at IS NULL', [id])).toBe(1);
    const list = await t.server.inject(as(other, { method: 'GET', url: '/api/v1/api-keys' }));
    expect(list.json().data.map((k: { id: string }) => k.id)).not.toContain(id);
  });

  it('nobody grants a role above their own', async () => {
    const admin = await addMember(t.server, owner, 'admin');
    const res = await t.server.inject(as(admin, { method: 'POST', url: '/api/v1/api-keys', payload: { name: 'x', role: 'owner' } }));
    expect(res.statusCode).toBe(400);
  });
});

describe('members and roles', () => {
  it('a viewer is refused before anything is written', async () => {
    const viewer = await addMember(t.server, owner, 'viewer');
    const email = uniqueEmail();
    const res = await t.server.inject(as(viewer, { method: 'POST', url: '/api/v1/invitations', payload: { email, role: 'member' } }));
    expect(res.statusCode).toBe(403);
    expect(await count('invitations WHERE email = $1', [email])).toBe(0);
  });

  it('changes roles with If-Match and answers 412 on a stale version', async () => {
    const member = await addMember(t.server, owner, 'member');
    const list = await t.server.inject(as(owner, { method: 'GET', url: '/api/v1/members' }));
    const row = list.json().data.find((m: { user_id: string }) => m.user_id === member.userId);
    const ok = await t.server.inject(as(owner, { method: 'PATCH', url: `/api/v1/members/${member.userId}`, payload: { role: 'manager' }, headers: { 'if-match': `"${row.version}"` } }));
    expect(ok.statusCode).toBe(200);
    expect(ok.headers.etag).toBe(`"${row.version + 1}"`);
    const stale = await t.server.inject(as(owner, { method: 'PATCH', url: `/api/v1/members/${member.userId}`, payload: { role: 'viewer' }, headers: { 'if-match': `"${row.version}"` } }));
    expect(stale.statusCode).toBe(412);
    expect(await count(`memberships WHERE user_id = $1 AND role = 'manager'`, [member.userId])).toBe(1);
  });

  it('keeps at least one owner', async () => {
    const res = await t.server.inject(as(owner, { method: 'DELETE', url: `/api/v1/members/${owner.userId}` }));
    expect(res.statusCode).toBe(409);
    const demote = await t.server.inject(as(owner, { method: 'PATCH', url: `/api/v1/members/${owner.userId}`, payload: { role: 'admin' } }));
    expect(demote.statusCode).toBe(409);
  });

  it('another tenant gets 404 for this tenant\'s members and invitations', async () => {
    const member = await addMember(t.server, owner, 'member');
    const patch = await t.server.inject(as(other, { method: 'PATCH', url: `/api/v1/members/${member.userId}`, payload: { role: 'admin' } }));
    expect(patch.statusCode).toBe(404);
    const del = await t.server.inject(as(other, { method: 'DELETE', url: `/api/v1/members/${member.userId}` }));
    expect(del.statusCode).toBe(404);
    const inv = await t.server.inject(as(owner, { method: 'POST', url: '/api/v1/invitations', payload: { email: uniqueEmail(), role: 'member' } }));
    const revoke = await t.server.inject(as(other, { method: 'DELETE', url: `/api/v1/invitations/${inv.json().id}` }));
    expect(revoke.statusCode).toBe(404);
    expect(await count(`memberships WHERE user_id = $1 AND role = 'member'`, [member.userId])).toBe(1);
    expect(await count('invitations WHERE id = $1', [inv.json().id])).toBe(1);
  });
});

describe('audit log', () => {
  it('records who changed what, and only admins read it', async () => {
    const res = await t.server.inject(as(owner, { method: 'PATCH', url: '/api/v1/tenant', payload: { timezone: 'Europe/Paris' } }));
    expect(res.statusCode).toBe(200);
    const audit = await t.server.inject(as(owner, { method: 'GET', url: '/api/v1/audit?entity=tenant&limit=1' }));
    expect(audit.statusCode).toBe(200);
    expect(audit.json().data[0]).toMatchObject({
      action: 'tenant.update', actor_type: 'user', actor_id: owner.userId, ip: '127.0.0.1',
      changes: { timezone: { before: 'UTC', after: 'Europe/Paris' } },
    });
    expect(audit.json().data[0].request_id).toBe(res.headers['x-request-id']);
    const member = await addMember(t.server, owner, 'member');
    expect((await t.server.inject(as(member, { method: 'GET', url: '/api/v1/audit' }))).statusCode).toBe(403);
    const otherAudit = await t.server.inject(as(other, { method: 'GET', url: '/api/v1/audit?limit=200' }));
    expect(otherAudit.json().data.every((e: { entity_id: string | null }) => e.entity_id !== owner.tenantId)).toBe(true);
  });

  it('pages with an opaque cursor', async () => {
    const p1 = await t.server.inject(as(owner, { method: 'GET', url: '/api/v1/audit?limit=2' }));
    const { data, next_cursor } = p1.json<{ data: { id: string }[]; next_cursor: string }>();
    expect(data).toHaveLength(2);
    const p2 = await t.server.inject(as(owner, { method: 'GET', url: `/api/v1/audit?limit=2&cursor=${next_cursor}` }));
    expect(p2.json().data[0].id < data[1]!.id).toBe(true);
  });
});

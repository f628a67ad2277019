/**
 * Privacy: a contact's data export and erasure (nothing personal left in
 * records, timeline, search, audit details or events — checked by scanning
 * every tenant table for a unique marker), a whole firm's streamed export
 * (owner only, no secrets) and deletion (owner only, name confirmed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSystem } from '../../src/platform/db/system.js';
import { addMember, as, type Principal } from '../factories.js';
import { createHarness, createTenant, diffSnapshots, isProblem, rowsContaining, SETUP_TIMEOUT, snapshot, type Harness, type Tenant } from './lib/harness.js';

let h: Harness;
let A: Tenant;
let B: Tenant;
let admin: Principal;
let member: Principal;
let viewer: Principal;

beforeAll(async () => {
  h = await createHarness();
  A = await createTenant(h, 'privacyA', { everyRole: false });
  B = await createTenant(h, 'privacyB', { everyRole: false });
  admin = await addMember(h.t.server, A.owner, 'admin');
  member = await addMember(h.t.server, A.owner, 'member');
  viewer = await addMember(h.t.server, A.owner, 'viewer');
}, SETUP_TIMEOUT);
afterAll(() => h?.t.close());

const rowsContainingIn = (tenantId: string, needle: string) => rowsContaining(h, tenantId, needle);

async function makeContact(owner: Principal, marker: string) {
  const res = await h.request(as(owner, { method: 'POST', url: '/api/v1/contacts', payload: { first_name: `Ada${marker}`, last_name: 'Lovelace', email: `${marker}@example.test`, notes: `private ${marker}` } }));
  expect(res.statusCode, res.body).toBe(201);
  const contact = res.json<{ id: string; version: number }>();
  const patched = await h.request(as(owner, { method: 'PATCH', url: `/api/v1/contacts/${contact.id}`, payload: { last_name: `King${marker}` } }));
  expect(patched.statusCode, patched.body).toBe(200);
  if (h.ops.some((o) => o.key === 'POST /api/v1/activities')) {
    const act = await h.request(as(owner, { method: 'POST', url: '/api/v1/activities', payload: { type: 'note', subject: `Call with ${marker}`, body: `about ${marker}`, contact_id: contact.id } }));
    expect(act.statusCode, act.body).toBeLessThan(300);
  }
  return contact.id;
}

describe('a contact', () => {
  it('privacy export: everything about the contact, to those who may export, 404 across firms', { timeout: 120_000 }, async () => {
    const marker = `pe${Math.random().toString(36).slice(2, 10)}`;
    const id = await makeContact(A.owner, marker);
    const res = await h.request(as(member, { method: 'GET', url: `/api/v1/contacts/${id}/privacy-export` }));
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ records: Record<string, { id: string; email?: string }[]>; audit: { action: string }[] }>();
    expect(body.records.contacts?.[0]).toMatchObject({ id, email: `${marker}@example.test` });
    expect(body.audit.length).toBeGreaterThanOrEqual(2);
    expect(res.headers['cache-control']).toBe('no-store');
    const other = await h.request(as(B.owner, { method: 'GET', url: `/api/v1/contacts/${id}/privacy-export` }));
    expect(other.statusCode).toBe(404);
    expect(other.body).not.toContain(marker);
    expect((await h.request(as(viewer, { method: 'GET', url: `/api/v1/contacts/${id}/privacy-export` }))).statusCode).toBe(403);
  });

  it('erase: nothing personal remains anywhere; the audit keeps that it happened', { timeout: 120_000 }, async () => {
    const marker = `er${Math.random().toString(36).slice(2, 10)}`;
    const id = await makeContact(A.owner, marker);
    expect(Object.keys(await rowsContainingIn(A.id, marker)).length).toBeGreaterThan(0);
    const bBefore = await snapshot(h, B.id);

    expect((await h.request(as(member, { method: 'POST', url: `/api/v1/contacts/${id}/erase` }))).statusCode).toBe(403);
    expect((await h.request(as(B.owner, { method: 'POST', url: `/api/v1/contacts/${id}/erase` }))).statusCode).toBe(404);
    expect(Object.keys(await rowsContainingIn(A.id, marker)).length).toBeGreaterThan(0);

    const res = await h.request(as(admin, { method: 'POST', url: `/api/v1/contacts/${id}/erase` }));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id, audit_entries_scrubbed: expect.any(Number) });

    expect(await rowsContainingIn(A.id, marker)).toEqual({});
    const erasure = await withSystem(h.t.db, (tx) => tx.query<{ action: string; actor_id: string }>(
      `SELECT action, actor_id FROM audit_log WHERE tenant_id = $1 AND entity = 'contact' AND entity_id = $2 ORDER BY id`, [A.id, id]));
    expect(erasure.rows.map((r) => r.action)).toContain('contact.erase');
    expect(erasure.rows.find((r) => r.action === 'contact.erase')?.actor_id).toBe(admin.userId);
    if (h.ops.some((o) => o.key === 'GET /api/v1/search')) {
      const search = await h.request(as(A.owner, { method: 'GET', url: `/api/v1/search?q=${marker}` }));
      expect(search.body).not.toContain(marker.slice(2));
    }
    expect((await h.request(as(A.owner, { method: 'GET', url: `/api/v1/contacts/${id}` }))).statusCode).toBe(404);
    expect((await h.request(as(A.owner, { method: 'POST', url: `/api/v1/contacts/${id}/erase` }))).statusCode).toBe(404);
    expect(diffSnapshots(bBefore, await snapshot(h, B.id))).toEqual([]);
  });
});

describe('a whole firm', () => {
  it('export: owner only, streamed JSON of every table, no secrets, no other firm', { timeout: 120_000 }, async () => {
    const marker = `te${Math.random().toString(36).slice(2, 10)}`;
    await makeContact(A.owner, marker);
    expect((await h.request(as(admin, { method: 'GET', url: '/api/v1/tenant/export' }))).statusCode).toBe(403);
    const res = await h.request(as(A.owner, { method: 'GET', url: '/api/v1/tenant/export' }));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    const doc = res.json<{ tenant: { id: string }; tables: Record<string, Record<string, unknown>[]> }>();
    expect(doc.tenant.id).toBe(A.id);
    expect(Object.keys(doc.tables)).toEqual(expect.arrayContaining(['contacts', 'audit_log', 'api_keys', 'memberships']));
    expect(doc.tables.contacts!.some((c) => String(c.email).includes(marker))).toBe(true);
    for (const rows of Object.values(doc.tables)) {
      for (const row of rows) {
        expect(row.tenant_id ?? A.id).toBe(A.id);
        expect(Object.keys(row).filter((k) => /hash|secret|sealed|token/.test(k))).toEqual([]);
      }
    }
    expect(res.body).not.toContain(B.marker);
  });

  it('delete: owner only, the exact name confirms, every row goes, other firms untouched', { timeout: 120_000 }, async () => {
    const C = await createTenant(h, 'doomed', { everyRole: false });
    await makeContact(C.owner, `dl${C.marker}`);
    const cAdmin = await addMember(h.t.server, C.owner, 'admin');
    const name = (await h.request(as(C.owner, { method: 'GET', url: '/api/v1/tenant' }))).json<{ name: string }>().name;
    const bBefore = await snapshot(h, B.id);

    expect((await h.request(as(cAdmin, { method: 'DELETE', url: '/api/v1/tenant', payload: { confirm_name: name } }))).statusCode).toBe(403);
    const wrong = await h.request(as(C.owner, { method: 'DELETE', url: '/api/v1/tenant', payload: { confirm_name: `${name} ` } }));
    expect(wrong.statusCode).toBe(422);
    expect(isProblem(wrong)).toBe(true);
    const rowCount = async () => Object.values(await snapshot(h, C.id)).reduce((n, v) => n + Number(v.split(' ')[0]), 0);
    expect(await rowCount()).toBeGreaterThan(0);

    const res = await h.request(as(C.owner, { method: 'DELETE', url: '/api/v1/tenant', payload: { confirm_name: name } }));
    expect(res.statusCode, res.body).toBe(204);
    expect(await rowCount()).toBe(0);
    const users = await withSystem(h.t.db, (tx) => tx.query('SELECT 1 FROM users WHERE id = ANY($1::uuid[])', [[C.owner.userId, cAdmin.userId]]));
    expect(users.rows).toHaveLength(0);
    expect((await h.request(as(C.owner, { method: 'GET', url: '/api/v1/auth/me' }))).statusCode).toBe(401);
    expect(diffSnapshots(bBefore, await snapshot(h, B.id))).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/app.js';
import { count, insertCompany, insertContacts, insertLead, insertPipeline, sql } from '../../../test/data-fixtures.js';
import { addMember, as, signUp, type Principal } from '../../../test/factories.js';
import { systemContext } from '../../platform/db/tenant.js';
import { purgeTrash } from './index.js';

let t: TestApp;
let owner: Principal;
let other: Principal;
beforeAll(async () => {
  t = await buildTestApp();
  owner = await signUp(t.server);
  other = await signUp(t.server);
});
afterAll(() => t.close());

const trash = async (table: string, id: string, ago = '1 minute') =>
  sql(t.db, `UPDATE ${table} SET deleted_at = now() - $2::interval WHERE id = $1`, [id, ago]);

describe('trash', () => {
  it('lists deleted records of all four types, newest first, with a cursor', async () => {
    const [contact] = await insertContacts(t.db, owner.tenantId, 1, () => ({ first_name: 'Ada', last_name: 'Lovelace' }));
    const company = await insertCompany(t.db, owner.tenantId, 'Acme');
    const lead = await insertLead(t.db, owner.tenantId, 'Big lead');
    const { dealIds } = await insertPipeline(t.db, owner.tenantId, 1);
    await trash('contacts', contact!, '4 minutes');
    await trash('companies', company, '3 minutes');
    await trash('leads', lead, '2 minutes');
    await trash('deals', dealIds[0]!, '1 minute');
    const p1 = await t.server.inject(as(owner, { method: 'GET', url: '/api/v1/trash?limit=3' }));
    expect(p1.statusCode, p1.body).toBe(200);
    expect(p1.json().data.map((i: { entity: string; name: string }) => `${i.entity}:${i.name}`)).toEqual(['deals:Deal 1', 'leads:Big lead', 'companies:Acme']);
    const item = p1.json().data[0];
    expect(Date.parse(item.purge_after) - Date.parse(item.deleted_at)).toBe(30 * 86_400_000);
    const p2 = await t.server.inject(as(owner, { method: 'GET', url: `/api/v1/trash?limit=3&cursor=${p1.json().next_cursor}` }));
    expect(p2.json().data.map((i: { name: string }) => i.name)).toEqual(['Ada Lovelace']);
    expect(p2.json().next_cursor).toBeNull();
    const only = await t.server.inject(as(owner, { method: 'GET', url: '/api/v1/trash?entity=leads' }));
    expect(only.json().data.map((i: { id: string }) => i.id)).toEqual([lead]);
    expect((await t.server.inject(as(other, { method: 'GET', url: '/api/v1/trash' }))).json().data).toEqual([]);
    expect((await t.server.inject(as(owner, { method: 'GET', url: '/api/v1/trash?entity=widgets' }))).statusCode).toBe(400);
    expect((await t.server.inject(as(owner, { method: 'GET', url: '/api/v1/trash?cursor=bm9wZQ' }))).statusCode).toBe(400);
  });

  it('restores a record with an audit row and an event; If-Match is checked', async () => {
    const [id] = await insertContacts(t.db, owner.tenantId, 1, () => ({ first_name: 'Grace', last_name: 'Hopper' }));
    await trash('contacts', id!);
    const stale = await t.server.inject(as(owner, { method: 'POST', url: `/api/v1/trash/contacts/${id}/restore`, headers: { 'if-match': '"7"' } }));
    expect(stale.statusCode).toBe(412);
    const res = await t.server.inject(as(owner, { method: 'POST', url: `/api/v1/trash/contacts/${id}/restore`, headers: { 'if-match': '"1"' } }));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ entity: 'contacts', id, name: 'Grace Hopper', version: 2 });
    expect(res.headers.etag).toBe('"2"');
    expect(await count(t.db, 'contacts WHERE id = $1 AND deleted_at IS NULL', [id])).toBe(1);
    expect(await count(t.db, `events WHERE entity_id = $1 AND type = 'contact.restored'`, [id])).toBe(1);
    expect(await count(t.db, `audit_log WHERE entity_id = $1 AND action = 'contact.restore'`, [id])).toBe(1);
    const again = await t.server.inject(as(owner, { method: 'POST', url: `/api/v1/trash/contacts/${id}/restore` }));
    expect(again.statusCode).toBe(404);
  });

  it('refuses a restore that would duplicate a live email (409)', async () => {
    const [a] = await insertContacts(t.db, owner.tenantId, 1, () => ({ email: 'dup@restore.test' }));
    await trash('contacts', a!);
    await insertContacts(t.db, owner.tenantId, 1, () => ({ email: 'dup@restore.test' }));
    const res = await t.server.inject(as(owner, { method: 'POST', url: `/api/v1/trash/contacts/${a}/restore` }));
    expect(res.statusCode).toBe(409);
    expect(await count(t.db, 'contacts WHERE id = $1 AND deleted_at IS NOT NULL', [a])).toBe(1);
  });

  it('needs records:delete; another tenant gets 404 and the record stays in the trash', async () => {
    const lead = await insertLead(t.db, owner.tenantId, 'Keep me');
    await trash('leads', lead);
    const viewer = await addMember(t.server, owner, 'viewer');
    expect((await t.server.inject(as(viewer, { method: 'POST', url: `/api/v1/trash/leads/${lead}/restore` }))).statusCode).toBe(403);
    expect((await t.server.inject(as(other, { method: 'POST', url: `/api/v1/trash/leads/${lead}/restore` }))).statusCode).toBe(404);
    expect((await t.server.inject(as(owner, { method: 'POST', url: `/api/v1/trash/leads/not-a-uuid/restore` }))).statusCode).toBe(400);
    expect(await count(t.db, 'leads WHERE id = $1 AND deleted_at IS NOT NULL AND version = 1', [lead])).toBe(1);
  });

  it('purgeTrash removes only what was trashed before the cut-off, in that tenant', async () => {
    const company = await insertCompany(t.db, owner.tenantId, 'Old Co');
    const [oldContact, recentContact] = await insertContacts(t.db, owner.tenantId, 2, () => ({ company_id: company }));
    const { dealIds } = await insertPipeline(t.db, owner.tenantId, 1);
    const otherLead = await insertLead(t.db, other.tenantId, 'Other tenant lead');
    await trash('companies', company, '31 days');
    await trash('contacts', oldContact!, '40 days');
    await trash('contacts', recentContact!, '29 days');
    await trash('deals', dealIds[0]!, '31 days');
    await trash('leads', otherLead, '90 days');
    const counts = await purgeTrash(systemContext(t.db, owner.tenantId));
    expect(counts).toMatchObject({ contacts: 1, companies: 1, deals: 1 });
    expect(await count(t.db, 'contacts WHERE id = ANY($1)', [[oldContact, recentContact]])).toBe(1);
    expect((await sql(t.db, 'SELECT company_id FROM contacts WHERE id = $1', [recentContact]))[0]).toEqual({ company_id: null });
    expect(await count(t.db, 'deals WHERE id = $1', [dealIds[0]])).toBe(0);
    expect(await count(t.db, 'leads WHERE id = $1', [otherLead])).toBe(1);
    expect(await count(t.db, `audit_log WHERE tenant_id = $1 AND action = 'contact.purge'`, [owner.tenantId])).toBe(1);
  });
});

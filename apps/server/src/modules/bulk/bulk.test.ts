import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/app.js';
import { count, defineCustomField, insertContacts, insertLead, insertPipeline, sql } from '../../../test/data-fixtures.js';
import { addMember, as, signUp, type Principal } from '../../../test/factories.js';

let t: TestApp;
let owner: Principal;
let manager: Principal;
let other: Principal;
beforeAll(async () => {
  t = await buildTestApp();
  owner = await signUp(t.server);
  manager = await addMember(t.server, owner, 'manager');
  other = await signUp(t.server);
  await defineCustomField(t.db, owner.tenantId, 'contact', 'tier', 'select', ['Gold', 'Silver']);
});
afterAll(() => t.close());

const bulk = (p: Principal, entity: string, op: string, payload: object) =>
  t.server.inject(as(p, { method: 'POST', url: `/api/v1/bulk/${entity}/${op}`, payload }));

describe('bulk update', () => {
  it('sets owner, tags and a custom field on a selection; one audit row and event per changed row', async () => {
    const ids = await insertContacts(t.db, owner.tenantId, 3, (i) => ({ tags: i === 0 ? ['old', 'keep'] : [] }));
    const res = await bulk(manager, 'contacts', 'update', { ids, changes: { owner_id: manager.userId, add_tags: ['vip'], remove_tags: ['old'], custom: { tier: 'gold' } } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ matched: 3, changed: 3 });
    const rows = await sql<{ owner_id: string; tags: string[]; custom: object; version: number }>(t.db, 'SELECT owner_id, tags, custom, version FROM contacts WHERE id = ANY($1) ORDER BY id', [ids]);
    expect(rows[0]).toEqual({ owner_id: manager.userId, tags: ['keep', 'vip'], custom: { tier: 'Gold' }, version: 2 });
    expect(rows.every((r) => r.version === 2)).toBe(true);
    expect(await count(t.db, `audit_log WHERE entity_id = ANY($1) AND action = 'contact.bulk_update'`, [ids])).toBe(3);
    expect(await count(t.db, `events WHERE entity_id = ANY($1) AND type = 'contact.updated'`, [ids])).toBe(3);
    // Same change again: nothing changes, nothing is written.
    const again = await bulk(manager, 'contacts', 'update', { ids, changes: { add_tags: ['vip'] } });
    expect(again.json()).toEqual({ matched: 3, changed: 0 });
    expect(await count(t.db, 'contacts WHERE id = ANY($1) AND version = 2', [ids])).toBe(3);
  });

  it('selects by list filter', async () => {
    const ids = await insertContacts(t.db, owner.tenantId, 4, (i) => ({ title: i < 2 ? 'CFO-bulk' : 'CTO-bulk' }));
    const res = await bulk(owner, 'contacts', 'update', { filter: { field: 'title', op: 'eq', value: 'cfo-bulk' }, changes: { add_tags: ['finance'] } });
    expect(res.json()).toEqual({ matched: 2, changed: 2 });
    expect(await count(t.db, `contacts WHERE id = ANY($1) AND 'finance' = ANY(tags)`, [ids])).toBe(2);
  });

  it('moves deals to a stage with stage history, status and events', async () => {
    const { stages, dealIds } = await insertPipeline(t.db, owner.tenantId, 3);
    const res = await bulk(owner, 'deals', 'update', { ids: dealIds, changes: { stage_id: stages.won } });
    expect(res.json()).toEqual({ matched: 3, changed: 3 });
    const deals = await sql<{ stage_id: string; status: string; closed: boolean }>(t.db, 'SELECT stage_id, status, closed_at IS NOT NULL AS closed FROM deals WHERE id = ANY($1)', [dealIds]);
    expect(deals.every((d) => d.stage_id === stages.won && d.status === 'won' && d.closed)).toBe(true);
    const history = await sql<{ from_stage_id: string; to_stage_id: string; seconds: number }>(t.db,
      'SELECT from_stage_id, to_stage_id, seconds_in_from_stage AS seconds FROM deal_stage_history WHERE deal_id = ANY($1)', [dealIds]);
    expect(history).toHaveLength(3);
    expect(history[0]).toMatchObject({ from_stage_id: stages.open, to_stage_id: stages.won });
    expect(history[0]!.seconds).toBeGreaterThanOrEqual(3599);
    expect(await count(t.db, `events WHERE entity_id = ANY($1) AND type = 'deal.stage_changed'`, [dealIds])).toBe(3);
    expect(await count(t.db, `events WHERE entity_id = ANY($1) AND type = 'deal.won'`, [dealIds])).toBe(3);
    expect((await bulk(owner, 'deals', 'update', { ids: [dealIds[0]], changes: { stage_id: stages.next } })).json().changed).toBe(1);
    // The others join it in that stage after its card (board positions stay unique).
    const reopen = await bulk(owner, 'deals', 'update', { ids: dealIds, changes: { stage_id: stages.next } });
    expect(reopen.statusCode, reopen.body).toBe(200);
    expect(reopen.json()).toEqual({ matched: 3, changed: 2 });
    const board = await sql<{ id: string }>(t.db, 'SELECT id FROM deals WHERE stage_id = $1 ORDER BY position', [stages.next]);
    expect(board.map((d) => d.id)).toEqual(dealIds);
    expect(await count(t.db, `deals WHERE id = ANY($1) AND status = 'open' AND closed_at IS NULL`, [dealIds])).toBe(3);
  });

  it('sets lead status', async () => {
    const lead = await insertLead(t.db, owner.tenantId, 'Bulk lead');
    expect((await bulk(owner, 'leads', 'update', { ids: [lead], changes: { status: 'qualified' } })).json()).toEqual({ matched: 1, changed: 1 });
    expect(await count(t.db, `leads WHERE id = $1 AND status = 'qualified' AND version = 2`, [lead])).toBe(1);
  });

  it('rejects invalid changes and selections with 4xx and writes nothing', async () => {
    const ids = await insertContacts(t.db, owner.tenantId, 1);
    const { dealIds } = await insertPipeline(t.db, owner.tenantId, 1);
    const otherPipeline = await insertPipeline(t.db, other.tenantId, 0);
    const cases: Array<[string, object, number]> = [
      ['contacts', { ids, changes: { stage_id: otherPipeline.stages.won } }, 400],
      ['deals', { ids: dealIds, changes: { stage_id: otherPipeline.stages.won } }, 422],
      ['contacts', { ids, changes: { owner_id: other.userId } }, 422],
      ['contacts', { ids, changes: { status: 'won' } }, 400],
      ['leads', { ids, changes: { status: 'converted' } }, 400],
      ['contacts', { ids, changes: { custom: { nope: 1 } } }, 400],
      ['contacts', { ids, changes: { custom: { tier: 'Platinum' } } }, 400],
      ['contacts', { ids, changes: {} }, 400],
      ['contacts', { changes: { add_tags: ['x'] } }, 400],
      ['contacts', { ids, filter: { field: 'title', op: 'eq', value: 'x' }, changes: { add_tags: ['x'] } }, 400],
      ['contacts', { filter: { field: 'nope', op: 'eq', value: 'x' }, changes: { add_tags: ['x'] } }, 400],
      ['widgets', { ids, changes: { add_tags: ['x'] } }, 400],
    ];
    for (const [entity, payload, status] of cases) {
      const res = await bulk(owner, entity, 'update', payload);
      expect(res.statusCode, `${entity} ${JSON.stringify(payload)} ${res.body}`).toBe(status);
    }
    expect(await count(t.db, 'contacts WHERE id = ANY($1) AND version = 1', [ids])).toBe(1);
    expect(await count(t.db, 'deals WHERE id = ANY($1) AND version = 1', [dealIds])).toBe(1);
  });

  it('a member is refused (403) and another tenant\'s ids match nothing', async () => {
    const ids = await insertContacts(t.db, owner.tenantId, 2);
    const member = await addMember(t.server, owner, 'member');
    expect((await bulk(member, 'contacts', 'update', { ids, changes: { add_tags: ['x'] } })).statusCode).toBe(403);
    expect((await bulk(member, 'contacts', 'delete', { ids })).statusCode).toBe(403);
    const res = await bulk(other, 'contacts', 'update', { ids, changes: { add_tags: ['hijack'] } });
    expect(res.json()).toEqual({ matched: 0, changed: 0 });
    expect((await bulk(other, 'contacts', 'delete', { ids })).json()).toEqual({ matched: 0, changed: 0 });
    expect(await count(t.db, 'contacts WHERE id = ANY($1) AND version = 1 AND deleted_at IS NULL AND tags = $2', [ids, []])).toBe(2);
  });
});

describe('bulk delete and scale', () => {
  it('moves 10,000 records to the trash with an audit row and an event each, and refuses a filter matching more', async () => {
    const tenant = await signUp(t.server);
    const ids = await insertContacts(t.db, tenant.tenantId, 10_000, () => ({ title: 'Mass' }));
    const update = await bulk(tenant, 'contacts', 'update', { filter: { field: 'title', op: 'eq', value: 'Mass' }, changes: { add_tags: ['mass'] } });
    expect(update.json()).toEqual({ matched: 10_000, changed: 10_000 });
    const res = await bulk(tenant, 'contacts', 'delete', { ids });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ matched: 10_000, changed: 10_000 });
    expect(await count(t.db, 'contacts WHERE tenant_id = $1 AND deleted_at IS NOT NULL AND version = 3', [tenant.tenantId])).toBe(10_000);
    expect(await count(t.db, `events WHERE tenant_id = $1 AND type = 'contact.deleted'`, [tenant.tenantId])).toBe(10_000);
    expect(await count(t.db, `audit_log WHERE tenant_id = $1 AND action = 'contact.bulk_delete'`, [tenant.tenantId])).toBe(10_000);
    await insertContacts(t.db, tenant.tenantId, 10_001, () => ({ title: 'Too many' }));
    const tooMany = await bulk(tenant, 'contacts', 'delete', { filter: { field: 'title', op: 'eq', value: 'Too many' } });
    expect(tooMany.statusCode).toBe(422);
    expect(await count(t.db, `contacts WHERE tenant_id = $1 AND title = 'Too many' AND deleted_at IS NULL`, [tenant.tenantId])).toBe(10_001);
  }, 120_000);
});

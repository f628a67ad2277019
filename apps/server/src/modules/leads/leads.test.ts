import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/app.js';
import { addMember, as, signUp, type Principal } from '../../../test/factories.js';
import { withSystem } from '../../platform/db/system.js';
import { systemContext } from '../../platform/db/tenant.js';
import { createOrUpdateLeadFromForm } from './index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- loose JSON records
type Rec = Record<string, any>;
let t: TestApp;
let owner: Principal;
let other: Principal;
let viewer: Principal;
let rep1: Principal;
let rep2: Principal;

const api = (p: Principal, method: InjectOptions['method'], url: string, payload?: unknown, headers: Record<string, string> = {}) =>
  t.server.inject(as(p, { method, url: `/api/v1${url}`, ...(payload === undefined ? {} : { payload: payload as object }), headers }));
const sql = async <T = Rec>(text: string, params: unknown[] = []) => (await withSystem(t.db, (tx) => tx.query<T>(text, params))).rows;
const createLead = async (p: Principal, body: Rec) => {
  const res = await api(p, 'POST', '/leads', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Rec>();
};

beforeAll(async () => {
  t = await buildTestApp();
  owner = await signUp(t.server);
  other = await signUp(t.server);
  viewer = await addMember(t.server, owner, 'viewer');
  rep1 = await addMember(t.server, owner, 'member');
  rep2 = await addMember(t.server, owner, 'member');
});
afterAll(() => t.close());

describe('leads', () => {
  it('creates, validates, and keeps tenants apart', async () => {
    const lead = await createLead(owner, { title: 'Acme website', email: 'Buyer@Acme.test', value: '5000.00', currency: 'EUR', source: 'referral' });
    expect(lead).toMatchObject({ status: 'new', email: 'buyer@acme.test', value: '5000.00', score: 0 });
    expect((await api(owner, 'POST', '/leads', { title: 'x', status: 'converted' })).statusCode).toBe(400);
    expect((await api(owner, 'POST', '/leads', { title: 'x', owner_id: other.userId })).statusCode).toBe(422);
    expect((await api(viewer, 'POST', '/leads', { title: 'viewer lead' })).statusCode).toBe(403);
    expect(await sql('SELECT 1 FROM leads WHERE title = $1', ['viewer lead'])).toHaveLength(0);
    expect((await api(other, 'GET', `/leads/${lead.id}`)).statusCode).toBe(404);
    expect((await api(other, 'PATCH', `/leads/${lead.id}`, { title: 'stolen' })).statusCode).toBe(404);
    expect((await api(other, 'POST', `/leads/${lead.id}/convert`, { create_contact: true })).statusCode).toBe(404);
    expect((await sql('SELECT title, status FROM leads WHERE id = $1', [lead.id]))[0]).toEqual({ title: 'Acme website', status: 'new' });
    const ok = await api(owner, 'PATCH', `/leads/${lead.id}`, { status: 'contacted' }, { 'if-match': `"${lead.version}"` });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await api(owner, 'PATCH', `/leads/${lead.id}`, { status: 'qualified' }, { 'if-match': `"${lead.version}"` })).statusCode).toBe(412);
    const list = await api(owner, 'GET', `/leads?filter=${encodeURIComponent(JSON.stringify({ field: 'status', op: 'eq', value: 'contacted' }))}`);
    expect(list.json().data.map((l: Rec) => l.id)).toContain(lead.id);
  });

  it('assigns owners round-robin by source', async () => {
    const rule = await api(owner, 'POST', '/lead-assignment-rules', { name: 'Web', sources: ['Web'], user_ids: [rep1.userId, rep2.userId] });
    expect(rule.statusCode, rule.body).toBe(201);
    expect((await api(rep1, 'POST', '/lead-assignment-rules', { name: 'x', user_ids: [rep1.userId] })).statusCode).toBe(403);
    expect((await api(owner, 'POST', '/lead-assignment-rules', { name: 'x', user_ids: [other.userId] })).statusCode).toBe(422);
    const owners = [];
    for (let i = 0; i < 4; i++) owners.push((await createLead(owner, { title: `web ${i}`, source: 'web' })).owner_id);
    expect(owners).toEqual([rep1.userId, rep2.userId, rep1.userId, rep2.userId]);
    expect((await createLead(owner, { title: 'phone', source: 'phone' })).owner_id).toBeNull();
    expect((await createLead(owner, { title: 'given', source: 'web', owner_id: owner.userId })).owner_id).toBe(owner.userId);
  });

  it('scores by field conditions and activities, and re-scores when rules change', async () => {
    const lead = await createLead(owner, { title: 'Scored', source: 'partner', value: '20000.00' });
    const r1 = await api(owner, 'POST', '/lead-scoring-rules', { name: 'Partner', points: 30, condition: { field: 'source', op: 'eq', value: 'partner' } });
    expect(r1.statusCode, r1.body).toBe(201);
    expect((await api(owner, 'GET', `/leads/${lead.id}`)).json().score).toBe(30);
    await api(owner, 'POST', '/lead-scoring-rules', { name: 'Calls', points: 5, activity_type: 'call' });
    await api(owner, 'POST', '/activities', { type: 'call', subject: 'Intro', lead_id: lead.id });
    await api(owner, 'POST', '/activities', { type: 'call', subject: 'Follow-up', lead_id: lead.id });
    expect((await api(owner, 'GET', `/leads/${lead.id}`)).json().score).toBe(40);
    expect((await api(owner, 'POST', '/lead-scoring-rules', { name: 'bad', points: 1, condition: { field: 'nope', op: 'eq', value: 1 } })).statusCode).toBe(400);
    expect((await api(owner, 'POST', '/lead-scoring-rules', { name: 'both', points: 1 })).statusCode).toBe(400);
    const edit = await api(owner, 'PATCH', `/lead-scoring-rules/${r1.json().id}`, { points: 10 }, { 'if-match': `"${r1.json().version}"` });
    expect(edit.statusCode, edit.body).toBe(200);
    expect((await api(owner, 'GET', `/leads/${lead.id}`)).json().score).toBe(20);
    expect((await api(other, 'GET', '/lead-scoring-rules')).json().data).toHaveLength(0);
  });

  it('converts once, in one transaction, and the deal keeps the lead\'s history', async () => {
    const lead = await createLead(owner, { title: 'Big deal', first_name: 'Ada', last_name: 'Lovelace', email: 'ada@engines.test', company_name: 'Engines Ltd', value: '900.00' });
    const note = await api(owner, 'POST', '/activities', { type: 'note', subject: 'Met at fair', lead_id: lead.id });
    const pipelines = (await api(owner, 'GET', '/pipelines')).json().data;
    const body = { create_contact: true, create_company: true, deal: { name: 'Engines deal', pipeline_id: pipelines[0].id } };
    expect((await api(viewer, 'POST', `/leads/${lead.id}/convert`, body)).statusCode).toBe(403);
    const first = await api(owner, 'POST', `/leads/${lead.id}/convert`, body);
    expect(first.statusCode, first.body).toBe(200);
    const result = first.json();
    expect(result).toMatchObject({ already_converted: false, lead: { status: 'converted' } });
    expect(result.deal_id && result.contact_id && result.company_id).toBeTruthy();
    const again = await api(owner, 'POST', `/leads/${lead.id}/convert`, body);
    expect(again.json()).toMatchObject({ already_converted: true, deal_id: result.deal_id, contact_id: result.contact_id });
    expect(await sql('SELECT id FROM deals WHERE lead_id = $1', [lead.id])).toHaveLength(1);
    expect((await sql('SELECT value::text AS v, contact_id, company_id FROM deals WHERE id = $1', [result.deal_id]))[0]).toEqual({ v: '900.00', contact_id: result.contact_id, company_id: result.company_id });
    expect((await sql('SELECT deal_id, contact_id FROM activities WHERE id = $1', [note.json().id]))[0]).toEqual({ deal_id: result.deal_id, contact_id: result.contact_id });
    const timeline = await api(owner, 'GET', `/deals/${result.deal_id}/timeline`);
    expect(timeline.statusCode, timeline.body).toBe(200);
    const kinds = timeline.json().data.map((i: Rec) => `${i.kind}:${i.entity}`);
    expect(kinds).toEqual(expect.arrayContaining(['activity:activity', 'conversion:lead', 'change:lead', 'stage_change:deal']));
    const contactTimeline = await api(owner, 'GET', `/contacts/${result.contact_id}/timeline`);
    expect(contactTimeline.json().data.map((i: Rec) => i.kind)).toEqual(expect.arrayContaining(['conversion', 'activity', 'stage_change']));
  });

  it('rolls back a conversion that fails half way', async () => {
    const lead = await createLead(owner, { title: 'No company name' });
    const res = await api(owner, 'POST', `/leads/${lead.id}/convert`, { create_contact: true, create_company: true, deal: {} });
    expect(res.statusCode).toBe(422);
    expect((await sql('SELECT status FROM leads WHERE id = $1', [lead.id]))[0]!.status).toBe('new');
    expect(await sql('SELECT 1 FROM deals WHERE lead_id = $1', [lead.id])).toHaveLength(0);
  });

  it('takes web-form submissions: creates, then updates by email, routed by rules', async () => {
    const ctx = systemContext(t.db, owner.tenantId);
    const first = await createOrUpdateLeadFromForm(ctx, { email: 'form@visitor.test', name: 'Vera Visitor', source: 'web', message: 'Call me' });
    expect(first.created).toBe(true);
    expect(first.lead).toMatchObject({ first_name: 'Vera', last_name: 'Visitor', title: 'Vera Visitor', source: 'web' });
    expect([rep1.userId, rep2.userId]).toContain(first.lead.owner_id);
    const second = await createOrUpdateLeadFromForm(ctx, { email: 'form@visitor.test', phone: '+1 555 0100', company: 'Visitors Inc' });
    expect(second).toMatchObject({ created: false, lead: { id: first.lead.id, phone: '+1 555 0100', company_name: 'Visitors Inc' } });
    expect(await sql(`SELECT 1 FROM activities WHERE lead_id = $1 AND type = 'note'`, [first.lead.id])).toHaveLength(1);
  });

  it('trashes and restores', async () => {
    const lead = await createLead(owner, { title: 'Bin' });
    expect((await api(owner, 'DELETE', `/leads/${lead.id}`)).statusCode).toBe(204);
    expect((await api(owner, 'GET', `/leads/${lead.id}`)).statusCode).toBe(404);
    expect((await api(owner, 'POST', `/leads/${lead.id}/restore`)).statusCode).toBe(200);
  });

  it('pages by created_at without losing rows that share a millisecond', async () => {
    const fresh = await signUp(t.server);
    await withSystem(t.db, (tx) => tx.query(
      `INSERT INTO leads (tenant_id, id, title, created_at)
       SELECT $1, gen_random_uuid(), 'same ms ' || i, '2026-01-01T00:00:00.123Z'::timestamptz + i * interval '1 microsecond'
         FROM generate_series(1, 5) AS i`, [fresh.tenantId]));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await api(fresh, 'GET', `/leads?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      seen.push(...res.json().data.map((l: Rec) => l.title as string));
      cursor = res.json().next_cursor as string | null;
    } while (cursor);
    expect(seen).toEqual(['same ms 5', 'same ms 4', 'same ms 3', 'same ms 2', 'same ms 1']);
  });
});

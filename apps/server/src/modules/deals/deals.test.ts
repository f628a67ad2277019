import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/app.js';
import { addMember, as, signUp, type Principal } from '../../../test/factories.js';
import { withSystem } from '../../platform/db/system.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- loose JSON records
type Rec = Record<string, any>;
let t: TestApp;
let owner: Principal;
let other: Principal;
let viewer: Principal;
let pipeline: { id: string; stages: { id: string; name: string; kind: string }[] };

const api = (p: Principal, method: InjectOptions['method'], url: string, payload?: unknown, headers: Record<string, string> = {}) =>
  t.server.inject(as(p, { method, url: `/api/v1${url}`, ...(payload === undefined ? {} : { payload: payload as object }), headers }));
const sql = async <T = Record<string, unknown>>(text: string, params: unknown[] = []) => (await withSystem(t.db, (tx) => tx.query<T>(text, params))).rows;
const stage = (name: string) => pipeline.stages.find((s) => s.name === name)!.id;
const createDeal = async (body: Record<string, unknown> = {}) => {
  const res = await api(owner, 'POST', '/deals', { name: 'Deal', value: '100.00', ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Rec>();
};

beforeAll(async () => {
  t = await buildTestApp();
  owner = await signUp(t.server);
  other = await signUp(t.server);
  viewer = await addMember(t.server, owner, 'viewer');
  const res = await api(owner, 'GET', '/pipelines');
  pipeline = res.json().data[0];
});
afterAll(() => t.close());

describe('deals', () => {
  it('creates in the default pipeline\'s first stage with the stage probability', async () => {
    const deal = await createDeal({ value: '1234.50', currency: 'EUR' });
    expect(deal).toMatchObject({ value: '1234.50', currency: 'EUR', stage_id: stage('Lead in'), probability: 10, probability_override: null, status: 'open', owner_id: owner.userId });
    const history = await api(owner, 'GET', `/deals/${deal.id}/stage-history`);
    expect(history.json().data).toHaveLength(1);
  });

  it('validates input and references', async () => {
    expect((await api(owner, 'POST', '/deals', { name: 'x', value: 12.5 })).statusCode).toBe(400);
    expect((await api(owner, 'POST', '/deals', { name: '' })).statusCode).toBe(400);
    const foreign = (await api(other, 'GET', '/pipelines')).json().data[0].stages[0].id;
    expect((await api(owner, 'POST', '/deals', { name: 'x', stage_id: foreign })).statusCode).toBe(422);
    expect((await api(owner, 'POST', '/deals', { name: 'x', owner_id: other.userId })).statusCode).toBe(422);
    expect((await api(owner, 'POST', '/deals', { name: 'x', contact_id: '0190a000-0000-7000-8000-000000000000' })).statusCode).toBe(422);
  });

  it('a viewer cannot write and another tenant sees 404 with rows unchanged', async () => {
    const deal = await createDeal({ name: 'Private' });
    const denied = await api(viewer, 'POST', '/deals', { name: 'Nope' });
    expect(denied.statusCode).toBe(403);
    expect(await sql('SELECT 1 FROM deals WHERE tenant_id = $1 AND name = $2', [owner.tenantId, 'Nope'])).toHaveLength(0);
    expect((await api(other, 'GET', `/deals/${deal.id}`)).statusCode).toBe(404);
    expect((await api(other, 'PATCH', `/deals/${deal.id}`, { name: 'Hacked' })).statusCode).toBe(404);
    expect((await api(other, 'POST', `/deals/${deal.id}/stage`, { stage_id: stage('Won') })).statusCode).toBe(404);
    expect((await api(other, 'DELETE', `/deals/${deal.id}`)).statusCode).toBe(404);
    const [row] = await sql<{ name: string; stage_id: string; deleted_at: string | null }>('SELECT name, stage_id, deleted_at FROM deals WHERE id = $1', [deal.id]);
    expect(row).toEqual({ name: 'Private', stage_id: stage('Lead in'), deleted_at: null });
  });

  it('updates with If-Match and answers 412 when stale', async () => {
    const deal = await createDeal();
    const ok = await api(owner, 'PATCH', `/deals/${deal.id}`, { probability: 40, tags: ['hot'] }, { 'if-match': `"${deal.version}"` });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ probability: 40, probability_override: 40, tags: ['hot'] });
    const stale = await api(owner, 'PATCH', `/deals/${deal.id}`, { name: 'Lost update' }, { 'if-match': `"${deal.version}"` });
    expect(stale.statusCode).toBe(412);
    const staleMove = await api(owner, 'POST', `/deals/${deal.id}/stage`, { stage_id: stage('Proposal') }, { 'if-match': `"${deal.version}"` });
    expect(staleMove.statusCode).toBe(412);
    expect((await sql<{ name: string }>('SELECT name FROM deals WHERE id = $1', [deal.id]))[0]!.name).toBe('Deal');
  });

  it('moves between stages with history, closes on won/lost and reopens', async () => {
    const deal = await createDeal();
    const moved = await api(owner, 'POST', `/deals/${deal.id}/stage`, { stage_id: stage('Proposal'), note: 'sent' });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ stage_id: stage('Proposal'), probability: 50, status: 'open' });
    const won = await api(owner, 'POST', `/deals/${deal.id}/won`, {});
    expect(won.json()).toMatchObject({ status: 'won', stage_id: stage('Won'), probability: 100 });
    expect(won.json().closed_at).toBeTruthy();
    const lost = await api(owner, 'POST', `/deals/${deal.id}/lost`, { reason: 'budget' });
    expect(lost.json()).toMatchObject({ status: 'lost', lost_reason: 'budget', stage_id: stage('Lost') });
    const reopened = await api(owner, 'PUT', `/deals/${deal.id}/stage`, { stage_id: stage('Negotiation') });
    expect(reopened.json()).toMatchObject({ status: 'open', closed_at: null, lost_reason: null });
    const history = await sql<{ to_stage_id: string; note: string | null; seconds_in_from_stage: number | null }>(
      'SELECT to_stage_id, note, seconds_in_from_stage FROM deal_stage_history WHERE deal_id = $1 ORDER BY moved_at, id', [deal.id]);
    expect(history.map((h) => h.to_stage_id)).toEqual([stage('Lead in'), stage('Proposal'), stage('Won'), stage('Lost'), stage('Negotiation')]);
    expect(history[1]!.note).toBe('sent');
    expect(history[1]!.seconds_in_from_stage).toBeGreaterThanOrEqual(0);
    const events = await sql<{ type: string }>('SELECT type FROM events WHERE entity_id = $1 ORDER BY seq', [deal.id]);
    expect(events.map((e) => e.type)).toEqual(['deal.created', 'deal.stage_changed', 'deal.stage_changed', 'deal.won', 'deal.stage_changed', 'deal.lost', 'deal.stage_changed']);
  });

  it('orders cards by fractional position and keeps order under concurrent moves', async () => {
    const target = stage('Qualified');
    const a = await createDeal({ name: 'A', stage_id: target });
    const b = await createDeal({ name: 'B', stage_id: target });
    const c = await createDeal({ name: 'C', stage_id: target });
    // C between A and B.
    const m = await api(owner, 'POST', `/deals/${c.id}/stage`, { stage_id: target, after_id: a.id });
    expect(m.statusCode, m.body).toBe(200);
    const movers = await Promise.all(Array.from({ length: 6 }, (_, i) => createDeal({ name: `M${i}` })));
    const results = await Promise.all(movers.map((d) => api(owner, 'POST', `/deals/${d.id}/stage`, { stage_id: target, after_id: a.id })));
    expect(results.map((r) => r.statusCode)).toEqual(movers.map(() => 200));
    const page = (await api(owner, 'GET', `/stages/${target}/deals?limit=200`)).json().data as { name: string; position: string }[];
    const names = page.map((d) => d.name);
    expect(names[0]).toBe('A');
    expect(names.slice(-2)).toEqual(['C', 'B']);
    expect(new Set(page.map((d) => d.position)).size).toBe(page.length);
    expect([...page.map((d) => d.position)].sort()).toEqual(page.map((d) => d.position));
    expect((await api(owner, 'POST', `/deals/${a.id}/stage`, { stage_id: target, after_id: b.id, before_id: c.id })).statusCode).toBe(400);
    expect((await api(owner, 'POST', `/deals/${a.id}/stage`, { stage_id: stage('Won'), after_id: b.id })).statusCode).toBe(422);
  });

  it('serves a board with totals, weighted values and per-stage cursors', async () => {
    const fresh = (await api(owner, 'POST', '/pipelines', { name: 'Board', stages: [{ name: 'One', probability: 50 }, { name: 'Two' }] })).json();
    const one = fresh.stages[0].id;
    for (const v of ['100.10', '200.20', '300.30']) await createDeal({ stage_id: one, value: v });
    const res = await api(owner, 'GET', `/pipelines/${fresh.id}/board?limit=2`);
    expect(res.statusCode, res.body).toBe(200);
    const col = res.json().stages[0];
    expect(col).toMatchObject({ count: 3, total_value: '600.60', weighted_value: '300.30' });
    expect(col.deals).toHaveLength(2);
    const more = await api(owner, 'GET', `/stages/${one}/deals?limit=2&cursor=${col.next_cursor}`);
    expect(more.json().data).toHaveLength(1);
    expect(more.json().next_cursor).toBeNull();
    expect((await api(other, 'GET', `/pipelines/${fresh.id}/board`)).statusCode).toBe(404);
  });

  it('lists with filter, sort, search and cursor', async () => {
    await createDeal({ name: 'Zeta list', value: '5.00', tags: ['list'] });
    await createDeal({ name: 'Alpha list', value: '7.00', tags: ['list'] });
    await createDeal({ name: 'Beta list', value: '9.00', tags: ['list'] });
    const filter = encodeURIComponent(JSON.stringify({ field: 'tags', op: 'has_any', value: ['list'] }));
    const first = await api(owner, 'GET', `/deals?filter=${filter}&sort=-value&limit=2`);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().data.map((d: { name: string }) => d.name)).toEqual(['Beta list', 'Alpha list']);
    const second = await api(owner, 'GET', `/deals?filter=${filter}&sort=-value&limit=2&cursor=${first.json().next_cursor}`);
    expect(second.json().data.map((d: { name: string }) => d.name)).toEqual(['Zeta list']);
    expect((await api(owner, 'GET', '/deals?q=alpha%20li')).json().data.map((d: { name: string }) => d.name)).toEqual(['Alpha list']);
    expect((await api(owner, 'GET', '/deals?sort=nope')).statusCode).toBe(400);
    expect((await api(other, 'GET', `/deals?filter=${filter}`)).json().data).toHaveLength(0);
  });

  it('trashes and restores', async () => {
    const deal = await createDeal({ name: 'Trash me' });
    expect((await api(viewer, 'DELETE', `/deals/${deal.id}`)).statusCode).toBe(403);
    expect((await api(owner, 'DELETE', `/deals/${deal.id}`, undefined, { 'if-match': '"99"' })).statusCode).toBe(412);
    expect((await api(owner, 'DELETE', `/deals/${deal.id}`)).statusCode).toBe(204);
    expect((await api(owner, 'GET', `/deals/${deal.id}`)).statusCode).toBe(404);
    const restored = await api(owner, 'POST', `/deals/${deal.id}/restore`);
    expect(restored.statusCode, restored.body).toBe(200);
    expect(restored.json().deleted_at).toBeNull();
  });

  it('validates custom fields through the crm definitions and filters on them', async () => {
    const def = await api(owner, 'POST', '/custom-fields', { entity: 'deal', key: 'budget', label: 'Budget', type: 'number' });
    expect(def.statusCode, def.body).toBe(201);
    expect((await api(owner, 'POST', '/deals', { name: 'Bad custom', custom: { budget: 'lots' } })).statusCode).toBe(400);
    expect((await api(owner, 'POST', '/deals', { name: 'Unknown custom', custom: { nope: 1 } })).statusCode).toBeGreaterThanOrEqual(400);
    const deal = await createDeal({ name: 'Custom ok', custom: { budget: 5000 } });
    expect(deal.custom).toEqual({ budget: 5000 });
    const patched = await api(owner, 'PATCH', `/deals/${deal.id}`, { custom: { budget: null } });
    expect(patched.json().custom).toEqual({});
    await createDeal({ name: 'Custom big', custom: { budget: 90000 } });
    const filter = encodeURIComponent(JSON.stringify({ field: 'custom.budget', op: 'gt', value: 10000 }));
    expect((await api(owner, 'GET', `/deals?filter=${filter}`)).json().data.map((d: Rec) => d.name)).toEqual(['Custom big']);
  });
});

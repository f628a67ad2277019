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
let member: Principal;

const api = (p: Principal, method: InjectOptions['method'], url: string, payload?: unknown, headers: Record<string, string> = {}) =>
  t.server.inject(as(p, { method, url: `/api/v1${url}`, ...(payload === undefined ? {} : { payload: payload as object }), headers }));
const sql = async <T = Rec>(text: string, params: unknown[] = []) => (await withSystem(t.db, (tx) => tx.query<T>(text, params))).rows;
const create = async (p: Principal, body: Rec) => {
  const res = await api(p, 'POST', '/activities', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Rec>();
};
const hoursFromNow = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

beforeAll(async () => {
  t = await buildTestApp();
  owner = await signUp(t.server);
  other = await signUp(t.server);
  viewer = await addMember(t.server, owner, 'viewer');
  member = await addMember(t.server, owner, 'member');
});
afterAll(() => t.close());

describe('activities', () => {
  it('sanitises HTML bodies and keeps plain text as given', async () => {
    const html = await create(owner, { type: 'email', subject: 'Hi', body_format: 'html', body: '<p onclick="x()">Hello <script>alert(1)</script><a href="javascript:alert(1)">bad</a> <a href="https://ok.test">ok</a></p>' });
    expect(html.body).not.toMatch(/script|onclick|javascript/);
    expect(html.body).toContain('<a href="https://ok.test" rel="noopener noreferrer nofollow" target="_blank">ok</a>');
    const text = await create(owner, { type: 'note', subject: 'Plain', body: '<b>not html</b>' });
    expect(text.body).toBe('<b>not html</b>');
  });

  it('validates links, assignee, and times', async () => {
    const deal = (await api(owner, 'POST', '/deals', { name: 'For activities' })).json<Rec>();
    const linked = await create(owner, { type: 'meeting', subject: 'Kick-off', deal_id: deal.id, due_at: hoursFromNow(1), ends_at: hoursFromNow(2) });
    expect(linked).toMatchObject({ deal_id: deal.id, assignee_id: owner.userId, is_overdue: false });
    const foreignDeal = (await api(other, 'POST', '/deals', { name: 'Theirs' })).json<Rec>();
    expect((await api(owner, 'POST', '/activities', { type: 'call', subject: 'x', deal_id: foreignDeal.id })).statusCode).toBe(422);
    expect((await api(owner, 'POST', '/activities', { type: 'call', subject: 'x', assignee_id: other.userId })).statusCode).toBe(422);
    expect((await api(owner, 'POST', '/activities', { type: 'call', subject: 'x', due_at: hoursFromNow(2), ends_at: hoursFromNow(1) })).statusCode).toBe(400);
    expect((await api(owner, 'POST', '/activities', { type: 'visit', subject: 'x' })).statusCode).toBe(400);
    expect((await api(viewer, 'POST', '/activities', { type: 'note', subject: 'viewer note' })).statusCode).toBe(403);
    expect(await sql('SELECT 1 FROM activities WHERE subject = $1', ['viewer note'])).toHaveLength(0);
  });

  it('completes and reopens with If-Match, emitting activity.completed', async () => {
    const task = await create(owner, { type: 'task', subject: 'Send quote', due_at: hoursFromNow(-1) });
    expect(task.is_overdue).toBe(true);
    expect((await api(owner, 'POST', `/activities/${task.id}/complete`, undefined, { 'if-match': '"99"' })).statusCode).toBe(412);
    const done = await api(owner, 'POST', `/activities/${task.id}/complete`, undefined, { 'if-match': `"${task.version}"` });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ is_overdue: false });
    expect(done.json().completed_at).toBeTruthy();
    const reopened = await api(owner, 'POST', `/activities/${task.id}/reopen`);
    expect(reopened.json().completed_at).toBeNull();
    const events = await sql<{ type: string }>('SELECT type FROM events WHERE entity_id = $1 ORDER BY seq', [task.id]);
    expect(events.map((e) => e.type)).toEqual(['activity.created', 'activity.completed', 'activity.updated']);
    expect((await api(other, 'POST', `/activities/${task.id}/complete`)).statusCode).toBe(404);
    expect((await sql('SELECT completed_at FROM activities WHERE id = $1', [task.id]))[0]!.completed_at).toBeNull();
  });

  it('lists my open tasks by due date and overdue activities', async () => {
    const later = await create(member, { type: 'task', subject: 'Later', due_at: hoursFromNow(48) });
    const soon = await create(member, { type: 'task', subject: 'Soon', due_at: hoursFromNow(1) });
    const undated = await create(member, { type: 'task', subject: 'Someday' });
    const late = await create(member, { type: 'task', subject: 'Late', due_at: hoursFromNow(-5) });
    await create(member, { type: 'task', subject: 'Done', due_at: hoursFromNow(-3), completed: true });
    const first = await api(member, 'GET', '/activities/my-tasks?limit=2');
    expect(first.statusCode, first.body).toBe(200);
    const second = await api(member, 'GET', `/activities/my-tasks?limit=2&cursor=${first.json().next_cursor}`);
    expect([...first.json().data, ...second.json().data].map((a: Rec) => a.id)).toEqual([late.id, soon.id, later.id, undated.id]);
    const overdue = await api(owner, 'GET', `/activities/overdue?assignee_id=${member.userId}`);
    expect(overdue.json().data.map((a: Rec) => a.id)).toEqual([late.id]);
    expect((await api(other, 'GET', '/activities/overdue')).json().data).toHaveLength(0);
  });

  it('updates, filters, deletes and restores', async () => {
    const a = await create(owner, { type: 'call', subject: 'Filter me' });
    const stale = a.version;
    const ok = await api(owner, 'PATCH', `/activities/${a.id}`, { subject: 'Filtered', assignee_id: member.userId }, { 'if-match': `"${stale}"` });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await api(owner, 'PATCH', `/activities/${a.id}`, { subject: 'x' }, { 'if-match': `"${stale}"` })).statusCode).toBe(412);
    expect((await api(other, 'PATCH', `/activities/${a.id}`, { subject: 'x' })).statusCode).toBe(404);
    const filter = encodeURIComponent(JSON.stringify({ and: [{ field: 'type', op: 'eq', value: 'call' }, { field: 'assignee_id', op: 'eq', value: member.userId }] }));
    const list = await api(owner, 'GET', `/activities?filter=${filter}`);
    expect(list.json().data.map((x: Rec) => x.subject)).toEqual(['Filtered']);
    expect((await api(owner, 'DELETE', `/activities/${a.id}`)).statusCode).toBe(204);
    expect((await api(owner, 'GET', `/activities/${a.id}`)).statusCode).toBe(404);
    expect((await api(owner, 'POST', `/activities/${a.id}/restore`)).statusCode).toBe(200);
  });
});

describe('timeline', () => {
  it('merges sources newest first and pages without gaps or repeats', async () => {
    const deal = (await api(owner, 'POST', '/deals', { name: 'Timeline deal' })).json<Rec>();
    const stages = (await api(owner, 'GET', '/pipelines')).json().data[0].stages as Rec[];
    for (let i = 0; i < 4; i++) await create(owner, { type: 'note', subject: `n${i}`, deal_id: deal.id });
    await api(owner, 'POST', `/deals/${deal.id}/stage`, { stage_id: stages[1]!.id });
    await api(owner, 'PATCH', `/deals/${deal.id}`, { value: '10.00' });
    const all = (await api(owner, 'GET', `/deals/${deal.id}/timeline?limit=200`)).json().data as Rec[];
    expect(all.map((i) => i.kind)).toEqual(['change', 'stage_change', 'activity', 'activity', 'activity', 'activity', 'stage_change']);
    const paged: Rec[] = [];
    let cursor: string | null = null;
    do {
      const res = await api(owner, 'GET', `/deals/${deal.id}/timeline?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      paged.push(...(res.json().data as Rec[]));
      cursor = res.json().next_cursor as string | null;
    } while (cursor);
    expect(paged.map((i) => i.id)).toEqual(all.map((i) => i.id));
    expect((await api(other, 'GET', `/deals/${deal.id}/timeline`)).statusCode).toBe(404);
    expect((await api(owner, 'GET', `/deals/${deal.id}/timeline?cursor=bad`)).statusCode).toBe(400);
  });
});

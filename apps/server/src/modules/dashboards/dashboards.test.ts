/** Personal dashboards: default provisioning, CRUD conventions, validation, privacy between people and firms. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/app.js';
import { addMember, as, signUp, type Principal } from '../../../test/factories.js';
 
import { withSystem } from '../../platform/db/system.js';

let t: TestApp;
let owner: Principal;
let colleague: Principal;
let viewer: Principal;
let other: Principal;

const api = (p: Principal, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, headers: Record<string, string> = {}) =>
  t.server.inject(as(p, { method, url: `/api/v1${url}`, ...(payload ? { payload } : {}), headers }));
const rows = async (sql: string, params: unknown[]) => (await withSystem(t.db, (tx) => tx.query(sql, params))).rows;

beforeAll(async () => {
  t = await buildTestApp();
  owner = await signUp(t.server);
  colleague = await addMember(t.server, owner, 'manager');
  viewer = await addMember(t.server, owner, 'viewer');
  other = await signUp(t.server);
});
afterAll(() => t.close());

describe('dashboards', () => {
  it('gives each person a default dashboard on first use, once', async () => {
    const first = await api(viewer, 'GET', '/dashboards');
    expect(first.statusCode, first.body).toBe(200);
    const [board] = first.json().data;
    expect(first.json().data).toHaveLength(1);
    expect(board).toMatchObject({ name: 'Overview', is_default: true, version: 1 });
    expect(board.widgets.map((w: { report: string }) => w.report)).toEqual(['pipeline', 'forecast', 'income', 'win-loss', 'lead-sources', 'activities']);
    expect(board.widgets[5]).toMatchObject({ title: 'My activities', filters: { owner_id: viewer.userId, interval: 'week' }, layout: { x: 6, y: 8, w: 6, h: 4 } });
    // Every default widget is a valid report query.
    for (const w of board.widgets) {
      const res = await api(viewer, 'GET', `/reports/${w.report}?${new URLSearchParams(w.filters).toString()}`);
      expect(res.statusCode, `${w.report}: ${res.body}`).toBe(200);
    }
    await api(viewer, 'GET', '/dashboards');
    expect(await rows('SELECT count(*)::int AS n FROM dashboards WHERE user_id = $1', [viewer.userId])).toEqual([{ n: 1 }]);
  });

  it('creates, reads, updates with If-Match, switches the default and deletes', async () => {
    const created = await api(owner, 'POST', '/dashboards', {
      name: 'Quarter', is_default: true,
      widgets: [{ report: 'forecast', filters: { interval: 'quarter' } }, { report: 'income', title: 'Income by year', filters: { interval: 'year' }, layout: { x: 0, y: 4, w: 12, h: 6 } }],
    });
    expect(created.statusCode, created.body).toBe(201);
    const board = created.json();
    expect(board).toMatchObject({ name: 'Quarter', is_default: true, version: 1 });
    expect(board.widgets[0]).toMatchObject({ report: 'forecast', title: 'Forecast', filters: { interval: 'quarter' }, layout: { x: 0, y: 0, w: 6, h: 4 } });
    expect(board.widgets[1]).toMatchObject({ title: 'Income by year', layout: { x: 0, y: 4, w: 12, h: 6 } });
    const list = (await api(owner, 'GET', '/dashboards')).json().data;
    // Creating one first means no default "Overview" is provisioned.
    expect(list.map((d: { name: string }) => d.name)).toEqual(['Quarter']);

    const second = (await api(owner, 'POST', '/dashboards', { name: 'Team' })).json();
    const made = await api(owner, 'PATCH', `/dashboards/${second.id}`, { is_default: true, widgets: [{ report: 'win-loss' }] }, { 'if-match': '"1"' });
    expect(made.statusCode, made.body).toBe(200);
    expect(made.json()).toMatchObject({ is_default: true, version: 2, widgets: [{ report: 'win-loss', filters: {} }] });
    expect(made.headers.etag).toBe('"2"');
    expect((await api(owner, 'GET', `/dashboards/${board.id}`)).json()).toMatchObject({ is_default: false, version: 2 });

    expect((await api(owner, 'PATCH', `/dashboards/${second.id}`, { name: 'Stale' }, { 'if-match': '"1"' })).statusCode).toBe(412);
    expect((await api(owner, 'DELETE', `/dashboards/${second.id}`, undefined, { 'if-match': '"1"' })).statusCode).toBe(412);
    expect(await rows('SELECT name FROM dashboards WHERE id = $1', [second.id])).toEqual([{ name: 'Team' }]);
    expect((await api(owner, 'DELETE', `/dashboards/${second.id}`, undefined, { 'if-match': '"2"' })).statusCode).toBe(204);
    expect((await api(owner, 'GET', `/dashboards/${second.id}`)).statusCode).toBe(404);
    const audit = await rows('SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id', [second.id]);
    expect(audit.map((a) => a.action)).toEqual(['dashboard.create', 'dashboard.update', 'dashboard.delete']);
  });

  it('validates names, widgets and their report filters', async () => {
    const bad: object[] = [
      { name: '' },
      { name: 'x', widgets: [{ report: 'nope' }] },
      { name: 'x', widgets: [{ report: 'forecast', filters: { interval: 'week' } }] },
      { name: 'x', widgets: [{ report: 'pipeline', filters: { pipeline_id: 'not-a-uuid' } }] },
      { name: 'x', widgets: [{ report: 'pipeline', filters: { bogus: '1' } }] },
      { name: 'x', widgets: [{ report: 'income', layout: { x: 0, y: 0, w: 0, h: 1 } }] },
      { name: 'x', widgets: Array.from({ length: 25 }, () => ({ report: 'income' })) },
      { name: 'x', extra: 1 },
    ];
    for (const body of bad) expect((await api(owner, 'POST', '/dashboards', body)).statusCode, JSON.stringify(body)).toBe(400);
    const res = await api(owner, 'POST', '/dashboards', { name: 'x', widgets: [{ report: 'forecast', filters: { interval: 'week' } }] });
    expect(JSON.stringify(res.json().errors)).toContain('filters');
    const board = (await api(owner, 'POST', '/dashboards', { name: 'Ok' })).json();
    expect((await api(owner, 'PATCH', `/dashboards/${board.id}`, {})).statusCode).toBe(400);
  });

  it('is private to its person: colleagues and other firms get 404 and change nothing', async () => {
    const board = (await api(owner, 'POST', '/dashboards', { name: 'Mine' })).json();
    for (const who of [colleague, other]) {
      expect((await api(who, 'GET', `/dashboards/${board.id}`)).statusCode).toBe(404);
      expect((await api(who, 'PATCH', `/dashboards/${board.id}`, { name: 'Taken' })).statusCode).toBe(404);
      expect((await api(who, 'DELETE', `/dashboards/${board.id}`)).statusCode).toBe(404);
      const list = (await api(who, 'GET', '/dashboards')).json().data;
      expect(list.map((d: { id: string }) => d.id)).not.toContain(board.id);
    }
    expect(await rows('SELECT name, version FROM dashboards WHERE id = $1', [board.id])).toEqual([{ name: 'Mine', version: 1 }]);
  });

  it('is refused to API keys, which act for no person, and writes nothing', async () => {
    const key = (await api(owner, 'POST', '/api-keys', { name: 'reporting', role: 'viewer' })).json().key as string;
    const headers = { authorization: `Bearer ${key}` };
    const res = await t.server.inject({ method: 'POST', url: '/api/v1/dashboards', headers, payload: { name: 'Robot' } });
    expect(res.statusCode).toBe(403);
    expect((await t.server.inject({ method: 'GET', url: '/api/v1/dashboards', headers })).statusCode).toBe(403);
    expect(await rows(`SELECT 1 FROM dashboards WHERE tenant_id = $1 AND name = 'Robot'`, [owner.tenantId])).toHaveLength(0);
    // Reports themselves are fine for a key with reports:read.
    expect((await t.server.inject({ method: 'GET', url: '/api/v1/reports/income', headers })).statusCode).toBe(200);
  });
});

/** Exchange-rate CRUD: conventions, validation, permissions, tenant isolation. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/app.js';
import { addMember, as, signUp, type Principal } from '../../../test/factories.js';
 
import { withSystem } from '../../platform/db/system.js';

let t: TestApp;
let owner: Principal;
let member: Principal;
let viewer: Principal;
let other: Principal;

const api = (p: Principal, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, headers: Record<string, string> = {}) =>
  t.server.inject(as(p, { method, url: `/api/v1${url}`, ...(payload ? { payload } : {}), headers }));
const rows = async (sql: string, params: unknown[]) => (await withSystem(t.db, (tx) => tx.query(sql, params))).rows;

beforeAll(async () => {
  t = await buildTestApp();
  owner = await signUp(t.server);
  member = await addMember(t.server, owner, 'member');
  viewer = await addMember(t.server, owner, 'viewer');
  other = await signUp(t.server);
});
afterAll(() => t.close());

describe('exchange rates', () => {
  it('creates, reads, lists by keyset, changes with If-Match and deletes, with an audit trail', async () => {
    const created = await api(owner, 'POST', '/exchange-rates', { currency: 'EUR', rate: '1.082500', effective_from: '2026-01-01' });
    expect(created.statusCode, created.body).toBe(201);
    const rate = created.json();
    expect(rate).toMatchObject({ currency: 'EUR', rate: '1.0825', effective_from: '2026-01-01', version: 1 });
    expect(created.headers.etag).toBe('"1"');
    await api(owner, 'POST', '/exchange-rates', { currency: 'EUR', rate: '1.1', effective_from: '2026-06-01' });
    await api(owner, 'POST', '/exchange-rates', { currency: 'GBP', rate: '1.27', effective_from: '2026-01-01' });

    const page1 = await api(viewer, 'GET', '/exchange-rates?limit=2');
    expect(page1.statusCode).toBe(200);
    expect(page1.json().data.map((r: { currency: string; effective_from: string }) => `${r.currency} ${r.effective_from}`)).toEqual(['EUR 2026-06-01', 'EUR 2026-01-01']);
    const page2 = await api(viewer, 'GET', `/exchange-rates?limit=2&cursor=${page1.json().next_cursor}`);
    expect(page2.json()).toMatchObject({ data: [{ currency: 'GBP' }], next_cursor: null });
    expect((await api(viewer, 'GET', '/exchange-rates?currency=GBP')).json().data).toHaveLength(1);
    expect((await api(viewer, 'GET', '/exchange-rates?cursor=garbage')).statusCode).toBe(400);

    const one = await api(viewer, 'GET', `/exchange-rates/${rate.id}`);
    expect(one.json()).toEqual(rate);
    const changed = await api(owner, 'PATCH', `/exchange-rates/${rate.id}`, { rate: '1.09' }, { 'if-match': '"1"' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ rate: '1.09', version: 2 });
    expect(changed.headers.etag).toBe('"2"');
    expect((await api(owner, 'PATCH', `/exchange-rates/${rate.id}`, { rate: '2' }, { 'if-match': '"1"' })).statusCode).toBe(412);
    expect((await api(owner, 'DELETE', `/exchange-rates/${rate.id}`, undefined, { 'if-match': '"1"' })).statusCode).toBe(412);
    expect(await rows('SELECT trim_scale(rate)::text AS rate FROM exchange_rates WHERE id = $1', [rate.id])).toEqual([{ rate: '1.09' }]);
    expect((await api(owner, 'DELETE', `/exchange-rates/${rate.id}`, undefined, { 'if-match': '"2"' })).statusCode).toBe(204);
    expect((await api(owner, 'GET', `/exchange-rates/${rate.id}`)).statusCode).toBe(404);
    const audit = await rows(`SELECT action FROM audit_log WHERE tenant_id = $1 AND entity_id = $2 ORDER BY id`, [owner.tenantId, rate.id]);
    expect(audit.map((a) => a.action)).toEqual(['exchange_rate.create', 'exchange_rate.update', 'exchange_rate.delete']);
  });

  it('validates input: decimal strings only, ISO codes, no base currency, one rate per day', async () => {
    const bad: object[] = [
      { currency: 'EUR', rate: 1.5, effective_from: '2026-01-01' },
      { currency: 'EUR', rate: '0', effective_from: '2026-01-01' },
      { currency: 'EUR', rate: '-1', effective_from: '2026-01-01' },
      { currency: 'EUR', rate: '1.0000000000001', effective_from: '2026-01-01' },
      { currency: 'eur', rate: '1', effective_from: '2026-01-01' },
      { currency: 'EUR', rate: '1', effective_from: '2026-02-30' },
      { currency: 'EUR', rate: '1' },
      { currency: 'EUR', rate: '1', effective_from: '2026-01-01', extra: true },
    ];
    for (const body of bad) expect((await api(owner, 'POST', '/exchange-rates', body)).statusCode, JSON.stringify(body)).toBe(400);
    expect((await api(owner, 'POST', '/exchange-rates', { currency: 'USD', rate: '1', effective_from: '2026-01-01' })).statusCode).toBe(422);
    const first = await api(owner, 'POST', '/exchange-rates', { currency: 'CHF', rate: '1.13', effective_from: '2026-03-01' });
    expect(first.statusCode).toBe(201);
    expect((await api(owner, 'POST', '/exchange-rates', { currency: 'CHF', rate: '1.2', effective_from: '2026-03-01' })).statusCode).toBe(409);
    const second = await api(owner, 'POST', '/exchange-rates', { currency: 'CHF', rate: '1.2', effective_from: '2026-04-01' });
    expect((await api(owner, 'PATCH', `/exchange-rates/${second.json().id}`, { effective_from: '2026-03-01' })).statusCode).toBe(409);
    expect((await api(owner, 'PATCH', `/exchange-rates/${second.json().id}`, {})).statusCode).toBe(400);
    expect((await api(owner, 'PATCH', `/exchange-rates/${second.json().id}`, { rate: '1' }, { 'if-match': 'nonsense' })).statusCode).toBe(400);
  });

  it('only settings managers change rates; refused requests write nothing', async () => {
    for (const who of [member, viewer]) {
      const res = await api(who, 'POST', '/exchange-rates', { currency: 'JPY', rate: '0.0067', effective_from: '2026-01-01' });
      expect(res.statusCode).toBe(403);
    }
    expect(await rows(`SELECT 1 FROM exchange_rates WHERE tenant_id = $1 AND currency = 'JPY'`, [owner.tenantId])).toHaveLength(0);
    const rate = (await api(owner, 'POST', '/exchange-rates', { currency: 'SEK', rate: '0.095', effective_from: '2026-01-01' })).json();
    expect((await api(member, 'PATCH', `/exchange-rates/${rate.id}`, { rate: '1' })).statusCode).toBe(403);
    expect((await api(member, 'DELETE', `/exchange-rates/${rate.id}`)).statusCode).toBe(403);
    expect(await rows('SELECT trim_scale(rate)::text AS rate, version FROM exchange_rates WHERE id = $1', [rate.id])).toEqual([{ rate: '0.095', version: 1 }]);
  });

  it('another firm gets 404 and the rate stays as it was', async () => {
    const rate = (await api(owner, 'POST', '/exchange-rates', { currency: 'NOK', rate: '0.093', effective_from: '2026-01-01' })).json();
    expect((await api(other, 'GET', `/exchange-rates/${rate.id}`)).statusCode).toBe(404);
    expect((await api(other, 'PATCH', `/exchange-rates/${rate.id}`, { rate: '9' })).statusCode).toBe(404);
    expect((await api(other, 'DELETE', `/exchange-rates/${rate.id}`)).statusCode).toBe(404);
    expect((await api(other, 'GET', '/exchange-rates')).json().data).toEqual([]);
    expect(await rows('SELECT trim_scale(rate)::text AS rate, version FROM exchange_rates WHERE id = $1', [rate.id])).toEqual([{ rate: '0.093', version: 1 }]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/app.js';
import { addMember, as, signUp, type Principal } from '../../../test/factories.js';

let app: TestApp;
let owner: Principal;

beforeAll(async () => {
  app = await buildTestApp({ INBOUND_RATE_LIMIT_PER_MINUTE: '8' });
  owner = await signUp(app.server);
});
afterAll(async () => app?.close());

async function endpoint(p: Principal, name = 'Contact us') {
  const res = await app.server.inject(as(p, { method: 'POST', url: '/api/v1/inbound/endpoints', payload: { name, lead_source: 'website' } }));
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string; token: string; url: string }>();
}

const submit = (token: string, payload: unknown, headers: Record<string, string> = {}, ip = '203.0.113.7') =>
  app.server.inject({ method: 'POST', url: `/api/v1/inbound/forms/${token}`, payload: payload as string, headers, remoteAddress: ip });

describe('inbound web forms', () => {
  it('turns a submission into a lead, and a second one with the same email updates it', async () => {
    const ep = await endpoint(owner);
    expect(ep.url).toContain(`/api/v1/inbound/forms/${ep.token}`);
    const first = await submit(ep.token, { email: 'Jane@Example.com', name: 'Jane Doe', message: 'Call me', utm_campaign: 'spring' });
    expect(first.statusCode, first.body).toBe(202);
    expect(first.json().status).toBe('lead_created');
    const second = await submit(ep.token, 'email=jane%40example.com&phone=555-0100', { 'content-type': 'application/x-www-form-urlencoded' }, '203.0.113.8');
    expect(second.statusCode, second.body).toBe(202);
    expect(second.json().status).toBe('lead_updated');

    const list = await app.server.inject(as(owner, { method: 'GET', url: `/api/v1/inbound/submissions?endpoint_id=${ep.id}` }));
    const subs = list.json<{ data: Array<{ lead_id: string; email: string; fields: Record<string, string> }> }>().data;
    expect(subs).toHaveLength(2);
    expect(subs[0]!.lead_id).toBe(subs[1]!.lead_id);
    expect(subs[1]!.fields.utm_campaign).toBe('spring');
    const lead = await app.db.query<{ email: string; phone: string; source: string; tenant_id: string }>('SELECT email, phone, source, tenant_id FROM leads WHERE id = $1', [subs[0]!.lead_id]);
    expect(lead.rows[0]).toMatchObject({ email: 'jane@example.com', phone: '555-0100', source: 'website', tenant_id: owner.tenantId });
    const events = await app.db.query<{ type: string }>(`SELECT type FROM events WHERE tenant_id = $1 AND type = 'form.submitted'`, [owner.tenantId]);
    expect(events.rows).toHaveLength(2);
  });

  it('refuses bad input and unknown or revoked tokens, storing nothing', async () => {
    const ep = await endpoint(owner, 'Bad input');
    expect((await submit(ep.token, { email: 'not-an-email' }, {}, '203.0.113.20')).statusCode).toBe(400);
    expect((await submit(`${ep.token.slice(0, -4)}AAAA`, { email: 'x@example.com' }, {}, '203.0.113.21')).statusCode).toBe(404);
    expect((await submit('frm_nonsense', { email: 'x@example.com' }, {}, '203.0.113.22')).statusCode).toBe(404);
    const del = await app.server.inject(as(owner, { method: 'DELETE', url: `/api/v1/inbound/endpoints/${ep.id}` }));
    expect(del.statusCode).toBe(204);
    expect((await submit(ep.token, { email: 'x@example.com' }, {}, '203.0.113.23')).statusCode).toBe(404);
    const rows = await app.db.query<{ n: number }>('SELECT count(*)::int AS n FROM inbound_submissions WHERE endpoint_id = $1', [ep.id]);
    expect(rows.rows[0]!.n).toBe(0);
  });

  it('rate-limits per client address', async () => {
    const ep = await endpoint(owner, 'Busy');
    const codes: number[] = [];
    for (let i = 0; i < 10; i++) codes.push((await submit(ep.token, { email: `p${i}@example.com` }, {}, '198.51.100.99')).statusCode);
    expect(codes.slice(0, 8).every((c) => c === 202)).toBe(true);
    expect(codes.slice(8)).toEqual([429, 429]);
  });

  it('keeps endpoints and submissions inside their tenant and from members', async () => {
    const ep = await endpoint(owner, 'Private');
    const other = await signUp(app.server);
    const list = await app.server.inject(as(other, { method: 'GET', url: '/api/v1/inbound/submissions' }));
    expect(list.json().data).toEqual([]);
    expect((await app.server.inject(as(other, { method: 'DELETE', url: `/api/v1/inbound/endpoints/${ep.id}` }))).statusCode).toBe(404);
    const member = await addMember(app.server, owner, 'member');
    expect((await app.server.inject(as(member, { method: 'POST', url: '/api/v1/inbound/endpoints', payload: { name: 'x' } }))).statusCode).toBe(403);
    expect((await app.server.inject(as(member, { method: 'DELETE', url: `/api/v1/inbound/endpoints/${ep.id}` }))).statusCode).toBe(403);
    const still = await app.db.query<{ n: number }>('SELECT count(*)::int AS n FROM inbound_endpoints WHERE id = $1', [ep.id]);
    expect(still.rows[0]!.n).toBe(1);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diff } from '../../platform/audit.js';
import { buildTestApp, type TestApp } from '../../../test/app.js';
import { addMember, as, signUp, type Principal } from '../../../test/factories.js';

let t: TestApp;
let owner: Principal;
let other: Principal;
let viewer: Principal;
beforeAll(async () => {
  t = await buildTestApp();
  owner = await signUp(t.server);
  other = await signUp(t.server);
  viewer = await addMember(t.server, owner, 'viewer');
});
afterAll(() => t.close());

const api = (p: Principal, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
  t.server.inject(as(p, { method, url: `/api/v1${url}`, ...(payload === undefined ? {} : { payload: payload as object }), headers }));

const row = async (id: string) =>
  (await t.db.query<Record<string, unknown>>('SELECT * FROM contacts WHERE id = $1', [id])).rows[0];

async function createContact(p: Principal, body: Record<string, unknown>) {
  const res = await api(p, 'POST', '/contacts', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string; version: number } & Record<string, unknown>>();
}

describe('contacts', () => {
  it('creates a contact with normalised emails and E.164 phones, and reads it back with an ETag', async () => {
    const c = await createContact(owner, {
      first_name: 'Ada', last_name: 'Lovelace',
      emails: [{ email: 'ada@home.test', label: 'home' }, { email: ' ADA@Work.TEST ', label: 'work', primary: true }],
      phones: [{ phone: '(415) 555-0132', label: 'mobile' }, { phone: 'not a number' }],
      tags: ['VIP', ' vip ', 'Early  Adopter'], address: { city: 'London', country: 'GB', street: '  ' },
    });
    expect(c).toMatchObject({
      name: 'Ada Lovelace', email: 'ada@work.test', phone: '+14155550132', tags: ['vip', 'early adopter'], address: { city: 'London', country: 'GB' },
    });
    expect(c.emails).toEqual([{ email: 'ada@work.test', label: 'work', primary: true }, { email: 'ada@home.test', label: 'home', primary: false }]);
    expect(c.phones).toEqual([
      { phone: '(415) 555-0132', e164: '+14155550132', label: 'mobile', primary: true },
      { phone: 'not a number', e164: null, label: null, primary: false },
    ]);
    const got = await api(owner, 'GET', `/contacts/${c.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.headers.etag).toBe('"1"');
    const audit = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE entity_id = $1 AND type = 'contact.created'`, [c.id]);
    expect(audit.rows[0]!.n).toBe(1);
  });

  it('rejects bad input with 400 and writes nothing', async () => {
    for (const body of [
      {}, { first_name: 'x', email: 'not-an-email' }, { first_name: 'x', emails: [{ email: 'a@b.test', primary: true }, { email: 'c@d.test', primary: true }] },
      { first_name: 'x', unknown: 1 }, { first_name: 'x', custom: { nope: 1 } }, { first_name: 'x', email: 'a@b.test', emails: [] },
    ]) {
      const res = await api(owner, 'POST', '/contacts', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('keeps a primary email unique among live contacts (409 naming the existing record)', async () => {
    const a = await createContact(owner, { first_name: 'Grace', email: 'grace@navy.test' });
    const dup = await api(owner, 'POST', '/contacts', { first_name: 'G', email: 'GRACE@navy.test' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: 'duplicate', existing_id: a.id });
    // Another tenant may use the same email.
    await createContact(other, { first_name: 'Grace', email: 'grace@navy.test' });
    // Once trashed, the email is free; restoring the first then conflicts.
    expect((await api(owner, 'DELETE', `/contacts/${a.id}`)).statusCode).toBe(204);
    const b = await createContact(owner, { first_name: 'Grace 2', email: 'grace@navy.test' });
    const { restoreContact } = await import('./index.js');
    const ctx = { db: t.db, tenantId: owner.tenantId, userId: owner.userId, role: 'owner' as const, actor: { type: 'user' as const, id: owner.userId }, requestId: null, ip: null };
    await expect(restoreContact(ctx, a.id)).rejects.toMatchObject({ code: 'duplicate', details: { existing_id: b.id } });
    expect((await api(owner, 'DELETE', `/contacts/${b.id}`)).statusCode).toBe(204);
    const restored = await restoreContact(ctx, a.id);
    expect(restored.deleted_at).toBeNull();
  });

  it('writes the create, its audit row (the full diff of the new row) and its event in one statement', async () => {
    const c = await createContact(owner, {
      first_name: 'Edsger', last_name: '', emails: [{ email: 'edsger@eindhoven.test' }], phones: [{ phone: '+31 20 555 0100' }],
      tags: ['Goto'], address: { city: 'Nuenen' }, notes: 'structured',
    });
    const audit = await t.db.query<{ changes: unknown; entity_id: string; actor_id: string | null }>(
      `SELECT changes, entity_id, actor_id FROM audit_log WHERE entity = 'contact' AND entity_id = $1 AND action = 'contact.create'`, [c.id]);
    expect(audit.rows).toHaveLength(1);
    // The same changes recordChange computes in JavaScript from the row as the API returns it.
    const stored = (await t.db.query<Record<string, unknown>>(
      `SELECT id, first_name, last_name, coalesce(nullif(btrim(first_name || ' ' || last_name), ''), email, '') AS name, email, emails, phone, phones,
              title, department, address, social, notes, lead_source, company_id, owner_id, tags, custom, created_by, created_at, updated_at, deleted_at, version
         FROM contacts WHERE id = $1`, [c.id])).rows[0]!;
    expect(audit.rows[0]!.changes).toEqual(JSON.parse(JSON.stringify(diff(null, stored))));
    expect(audit.rows[0]!.changes).toMatchObject({ last_name: { before: null, after: '' }, created_at: { before: null, after: c.created_at } });
    expect(audit.rows[0]!.actor_id).toBe(owner.userId);
    const events = await t.db.query<{ payload: unknown }>(`SELECT payload FROM events WHERE entity_id = $1 AND type = 'contact.created'`, [c.id]);
    expect(events.rows.map((e) => e.payload)).toEqual([{ id: c.id, name: 'Edsger', email: 'edsger@eindhoven.test', company_id: null }]);
  });

  it('lets one of several racing creates with the same email through; the others get 409 and write nothing', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => api(owner, 'POST', '/contacts', { first_name: `Racer ${i}`, email: 'sprint@lane.test' })));
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([201, 409, 409, 409, 409, 409]);
    const winner = results.find((r) => r.statusCode === 201)!.json<{ id: string }>();
    for (const r of results.filter((x) => x.statusCode === 409)) expect(r.json()).toMatchObject({ code: 'duplicate' });
    const n = async (sqlText: string) => (await t.db.query<{ n: number }>(sqlText, [owner.tenantId])).rows[0]!.n;
    expect(await n(`SELECT count(*)::int AS n FROM contacts WHERE tenant_id = $1 AND email = 'sprint@lane.test'`)).toBe(1);
    expect(await n(`SELECT count(*)::int AS n FROM audit_log a JOIN contacts c ON c.id::text = a.entity_id AND c.tenant_id = a.tenant_id
                     WHERE a.tenant_id = $1 AND c.email = 'sprint@lane.test'`)).toBe(1);
    expect(await n(`SELECT count(*)::int AS n FROM events WHERE tenant_id = $1 AND type = 'contact.created' AND payload->>'email' = 'sprint@lane.test'`)).toBe(1);
    expect(winner.id).toBeTruthy();
  });

  it('checks owner and company references: unknown or another tenant\'s ids are 422', async () => {
    const theirCompany = (await api(other, 'POST', '/companies', { name: 'Theirs' })).json<{ id: string }>().id;
    const bad = [{ company_id: theirCompany }, { owner_id: other.userId }, { company_id: '0190a000-0000-7000-8000-000000000000' }];
    for (const b of bad) {
      const res = await api(owner, 'POST', '/contacts', { first_name: 'Ref', ...b });
      expect(res.statusCode, JSON.stringify(b)).toBe(422);
      expect(res.json().code).toBe('reference_not_found');
    }
    const mine = (await api(owner, 'POST', '/companies', { name: 'Mine' })).json<{ id: string }>().id;
    const ok = await createContact(owner, { first_name: 'Ref', company_id: mine, owner_id: viewer.userId });
    expect(ok).toMatchObject({ company_id: mine, owner_id: viewer.userId });
  });

  it('updates with If-Match (412 when stale) and leaves an audit trail', async () => {
    const c = await createContact(owner, { first_name: 'Linus', last_name: 'T', email: 'linus@kernel.test' });
    const ok = await api(owner, 'PATCH', `/contacts/${c.id}`, { last_name: 'Torvalds', phone: '+44 20 7946 0958' }, { 'if-match': '"1"' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ last_name: 'Torvalds', phone: '+442079460958', version: 2 });
    expect(ok.headers.etag).toBe('"2"');
    const stale = await api(owner, 'PATCH', `/contacts/${c.id}`, { title: 'x' }, { 'if-match': '"1"' });
    expect(stale.statusCode).toBe(412);
    expect((await row(c.id))!.title).toBeNull();
    const staleDelete = await api(owner, 'DELETE', `/contacts/${c.id}`, undefined, { 'if-match': '"1"' });
    expect(staleDelete.statusCode).toBe(412);
    // Changing the primary email keeps the others.
    const moved = await api(owner, 'PATCH', `/contacts/${c.id}`, { email: 'l@linux.test' });
    expect(moved.json().emails.map((e: { email: string }) => e.email)).toEqual(['l@linux.test']);
    const audit = await t.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`, [c.id]);
    expect(audit.rows.map((a) => a.action)).toEqual(['contact.create', 'contact.update', 'contact.update']);
  });

  it('another tenant gets 404 for every route and the contact is unchanged', async () => {
    const c = await createContact(owner, { first_name: 'Private', email: 'private@x.test' });
    const before = await row(c.id);
    for (const [method, url, body] of [
      ['GET', `/contacts/${c.id}`], ['PATCH', `/contacts/${c.id}`, { first_name: 'Hacked' }], ['DELETE', `/contacts/${c.id}`],
      ['GET', `/contacts/${c.id}/vcard`], ['GET', `/contacts/${c.id}/duplicates`],
    ] as const) {
      const res = await api(other, method, url, body);
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
    expect(await row(c.id)).toEqual(before);
    const list = await api(other, 'GET', '/contacts?limit=200');
    expect(list.json().data.map((x: { id: string }) => x.id)).not.toContain(c.id);
  });

  it('viewers read but may not write (403, nothing written)', async () => {
    const c = await createContact(owner, { first_name: 'Viewed' });
    expect((await api(viewer, 'GET', `/contacts/${c.id}`)).statusCode).toBe(200);
    expect((await api(viewer, 'POST', '/contacts', { first_name: 'Nope' })).statusCode).toBe(403);
    expect((await api(viewer, 'PATCH', `/contacts/${c.id}`, { first_name: 'Nope' })).statusCode).toBe(403);
    expect((await api(viewer, 'DELETE', `/contacts/${c.id}`)).statusCode).toBe(403);
    expect((await row(c.id))!).toMatchObject({ first_name: 'Viewed', deleted_at: null, version: 1 });
    const n = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM contacts WHERE tenant_id = $1 AND first_name = 'Nope'`, [owner.tenantId]);
    expect(n.rows[0]!.n).toBe(0);
  });

  it('trashes on DELETE: gone from reads and lists, kept in the table', async () => {
    const c = await createContact(owner, { first_name: 'Trash', last_name: 'Me' });
    expect((await api(owner, 'DELETE', `/contacts/${c.id}`)).statusCode).toBe(204);
    expect((await api(owner, 'GET', `/contacts/${c.id}`)).statusCode).toBe(404);
    expect((await row(c.id))!.deleted_at).not.toBeNull();
    const list = await api(owner, 'GET', '/contacts?q=trash');
    expect(list.json().data).toEqual([]);
  });
});

describe('vCard', () => {
  it('exports a vCard 4.0 with escaped values and folded lines', async () => {
    const company = (await api(owner, 'POST', '/companies', { name: 'Analytical, Engines; Ltd' })).json<{ id: string }>().id;
    const c = await createContact(owner, {
      first_name: 'Ada', last_name: 'King; Countess', email: 'ada.vcard@engines.test', phone: '+44 20 7946 0018', company_id: company,
      title: 'Analyst, first', notes: 'Line one\nLine two with a backslash \\ and a very long tail that needs folding because it is long',
      tags: ['math', 'poetry, science'], address: { street: '12 St James\'s Square', city: 'London', country: 'GB' },
      social: { linkedin: 'https://www.linkedin.com/in/ada' },
    });
    const res = await api(owner, 'GET', `/contacts/${c.id}/vcard`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/vcard');
    const text = res.body;
    expect(text.startsWith('BEGIN:VCARD\r\nVERSION:4.0\r\n')).toBe(true);
    expect(text.endsWith('END:VCARD\r\n')).toBe(true);
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    const unfolded = text.replace(/\r\n /g, '');
    expect(unfolded).toContain('N:King\\; Countess;Ada;;;');
    expect(unfolded).toContain('ORG:Analytical\\, Engines\\; Ltd');
    expect(unfolded).toContain('TITLE:Analyst\\, first');
    expect(unfolded).toContain('NOTE:Line one\\nLine two with a backslash \\\\ and');
    expect(unfolded).toContain('CATEGORIES:math,poetry\\, science');
    expect(unfolded).toContain('TEL;VALUE=uri;PREF=1:tel:+442079460018');
    expect(unfolded).toContain('EMAIL;PREF=1:ada.vcard@engines.test');
    expect(unfolded).toContain(`UID:urn:uuid:${c.id}`);
  });
});

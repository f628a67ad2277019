import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

const api = (p: Principal, method: 'GET' | 'POST', url: string, payload?: object, headers: Record<string, string> = {}) =>
  t.server.inject(as(p, { method, url: `/api/v1${url}`, ...(payload ? { payload } : {}), headers }));
async function create(p: Principal, url: string, payload: object) {
  const res = await api(p, 'POST', url, payload);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

/** Related records of other modules, written directly (their APIs are not this module's concern). */
async function relatedRows(tenantId: string, link: { contact_id?: string; company_id?: string }) {
  const pipeline = randomUUID();
  const stage = randomUUID();
  const deal = randomUUID();
  const activity = randomUUID();
  const lead = randomUUID();
  await t.db.query('INSERT INTO pipelines (tenant_id, id, name) VALUES ($1, $2, $3)', [tenantId, pipeline, 'P']);
  await t.db.query('INSERT INTO stages (tenant_id, id, pipeline_id, name, position) VALUES ($1, $2, $3, $4, 0)', [tenantId, stage, pipeline, 'S']);
  await t.db.query(`INSERT INTO deals (tenant_id, id, name, pipeline_id, stage_id, position, contact_id, company_id) VALUES ($1, $2, 'D', $3, $4, 'a', $5, $6)`,
    [tenantId, deal, pipeline, stage, link.contact_id ?? null, link.company_id ?? null]);
  await t.db.query(`INSERT INTO activities (tenant_id, id, type, subject, contact_id, company_id) VALUES ($1, $2, 'note', 'N', $3, $4)`,
    [tenantId, activity, link.contact_id ?? null, link.company_id ?? null]);
  await t.db.query(`INSERT INTO leads (tenant_id, id, title, contact_id, company_id) VALUES ($1, $2, 'L', $3, $4)`,
    [tenantId, lead, link.contact_id ?? null, link.company_id ?? null]);
  return { deal, activity, lead };
}

describe('duplicate suggestions', () => {
  it('suggests contacts with the same phone or email, or a similar name at the same company', async () => {
    const co = await create(owner, '/companies', { name: 'Dup Co' });
    const elsewhere = await create(owner, '/companies', { name: 'Elsewhere' });
    const jon = await create(owner, '/contacts', { first_name: 'Jonathan', last_name: 'Harker', company_id: co, phone: '+1 212 555 0101', emails: [{ email: 'jh@dup.test' }, { email: 'jon@home.test' }] });
    const similar = await create(owner, '/contacts', { first_name: 'Jonathon', last_name: 'Harker', company_id: co });
    const samePhone = await create(owner, '/contacts', { first_name: 'Mina', last_name: 'Murray', phone: '(212) 555-0101' });
    const sameEmail = await create(owner, '/contacts', { first_name: 'J', email: 'jon@home.test' });
    const otherCompany = await create(owner, '/contacts', { first_name: 'Jonathan', last_name: 'Harker', company_id: elsewhere });
    const res = await api(owner, 'GET', `/contacts/${jon}/duplicates`);
    expect(res.statusCode, res.body).toBe(200);
    const byId = new Map(res.json().data.map((d: { id: string; reasons: string[] }) => [d.id, d.reasons]));
    expect(byId.get(similar)).toEqual(['similar_name']);
    expect(byId.get(samePhone)).toEqual(['same_phone']);
    expect(byId.get(sameEmail)).toEqual(['same_email']);
    expect(byId.has(otherCompany)).toBe(false);
    expect(byId.has(jon)).toBe(false);
    expect((await api(other, 'GET', `/contacts/${jon}/duplicates`)).statusCode).toBe(404);
  });

  it('suggests companies with the same domain, phone or a similar name', async () => {
    const a = await create(owner, '/companies', { name: 'Initech Labs', domain: 'initech.test' });
    const b = await create(owner, '/companies', { name: 'Initech', domain: 'https://www.initech.test/' });
    const c = await create(owner, '/companies', { name: 'Initek Labs' });
    const d = await create(owner, '/companies', { name: 'Unrelated' });
    const res = await api(viewer, 'GET', `/companies/${a}/duplicates`);
    const byId = new Map(res.json().data.map((x: { id: string; reasons: string[] }) => [x.id, x.reasons]));
    expect(byId.get(b)).toEqual(expect.arrayContaining(['same_domain']));
    expect(byId.get(c)).toEqual(['similar_name']);
    expect(byId.has(d)).toBe(false);
  });
});

describe('merging', () => {
  it('merges contacts: related records move, blanks fill, the other is trashed, audited with contact.merged', async () => {
    const s = await create(owner, '/contacts', { first_name: 'Bram', last_name: 'Stoker', email: 'bram@lyceum.test', tags: ['author'] });
    const o = await create(owner, '/contacts', { first_name: 'Abraham', last_name: 'Stoker', email: 'abraham@dublin.test', title: 'Clerk', tags: ['irish', 'author'], phone: '+353 1 555 0101' });
    const moved = await relatedRows(owner.tenantId, { contact_id: o });
    const stale = await api(owner, 'POST', `/contacts/${s}/merge`, { other_id: o }, { 'if-match': '"7"' });
    expect(stale.statusCode).toBe(412);
    const res = await api(owner, 'POST', `/contacts/${s}/merge`, { other_id: o }, { 'if-match': '"1"' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ first_name: 'Bram', email: 'bram@lyceum.test', title: 'Clerk', tags: ['author', 'irish'], version: 2 });
    expect(res.json().emails.map((e: { email: string }) => e.email)).toEqual(['bram@lyceum.test', 'abraham@dublin.test']);
    for (const [table, id] of [['deals', moved.deal], ['activities', moved.activity], ['leads', moved.lead]] as const) {
      const r = await t.db.query<{ contact_id: string }>(`SELECT contact_id FROM ${table} WHERE id = $1`, [id]);
      expect(r.rows[0]!.contact_id, table).toBe(s);
    }
    expect((await t.db.query<{ deleted_at: string | null }>('SELECT deleted_at FROM contacts WHERE id = $1', [o])).rows[0]!.deleted_at).not.toBeNull();
    const ev = await t.db.query<{ type: string; payload: { merged_id: string } }>(`SELECT type, payload FROM events WHERE entity_id = $1 AND type = 'contact.merged'`, [s]);
    expect(ev.rows[0]!.payload.merged_id).toBe(o);
    const audit = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE entity_id = $1 AND action = 'contact.merge'`, [s]);
    expect(audit.rows[0]!.n).toBe(1);
    // The other's email is now free for reuse (it lives on the survivor as a secondary email).
    expect((await api(owner, 'POST', `/contacts/${s}/merge`, { other_id: o })).statusCode).toBe(422);
  });

  it('merges companies: contacts, deals, activities, leads and children move; no cycle when the survivor was below', async () => {
    const o = await create(owner, '/companies', { name: 'Old Parent', domain: 'oldparent.test', industry: 'Retail' });
    const s = await create(owner, '/companies', { name: 'Survivor', parent_id: o });
    const sibling = await create(owner, '/companies', { name: 'Sibling', parent_id: o });
    const employee = await create(owner, '/contacts', { first_name: 'Emp', company_id: o });
    const moved = await relatedRows(owner.tenantId, { company_id: o });
    const res = await api(owner, 'POST', `/companies/${s}/merge`, { other_id: o });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: s, parent_id: null, domain: 'oldparent.test', industry: 'Retail' });
    const q = async (sql: string, id: string) => (await t.db.query<Record<string, unknown>>(sql, [id])).rows[0];
    expect(await q('SELECT parent_id FROM companies WHERE id = $1', sibling)).toEqual({ parent_id: s });
    expect(await q('SELECT company_id FROM contacts WHERE id = $1', employee)).toEqual({ company_id: s });
    for (const [table, id] of [['deals', moved.deal], ['activities', moved.activity], ['leads', moved.lead]] as const) {
      expect(await q(`SELECT company_id FROM ${table} WHERE id = $1`, id), table).toEqual({ company_id: s });
    }
    const ev = await t.db.query<{ payload: { moved: Record<string, number> } }>(`SELECT payload FROM events WHERE entity_id = $1 AND type = 'company.merged'`, [s]);
    expect(ev.rows[0]!.payload.moved).toMatchObject({ contacts: 1, deals: 1, activities: 1, leads: 1, children: 1 });
  });

  it('takes the fields the person preferred from the other contact, primary email and phone included', async () => {
    const field = await api(owner, 'POST', '/custom-fields', { entity: 'contact', key: 'tier', label: 'Tier', type: 'text' });
    expect(field.statusCode, field.body).toBe(201);
    const s = await create(owner, '/contacts', { first_name: 'Lucy', last_name: 'Westenra', email: 'lucy@old.test', phone: '+44 20 7946 0001', title: 'Heiress', custom: { tier: 'gold' } });
    const o = await create(owner, '/contacts', { first_name: 'Lucille', last_name: 'Westenra', email: 'lucy@new.test', phone: '+44 20 7946 0002', title: '', department: 'Estates', custom: { tier: 'silver' } });
    const res = await api(owner, 'POST', `/contacts/${s}/merge`, { other_id: o, prefer_other: ['first_name', 'email', 'phone', 'title', 'custom.tier'] }, { 'if-match': '"1"' });
    expect(res.statusCode, res.body).toBe(200);
    // A blank on the other record never replaces a value: the title stays.
    expect(res.json()).toMatchObject({ first_name: 'Lucille', name: 'Lucille Westenra', email: 'lucy@new.test', phone: '+442079460002', title: 'Heiress', department: 'Estates', custom: { tier: 'silver' } });
    expect(res.json().emails.map((e: { email: string; primary: boolean }) => [e.email, e.primary])).toEqual([['lucy@new.test', true], ['lucy@old.test', false]]);
    expect(res.json().phones.filter((p: { primary: boolean }) => p.primary)).toHaveLength(1);
    const row = await t.db.query<{ email: string }>('SELECT email FROM contacts WHERE id = $1', [s]);
    expect(row.rows[0]!.email).toBe('lucy@new.test');
  });

  it('takes a preferred company name and domain from the other company; unknown fields are 400', async () => {
    const s = await create(owner, '/companies', { name: 'Carfax Estate', domain: 'carfax.test', industry: 'Property' });
    const o = await create(owner, '/companies', { name: 'Carfax Abbey Ltd', domain: 'carfax-abbey.test' });
    expect((await api(owner, 'POST', `/companies/${s}/merge`, { other_id: o, prefer_other: ['password_hash'] })).statusCode).toBe(400);
    expect((await api(owner, 'POST', `/contacts/${s}/merge`, { other_id: o, prefer_other: ['industry'] })).statusCode).toBe(400);
    const res = await api(owner, 'POST', `/companies/${s}/merge`, { other_id: o, prefer_other: ['name', 'domain', 'industry'] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: s, name: 'Carfax Abbey Ltd', domain: 'carfax-abbey.test', industry: 'Property' });
  });

  it('refuses self-merges, unknown and foreign ids, and viewers; nothing changes', async () => {
    const mine = await create(owner, '/contacts', { first_name: 'Keep' });
    const theirs = await create(other, '/contacts', { first_name: 'Theirs' });
    expect((await api(owner, 'POST', `/contacts/${mine}/merge`, { other_id: mine })).statusCode).toBe(422);
    expect((await api(owner, 'POST', `/contacts/${mine}/merge`, { other_id: theirs })).statusCode).toBe(422);
    expect((await api(other, 'POST', `/contacts/${mine}/merge`, { other_id: theirs })).statusCode).toBe(404);
    expect((await api(owner, 'POST', `/contacts/${mine}/merge`, { other_id: 'nope' })).statusCode).toBe(400);
    const second = await create(owner, '/contacts', { first_name: 'Second' });
    expect((await api(viewer, 'POST', `/contacts/${mine}/merge`, { other_id: second })).statusCode).toBe(403);
    const rows = await t.db.query<{ deleted_at: string | null; version: number }>('SELECT deleted_at, version FROM contacts WHERE id = ANY($1::uuid[])', [[mine, theirs, second]]);
    expect(rows.rows.every((r) => r.deleted_at === null && r.version === 1)).toBe(true);
  });
});

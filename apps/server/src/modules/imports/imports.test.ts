import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/app.js';
import { count, defineCustomField, insertContacts, insertPipeline, sql } from '../../../test/data-fixtures.js';
import { addMember, as, signUp, type Principal } from '../../../test/factories.js';
import { autoMap } from './headers.js';
import { stopRun } from './runner.js';
import { parseDate, parseMoney } from './values.js';

vi.hoisted(() => { process.env.IMPORT_BATCH_SIZE = '500'; });

let t: TestApp;
let owner: Principal;
let other: Principal;
beforeAll(async () => {
  t = await buildTestApp();
  owner = await signUp(t.server);
  other = await signUp(t.server);
});
afterAll(() => t.close());

const upload = (p: Principal, entity: string, csv: string, extra = '') =>
  t.server.inject(as(p, { method: 'POST', url: `/api/v1/imports?entity=${entity}&file_name=test.csv${extra}`, headers: { 'content-type': 'text/csv' }, payload: csv }));
const post = (p: Principal, url: string) => t.server.inject(as(p, { method: 'POST', url }));
const get = (p: Principal, id: string) => t.server.inject(as(p, { method: 'GET', url: `/api/v1/imports/${id}` }));

async function waitFor(p: Principal, id: string, statuses: string[]) {
  for (let i = 0; i < 600; i++) {
    const body = (await get(p, id)).json();
    if (statuses.includes(body.status)) return body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`import ${id} never reached ${statuses.join('/')}`);
}

/** PostgreSQL only: waits until an import's INSERT INTO contacts waits for a row lock (true), or gives up after ~10 s. */
async function importInsertBlocked(): Promise<boolean> {
  for (let i = 0; i < 400; i++) {
    const waiting = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO contacts (tenant_id, id, import_id%'`);
    if (waiting.rows[0]!.n > 0) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}

const ROLLBACK = new Error('rollback');

describe('header mapping and cell parsing', () => {
  it('recognises HubSpot, Salesforce and Pipedrive column names', () => {
    expect(autoMap('contacts', ['First Name', 'Last Name', 'Email Address', 'Company Name', 'Phone Number', 'Contact owner', 'Unknown'], []))
      .toEqual(['first_name', 'last_name', 'email', 'company_name', 'phone', 'owner_email', null]);
    expect(autoMap('contacts', ['FirstName', 'LastName', 'Email', 'Account Name', 'MailingCity', 'LeadSource'], []))
      .toEqual(['first_name', 'last_name', 'email', 'company_name', 'city', 'lead_source']);
    expect(autoMap('contacts', ['Person - Name', 'Person - Email', 'Organization - Name', 'Person - Phone'], []))
      .toEqual(['full_name', 'email', 'company_name', 'phone']);
    expect(autoMap('deals', ['Deal - Title', 'Deal - Value', 'Deal - Currency', 'Deal - Stage', 'Person - Email', 'Organization - Name'], []))
      .toEqual(['name', 'value', 'currency', 'stage', 'contact_email', 'company_name']);
    expect(autoMap('companies', ['Account Name', 'Website', 'Organization - Industry', 'Tier'], [{ key: 'tier', label: 'Tier', type: 'text', options: [], required: false }]))
      .toEqual(['name', 'website', 'industry', 'custom.tier']);
  });

  it('parses money and dates as spreadsheets write them', () => {
    expect(['1,234.50', '1.234,50', '$ 1 234', '12', 'EUR 99,9', '-5'].map(parseMoney)).toEqual(['1234.50', '1234.50', '1234', '12', '99.9', '-5']);
    expect(parseMoney('abc')).toBeNull();
    expect(['2026-12-05', '05.12.2026', '12/5/2026', '2026-02-30'].map(parseDate)).toEqual(['2026-12-05', '2026-12-05', '2026-12-05', null]);
  });
});

describe('CSV import', () => {
  it('uploads a semicolon CSV with BOM, dry-runs it, imports it in the background and reports progress', async () => {
    await defineCustomField(t.db, owner.tenantId, 'contact', 'tier', 'select', ['Gold', 'Silver']);
    const csv = '\uFEFFFirst Name;Last Name;Email Address;Company Name;Tier;Notes\r\n'
      + 'Ada;Lovelace;ADA@Example.test ;Analytical Engines;gold;"first line\nsecond; line"\r\n'
      + 'Bad;Email;not-an-email;;;\r\n'
      + 'Grace;Hopper;grace@example.test;Analytical Engines;Platinum;\r\n'
      + ';;;;;\r\n'
      + 'Alan;Turing;alan@example.test;;silver;\r\n';
    const up = await upload(owner, 'contacts', csv);
    expect(up.statusCode, up.body).toBe(201);
    const imp = up.json();
    expect(imp).toMatchObject({ status: 'uploaded', delimiter: ';', headers: ['First Name', 'Last Name', 'Email Address', 'Company Name', 'Tier', 'Notes'], mapping: ['first_name', 'last_name', 'email', 'company_name', 'custom.tier', 'notes'] });
    const dry = await post(owner, `/api/v1/imports/${imp.id}/dry-run`);
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({ rows: 4, valid: 2, failed: 2, would_create: 2, would_update: 0, would_skip: 0 });
    expect(dry.json().errors).toEqual([
      { line: 4, field: 'email', message: '"not-an-email" is not an email address' },
      { line: 5, field: 'custom.tier', message: 'tier: must be one of Gold, Silver' },
    ]);
    expect(await count(t.db, 'contacts WHERE tenant_id = $1', [owner.tenantId])).toBe(0);
    const start = await post(owner, `/api/v1/imports/${imp.id}/start`);
    expect(start.statusCode, start.body).toBe(202);
    const done = await waitFor(owner, imp.id, ['completed', 'failed']);
    expect(done).toMatchObject({ status: 'completed', rows_processed: 4, created: 2, updated: 0, skipped: 0, failed: 2, percentage: 100 });
    const rows = await sql<{ email: string; custom: object; notes: string | null; company_id: string | null; import_id: string }>(t.db,
      'SELECT email, custom, notes, company_id, import_id FROM contacts WHERE tenant_id = $1 ORDER BY email', [owner.tenantId]);
    expect(rows.map((r) => r.email)).toEqual(['ada@example.test', 'alan@example.test']);
    expect(rows[0]).toMatchObject({ custom: { tier: 'Gold' }, notes: 'first line\nsecond; line', import_id: imp.id });
    expect(rows[0]!.company_id).not.toBeNull();
    expect(await count(t.db, `companies WHERE tenant_id = $1 AND name = 'Analytical Engines' AND import_id = $2`, [owner.tenantId, imp.id])).toBe(1);
    expect(await count(t.db, `events WHERE entity_id = $1 AND type = 'import.completed'`, [imp.id])).toBe(1);
    expect(await count(t.db, `events WHERE tenant_id = $1 AND type = 'contact.created'`, [owner.tenantId])).toBe(0);
    expect(await count(t.db, `audit_log WHERE entity_id = $1 AND action = 'import.batch'`, [imp.id])).toBe(1);
    expect((await post(owner, `/api/v1/imports/${imp.id}/start`)).statusCode).toBe(409);
  });

  it('writes the email and phone lists of new contacts as the contacts API does', async () => {
    const tenant = await signUp(t.server);
    const imp = (await upload(tenant, 'contacts', 'email,phone,first_name\nphone@example.test,+49 30 1234567,P\nnophone@example.test,,N\n,030 1234,X\n')).json();
    await post(tenant, `/api/v1/imports/${imp.id}/start`);
    expect(await waitFor(tenant, imp.id, ['completed'])).toMatchObject({ created: 3 });
    const rows = await sql<{ first_name: string; emails: unknown; phones: unknown }>(t.db, 'SELECT first_name, emails, phones FROM contacts WHERE tenant_id = $1 ORDER BY first_name', [tenant.tenantId]);
    const [n, p, x] = rows;
    expect(n).toEqual({ first_name: 'N', emails: [{ email: 'nophone@example.test', label: null, primary: true }], phones: [] });
    expect(p!.emails).toEqual([{ email: 'phone@example.test', label: null, primary: true }]);
    expect(p!.phones).toEqual([{ phone: '+49301234567', e164: '+49301234567', label: null, primary: true }]);
    expect(x).toEqual({ first_name: 'X', emails: [], phones: [{ phone: '030 1234', e164: null, label: null, primary: true }] });
  });

  it('updates duplicates by email, and undo removes what it created and restores what it changed', async () => {
    const tenant = await signUp(t.server);
    const [existing] = await insertContacts(t.db, tenant.tenantId, 1, () => ({ first_name: 'Old', last_name: 'Name', email: 'dup@example.test', title: 'Keep', tags: ['a'] }));
    const csv = 'email,first_name,tags,company\ndup@example.test,New,b,\nfresh@example.test,Fresh,,Newco\nDUP@example.test,Again,,\n';
    const imp = (await upload(tenant, 'contacts', csv, '&duplicate_policy=update')).json();
    expect(imp.duplicate_policy).toBe('update');
    await post(tenant, `/api/v1/imports/${imp.id}/start`);
    expect(await waitFor(tenant, imp.id, ['completed'])).toMatchObject({ created: 1, updated: 1, skipped: 1 });
    expect((await sql(t.db, 'SELECT first_name, title, tags, version FROM contacts WHERE id = $1', [existing]))[0]).toEqual({ first_name: 'New', title: 'Keep', tags: ['a', 'b'], version: 2 });
    const undo = await post(tenant, `/api/v1/imports/${imp.id}/undo`);
    expect(undo.statusCode, undo.body).toBe(202);
    await waitFor(tenant, imp.id, ['undone']);
    expect((await sql(t.db, 'SELECT first_name, title, tags FROM contacts WHERE id = $1', [existing]))[0]).toEqual({ first_name: 'Old', title: 'Keep', tags: ['a'] });
    expect(await count(t.db, 'contacts WHERE tenant_id = $1', [tenant.tenantId])).toBe(1);
    expect(await count(t.db, 'companies WHERE tenant_id = $1', [tenant.tenantId])).toBe(0);
  });

  it('skips duplicates by default and imports companies keyed by domain', async () => {
    const tenant = await signUp(t.server);
    const csv = 'Company Name,Website,Industry\nAcme,https://www.acme.test/about,Tools\nAcme Again,acme.test,Other\nGlobex,,Energy\n';
    const imp = (await upload(tenant, 'companies', csv)).json();
    await post(tenant, `/api/v1/imports/${imp.id}/start`);
    expect(await waitFor(tenant, imp.id, ['completed'])).toMatchObject({ created: 2, skipped: 1 });
    expect(await sql(t.db, 'SELECT name, domain FROM companies WHERE tenant_id = $1 ORDER BY name', [tenant.tenantId])).toEqual([{ name: 'Acme', domain: 'acme.test' }, { name: 'Globex', domain: null }]);
  });

  it('imports deals into named stages with board positions and stage history', async () => {
    const tenant = await signUp(t.server);
    await sql(t.db, 'DELETE FROM pipelines WHERE tenant_id = $1', [tenant.tenantId]).catch(() => undefined);
    const { pipelineId, stages } = await insertPipeline(t.db, tenant.tenantId, 0);
    const name = (await sql<{ name: string }>(t.db, 'SELECT name FROM pipelines WHERE id = $1', [pipelineId]))[0]!.name;
    const csv = `Deal - Title,Deal - Value,Deal - Currency,Pipeline,Deal - Stage\nBig,"1.234,50",EUR,${name},Proposal\nWon one,100,USD,${name},won\nNo stage,5,USD,${name},Nowhere\n`;
    const imp = (await upload(tenant, 'deals', csv)).json();
    await post(tenant, `/api/v1/imports/${imp.id}/start`);
    const done = await waitFor(tenant, imp.id, ['completed']);
    expect(done).toMatchObject({ created: 2, failed: 1 });
    expect(done.errors[0]).toMatchObject({ line: 4, field: 'stage' });
    const deals = await sql<{ name: string; value: string; stage_id: string; status: string; closed: boolean }>(t.db,
      'SELECT name, value, stage_id, status, closed_at IS NOT NULL AS closed FROM deals WHERE tenant_id = $1 ORDER BY name', [tenant.tenantId]);
    expect(deals).toEqual([{ name: 'Big', value: '1234.50', stage_id: stages.next, status: 'open', closed: false }, { name: 'Won one', value: '100.00', stage_id: stages.won, status: 'won', closed: true }]);
    expect(await count(t.db, 'deal_stage_history WHERE tenant_id = $1 AND from_stage_id IS NULL', [tenant.tenantId])).toBe(2);
  });

  it('resumes after an interruption without duplicating rows', async () => {
    const tenant = await signUp(t.server);
    const lines = ['email,first_name'];
    for (let i = 0; i < 4000; i++) lines.push(`r${i}@example.test,R${i}`);
    const imp = (await upload(tenant, 'contacts', `${lines.join('\n')}\n`)).json();
    await post(tenant, `/api/v1/imports/${imp.id}/start`);
    for (let i = 0; i < 400 && (await get(tenant, imp.id)).json().rows_processed < 500; i++) await new Promise((r) => setTimeout(r, 10));
    await stopRun(imp.id);
    const stopped = (await get(tenant, imp.id)).json();
    expect(stopped.status).toBe('interrupted');
    expect(stopped.rows_processed).toBeLessThan(4000);
    expect(await count(t.db, 'contacts WHERE tenant_id = $1', [tenant.tenantId])).toBe(stopped.rows_processed);
    expect(stopped.percentage).toBeGreaterThan(0);
    expect((await post(tenant, `/api/v1/imports/${imp.id}/resume`)).statusCode).toBe(202);
    expect(await waitFor(tenant, imp.id, ['completed'])).toMatchObject({ rows_processed: 4000, created: 4000, skipped: 0 });
    expect(await count(t.db, 'contacts WHERE tenant_id = $1', [tenant.tenantId])).toBe(4000);
  });

  it('plans batches written side by side as if they ran in turn: repeated keys, shared new companies', async () => {
    const tenant = await signUp(t.server);
    const [existing] = await insertContacts(t.db, tenant.tenantId, 1, () => ({ first_name: 'Old', email: 'old@example.test' }));
    // Three batches of 500. Batch 2 names the companies batch 1 creates; batch 3 repeats emails batch 2 wrote
    // (existing by then: updated), updates a record and skips its repetition within the batch.
    const lines = ['email,first_name,company'];
    for (let i = 0; i < 500; i++) lines.push(`b1-${i}@example.test,One${i},Co ${i % 7}`);
    for (let i = 0; i < 500; i++) lines.push(`b2-${i}@example.test,Two${i},Co ${i % 7}`);
    for (let i = 0; i < 50; i++) lines.push(`b2-${i}@example.test,Three${i},Co ${i % 7}`);
    lines.push('old@example.test,Middle,', 'OLD@example.test,Last,');
    for (let i = 0; i < 448; i++) lines.push(`b3-${i}@example.test,Three${i},Later Co ${i % 3}`);
    const imp = (await upload(tenant, 'contacts', `${lines.join('\n')}\n`, '&duplicate_policy=update')).json();
    if (t.db.kind === 'postgres') {
      // An uncommitted row with one of batch 1's emails holds batch 1 at its INSERT, so batch 2 plans while batch 1 is in flight.
      await t.db.transaction(async (tx) => {
        await tx.query(`INSERT INTO contacts (tenant_id, id, email) VALUES ($1, gen_random_uuid(), 'b1-499@example.test')`, [tenant.tenantId]);
        await post(tenant, `/api/v1/imports/${imp.id}/start`);
        expect(await importInsertBlocked()).toBe(true);
        await new Promise((r) => setTimeout(r, 1500));
        throw ROLLBACK;
      }).catch((err: unknown) => { if (err !== ROLLBACK) throw err; });
    } else {
      await post(tenant, `/api/v1/imports/${imp.id}/start`);
    }
    expect(await waitFor(tenant, imp.id, ['completed', 'failed'])).toMatchObject({ status: 'completed', rows_processed: 1500, created: 1448, updated: 51, skipped: 1, failed: 0 });
    expect(await count(t.db, 'contacts WHERE tenant_id = $1', [tenant.tenantId])).toBe(1449);
    expect(await sql(t.db, `SELECT first_name FROM contacts WHERE email IN ('b2-3@example.test', 'b2-60@example.test') ORDER BY email`)).toEqual([{ first_name: 'Three3' }, { first_name: 'Two60' }]);
    expect((await sql(t.db, 'SELECT first_name FROM contacts WHERE id = $1', [existing]))[0]).toEqual({ first_name: 'Middle' });
    // Each company name once, every contact linked to its company.
    expect(await sql(t.db, 'SELECT count(*)::int AS n, count(DISTINCT lower(name))::int AS d FROM companies WHERE tenant_id = $1', [tenant.tenantId])).toEqual([{ n: 10, d: 10 }]);
    expect(await count(t.db, `contacts c JOIN companies co ON co.id = c.company_id WHERE c.tenant_id = $1 AND c.email LIKE 'b%' AND co.name = 'Co ' || (substring(c.first_name FROM '[0-9]+$')::int % 7)`, [tenant.tenantId])).toBe(1000);
    expect(await count(t.db, `audit_log WHERE entity_id = $1 AND action = 'import.batch'`, [imp.id])).toBe(3);
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)('skips a row whose email a concurrent writer takes after the lookup, and imports the rest', async () => {
    const tenant = await signUp(t.server);
    const imp = (await upload(tenant, 'contacts', 'email,first_name\nrace@example.test,Import\nquiet@example.test,Import\n')).json();
    // Another transaction holds the email uncommitted: the import's lookup cannot see it, its INSERT waits for it and then conflicts.
    let blocked = false;
    await t.db.transaction(async (tx) => {
      await tx.query(`INSERT INTO contacts (tenant_id, id, first_name, email) VALUES ($1, gen_random_uuid(), 'Writer', 'race@example.test')`, [tenant.tenantId]);
      await post(tenant, `/api/v1/imports/${imp.id}/start`);
      blocked = await importInsertBlocked();
    });
    expect(blocked).toBe(true);
    expect(await waitFor(tenant, imp.id, ['completed', 'failed'])).toMatchObject({ status: 'completed', created: 1, skipped: 1, failed: 0 });
    expect(await sql(t.db, 'SELECT email, first_name FROM contacts WHERE tenant_id = $1 ORDER BY email', [tenant.tenantId])).toEqual([
      { email: 'quiet@example.test', first_name: 'Import' }, { email: 'race@example.test', first_name: 'Writer' }]);
  });

  it('marks a run whose process died as interrupted, and it can be undone', async () => {
    const tenant = await signUp(t.server);
    const imp = (await upload(tenant, 'leads', 'Title,Status\nL1,new\n')).json();
    await sql(t.db, `UPDATE imports SET status = 'running', updated_at = now() - interval '1 hour' WHERE id = $1`, [imp.id]);
    expect((await get(tenant, imp.id)).json().status).toBe('interrupted');
    expect((await post(tenant, `/api/v1/imports/${imp.id}/undo`)).statusCode).toBe(202);
    await waitFor(tenant, imp.id, ['undone']);
  });
});

describe('import rules', () => {
  it('validates uploads and mappings; If-Match is checked', async () => {
    expect((await upload(owner, 'contacts', '')).statusCode).toBe(400);
    expect((await upload(owner, 'widgets', 'a\n1\n')).statusCode).toBe(400);
    const json = await t.server.inject(as(owner, { method: 'POST', url: '/api/v1/imports?entity=contacts', payload: { a: 1 } }));
    expect(json.statusCode).toBe(415);
    const imp = (await upload(owner, 'leads', 'Name,Whatever\nx,y\n')).json();
    const put = (mapping: unknown, etag?: string) => t.server.inject(as(owner, { method: 'PUT', url: `/api/v1/imports/${imp.id}/mapping`, payload: { mapping }, ...(etag ? { headers: { 'if-match': etag } } : {}) }));
    expect((await put(['title'])).statusCode).toBe(400);
    expect((await put(['title', 'nope'])).statusCode).toBe(400);
    expect((await put(['title', 'title'])).statusCode).toBe(400);
    expect((await put([null, 'source'])).statusCode).toBe(400);
    expect((await put(['title', 'source'], '"9"')).statusCode).toBe(412);
    const ok = await put(['title', 'source'], `"${imp.version}"`);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().mapping).toEqual(['title', 'source']);
    const fields = await t.server.inject(as(owner, { method: 'GET', url: '/api/v1/imports/fields?entity=leads' }));
    expect(fields.json().data.map((f: { field: string }) => f.field)).toContain('expected_close_date');
  });

  it('needs data:import; another tenant gets 404 and nothing changes', async () => {
    const member = await addMember(t.server, owner, 'member');
    expect((await upload(member, 'contacts', 'email\nm@example.test\n')).statusCode).toBe(403);
    const imp = (await upload(owner, 'contacts', 'email\nx@example.test\n')).json();
    expect((await get(other, imp.id)).statusCode).toBe(404);
    expect((await post(other, `/api/v1/imports/${imp.id}/start`)).statusCode).toBe(404);
    expect((await post(other, `/api/v1/imports/${imp.id}/undo`)).statusCode).toBe(404);
    expect((await post(other, `/api/v1/imports/${imp.id}/dry-run`)).statusCode).toBe(404);
    expect((await t.server.inject(as(other, { method: 'PUT', url: `/api/v1/imports/${imp.id}/mapping`, payload: { mapping: [null] } }))).statusCode).toBe(404);
    expect((await t.server.inject(as(other, { method: 'GET', url: '/api/v1/imports' }))).json().data).toEqual([]);
    expect((await sql(t.db, 'SELECT status, version FROM imports WHERE id = $1', [imp.id]))[0]).toEqual({ status: 'uploaded', version: 1 });
    expect(await count(t.db, 'imports WHERE tenant_id = $1 AND created_by = $2', [owner.tenantId, member.userId])).toBe(0);
  });
});

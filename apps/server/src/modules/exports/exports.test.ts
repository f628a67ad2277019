import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/app.js';
import { defineCustomField, insertCompany, insertContacts, insertPipeline } from '../../../test/data-fixtures.js';
import { addMember, as, signUp, type Principal } from '../../../test/factories.js';
import { csvCell } from './csv.js';
import { fold } from './vcard.js';

let t: TestApp;
let owner: Principal;
let other: Principal;
beforeAll(async () => {
  t = await buildTestApp();
  owner = await signUp(t.server);
  other = await signUp(t.server);
  await defineCustomField(t.db, owner.tenantId, 'contact', 'tier', 'select', ['Gold']);
});
afterAll(() => t.close());

/** Minimal RFC 4180 reader for the assertions. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; } else cell += c;
  }
  return rows;
}

const get = (p: Principal, url: string) => t.server.inject(as(p, { method: 'GET', url }));

describe('CSV export', () => {
  it('neutralises formulas, quotes what needs quoting and leaves numbers alone', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+1 555')).toBe("'+1 555");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tcmd')).toBe("'\tcmd");
    expect(csvCell('-12.50')).toBe('-12.50');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell(null)).toBe('');
  });

  it('streams every matching row across pages, in order, with custom fields as columns', async () => {
    const ids = await insertContacts(t.db, owner.tenantId, 4500, (i) => ({
      first_name: i === 0 ? '=cmd|calc' : `P${i}`, tags: i % 2 ? ['odd'] : ['even'], custom: i === 1 ? { tier: 'Gold' } : {}, notes: i === 2 ? 'multi\nline, "quoted"' : null,
    }));
    await insertContacts(t.db, other.tenantId, 3);
    const res = await get(owner, '/api/v1/exports/contacts.csv');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="contacts-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(res.body.startsWith('\uFEFF')).toBe(true);
    const rows = parseCsv(res.body.slice(1));
    const [header, ...data] = rows;
    expect(header).toEqual(['id', 'first_name', 'last_name', 'email', 'phone', 'title', 'department', 'lead_source', 'company_id', 'notes', 'owner_id', 'tags', 'created_at', 'updated_at', 'tier']);
    expect(data.map((r) => r[0])).toEqual(ids);
    expect(data[0]![1]).toBe("'=cmd|calc");
    expect(data[1]![14]).toBe('Gold');
    expect(data[1]![11]).toBe('odd');
    expect(data[2]![9]).toBe('multi\nline, "quoted"');
  });

  it('filters and sorts like the lists do', async () => {
    const tenant = await signUp(t.server);
    await insertContacts(t.db, tenant.tenantId, 5, (i) => ({ first_name: `N${i}`, last_name: ['b', 'a', 'c', 'a', 'd'][i]!, tags: i < 3 ? ['x'] : [] }));
    const filter = encodeURIComponent(JSON.stringify({ field: 'tags', op: 'has_any', value: ['x'] }));
    const res = await get(tenant, `/api/v1/exports/contacts.csv?filter=${filter}&sort=-last_name`);
    expect(res.statusCode).toBe(200);
    expect(parseCsv(res.body.slice(1)).slice(1).map((r) => r[2])).toEqual(['c', 'b', 'a']);
  });

  it('exports the other record types', async () => {
    const tenant = await signUp(t.server);
    await insertCompany(t.db, tenant.tenantId, '@evil', 'evil.test');
    const { dealIds } = await insertPipeline(t.db, tenant.tenantId, 2);
    const companies = parseCsv((await get(tenant, '/api/v1/exports/companies.csv')).body.slice(1));
    expect(companies[1]!.slice(1, 3)).toEqual(["'@evil", 'evil.test']);
    const deals = parseCsv((await get(tenant, '/api/v1/exports/deals.csv')).body.slice(1));
    expect(deals.slice(1).map((r) => r[0])).toEqual(dealIds);
    expect(deals[1]![2]).toBe('1000.50');
    expect((await get(tenant, '/api/v1/exports/leads.csv')).statusCode).toBe(200);
  });

  it('rejects bad filters and sorts before streaming (400), needs data:export, and never shows another tenant\'s rows', async () => {
    expect((await get(owner, `/api/v1/exports/contacts.csv?filter=${encodeURIComponent('{"field":"nope","op":"eq","value":1}')}`)).statusCode).toBe(400);
    expect((await get(owner, '/api/v1/exports/contacts.csv?sort=tags')).statusCode).toBe(400);
    expect((await get(owner, '/api/v1/exports/contacts.csv?filter=notjson')).statusCode).toBe(400);
    expect((await get(owner, '/api/v1/exports/widgets.csv')).statusCode).toBe(404);
    const viewer = await addMember(t.server, owner, 'viewer');
    expect((await get(viewer, '/api/v1/exports/contacts.csv')).statusCode).toBe(403);
    const theirs = await get(other, '/api/v1/exports/contacts.csv');
    expect(parseCsv(theirs.body.slice(1))).toHaveLength(4);
  });
});

describe('vCard export', () => {
  it('streams vCard 4.0 with escaping and folding', async () => {
    const tenant = await signUp(t.server);
    const company = await insertCompany(t.db, tenant.tenantId, 'Acme, Inc.');
    await insertContacts(t.db, tenant.tenantId, 2, (i) => ({
      first_name: i ? 'Zoë' : 'Ada', last_name: 'Lovelace;King', email: `ada${i}@example.test`, phone: '+442071234567', title: 'Countess', company_id: company,
      notes: 'x'.repeat(100), tags: ['math', 'poet'],
    }));
    const res = await get(tenant, '/api/v1/exports/contacts.vcf');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/vcard; charset=utf-8');
    const cards = res.body.split('END:VCARD\r\n').filter(Boolean);
    expect(cards).toHaveLength(2);
    const unfolded = cards[0]!.replace(/\r\n /g, '');
    expect(unfolded).toContain('BEGIN:VCARD\r\nVERSION:4.0\r\n');
    expect(unfolded).toContain('FN:Ada Lovelace\\;King\r\n');
    expect(unfolded).toContain('N:Lovelace\\;King;Ada;;;\r\n');
    expect(unfolded).toContain('EMAIL;PREF=1:ada0@example.test\r\n');
    expect(unfolded).toContain('TEL;VALUE=uri:tel:+442071234567\r\n');
    expect(unfolded).toContain('ORG:Acme\\, Inc.\r\n');
    expect(unfolded).toContain(`NOTE:${'x'.repeat(100)}\r\n`);
    for (const line of res.body.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(fold('é'.repeat(50)).split('\r\n ').every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
  });
});

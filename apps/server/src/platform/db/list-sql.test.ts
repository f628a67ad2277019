/** The filter/sort compiler against the real engine, under row-level security. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import type { FilterNode } from '@pillar/shared';
import { openTestDatabase } from '../../../test/app.js';
import type { Database } from './database.js';
import { compileFilter, compileSort, customFieldSpecs, keyset, SqlParams, type FieldMap } from './list-sql.js';
import { withSystem } from './system.js';
import { systemContext, withTenant } from './tenant.js';

let db: Database;
const tenant = uuidv7();
const fields: FieldMap = {
  first_name: { sql: 'first_name', type: 'text' },
  email: { sql: 'email', type: 'text', exact: true, nullable: true },
  created_at: { sql: 'created_at', type: 'timestamp' },
  tags: { sql: 'tags', type: 'tags' },
  company_id: { sql: 'company_id', type: 'uuid', nullable: true },
  ...customFieldSpecs([{ key: 'tier', type: 'select' }, { key: 'score', type: 'number' }, { key: 'langs', type: 'multi_select' }], 'custom'),
};
const people = [
  { first: 'Ada', email: 'ada@x.test', tags: ['vip'], custom: { tier: 'Gold', score: 90, langs: ['en', 'fr'] } },
  { first: 'Bob', email: null, tags: [], custom: { tier: 'silver', score: 12.5 } },
  { first: "O'Brien 100%", email: 'ob@x.test', tags: ['vip', 'eu'], custom: { langs: ['de'] } },
  { first: 'Cy', email: 'cy@x.test', tags: ['eu'], custom: { score: 50 } },
];

beforeAll(async () => {
  db = await openTestDatabase();
  await withSystem(db, async (tx) => {
    await tx.query('INSERT INTO tenants (id, name) VALUES ($1, $2)', [tenant, 'lists']);
    for (const [i, c] of people.entries()) {
      await tx.query(
        `INSERT INTO contacts (tenant_id, id, first_name, email, tags, custom, created_at) VALUES ($1, $2, $3, $4, $5, $6, now() - make_interval(mins => $7))`,
        [tenant, uuidv7(), c.first, c.email, c.tags, JSON.stringify(c.custom), i],
      );
    }
  });
});
afterAll(() => db.close());

async function names(filter: FilterNode | null, sort = 'first_name'): Promise<string[]> {
  const p = new SqlParams();
  const where = filter ? compileFilter(filter, fields, p) : 'true';
  const s = compileSort(sort, fields, 'first_name');
  const { orderBy } = keyset(s, 'id', null, p);
  const r = await withTenant(systemContext(db, tenant), (tx) =>
    tx.query<{ first_name: string }>(`SELECT first_name FROM contacts WHERE ${where} ORDER BY ${orderBy}`, p.values));
  return r.rows.map((x) => x.first_name);
}

describe('filters', () => {
  it('compares text case-insensitively and escapes LIKE wildcards', async () => {
    expect(await names({ field: 'first_name', op: 'eq', value: 'ada' })).toEqual(['Ada']);
    expect(await names({ field: 'first_name', op: 'contains', value: '100%' })).toEqual(["O'Brien 100%"]);
    expect(await names({ field: 'first_name', op: 'contains', value: '%' })).toEqual(["O'Brien 100%"]);
  });

  it('handles empty values, tags, custom fields and groups', async () => {
    expect(await names({ field: 'email', op: 'is_empty' })).toEqual(['Bob']);
    expect(await names({ field: 'tags', op: 'has_all', value: ['vip', 'eu'] })).toEqual(["O'Brien 100%"]);
    expect(await names({ field: 'custom.score', op: 'gte', value: 50 })).toEqual(['Ada', 'Cy']);
    expect(await names({ field: 'custom.langs', op: 'has_any', value: ['fr', 'de'] })).toEqual(['Ada', "O'Brien 100%"]);
    expect(await names({ or: [{ field: 'custom.tier', op: 'eq', value: 'gold' }, { and: [{ field: 'tags', op: 'has_any', value: ['eu'] }, { field: 'email', op: 'starts_with', value: 'cy' }] }] })).toEqual(['Ada', 'Cy']);
    expect(await names({ field: 'company_id', op: 'is_empty' })).toHaveLength(4);
  });

  it('sorts by nullable custom fields, descending', async () => {
    expect(await names(null, '-custom.score')).toEqual(['Ada', 'Cy', 'Bob', "O'Brien 100%"]);
  });

  it('pages by keyset over a custom sort without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: [unknown, unknown] | null = null;
    for (let i = 0; i < 5; i++) {
      const p = new SqlParams();
      const s = compileSort('custom.tier', fields, 'first_name');
      const { orderBy, after } = keyset(s, 'id', cursor, p);
      const r = await withTenant(systemContext(db, tenant), (tx) => tx.query<{ first_name: string; k: string; id: string }>(
        `SELECT first_name, ${s.key} AS k, id FROM contacts ${after ? `WHERE ${after}` : ''} ORDER BY ${orderBy} LIMIT 1`, p.values));
      if (!r.rows[0]) break;
      seen.push(r.rows[0].first_name);
      cursor = [r.rows[0].k, r.rows[0].id];
    }
    expect(seen).toHaveLength(4);
    expect(new Set(seen).size).toBe(4);
    expect(seen.slice(2)).toEqual(['Ada', 'Bob']);
  });

  it('rejects unknown fields, wrong operators and mistyped values with 400', () => {
    const p = new SqlParams();
    expect(() => compileFilter({ field: 'password_hash', op: 'eq', value: 'x' }, fields, p)).toThrow(/unknown field/);
    expect(() => compileFilter({ field: 'tags', op: 'gt', value: 'x' }, fields, p)).toThrow(/does not apply/);
    expect(() => compileFilter({ field: 'custom.score', op: 'eq', value: '1; DROP TABLE contacts' }, fields, p)).toThrow(/not a valid/);
    expect(() => compileFilter({ field: 'company_id', op: 'eq', value: "' OR 1=1 --" }, fields, p)).toThrow(/not a valid/);
    expect(() => compileSort('tags', fields, 'first_name')).toThrow(/cannot sort/);
  });
});

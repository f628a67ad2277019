/** SQL of companies. */
import type { FieldMap } from '../../platform/db/list-sql.js';
import type { Tx } from '../../platform/db/tenant.js';

export interface CompanyRow {
  id: string;
  name: string;
  domain: string | null;
  industry: string | null;
  size: string | null;
  website: string | null;
  phone: string | null;
  address: Record<string, string>;
  description: string | null;
  parent_id: string | null;
  owner_id: string | null;
  tags: string[];
  custom: Record<string, unknown>;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  version: number;
}

export const COMPANY_COLUMNS =
  'id, name, domain, industry, size, website, phone, address, description, parent_id, owner_id, tags, custom, ' +
  'created_by, created_at, updated_at, deleted_at, version';

/** Filterable and sortable standard fields (custom fields are added per tenant). */
export const COMPANY_FIELDS: FieldMap = {
  name: { sql: 'name', type: 'text' },
  domain: { sql: 'domain', type: 'text', exact: true, nullable: true },
  industry: { sql: 'industry', type: 'text', nullable: true },
  size: { sql: 'size', type: 'enum', nullable: true, values: ['1-10', '11-50', '51-200', '201-500', '501-1000', '1001-5000', '5001+'] },
  website: { sql: 'website', type: 'text', nullable: true },
  phone: { sql: 'phone', type: 'text', exact: true, nullable: true },
  city: { sql: `(address->>'city')`, type: 'text', nullable: true },
  region: { sql: `(address->>'region')`, type: 'text', nullable: true },
  country: { sql: `(address->>'country')`, type: 'text', nullable: true },
  parent_id: { sql: 'parent_id', type: 'uuid', nullable: true },
  owner_id: { sql: 'owner_id', type: 'uuid', nullable: true },
  tags: { sql: 'tags', type: 'tags' },
  created_at: { sql: 'created_at', type: 'timestamp' },
  updated_at: { sql: 'updated_at', type: 'timestamp' },
};

/** Columns a write may set, and how their values are sent. */
const JSON_COLUMNS = new Set(['address', 'custom']);
export type CompanyValues = Partial<Omit<CompanyRow, 'id' | 'created_at' | 'updated_at' | 'deleted_at' | 'version' | 'created_by'>>;

function param(col: string, v: unknown) {
  return JSON_COLUMNS.has(col) ? JSON.stringify(v) : v;
}

export async function findCompany(tx: Tx, id: string, opts: { forUpdate?: boolean; withDeleted?: boolean } = {}): Promise<CompanyRow | null> {
  const r = await tx.query<CompanyRow>(
    `SELECT ${COMPANY_COLUMNS} FROM companies WHERE id = $1${opts.withDeleted ? '' : ' AND deleted_at IS NULL'}${opts.forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return r.rows[0] ?? null;
}

export async function insertCompany(tx: Tx, tenantId: string, id: string, createdBy: string | null, v: CompanyValues & { name: string }): Promise<CompanyRow> {
  const cols = Object.keys(v).filter((k) => v[k as keyof CompanyValues] !== undefined);
  const values = cols.map((c) => param(c, v[c as keyof CompanyValues]));
  const r = await tx.query<CompanyRow>(
    `INSERT INTO companies (tenant_id, id, created_by, ${cols.join(', ')})
     VALUES ($1, $2, $3, ${cols.map((_, i) => `$${i + 4}`).join(', ')}) RETURNING ${COMPANY_COLUMNS}`,
    [tenantId, id, createdBy, ...values]);
  return r.rows[0]!;
}

export async function updateCompanyRow(tx: Tx, id: string, v: CompanyValues): Promise<CompanyRow> {
  const cols = Object.keys(v).filter((k) => v[k as keyof CompanyValues] !== undefined);
  const sets = cols.map((c, i) => `${c} = $${i + 2}`);
  const r = await tx.query<CompanyRow>(
    `UPDATE companies SET ${[...sets, 'updated_at = now()', 'version = version + 1'].join(', ')}
      WHERE id = $1 RETURNING ${COMPANY_COLUMNS}`,
    [id, ...cols.map((c) => param(c, v[c as keyof CompanyValues]))]);
  return r.rows[0]!;
}

export async function setCompanyDeleted(tx: Tx, id: string, deleted: boolean): Promise<CompanyRow> {
  const r = await tx.query<CompanyRow>(
    `UPDATE companies SET deleted_at = CASE WHEN $2 THEN now() END, updated_at = now(), version = version + 1
      WHERE id = $1 RETURNING ${COMPANY_COLUMNS}`, [id, deleted]);
  return r.rows[0]!;
}

export async function deleteCompanyRow(tx: Tx, id: string): Promise<void> {
  await tx.query('DELETE FROM companies WHERE id = $1', [id]);
}

/** True when `candidate` is `id` or one of its ancestors would be `id` (a cycle). */
export async function wouldCycle(tx: Tx, id: string, candidateParent: string): Promise<boolean> {
  const r = await tx.query<{ hit: boolean }>(
    `WITH RECURSIVE up (id, parent_id, depth) AS (
       SELECT id, parent_id, 1 FROM companies WHERE id = $2
       UNION ALL
       SELECT c.id, c.parent_id, up.depth + 1 FROM companies c JOIN up ON c.id = up.parent_id WHERE up.depth < 1000)
     SELECT EXISTS (SELECT 1 FROM up WHERE id = $1) AS hit`, [id, candidateParent]);
  return r.rows[0]?.hit ?? false;
}

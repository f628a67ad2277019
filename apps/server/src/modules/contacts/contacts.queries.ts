/** SQL of contacts. */
import { recordCreatedSql } from '../../platform/audit.js';
import type { FieldMap } from '../../platform/db/list-sql.js';
import type { TenantContext, Tx } from '../../platform/db/tenant.js';

export interface ContactEmail { email: string; label?: string | null; primary: boolean }
export interface ContactPhone { phone: string; e164: string | null; label?: string | null; primary: boolean }

export interface ContactRow {
  id: string;
  first_name: string;
  last_name: string;
  name: string;
  email: string | null;
  emails: ContactEmail[];
  phone: string | null;
  phones: ContactPhone[];
  title: string | null;
  department: string | null;
  address: Record<string, string>;
  social: Record<string, string>;
  notes: string | null;
  lead_source: string | null;
  company_id: string | null;
  owner_id: string | null;
  tags: string[];
  custom: Record<string, unknown>;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  version: number;
}

export const CONTACT_COLUMNS =
  `id, first_name, last_name, coalesce(nullif(btrim(first_name || ' ' || last_name), ''), email, '') AS name, ` +
  'email, emails, phone, phones, title, department, address, social, notes, lead_source, company_id, owner_id, tags, custom, ' +
  'created_by, created_at, updated_at, deleted_at, version';

export const CONTACT_FIELDS: FieldMap = {
  first_name: { sql: 'first_name', type: 'text' },
  last_name: { sql: 'last_name', type: 'text' },
  name: { sql: `(first_name || ' ' || last_name)`, type: 'text' },
  email: { sql: 'email', type: 'text', exact: true, nullable: true },
  phone: { sql: 'phone', type: 'text', exact: true, nullable: true },
  title: { sql: 'title', type: 'text', nullable: true },
  department: { sql: 'department', type: 'text', nullable: true },
  lead_source: { sql: 'lead_source', type: 'text', nullable: true },
  city: { sql: `(address->>'city')`, type: 'text', nullable: true },
  region: { sql: `(address->>'region')`, type: 'text', nullable: true },
  country: { sql: `(address->>'country')`, type: 'text', nullable: true },
  company_id: { sql: 'company_id', type: 'uuid', nullable: true },
  owner_id: { sql: 'owner_id', type: 'uuid', nullable: true },
  tags: { sql: 'tags', type: 'tags' },
  created_at: { sql: 'created_at', type: 'timestamp' },
  updated_at: { sql: 'updated_at', type: 'timestamp' },
};

export type ContactValues = Partial<Omit<ContactRow, 'id' | 'name' | 'created_at' | 'updated_at' | 'deleted_at' | 'version' | 'created_by'>>;
const JSON_COLUMNS = new Set(['emails', 'phones', 'address', 'social', 'custom']);

function param(col: string, v: unknown) {
  return JSON_COLUMNS.has(col) ? JSON.stringify(v) : v;
}

function present(v: ContactValues): string[] {
  return Object.keys(v).filter((k) => v[k as keyof ContactValues] !== undefined);
}

export async function findContact(tx: Tx, id: string, opts: { forUpdate?: boolean; withDeleted?: boolean } = {}): Promise<ContactRow | null> {
  const r = await tx.query<ContactRow>(
    `SELECT ${CONTACT_COLUMNS} FROM contacts WHERE id = $1${opts.withDeleted ? '' : ' AND deleted_at IS NULL'}${opts.forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return r.rows[0] ?? null;
}

/** The live contact that already uses `email` as its primary email, other than `exceptId`. */
export async function findByEmail(tx: Tx, email: string, exceptId: string | null): Promise<string | null> {
  const r = await tx.query<{ id: string }>(
    'SELECT id FROM contacts WHERE email = $1 AND deleted_at IS NULL AND ($2::uuid IS NULL OR id <> $2) LIMIT 1', [email, exceptId]);
  return r.rows[0]?.id ?? null;
}

/** The event payload of contact.created, built from the inserted row (see createdPayload). */
const CREATED_PAYLOAD_SQL = `jsonb_build_object('id', r.id, 'name', r.name, 'email', r.email, 'company_id', r.company_id)`;
export const createdPayload = (row: ContactRow) => ({ id: row.id, name: row.name, email: row.email, company_id: row.company_id });

/**
 * Inserts a contact with its audit row and contact.created event in one
 * statement. A live contact with the same primary email makes it a no-op
 * (ON CONFLICT on contacts_email_unique, which also settles two racing
 * requests): null then, and nothing was written.
 */
export async function insertContactRecorded(tx: Tx, ctx: TenantContext, id: string, v: ContactValues): Promise<ContactRow | null> {
  const cols = present(v);
  const params: unknown[] = [ctx.tenantId, id, ctx.userId, ...cols.map((c) => param(c, v[c as keyof ContactValues]))];
  const recorded = recordCreatedSql(ctx, 'created', params.length + 1, {
    action: 'contact.create', entity: 'contact', event: { type: 'contact.created', payloadSql: CREATED_PAYLOAD_SQL },
    instants: ['created_at', 'deleted_at'],
  });
  const r = await tx.query<ContactRow>(
    `WITH created AS (
       INSERT INTO contacts (tenant_id, id, created_by${cols.map((c) => `, ${c}`).join('')})
       VALUES ($1, $2, $3${cols.map((_, i) => `, $${i + 4}`).join('')})
       ON CONFLICT (tenant_id, email) WHERE email IS NOT NULL AND deleted_at IS NULL DO NOTHING
       RETURNING ${CONTACT_COLUMNS}
     ), ${recorded.sql}
     SELECT * FROM created`,
    [...params, ...recorded.params]);
  return r.rows[0] ?? null;
}

export async function updateContactRow(tx: Tx, id: string, v: ContactValues): Promise<ContactRow> {
  const cols = present(v);
  const sets = cols.map((c, i) => `${c} = $${i + 2}`);
  const r = await tx.query<ContactRow>(
    `UPDATE contacts SET ${[...sets, 'updated_at = now()', 'version = version + 1'].join(', ')}
      WHERE id = $1 RETURNING ${CONTACT_COLUMNS}`,
    [id, ...cols.map((c) => param(c, v[c as keyof ContactValues]))]);
  return r.rows[0]!;
}

export async function setContactDeleted(tx: Tx, id: string, deleted: boolean): Promise<ContactRow> {
  const r = await tx.query<ContactRow>(
    `UPDATE contacts SET deleted_at = CASE WHEN $2 THEN now() END, updated_at = now(), version = version + 1
      WHERE id = $1 RETURNING ${CONTACT_COLUMNS}`, [id, deleted]);
  return r.rows[0]!;
}

export async function deleteContactRow(tx: Tx, id: string): Promise<void> {
  await tx.query('DELETE FROM contacts WHERE id = $1', [id]);
}

export async function companyName(tx: Tx, companyId: string | null): Promise<string | null> {
  if (!companyId) return null;
  const r = await tx.query<{ name: string }>('SELECT name FROM companies WHERE id = $1', [companyId]);
  return r.rows[0]?.name ?? null;
}

/** SQL of leads. */
import { LeadStatuses, type Lead, type ListQuery } from '@pillar/shared';
import type { Tx } from '../../platform/db/tenant.js';
import { SqlParams, compileFilter, compileSort, keyset, type FieldMap } from '../../platform/db/list-sql.js';
import { decodeCursor, pageResult } from '../../platform/http/cursor.js';
import { customFieldMap } from '../custom-fields/index.js';
import { cursorKey, likePattern } from '../deals/index.js';

export const LEAD_COLS = `l.id, l.title, l.first_name, l.last_name, l.email, l.phone, l.company_name, l.contact_id, l.company_id, l.source,
  l.territory, l.status, l.score, l.value::text AS value, l.currency::text AS currency, l.expected_close_date, l.owner_id, l.converted_at,
  l.converted_deal_id, l.tags, l.custom, l.created_by, l.created_at, l.updated_at, l.version, l.deleted_at`;

/** Lead fields for list filters and for scoring conditions (alias `l`). */
export const LEAD_FIELDS: FieldMap = {
  title: { sql: 'l.title', type: 'text' },
  first_name: { sql: 'l.first_name', type: 'text', nullable: true },
  last_name: { sql: 'l.last_name', type: 'text', nullable: true },
  email: { sql: 'l.email', type: 'text', nullable: true, exact: true },
  phone: { sql: 'l.phone', type: 'text', nullable: true },
  company_name: { sql: 'l.company_name', type: 'text', nullable: true },
  source: { sql: 'l.source', type: 'text', nullable: true },
  territory: { sql: 'l.territory', type: 'text', nullable: true },
  status: { sql: 'l.status', type: 'enum', values: LeadStatuses },
  score: { sql: 'l.score', type: 'number' },
  value: { sql: 'l.value', type: 'number', nullable: true },
  currency: { sql: 'l.currency::text', type: 'text', nullable: true, exact: true },
  expected_close_date: { sql: 'l.expected_close_date', type: 'date', nullable: true },
  owner_id: { sql: 'l.owner_id', type: 'uuid', nullable: true, sortable: false },
  contact_id: { sql: 'l.contact_id', type: 'uuid', nullable: true, sortable: false },
  company_id: { sql: 'l.company_id', type: 'uuid', nullable: true, sortable: false },
  converted_at: { sql: 'l.converted_at', type: 'timestamp', nullable: true },
  created_at: { sql: 'l.created_at', type: 'timestamp' },
  updated_at: { sql: 'l.updated_at', type: 'timestamp' },
  tags: { sql: 'l.tags', type: 'tags' },
};

/** The lead fields; given a list query, custom fields only when it names one. */
export async function leadFields(tx: Tx, query?: ListQuery): Promise<FieldMap> {
  return { ...LEAD_FIELDS, ...(await customFieldMap(tx, 'lead', query)) };
}

export async function findLead(tx: Tx, id: string, opts: { lock?: boolean; deleted?: boolean } = {}): Promise<Lead | null> {
  const r = await tx.query<Lead>(
    `SELECT ${LEAD_COLS} FROM leads l WHERE l.id = $1 AND l.deleted_at IS ${opts.deleted ? 'NOT ' : ''}NULL ${opts.lock ? 'FOR UPDATE' : ''}`, [id]);
  return r.rows[0] ?? null;
}

/** The newest open (not converted) lead with this email, locked. */
export async function findOpenLeadByEmail(tx: Tx, email: string): Promise<Lead | null> {
  const r = await tx.query<Lead>(
    `SELECT ${LEAD_COLS} FROM leads l WHERE l.email = $1 AND l.deleted_at IS NULL AND l.status <> 'converted'
      ORDER BY l.created_at DESC, l.id DESC LIMIT 1 FOR UPDATE`, [email]);
  return r.rows[0] ?? null;
}

const COLUMNS = ['title', 'first_name', 'last_name', 'email', 'phone', 'company_name', 'contact_id', 'company_id', 'source', 'territory',
  'status', 'value', 'currency', 'expected_close_date', 'owner_id', 'tags', 'custom'] as const;
export type LeadValues = Partial<Record<(typeof COLUMNS)[number], unknown>>;

const param = (key: string, v: unknown) => (key === 'custom' ? JSON.stringify(v ?? {}) : v ?? (key === 'tags' ? [] : null));

export async function insertLead(tx: Tx, tenantId: string, id: string, createdBy: string | null, values: LeadValues): Promise<void> {
  const keys = COLUMNS.filter((k) => k in values);
  const params = [tenantId, id, createdBy, ...keys.map((k) => param(k, values[k]))];
  await tx.query(
    `INSERT INTO leads (tenant_id, id, created_by, ${keys.join(', ')}) VALUES ($1, $2, $3, ${keys.map((_, i) => `$${i + 4}`).join(', ')})`, params);
}

export async function updateLead(tx: Tx, id: string, values: LeadValues): Promise<void> {
  const keys = COLUMNS.filter((k) => k in values);
  const sets = keys.map((k, i) => `${k} = $${i + 2}`);
  await tx.query(`UPDATE leads SET ${[...sets, 'updated_at = now()', 'version = version + 1'].join(', ')} WHERE id = $1`,
    [id, ...keys.map((k) => param(k, values[k]))]);
}

export async function setDeleted(tx: Tx, id: string, deleted: boolean): Promise<void> {
  await tx.query(`UPDATE leads SET deleted_at = ${deleted ? 'now()' : 'NULL'}, updated_at = now(), version = version + 1 WHERE id = $1`, [id]);
}

export async function markConverted(tx: Tx, id: string, r: { contactId: string | null; companyId: string | null; dealId: string | null }): Promise<void> {
  await tx.query(
    `UPDATE leads SET status = 'converted', converted_at = now(), converted_deal_id = $2, contact_id = $3, company_id = $4,
            updated_at = now(), version = version + 1 WHERE id = $1`, [id, r.dealId, r.contactId, r.companyId]);
}

/**
 * The lead's history follows it: its activities are linked to the new deal,
 * contact and company (where they had none). Activities belong to the
 * activities module; this one statement is the conversion's part of them.
 */
export async function carryActivities(tx: Tx, leadId: string, r: { contactId: string | null; companyId: string | null; dealId: string | null }): Promise<void> {
  await tx.query(
    `UPDATE activities SET deal_id = coalesce(deal_id, $2), contact_id = coalesce(contact_id, $3), company_id = coalesce(company_id, $4),
            updated_at = now(), version = version + 1
      WHERE lead_id = $1 AND deleted_at IS NULL`, [leadId, r.dealId, r.contactId, r.companyId]);
}

export async function listLeads(tx: Tx, query: ListQuery) {
  const fields = await leadFields(tx, query);
  const p = new SqlParams();
  const where = ['l.deleted_at IS NULL'];
  if (query.filter) where.push(compileFilter(query.filter, fields, p));
  if (query.q) {
    const pat = p.add(likePattern(query.q));
    where.push(`(l.title ILIKE ${pat} OR l.email ILIKE ${pat} OR l.company_name ILIKE ${pat} OR (coalesce(l.first_name, '') || ' ' || coalesce(l.last_name, '')) ILIKE ${pat})`);
  }
  const sort = compileSort(query.sort, fields, '-created_at');
  const cursor = query.cursor ? (decodeCursor(query.cursor, ['scalar', 'uuid']) as [unknown, unknown]) : null;
  const ks = keyset(sort, 'l.id', cursor, p);
  if (ks.after) where.push(ks.after);
  const rows = (await tx.query<Lead & { sort_key: unknown }>(
    `SELECT ${LEAD_COLS}, ${cursorKey(sort)} AS sort_key FROM leads l WHERE ${where.join(' AND ')} ORDER BY ${ks.orderBy} LIMIT ${p.add(query.limit + 1)}`,
    p.values)).rows;
  return pageResult(rows, query.limit, (r) => [r.sort_key, r.id]);
}

/** A note on the lead from a web-form message (the activities table, as the conversion above). */
export async function insertFormNote(tx: Tx, tenantId: string, id: string, leadId: string, subject: string, body: string): Promise<void> {
  await tx.query(
    `INSERT INTO activities (tenant_id, id, type, subject, body, body_format, lead_id, completed_at) VALUES ($1, $2, 'note', $3, $4, 'text', $5, now())`,
    [tenantId, id, subject, body, leadId]);
}

/** The live contact with this (normalised) email, so a conversion links it instead of creating a duplicate. */
export async function findContactIdByEmail(tx: Tx, email: string): Promise<string | null> {
  return (await tx.query<{ id: string }>('SELECT id FROM contacts WHERE email = $1 AND deleted_at IS NULL', [email])).rows[0]?.id ?? null;
}

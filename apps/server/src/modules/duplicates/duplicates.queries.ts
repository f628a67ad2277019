/** SQL of duplicate suggestions and of moving related records during a merge. */
import type { Tx } from '../../platform/db/tenant.js';

export interface ContactCandidate {
  id: string;
  title: string;
  email: string | null;
  emails: { email: string }[];
  phone: string | null;
  company_id: string | null;
  company_name: string | null;
  name_similarity: number;
}

/** Ids of live contacts sharing a phone or an email with the given ones. */
export async function contactsSharing(tx: Tx, selfId: string, phone: string | null, emails: string[]): Promise<string[]> {
  const r = await tx.query<{ id: string }>(
    `(SELECT id FROM contacts WHERE $2::text IS NOT NULL AND phone = $2 AND id <> $1 AND deleted_at IS NULL LIMIT 20)
     UNION
     (SELECT id FROM contacts WHERE email = ANY ($3::text[]) AND id <> $1 AND deleted_at IS NULL LIMIT 20)`,
    [selfId, phone, emails]);
  return r.rows.map((x) => x.id);
}

export async function contactCandidates(tx: Tx, selfId: string, name: string, ids: string[]): Promise<ContactCandidate[]> {
  const r = await tx.query<ContactCandidate>(
    `SELECT c.id, coalesce(nullif(btrim(c.first_name || ' ' || c.last_name), ''), c.email, '') AS title, c.email, c.emails, c.phone,
            c.company_id, co.name AS company_name,
            similarity(lower(c.first_name || ' ' || c.last_name), lower($2))::float8 AS name_similarity
       FROM contacts c LEFT JOIN companies co ON co.id = c.company_id
      WHERE c.id = ANY ($3::uuid[]) AND c.id <> $1 AND c.deleted_at IS NULL`, [selfId, name, ids]);
  return r.rows;
}

export interface CompanyCandidate {
  id: string;
  title: string;
  domain: string | null;
  phone: string | null;
  name_similarity: number;
}

export async function companiesSharing(tx: Tx, selfId: string, domain: string | null, phone: string | null): Promise<string[]> {
  const r = await tx.query<{ id: string }>(
    `(SELECT id FROM companies WHERE $2::text IS NOT NULL AND domain = $2 AND id <> $1 AND deleted_at IS NULL LIMIT 20)
     UNION
     (SELECT id FROM companies WHERE $3::text IS NOT NULL AND phone = $3 AND id <> $1 AND deleted_at IS NULL LIMIT 20)`,
    [selfId, domain, phone]);
  return r.rows.map((x) => x.id);
}

export async function companyCandidates(tx: Tx, selfId: string, name: string, ids: string[]): Promise<CompanyCandidate[]> {
  const r = await tx.query<CompanyCandidate>(
    `SELECT id, name AS title, domain, phone, similarity(lower(name), lower($2))::float8 AS name_similarity
       FROM companies WHERE id = ANY ($3::uuid[]) AND id <> $1 AND deleted_at IS NULL`, [selfId, name, ids]);
  return r.rows;
}

const MOVES = {
  contact: [['activities', 'contact_id'], ['deals', 'contact_id'], ['leads', 'contact_id']],
  company: [['contacts', 'company_id'], ['activities', 'company_id'], ['deals', 'company_id'], ['leads', 'company_id']],
} as const;

/** Points every record that referenced `from` at `to`; returns how many moved per table. */
export async function moveReferences(tx: Tx, kind: 'contact' | 'company', from: string, to: string): Promise<Record<string, number>> {
  const moved: Record<string, number> = {};
  for (const [table, column] of MOVES[kind]) {
    const r = await tx.query(
      `UPDATE ${table} SET ${column} = $2, updated_at = now(), version = version + 1 WHERE ${column} = $1`, [from, to]);
    moved[table] = r.rowCount;
  }
  return moved;
}

/** Re-parents the children of `from` (except `to` itself) under `to`. */
export async function moveChildren(tx: Tx, from: string, to: string): Promise<number> {
  const r = await tx.query(
    'UPDATE companies SET parent_id = $2, updated_at = now(), version = version + 1 WHERE parent_id = $1 AND id <> $2', [from, to]);
  return r.rowCount;
}

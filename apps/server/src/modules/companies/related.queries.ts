/**
 * Read-only queries behind the company page: its contacts, child companies,
 * deals and activities. Deals and activities belong to the sales module; these
 * are plain reads of their tables under RLS, kept small and indexed
 * (contacts_company_idx, companies_parent_idx, deals_company_idx, activities_company_idx).
 */
import type { CompanyRelated } from '@pillar/shared';
import type { Tx } from '../../platform/db/tenant.js';

const LIMIT = 50;

export async function companyRelated(tx: Tx, id: string): Promise<CompanyRelated> {
  const [contacts, children, deals, activities, counts] = [
    await tx.query<CompanyRelated['contacts'][number]>(
      `SELECT id, coalesce(nullif(btrim(first_name || ' ' || last_name), ''), email, '') AS name, email, title
         FROM contacts WHERE company_id = $1 AND deleted_at IS NULL
        ORDER BY lower(last_name), lower(first_name), id LIMIT ${LIMIT}`, [id]),
    await tx.query<CompanyRelated['children'][number]>(
      `SELECT id, name, domain FROM companies WHERE parent_id = $1 AND deleted_at IS NULL ORDER BY lower(name), id LIMIT ${LIMIT}`, [id]),
    await tx.query<CompanyRelated['deals'][number]>(
      `SELECT id, name, value::text AS value, currency, status, stage_id, expected_close_date
         FROM deals WHERE company_id = $1 AND deleted_at IS NULL
        ORDER BY (status = 'open') DESC, expected_close_date NULLS LAST, created_at DESC, id LIMIT ${LIMIT}`, [id]),
    await tx.query<CompanyRelated['activities'][number]>(
      `SELECT id, type, subject, due_at, completed_at, created_at
         FROM activities WHERE company_id = $1 AND deleted_at IS NULL
        ORDER BY created_at DESC, id DESC LIMIT ${LIMIT}`, [id]),
    await tx.query<CompanyRelated['counts']>(
      `SELECT (SELECT count(*)::int FROM contacts WHERE company_id = $1 AND deleted_at IS NULL) AS contacts,
              (SELECT count(*)::int FROM companies WHERE parent_id = $1 AND deleted_at IS NULL) AS children,
              (SELECT count(*)::int FROM deals WHERE company_id = $1 AND deleted_at IS NULL) AS deals,
              (SELECT count(*)::int FROM deals WHERE company_id = $1 AND deleted_at IS NULL AND status = 'open') AS open_deals,
              (SELECT count(*)::int FROM activities WHERE company_id = $1 AND deleted_at IS NULL) AS activities`, [id]),
  ];
  return {
    contacts: contacts.rows, children: children.rows, deals: deals.rows, activities: activities.rows,
    counts: counts.rows[0] ?? { contacts: 0, children: 0, deals: 0, open_deals: 0, activities: 0 },
  };
}

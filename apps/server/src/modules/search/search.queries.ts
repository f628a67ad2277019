/**
 * Global search: each record type goes through its SECURITY DEFINER search
 * function (migrations 0100, 0101 and 0502; tenant from `app.tenant_id`), and
 * the matched ids are joined back to their tables under RLS for titles (primary
 * key lookups, at most `limit` per type). One round trip.
 */
import type { SearchHit, SearchType } from '@pillar/shared';
import type { Tx } from '../../platform/db/tenant.js';

const PARTS: Record<SearchType, string> = {
  contact: `SELECT 'contact' AS type, s.id, s.score,
              coalesce(nullif(btrim(c.first_name || ' ' || c.last_name), ''), c.email, '') AS title,
              nullif(concat_ws(' · ', c.email, co.name), '') AS subtitle
         FROM crm_search_contacts($1, $2) s JOIN contacts c ON c.id = s.id
         LEFT JOIN companies co ON co.id = c.company_id AND co.deleted_at IS NULL`,
  company: `SELECT 'company' AS type, s.id, s.score, c.name AS title, c.domain AS subtitle
         FROM crm_search_companies($1, $2) s JOIN companies c ON c.id = s.id`,
  lead: `SELECT 'lead' AS type, s.id, s.score, l.title AS title, l.status AS subtitle
         FROM crm_search_leads($1, $2) s JOIN leads l ON l.id = s.id`,
  deal: `SELECT 'deal' AS type, s.id, s.score, d.name AS title, concat_ws(' · ', d.value::text || ' ' || d.currency, d.status) AS subtitle
         FROM crm_search_deals($1, $2) s JOIN deals d ON d.id = s.id`,
};

const PATHS: Record<SearchType, string> = { contact: '/contacts/', company: '/companies/', lead: '/leads/', deal: '/deals/' };
const ORDER: Record<SearchType, number> = { contact: 0, company: 1, deal: 2, lead: 3 };

export async function searchAll(tx: Tx, q: string, types: readonly SearchType[], limit: number): Promise<SearchHit[]> {
  if (!types.length) return [];
  const sql = types.map((t) => `(${PARTS[t]})`).join(' UNION ALL ');
  const r = await tx.query<{ type: SearchType; id: string; score: string; title: string; subtitle: string | null }>(sql, [q, limit]);
  return r.rows
    .map((x) => ({ type: x.type, id: x.id, title: x.title, subtitle: x.subtitle, url: `${PATHS[x.type]}${x.id}`, score: Number(x.score) }))
    .sort((a, b) => b.score - a.score || ORDER[a.type] - ORDER[b.type] || a.title.localeCompare(b.title))
    .slice(0, limit);
}

/** Ids and scores of one type's matches (duplicate suggestions use these). */
export async function searchIds(tx: Tx, type: 'contact' | 'company', q: string, limit: number): Promise<{ id: string; score: number }[]> {
  const fn = type === 'contact' ? 'crm_search_contacts' : 'crm_search_companies';
  const r = await tx.query<{ id: string; score: string }>(`SELECT id, score FROM ${fn}($1, $2)`, [q, limit]);
  return r.rows.map((x) => ({ id: x.id, score: Number(x.score) }));
}

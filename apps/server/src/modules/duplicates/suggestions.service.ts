/**
 * Likely duplicates of a contact (same email, same phone, or a similar name
 * at the same company) or of a company (same domain, same phone, similar
 * name). Name candidates come from the trigram search functions; the score
 * adds up the evidence.
 */
import { withTenant, type TenantContext } from '../../platform/db/tenant.js';
import { notFound } from '../../platform/errors.js';
import { findCompanyInTx } from '../companies/index.js';
import { findContactInTx } from '../contacts/index.js';
import { searchIdsInTx } from '../search/index.js';
import * as q from './duplicates.queries.js';

type Reason = 'same_email' | 'same_phone' | 'same_domain' | 'similar_name';
export interface Suggestion { id: string; title: string; subtitle: string | null; reasons: Reason[]; score: number }

const NAME_THRESHOLD = 0.5;
const WEIGHTS: Record<Reason, number> = { same_email: 0.6, same_domain: 0.4, same_phone: 0.4, similar_name: 0.4 };

function ranked(list: Suggestion[]): Suggestion[] {
  return list.filter((s) => s.reasons.length).sort((a, b) => b.score - a.score || a.title.localeCompare(b.title)).slice(0, 20);
}

function scoreOf(reasons: Reason[], nameSimilarity: number) {
  const sum = reasons.reduce((acc, r) => acc + (r === 'similar_name' ? WEIGHTS[r] * nameSimilarity : WEIGHTS[r]), 0);
  return Math.round(Math.min(1, sum) * 1000) / 1000;
}

export function contactDuplicates(ctx: TenantContext, id: string): Promise<Suggestion[]> {
  return withTenant(ctx, async (tx) => {
    const c = await findContactInTx(tx, id);
    if (!c) throw notFound('Contact');
    const emails = c.emails.map((e) => e.email);
    const fullName = `${c.first_name} ${c.last_name}`.trim();
    const byName = fullName.length >= 3 ? (await searchIdsInTx(tx, 'contact', fullName, 30)).map((x) => x.id) : [];
    const ids = [...new Set([...byName, ...(await q.contactsSharing(tx, id, c.phone, emails))])];
    const candidates = await q.contactCandidates(tx, id, fullName, ids);
    return ranked(candidates.map((x) => {
      const reasons: Reason[] = [];
      const theirs = new Set([x.email, ...x.emails.map((e) => e.email)]);
      if (emails.some((e) => theirs.has(e))) reasons.push('same_email');
      if (c.phone && x.phone === c.phone) reasons.push('same_phone');
      const sameCompany = !c.company_id || !x.company_id || c.company_id === x.company_id;
      if (fullName && x.name_similarity >= NAME_THRESHOLD && sameCompany) reasons.push('similar_name');
      const subtitle = [x.email, x.company_name].filter(Boolean).join(' · ') || null;
      return { id: x.id, title: x.title, subtitle, reasons, score: scoreOf(reasons, x.name_similarity) };
    }));
  });
}

export function companyDuplicates(ctx: TenantContext, id: string): Promise<Suggestion[]> {
  return withTenant(ctx, async (tx) => {
    const c = await findCompanyInTx(tx, id);
    if (!c) throw notFound('Company');
    const byName = (await searchIdsInTx(tx, 'company', c.name, 30)).map((x) => x.id);
    const ids = [...new Set([...byName, ...(await q.companiesSharing(tx, id, c.domain, c.phone))])];
    const candidates = await q.companyCandidates(tx, id, c.name, ids);
    return ranked(candidates.map((x) => {
      const reasons: Reason[] = [];
      if (c.domain && x.domain === c.domain) reasons.push('same_domain');
      if (c.phone && x.phone === c.phone) reasons.push('same_phone');
      if (x.name_similarity >= NAME_THRESHOLD) reasons.push('similar_name');
      return { id: x.id, title: x.title, subtitle: x.domain, reasons, score: scoreOf(reasons, x.name_similarity) };
    }));
  });
}

/**
 * Lead conversion: links or creates the contact and company, creates the
 * deal, marks the lead converted and hands its history (activities) to the
 * new records — all in one transaction. Converting again answers the first
 * result: the lead row is locked first, so two concurrent conversions cannot
 * both create a deal.
 */
import type { ConvertLead, Lead } from '@pillar/shared';
import { recordChange } from '../../platform/audit.js';
import { withTenant, type TenantContext, type Tx } from '../../platform/db/tenant.js';
import { AppError } from '../../platform/errors.js';
import { assertReferencesInTx, createDealInTx } from '../deals/index.js';
import { createCompanyInTx } from '../companies/index.js';
import { createContactInTx } from '../contacts/index.js';
import * as q from './leads.queries.js';
import { getLeadOrThrowInTx, leadEventPayload } from './leads.service.js';

export interface ConversionResult {
  lead: Lead;
  contact_id: string | null;
  company_id: string | null;
  deal_id: string | null;
  already_converted: boolean;
}

async function companyFor(tx: Tx, ctx: TenantContext, lead: Lead, input: ConvertLead): Promise<string | null> {
  if (input.company_id) {
    await assertReferencesInTx(tx, { company_id: input.company_id });
    return input.company_id;
  }
  if (!input.create_company) return lead.company_id;
  if (!lead.company_name) {
    throw new AppError('unprocessable', { message: 'The lead has no company name to create a company from', errors: [{ path: 'body.create_company', message: 'lead has no company_name' }] });
  }
  const company = await createCompanyInTx(tx, ctx, { name: lead.company_name, owner_id: lead.owner_id });
  return company.id;
}

async function contactFor(tx: Tx, ctx: TenantContext, lead: Lead, input: ConvertLead, companyId: string | null): Promise<string | null> {
  if (input.contact_id) {
    await assertReferencesInTx(tx, { contact_id: input.contact_id });
    return input.contact_id;
  }
  if (!input.create_contact) return lead.contact_id;
  // A contact with the lead's email already exists: link it rather than create a duplicate.
  const existing = lead.email ? await q.findContactIdByEmail(tx, lead.email) : null;
  if (existing) return existing;
  const contact = await createContactInTx(tx, ctx, {
    first_name: lead.first_name ?? (lead.last_name || lead.email ? '' : lead.title), last_name: lead.last_name ?? '', email: lead.email,
    ...(lead.phone ? { phone: lead.phone } : {}), company_id: companyId, owner_id: lead.owner_id, lead_source: lead.source,
  });
  return contact.id;
}

export async function convertLeadInTx(tx: Tx, ctx: TenantContext, id: string, input: ConvertLead): Promise<ConversionResult> {
  const lead = await getLeadOrThrowInTx(tx, id, { lock: true });
  if (lead.status === 'converted') {
    return { lead, contact_id: lead.contact_id, company_id: lead.company_id, deal_id: lead.converted_deal_id, already_converted: true };
  }
  const companyId = await companyFor(tx, ctx, lead, input);
  const contactId = await contactFor(tx, ctx, lead, input, companyId);
  const d = input.deal;
  const deal = d
    ? await createDealInTx(tx, ctx, {
      name: d.name ?? lead.title, value: d.value ?? lead.value ?? '0', ...(d.currency ?? lead.currency ? { currency: d.currency ?? lead.currency! } : {}),
      pipeline_id: d.pipeline_id, stage_id: d.stage_id, owner_id: d.owner_id ?? lead.owner_id, contact_id: contactId, company_id: companyId,
      lead_id: lead.id, source: lead.source, expected_close_date: lead.expected_close_date, tags: lead.tags,
    })
    : null;
  const result = { contactId, companyId, dealId: deal?.id ?? null };
  await q.markConverted(tx, id, result);
  await q.carryActivities(tx, id, result);
  const after = await getLeadOrThrowInTx(tx, id);
  await recordChange(tx, ctx, { action: 'lead.convert', entity: 'lead', entityId: id, before: lead, after,
    event: { type: 'lead.converted', payload: { ...leadEventPayload(after), contact_id: contactId, company_id: companyId, deal_id: result.dealId } } });
  return { lead: after, contact_id: contactId, company_id: companyId, deal_id: result.dealId, already_converted: false };
}

export function convertLead(ctx: TenantContext, id: string, input: ConvertLead): Promise<ConversionResult> {
  return withTenant(ctx, (tx) => convertLeadInTx(tx, ctx, id, input));
}

/** Leads: create (with assignment), read, change, trash, restore, and web-form intake. */
import type { CreateLead, Lead, LeadFormInput, ListQuery, UpdateLead } from '@pillar/shared';
import { uuidv7 } from 'uuidv7';
import { recordChange } from '../../platform/audit.js';
import { withTenant, type TenantContext, type Tx } from '../../platform/db/tenant.js';
import { notFound, preconditionFailed } from '../../platform/errors.js';
import { assertReferencesInTx, validateCustomInTx } from '../deals/index.js';
import { chooseOwnerInTx } from './assignment.service.js';
import * as q from './leads.queries.js';
import { rescoreLeadsInTx } from './scoring.service.js';

export const leadEventPayload = (l: Lead) => ({ id: l.id, title: l.title, status: l.status, score: l.score, owner_id: l.owner_id, email: l.email, source: l.source });

export async function getLeadOrThrowInTx(tx: Tx, id: string, opts: { lock?: boolean; deleted?: boolean } = {}): Promise<Lead> {
  const lead = await q.findLead(tx, id, opts);
  if (!lead) throw notFound('Lead');
  return lead;
}

export function getLead(ctx: TenantContext, id: string) {
  return withTenant(ctx, (tx) => getLeadOrThrowInTx(tx, id));
}

export function listLeads(ctx: TenantContext, query: ListQuery) {
  return withTenant(ctx, (tx) => q.listLeads(tx, query));
}

export async function createLeadInTx(tx: Tx, ctx: TenantContext, input: CreateLead): Promise<Lead> {
  await assertReferencesInTx(tx, input);
  const custom = await validateCustomInTx(tx, ctx, 'lead', input.custom);
  const ownerId = input.owner_id !== undefined ? input.owner_id : await chooseOwnerInTx(tx, input);
  const id = uuidv7();
  await q.insertLead(tx, ctx.tenantId, id, ctx.userId, { ...input, custom, owner_id: ownerId, status: input.status ?? 'new' });
  await rescoreLeadsInTx(tx, [id]);
  const lead = await getLeadOrThrowInTx(tx, id);
  await recordChange(tx, ctx, { action: 'lead.create', entity: 'lead', entityId: id, after: lead, event: { type: 'lead.created', payload: leadEventPayload(lead) } });
  return lead;
}

export function createLead(ctx: TenantContext, input: CreateLead) {
  return withTenant(ctx, (tx) => createLeadInTx(tx, ctx, input));
}

async function lockLead(tx: Tx, id: string, expected: number | undefined) {
  const before = await getLeadOrThrowInTx(tx, id, { lock: true });
  if (expected !== undefined && expected !== before.version) throw preconditionFailed(before.version);
  return before;
}

export async function updateLeadInTx(tx: Tx, ctx: TenantContext, id: string, input: UpdateLead, expected?: number): Promise<Lead> {
  const before = await lockLead(tx, id, expected);
  await assertReferencesInTx(tx, input);
  const values: q.LeadValues = { ...input };
  if (input.custom) values.custom = await validateCustomInTx(tx, ctx, 'lead', input.custom, before.custom);
  if (before.status === 'converted') delete values.status;
  await q.updateLead(tx, id, values);
  await rescoreLeadsInTx(tx, [id]);
  const after = await getLeadOrThrowInTx(tx, id);
  await recordChange(tx, ctx, { action: 'lead.update', entity: 'lead', entityId: id, before, after,
    event: { type: 'lead.updated', payload: { ...leadEventPayload(after), changed: Object.keys(input) } } });
  return after;
}

export function updateLead(ctx: TenantContext, id: string, input: UpdateLead, expected: number | undefined) {
  return withTenant(ctx, (tx) => updateLeadInTx(tx, ctx, id, input, expected));
}

export async function deleteLeadInTx(tx: Tx, ctx: TenantContext, id: string, expected?: number): Promise<void> {
  const before = await lockLead(tx, id, expected);
  await q.setDeleted(tx, id, true);
  await recordChange(tx, ctx, { action: 'lead.delete', entity: 'lead', entityId: id, before: { deleted_at: null }, after: { deleted_at: 'now' },
    event: { type: 'lead.deleted', payload: leadEventPayload(before) } });
}

export function deleteLead(ctx: TenantContext, id: string, expected: number | undefined) {
  return withTenant(ctx, (tx) => deleteLeadInTx(tx, ctx, id, expected));
}

export async function restoreLeadInTx(tx: Tx, ctx: TenantContext, id: string): Promise<Lead> {
  const trashed = await getLeadOrThrowInTx(tx, id, { lock: true, deleted: true });
  await q.setDeleted(tx, id, false);
  const lead = await getLeadOrThrowInTx(tx, id);
  await recordChange(tx, ctx, { action: 'lead.restore', entity: 'lead', entityId: id, before: { deleted_at: trashed.deleted_at }, after: { deleted_at: null },
    event: { type: 'lead.restored', payload: leadEventPayload(lead) } });
  return lead;
}

export function restoreLead(ctx: TenantContext, id: string) {
  return withTenant(ctx, (tx) => restoreLeadInTx(tx, ctx, id));
}

function splitName(input: LeadFormInput): { first: string | null; last: string | null } {
  if (input.first_name || input.last_name) return { first: input.first_name ?? null, last: input.last_name ?? null };
  const parts = (input.name ?? '').trim().split(/\s+/).filter(Boolean);
  if (!parts.length) return { first: null, last: null };
  return { first: parts[0]!, last: parts.slice(1).join(' ') || null };
}

/**
 * Web-form intake: updates the newest open lead with this email (filling
 * only what it lacks) or creates one, routed by the assignment rules. A
 * message becomes a note on the lead.
 */
export async function createOrUpdateLeadFromFormInTx(tx: Tx, ctx: TenantContext, input: LeadFormInput): Promise<{ lead: Lead; created: boolean }> {
  const { first, last } = splitName(input);
  const existing = await q.findOpenLeadByEmail(tx, input.email);
  let result: { lead: Lead; created: boolean };
  if (existing) {
    const fill: UpdateLead = {};
    if (!existing.first_name && first) fill.first_name = first;
    if (!existing.last_name && last) fill.last_name = last;
    if (!existing.phone && input.phone) fill.phone = input.phone;
    if (!existing.company_name && input.company) fill.company_name = input.company;
    if (!existing.source && input.source) fill.source = input.source;
    if (!existing.territory && input.territory) fill.territory = input.territory;
    result = { lead: await updateLeadInTx(tx, ctx, existing.id, fill), created: false };
  } else {
    const title = input.title ?? ([first, last].filter(Boolean).join(' ') || input.email);
    const lead = await createLeadInTx(tx, ctx, {
      title, first_name: first, last_name: last, email: input.email, phone: input.phone ?? null, company_name: input.company ?? null,
      source: input.source ?? 'web form', territory: input.territory ?? null,
    });
    result = { lead, created: true };
  }
  if (input.message) {
    const noteId = uuidv7();
    await q.insertFormNote(tx, ctx.tenantId, noteId, result.lead.id, 'Web form message', input.message);
    await recordChange(tx, ctx, { action: 'activity.create', entity: 'activity', entityId: noteId, after: { type: 'note', lead_id: result.lead.id },
      event: { type: 'activity.created', payload: { id: noteId, type: 'note', lead_id: result.lead.id } } });
    await rescoreLeadsInTx(tx, [result.lead.id]);
    result.lead = await getLeadOrThrowInTx(tx, result.lead.id);
  }
  return result;
}

export function createOrUpdateLeadFromForm(ctx: TenantContext, input: LeadFormInput) {
  return withTenant(ctx, (tx) => createOrUpdateLeadFromFormInTx(tx, ctx, input));
}

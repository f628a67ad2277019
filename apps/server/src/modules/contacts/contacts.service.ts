/** Contacts: create, read, change, trash/restore/purge. A primary email is unique among live contacts. */
import type { CreateContact, ListQuery, UpdateContact } from '@pillar/shared';
import { uuidv7 } from 'uuidv7';
import { checkCreatedEvent, recordChange } from '../../platform/audit.js';
import { withTenant, type TenantContext, type Tx } from '../../platform/db/tenant.js';
import { AppError, notFound, preconditionFailed } from '../../platform/errors.js';
import { assertCompany, assertMember, DEFAULT_PHONE_REGION, listRecords, normaliseAddress, normaliseTags } from '../crm-common/index.js';
import { customFieldMap, validateCustomFields } from '../custom-fields/index.js';
import { prepareEmails, preparePhones, primaryEmail, primaryPhone } from './contact-values.js';
import * as q from './contacts.queries.js';

export type { ContactRow } from './contacts.queries.js';

function duplicate(existingId: string | null) {
  return new AppError('duplicate', {
    message: 'Another contact already has this primary email',
    errors: [{ path: 'body.email', message: 'already used by another contact' }],
    ...(existingId ? { details: { existing_id: existingId } } : {}),
  });
}

async function assertEmailFree(tx: Tx, email: string | null | undefined, selfId: string | null) {
  if (!email) return;
  const existing = await q.findByEmail(tx, email, selfId);
  if (existing) throw duplicate(existing);
}

const TEXT_FIELDS = ['first_name', 'last_name', 'title', 'department', 'notes', 'lead_source'] as const;

async function prepare(tx: Tx, input: UpdateContact, before: q.ContactRow | null): Promise<q.ContactValues> {
  const v: q.ContactValues = {};
  for (const f of TEXT_FIELDS) {
    if (input[f] === undefined) continue;
    if (f === 'first_name' || f === 'last_name') v[f] = input[f] ?? '';
    else v[f] = input[f] || null;
  }
  const emails = prepareEmails(input, before?.emails ?? null);
  if (emails) {
    v.emails = emails;
    v.email = primaryEmail(emails);
    // A new contact's insert settles the email itself (ON CONFLICT, see insertContactRecorded).
    if (before) await assertEmailFree(tx, v.email, before.id);
  }
  const phones = preparePhones(input, before?.phones ?? null, DEFAULT_PHONE_REGION);
  if (phones) {
    v.phones = phones;
    v.phone = primaryPhone(phones);
  }
  if (input.address !== undefined) v.address = normaliseAddress(input.address);
  if (input.social !== undefined) v.social = normaliseAddress(input.social);
  if (input.tags !== undefined) v.tags = normaliseTags(input.tags);
  if (input.owner_id !== undefined) {
    await assertMember(tx, input.owner_id);
    v.owner_id = input.owner_id;
  }
  if (input.company_id !== undefined) {
    await assertCompany(tx, input.company_id);
    v.company_id = input.company_id;
  }
  if (input.custom !== undefined || !before) v.custom = await validateCustomFields(tx, 'contact', input.custom, before?.custom ?? null);
  return v;
}

/** The unique index is the last word when two requests race for one email. */
async function guardUnique<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if ((err as { code?: string; constraint?: string }).constraint === 'contacts_email_unique') throw duplicate(null);
    throw err;
  }
}

/** The contact, its audit row and its contact.created event in one statement; 409 when a live contact has the email. */
export async function createContactInTx(tx: Tx, ctx: TenantContext, input: CreateContact): Promise<q.ContactRow> {
  const values = await prepare(tx, input, null);
  const row = await q.insertContactRecorded(tx, ctx, uuidv7(), values);
  if (!row) throw duplicate(values.email ? await q.findByEmail(tx, values.email, null) : null);
  checkCreatedEvent('contact.created', q.createdPayload(row));
  return row;
}

export function createContact(ctx: TenantContext, input: CreateContact) {
  return withTenant(ctx, (tx) => createContactInTx(tx, ctx, input));
}

export async function getContactOrThrow(ctx: TenantContext, id: string) {
  const row = await withTenant(ctx, (tx) => q.findContact(tx, id));
  if (!row) throw notFound('Contact');
  return row;
}

async function lockOrThrow(tx: Tx, id: string, expected: number | undefined, withDeleted = false) {
  const before = await q.findContact(tx, id, { forUpdate: true, withDeleted });
  if (!before) throw notFound('Contact');
  if (expected !== undefined && expected !== before.version) throw preconditionFailed(before.version);
  return before;
}

export async function updateContactInTx(tx: Tx, ctx: TenantContext, id: string, input: UpdateContact, expected?: number) {
  const before = await lockOrThrow(tx, id, expected);
  const values = await prepare(tx, input, before);
  const first = values.first_name ?? before.first_name;
  const last = values.last_name ?? before.last_name;
  const email = values.email === undefined ? before.email : values.email;
  if (!first && !last && !email) {
    throw new AppError('validation_failed', { message: 'a contact needs a name or an email', errors: [{ path: 'body.first_name', message: 'a contact needs a name or an email' }] });
  }
  if (!Object.keys(values).length) return before;
  const after = await guardUnique(() => q.updateContactRow(tx, id, values));
  await recordChange(tx, ctx, {
    action: 'contact.update', entity: 'contact', entityId: id, before: { ...before }, after: { ...after },
    event: { type: 'contact.updated', payload: { id, name: after.name, fields: Object.keys(values) } },
  });
  return after;
}

export function updateContact(ctx: TenantContext, id: string, input: UpdateContact, expected?: number) {
  return withTenant(ctx, (tx) => updateContactInTx(tx, ctx, id, input, expected));
}

export async function deleteContactInTx(tx: Tx, ctx: TenantContext, id: string, expected?: number) {
  const before = await lockOrThrow(tx, id, expected);
  const after = await q.setContactDeleted(tx, id, true);
  await recordChange(tx, ctx, {
    action: 'contact.delete', entity: 'contact', entityId: id, before: { deleted_at: null }, after: { deleted_at: after.deleted_at },
    event: { type: 'contact.deleted', payload: { id, name: before.name } },
  });
  return after;
}

export function deleteContact(ctx: TenantContext, id: string, expected?: number) {
  return withTenant(ctx, (tx) => deleteContactInTx(tx, ctx, id, expected));
}

/** Brings a trashed contact back; 409 `duplicate` when a live contact took its email meanwhile. */
export async function restoreContactInTx(tx: Tx, ctx: TenantContext, id: string, expected?: number) {
  const before = await lockOrThrow(tx, id, expected, true);
  if (!before.deleted_at) throw notFound('Contact in the trash');
  await assertEmailFree(tx, before.email, id);
  const after = await guardUnique(() => q.setContactDeleted(tx, id, false));
  await recordChange(tx, ctx, {
    action: 'contact.restore', entity: 'contact', entityId: id, before: { deleted_at: before.deleted_at }, after: { deleted_at: null },
    event: { type: 'contact.restored', payload: { id, name: after.name } },
  });
  return after;
}

export function restoreContact(ctx: TenantContext, id: string, expected?: number) {
  return withTenant(ctx, (tx) => restoreContactInTx(tx, ctx, id, expected));
}

/** Deletes a trashed contact for good (its activities go with it; deals and leads lose the link). */
export async function purgeContactInTx(tx: Tx, ctx: TenantContext, id: string) {
  const before = await lockOrThrow(tx, id, undefined, true);
  if (!before.deleted_at) throw new AppError('conflict', { message: 'Only a contact in the trash can be purged' });
  await q.deleteContactRow(tx, id);
  await recordChange(tx, ctx, { action: 'contact.purge', entity: 'contact', entityId: id, before: { ...before } });
}

export function purgeContact(ctx: TenantContext, id: string) {
  return withTenant(ctx, (tx) => purgeContactInTx(tx, ctx, id));
}

export async function contactListSpecInTx(tx: Tx, tenantId: string, query: ListQuery) {
  return {
    table: 'contacts' as const, tenantId, columns: q.CONTACT_COLUMNS, defaultSort: '-created_at',
    searchFunction: 'crm_search_contacts' as const,
    fields: { ...q.CONTACT_FIELDS, ...(await customFieldMap(tx, 'contact', query)) },
  };
}

export function listContacts(ctx: TenantContext, query: ListQuery) {
  return withTenant(ctx, async (tx) => listRecords<q.ContactRow>(tx, await contactListSpecInTx(tx, ctx.tenantId, query), query));
}

export function getContactWithCompany(ctx: TenantContext, id: string) {
  return withTenant(ctx, async (tx) => {
    const row = await q.findContact(tx, id);
    if (!row) throw notFound('Contact');
    return { contact: row, companyName: await q.companyName(tx, row.company_id) };
  });
}

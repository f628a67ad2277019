/**
 * Merges: the survivor (the record in the URL) takes over everything that
 * pointed at the other record, fills its own blanks from it (and takes the
 * other's value for the fields the person preferred), and the other goes to
 * the trash — one transaction, audited, with a `*.merged` event.
 */
import { recordChange } from '../../platform/audit.js';
import { withTenant, type TenantContext } from '../../platform/db/tenant.js';
import { AppError, notFound, preconditionFailed, referenceNotFound } from '../../platform/errors.js';
import {
  findCompanyInTx, isAncestorOrSelfInTx, setCompanyDeletedInTx, updateCompanyRowInTx, type CompanyRow, type CompanyValues,
} from '../companies/index.js';
import {
  findContactInTx, setContactDeletedInTx, updateContactRowInTx, type ContactRow, type ContactValues,
} from '../contacts/index.js';
import * as q from './duplicates.queries.js';

function sameRecord() {
  return new AppError('unprocessable', { message: 'A record cannot be merged with itself', errors: [{ path: 'body.other_id', message: 'must be another record' }] });
}

function blank(v: unknown) {
  return v === null || v === undefined || v === '' || (typeof v === 'object' && Object.keys(v).length === 0);
}

type Prefer = ReadonlySet<string>;

/** Survivor's non-blank values win unless the other's is preferred; blanks are filled from the other record. */
function fill<T extends object>(s: T, o: T, keys: readonly (keyof T & string)[], prefer: Prefer): Partial<T> {
  const out: Partial<T> = {};
  for (const k of keys) if (!blank(o[k]) && (blank(s[k]) || prefer.has(k))) out[k] = o[k];
  return out;
}

/** Custom values: the survivor's win except `custom.<key>` entries the person preferred from the other. */
function mergedCustom(s: Record<string, unknown>, o: Record<string, unknown>, prefer: Prefer): Record<string, unknown> {
  const out = { ...o, ...s };
  for (const f of prefer) {
    const key = f.startsWith('custom.') ? f.slice(7) : undefined;
    if (key && !blank(o[key])) out[key] = o[key];
  }
  return out;
}

/** Makes the first item matching `isPrimary` the only primary, first in the list. */
function withPrimary<T extends { primary: boolean }>(list: T[], isPrimary: (x: T) => boolean): T[] {
  const chosen = list.find(isPrimary);
  if (!chosen) return list;
  return [{ ...chosen, primary: true }, ...list.filter((x) => x !== chosen).map((x) => ({ ...x, primary: false }))];
}

function union<T>(a: T[], b: T[], key: (x: T) => string): T[] {
  const seen = new Set(a.map(key));
  return [...a, ...b.filter((x) => !seen.has(key(x)))];
}

const phoneKey = (p: { phone: string; e164: string | null }) => p.e164 ?? p.phone;

function mergedContact(s: ContactRow, o: ContactRow, prefer: Prefer): ContactValues {
  let emails = union(s.emails, o.emails.map((e) => ({ ...e, primary: false })), (e) => e.email);
  if (emails.length && !emails.some((e) => e.primary)) emails[0] = { ...emails[0]!, primary: true };
  if (prefer.has('email') && o.email) emails = withPrimary(emails, (e) => e.email === o.email);
  let phones = union(s.phones, o.phones.map((p) => ({ ...p, primary: false })), phoneKey);
  if (phones.length && !phones.some((p) => p.primary)) phones[0] = { ...phones[0]!, primary: true };
  const otherPhone = o.phones.find((p) => p.primary);
  if (prefer.has('phone') && otherPhone) phones = withPrimary(phones, (p) => phoneKey(p) === phoneKey(otherPhone));
  const primaryPhone = phones.find((p) => p.primary);
  return {
    ...fill(s, o, ['first_name', 'last_name', 'title', 'department', 'notes', 'lead_source', 'company_id', 'owner_id', 'address'], prefer),
    emails, email: emails.find((e) => e.primary)?.email ?? null,
    phones, phone: primaryPhone ? phoneKey(primaryPhone) : null,
    social: { ...o.social, ...s.social }, tags: union(s.tags, o.tags, (t) => t), custom: mergedCustom(s.custom, o.custom, prefer),
  };
}

function mergedCompany(s: CompanyRow, o: CompanyRow, prefer: Prefer): CompanyValues {
  return {
    ...fill(s, o, ['name', 'domain', 'industry', 'size', 'website', 'phone', 'description', 'owner_id', 'address'], prefer),
    tags: union(s.tags, o.tags, (t) => t), custom: mergedCustom(s.custom, o.custom, prefer),
  };
}

export async function mergeContacts(ctx: TenantContext, survivorId: string, otherId: string, expected?: number, preferOther: readonly string[] = []) {
  return withTenant(ctx, async (tx) => {
    const s = await findContactInTx(tx, survivorId, { forUpdate: true });
    if (!s) throw notFound('Contact');
    if (survivorId === otherId) throw sameRecord();
    if (expected !== undefined && expected !== s.version) throw preconditionFailed(s.version);
    const o = await findContactInTx(tx, otherId, { forUpdate: true });
    if (!o) throw referenceNotFound('other_id');
    const moved = await q.moveReferences(tx, 'contact', o.id, s.id);
    // Trash the other first: its primary email may move to the survivor.
    await setContactDeletedInTx(tx, o.id, true);
    const after = await updateContactRowInTx(tx, s.id, mergedContact(s, o, new Set(preferOther)));
    await recordChange(tx, ctx, {
      action: 'contact.delete', entity: 'contact', entityId: o.id, before: { deleted_at: null, merged_into: null }, after: { merged_into: s.id },
      event: { type: 'contact.deleted', payload: { id: o.id, name: o.name, merged_into: s.id } },
    });
    await recordChange(tx, ctx, {
      action: 'contact.merge', entity: 'contact', entityId: s.id, before: { ...s }, after: { ...after, merged_id: o.id },
      event: { type: 'contact.merged', payload: { id: s.id, merged_id: o.id, merged_ids: [o.id], moved } },
    });
    return after;
  });
}

export async function mergeCompanies(ctx: TenantContext, survivorId: string, otherId: string, expected?: number, preferOther: readonly string[] = []) {
  return withTenant(ctx, async (tx) => {
    const s = await findCompanyInTx(tx, survivorId, { forUpdate: true });
    if (!s) throw notFound('Company');
    if (survivorId === otherId) throw sameRecord();
    if (expected !== undefined && expected !== s.version) throw preconditionFailed(s.version);
    const o = await findCompanyInTx(tx, otherId, { forUpdate: true });
    if (!o) throw referenceNotFound('other_id');
    const values = mergedCompany(s, o, new Set(preferOther));
    // A survivor inside the other's subtree takes the other's place, so no cycle can form.
    if (await isAncestorOrSelfInTx(tx, o.id, s.id)) values.parent_id = o.parent_id;
    const moved = { ...(await q.moveReferences(tx, 'company', o.id, s.id)), children: 0 };
    moved.children = await q.moveChildren(tx, o.id, s.id);
    await setCompanyDeletedInTx(tx, o.id, true);
    const after = await updateCompanyRowInTx(tx, s.id, values);
    await recordChange(tx, ctx, {
      action: 'company.delete', entity: 'company', entityId: o.id, before: { deleted_at: null, merged_into: null }, after: { merged_into: s.id },
      event: { type: 'company.deleted', payload: { id: o.id, name: o.name, merged_into: s.id } },
    });
    await recordChange(tx, ctx, {
      action: 'company.merge', entity: 'company', entityId: s.id, before: { ...s }, after: { ...after, merged_id: o.id },
      event: { type: 'company.merged', payload: { id: s.id, merged_id: o.id, merged_ids: [o.id], moved } },
    });
    return after;
  });
}

/** Normalises a contact's emails and phones: exactly one primary of each, E.164 phones where possible. */
import type { UpdateContact } from '@pillar/shared';
import { AppError } from '../../platform/errors.js';
import { normaliseEmail, normalisePhone } from '../crm-common/index.js';
import type { ContactEmail, ContactPhone } from './contacts.queries.js';

function invalid(path: string, message: string) {
  return new AppError('validation_failed', { message: `${path}: ${message}`, errors: [{ path: `body.${path}`, message }] });
}

type Labelled = { label?: string | null | undefined; primary?: boolean | undefined };

/** Keeps the first of duplicates, and makes the flagged (or else the first) entry the only primary. */
function withOnePrimary<T extends Labelled>(items: T[], keyOf: (t: T) => string, path: string): (T & { primary: boolean })[] {
  const seen = new Set<string>();
  const unique = items.filter((t) => !seen.has(keyOf(t)) && seen.add(keyOf(t)));
  const flagged = unique.filter((t) => t.primary).length;
  if (flagged > 1) throw invalid(path, 'only one entry can be primary');
  const primaryIndex = flagged ? unique.findIndex((t) => t.primary) : 0;
  // The primary comes first so that the list reads in order of importance.
  const ordered = primaryIndex > 0 ? [unique[primaryIndex]!, ...unique.filter((_, i) => i !== primaryIndex)] : unique;
  return ordered.map((t, i) => ({ ...t, label: t.label ?? null, primary: i === 0 }));
}

export function prepareEmails(input: Pick<UpdateContact, 'email' | 'emails'>, current: ContactEmail[] | null): ContactEmail[] | undefined {
  if (input.email !== undefined && input.emails !== undefined) throw invalid('email', 'send either email or emails');
  if (input.emails !== undefined) {
    const list = input.emails.map((e) => ({ ...e, email: normaliseEmail(e.email)! }));
    return withOnePrimary(list, (e) => e.email, 'emails');
  }
  if (input.email === undefined) return undefined;
  const rest = (current ?? []).filter((e) => !e.primary && e.email !== input.email);
  if (input.email === null) return withOnePrimary(rest, (e) => e.email, 'emails');
  const previous = (current ?? []).find((e) => e.email === input.email);
  return withOnePrimary([{ email: normaliseEmail(input.email)!, label: previous?.label ?? null, primary: true }, ...rest.map((e) => ({ ...e, primary: false }))], (e) => e.email, 'emails');
}

function phoneEntry(raw: string, label: string | null | undefined, primary: boolean | undefined, region: string): ContactPhone {
  return { phone: raw.trim(), e164: normalisePhone(raw, region), label: label ?? null, primary: primary ?? false };
}

export function preparePhones(input: Pick<UpdateContact, 'phone' | 'phones'>, current: ContactPhone[] | null, region: string): ContactPhone[] | undefined {
  if (input.phone !== undefined && input.phones !== undefined) throw invalid('phone', 'send either phone or phones');
  const keyOf = (p: ContactPhone) => p.e164 ?? p.phone;
  if (input.phones !== undefined) return withOnePrimary(input.phones.map((p) => phoneEntry(p.phone, p.label, p.primary, region)), keyOf, 'phones');
  if (input.phone === undefined) return undefined;
  const rest = (current ?? []).filter((p) => !p.primary).map((p) => ({ ...p, primary: false }));
  if (input.phone === null || input.phone === '') return withOnePrimary(rest, keyOf, 'phones');
  if (input.phone.length < 3) throw invalid('phone', 'must be a phone number');
  return withOnePrimary([phoneEntry(input.phone, null, true, region), ...rest], keyOf, 'phones');
}

export const primaryEmail = (emails: ContactEmail[]) => emails.find((e) => e.primary)?.email ?? null;
export const primaryPhone = (phones: ContactPhone[]) => {
  const p = phones.find((x) => x.primary);
  return p ? (p.e164 ?? p.phone) : null;
};

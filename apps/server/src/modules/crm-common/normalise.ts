/** Normalisers shared by companies, contacts and the data module's import. */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

export const DEFAULT_PHONE_REGION: CountryCode = 'US';

/** Trimmed, lower-case email; null when blank. */
export function normaliseEmail(email: string | null | undefined): string | null {
  const s = (email ?? '').trim().toLowerCase();
  return s === '' ? null : s;
}

/**
 * The E.164 form of a phone number when it can be parsed as a possible number
 * (national numbers read in `region`), else null; callers keep the raw text.
 */
export function normalisePhone(raw: string | null | undefined, region: string = DEFAULT_PHONE_REGION): string | null {
  const s = (raw ?? '').trim();
  if (s === '') return null;
  try {
    const parsed = parsePhoneNumberFromString(s, region.toUpperCase() as CountryCode);
    return parsed?.isPossible() ? parsed.number : null;
  } catch {
    return null;
  }
}

const HOST = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

/**
 * A company domain as a bare lower-case host ("https://www.Example.com/x" →
 * "example.com"). Returns null for blank input and undefined when it is not a
 * host name.
 */
export function normaliseDomain(input: string | null | undefined): string | null | undefined {
  const s = (input ?? '').trim();
  if (s === '') return null;
  let host: string;
  try {
    host = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(s) ? s : `http://${s}`).hostname;
  } catch {
    return undefined;
  }
  host = host.toLowerCase().replace(/\.$/, '').replace(/^www\./, '');
  return HOST.test(host) ? host : undefined;
}

/** An http(s) URL; a bare host gets https://. Undefined when it is not a web address. */
export function normaliseWebsite(input: string | null | undefined): string | null | undefined {
  const s = (input ?? '').trim();
  if (s === '') return null;
  try {
    const u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(s) ? s : `https://${s}`);
    return (u.protocol === 'http:' || u.protocol === 'https:') && HOST.test(u.hostname.replace(/\.$/, '')) ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** Tags are lower case with single spaces, unique per record, in first-seen order. */
export function normaliseTags(tags: readonly string[]): string[] {
  const out: string[] = [];
  for (const t of tags) {
    const n = t.trim().replace(/\s+/g, ' ').toLowerCase();
    if (n && !out.includes(n)) out.push(n);
  }
  return out;
}

/** Address objects keep only non-blank parts. */
export function normaliseAddress<T extends Record<string, string | null | undefined>>(a: T | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(a ?? {})) if (typeof v === 'string' && v.trim()) out[k] = v.trim();
  return out;
}

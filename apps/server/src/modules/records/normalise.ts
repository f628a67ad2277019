/**
 * Normalisers for imported and bulk-set values. They delegate to the CRM's
 * (crm-common, the canonical stored forms: emails trimmed and lower-case,
 * phones E.164 via libphonenumber, bare lower-case domains, lower-case tags)
 * and add the checks an import needs: an email that is not one is refused.
 */
import {
  normaliseDomain as crmDomain, normaliseEmail as crmEmail, normalisePhone as crmPhone, normaliseTags,
} from '../crm-common/index.js';

const EMAIL = /^[^\s@"<>(),;:]+@[^\s@"<>(),;:]+\.[^\s@"<>(),;:]{2,}$/;

/** Lower-case trimmed email, or null when it is not an email address. */
export function normaliseEmail(raw: string): string | null {
  const s = crmEmail(raw.trim().replace(/^mailto:/i, ''));
  return s !== null && s.length <= 254 && EMAIL.test(s) ? s : null;
}

/** E.164 when the number can be parsed (national numbers in the CRM's default region); null otherwise — keep the raw text then. */
export function normalisePhone(raw: string): string | null {
  return crmPhone(raw);
}

/** `https://www.Example.com/path` → `example.com`; null when there is no plausible host. */
export function normaliseDomain(raw: string): string | null {
  return crmDomain(raw) ?? null;
}

export { normaliseTags };

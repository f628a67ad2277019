/**
 * Normalisers for imported and bulk-set values. The contacts and companies
 * modules own the canonical versions; these small ones are used until those
 * are exported, and they follow the same stored forms: emails trimmed and
 * lower-case, phones E.164 where they can be parsed, bare lower-case domains.
 */
const EMAIL = /^[^\s@"<>(),;:]+@[^\s@"<>(),;:]+\.[^\s@"<>(),;:]{2,}$/;

/** Lower-case trimmed email, or null when it is not an email address. */
export function normaliseEmail(raw: string): string | null {
  const s = raw.trim().replace(/^mailto:/i, '').toLowerCase();
  return s.length <= 254 && EMAIL.test(s) ? s : null;
}

/**
 * E.164 when the number carries its country code (+… or 00…); otherwise the
 * digits as written (a national number cannot be placed without a region).
 * Null when it has too few or too many digits to be a phone number.
 */
export function normalisePhone(raw: string): string | null {
  const s = raw.trim().replace(/\s*(?:ext\.?|x|#)\s*\d+$/i, '');
  const international = s.startsWith('+') || s.startsWith('00');
  const digits = s.replace(/\D/g, '').replace(international && s.startsWith('00') ? /^00/ : /^$/, '');
  if (digits.length < 6 || digits.length > 15 || /[a-z]/i.test(s)) return null;
  return international ? `+${digits}` : digits;
}

/** `https://www.Example.com/path` → `example.com`; null when there is no plausible host. */
export function normaliseDomain(raw: string): string | null {
  let s = raw.trim().toLowerCase();
  if (!s) return null;
  s = s.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/^[^@/]*@/, '');
  s = s.split(/[/?#]/)[0]!.replace(/:\d+$/, '').replace(/^www\./, '').replace(/\.$/, '');
  return /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(s) ? s : null;
}

/** vCard 4.0 (RFC 6350) of a contact: escaped values, CRLF lines folded at 75 octets. */
import type { ContactRow } from './contacts.queries.js';

/** Escapes a text value (RFC 6350 §3.4): backslash, comma, semicolon and newlines. */
export function escapeText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/;/g, '\\;').replace(/\r\n|\r|\n/g, '\\n');
}

/** Parameter values with characters that would break the line are quoted; quotes and newlines dropped. */
function param(s: string): string {
  const clean = s.replace(/["\r\n]/g, ' ').trim();
  return /[;:,]/.test(clean) ? `"${clean}"` : clean;
}

/** Folds a content line to at most 75 octets per line without splitting a UTF-8 character. */
export function fold(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    const limit = out.length === 0 ? 75 : 74; // continuation lines start with a space
    if (octets + size > limit) {
      out.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

function rev(iso: string): string {
  return iso.replace(/[-:]/g, '').replace(/\.\d+/, '');
}

const SOCIAL_NAMES: Record<string, string> = {
  linkedin: 'LinkedIn', twitter: 'Twitter', github: 'GitHub', facebook: 'Facebook', instagram: 'Instagram',
};

export function toVCard(c: ContactRow, companyName: string | null): string {
  const lines = ['BEGIN:VCARD', 'VERSION:4.0', `UID:urn:uuid:${c.id}`];
  lines.push(`FN:${escapeText(c.name || c.email || '')}`);
  lines.push(`N:${escapeText(c.last_name)};${escapeText(c.first_name)};;;`);
  for (const e of c.emails) {
    const params = [e.label ? `TYPE=${param(e.label.toLowerCase())}` : null, e.primary ? 'PREF=1' : null].filter(Boolean);
    lines.push(`EMAIL${params.map((p) => `;${p}`).join('')}:${escapeText(e.email)}`);
  }
  for (const p of c.phones) {
    const params = ['VALUE=uri', p.label ? `TYPE=${param(p.label.toLowerCase())}` : null, p.primary ? 'PREF=1' : null].filter(Boolean);
    const value = p.e164 ? `tel:${p.e164}` : `tel:${p.phone.replace(/[^0-9+*#;=a-zA-Z-]/g, '')}`;
    lines.push(`TEL${params.map((x) => `;${x}`).join('')}:${value}`);
  }
  if (companyName || c.department) lines.push(`ORG:${escapeText(companyName ?? '')}${c.department ? `;${escapeText(c.department)}` : ''}`);
  if (c.title) lines.push(`TITLE:${escapeText(c.title)}`);
  const a = c.address;
  if (Object.keys(a).length) {
    const parts = ['', '', a.street ?? '', a.city ?? '', a.region ?? '', a.postal_code ?? '', a.country ?? ''];
    lines.push(`ADR:${parts.map(escapeText).join(';')}`);
  }
  for (const [key, value] of Object.entries(c.social)) {
    if (key === 'website') lines.push(`URL:${escapeText(value)}`);
    else lines.push(`X-SOCIALPROFILE;TYPE=${param(SOCIAL_NAMES[key] ?? key)}:${escapeText(value)}`);
  }
  if (c.tags.length) lines.push(`CATEGORIES:${c.tags.map(escapeText).join(',')}`);
  if (c.notes) lines.push(`NOTE:${escapeText(c.notes)}`);
  lines.push(`REV:${rev(c.updated_at)}`, 'END:VCARD');
  return `${lines.map(fold).join('\r\n')}\r\n`;
}

/** A safe file name for Content-Disposition. */
export function vcardFileName(c: ContactRow): string {
  const base = (c.name || 'contact').normalize('NFKD').replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return `${base || 'contact'}.vcf`;
}

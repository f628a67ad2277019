/** vCard 4.0 (RFC 6350) for the streamed contacts export: escaped values, CRLF lines folded at 75 octets. */
export interface VCardContact {
  id: string;
  first_name: string;
  last_name: string;
  email: string | null;
  emails: Array<{ email: string; label?: string | null; primary?: boolean }>;
  phone: string | null;
  title: string | null;
  department: string | null;
  notes: string | null;
  tags: string[];
  org: string | null;
  updated_at: string;
}

export function escapeText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/;/g, '\\;').replace(/\r\n|\r|\n/g, '\\n');
}

/** Folds a content line at 75 octets without splitting a UTF-8 character. */
export function fold(line: string): string {
  if (Buffer.byteLength(line) <= 75) return line;
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch);
    if (octets + size > (out.length ? 74 : 75)) {
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

export function vcardOf(c: VCardContact): string {
  const name = `${c.first_name} ${c.last_name}`.trim();
  const lines = ['BEGIN:VCARD', 'VERSION:4.0', `UID:urn:uuid:${c.id}`, `FN:${escapeText(name || c.email || 'Unnamed')}`,
    `N:${escapeText(c.last_name)};${escapeText(c.first_name)};;;`];
  const emails = c.emails.length ? c.emails : c.email ? [{ email: c.email, primary: true }] : [];
  for (const e of emails) lines.push(`EMAIL${e.primary ? ';PREF=1' : ''}:${escapeText(e.email)}`);
  if (c.phone) lines.push(`TEL;VALUE=uri:tel:${c.phone.replace(/[^0-9+]/g, '')}`);
  if (c.org || c.department) lines.push(`ORG:${escapeText(c.org ?? '')}${c.department ? `;${escapeText(c.department)}` : ''}`);
  if (c.title) lines.push(`TITLE:${escapeText(c.title)}`);
  if (c.tags.length) lines.push(`CATEGORIES:${c.tags.map(escapeText).join(',')}`);
  if (c.notes) lines.push(`NOTE:${escapeText(c.notes)}`);
  lines.push(`REV:${c.updated_at.replace(/[-:]/g, '').replace(/\.\d+/, '')}`, 'END:VCARD');
  return `${lines.map(fold).join('\r\n')}\r\n`;
}

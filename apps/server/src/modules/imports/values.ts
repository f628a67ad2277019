/** Parsing of spreadsheet cells: money, dates, integers, tags. Money stays a decimal string. */
import { normaliseTags } from '../records/index.js';

/** "1,234.50", "1.234,50", "$ 1 234", "€12" → "1234.50" / "1234" (at most 2 decimals); null when not money. */
export function parseMoney(raw: string): string | null {
  let s = raw.trim().replace(/^[A-Z]{3}\s*/i, '').replace(/\s*[A-Z]{3}$/i, '').replace(/[\s\u00a0'$€£¥]/g, '');
  if (!s) return null;
  const neg = s.startsWith('-');
  if (neg) s = s.slice(1);
  const lastDot = s.lastIndexOf('.');
  const lastComma = s.lastIndexOf(',');
  if (lastDot >= 0 && lastComma >= 0) {
    s = lastComma > lastDot ? s.replace(/\./g, '').replace(',', '.') : s.replace(/,/g, '');
  } else if (lastComma >= 0) {
    s = /^\d{1,3}(,\d{3})+$/.test(s) ? s.replace(/,/g, '') : s.replace(',', '.');
  } else if (lastDot >= 0 && /^\d{1,3}(\.\d{3}){2,}$/.test(s)) {
    s = s.replace(/\./g, '');
  }
  if (!/^\d{1,16}(\.\d{1,2})?$/.test(s)) return null;
  return neg ? `-${s}` : s;
}

function ymd(y: number, m: number, d: number): string | null {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

/** ISO dates (and ISO timestamps), YYYY/MM/DD, DD.MM.YYYY; US-style M/D/YYYY. Null when not a date. */
export function parseDate(raw: string): string | null {
  const s = raw.trim();
  let m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ].*)?$/.exec(s);
  if (m) return ymd(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(s);
  if (m) return ymd(Number(m[3]), Number(m[2]), Number(m[1]));
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
  if (m) return ymd(Number(m[3]), Number(m[1]), Number(m[2]));
  return null;
}

export function parseInteger(raw: string, min: number, max: number): number | null {
  const s = raw.trim().replace(/%$/, '');
  if (!/^-?\d{1,9}(\.0+)?$/.test(s)) return null;
  const n = Number.parseInt(s, 10);
  return n >= min && n <= max ? n : null;
}

/** Tags separated by ; , or |, in the CRM's stored form (lower case, unique). */
export function parseTags(raw: string): string[] {
  return normaliseTags(raw.split(/[;,|]/).filter((t) => t.trim().length > 0 && t.length <= 100)).slice(0, 50);
}

/** Plain text of a cell: trimmed, control characters removed, bounded. */
export function cleanText(raw: string, max = 1000): string {
  // eslint-disable-next-line no-control-regex
  return raw.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '').trim().slice(0, max);
}

/**
 * Validation of custom field values against their definitions. Values are
 * normalised (trimmed text, lower-case emails, money as numeric strings) so
 * that filters and sort indexes see one shape per type.
 */
import type { FieldError } from '@pillar/shared';
import type { DefinitionRow } from './custom-fields.queries.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,253}\.[^\s@]{1,63}$/;
const MONEY = /^-?\d{1,15}(\.\d{1,2})?$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

type Check = { ok: true; value: unknown } | { ok: false; message: string };
const ok = (value: unknown): Check => ({ ok: true, value });
const bad = (message: string): Check => ({ ok: false, message });

function checkText(v: unknown, max: number): Check {
  if (typeof v !== 'string') return bad('must be text');
  const s = v.trim();
  if (s.length > max) return bad(`must be at most ${max} characters`);
  if (CONTROL.test(s)) return bad('must not contain control characters');
  return ok(s);
}

function checkNumber(v: unknown): Check {
  const n = typeof v === 'string' && /^-?\d{1,15}(\.\d{1,6})?$/.test(v.trim()) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || Math.abs(n) >= 1e15) return bad('must be a number');
  return ok(n);
}

/** Money stays a decimal string ("1234.50"); it is never used in float arithmetic. */
function checkCurrency(v: unknown): Check {
  const s = typeof v === 'number' && Number.isFinite(v) ? String(v) : typeof v === 'string' ? v.trim() : null;
  if (s === null || !MONEY.test(s)) return bad('must be an amount such as "1234.50"');
  const [whole, frac = ''] = s.split('.');
  return ok(`${whole}.${frac.padEnd(2, '0')}`);
}

function checkDate(v: unknown): Check {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return bad('must be a date (YYYY-MM-DD)');
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v ? ok(v) : bad('must be a real date');
}

function checkUrl(v: unknown): Check {
  const t = checkText(v, 2000);
  if (!t.ok) return t;
  try {
    const u = new URL(t.value as string);
    return u.protocol === 'http:' || u.protocol === 'https:' ? ok(u.toString()) : bad('must be an http(s) URL');
  } catch {
    return bad('must be a URL');
  }
}

function checkSelect(def: DefinitionRow, v: unknown): Check {
  const values = new Set(def.options.map((o) => o.value));
  if (def.type === 'select') return typeof v === 'string' && values.has(v) ? ok(v) : bad(`must be one of: ${[...values].join(', ')}`);
  if (!Array.isArray(v) || v.length > 200) return bad('must be a list of options');
  const picked = [...new Set(v as unknown[])];
  for (const x of picked) if (typeof x !== 'string' || !values.has(x)) return bad(`${JSON.stringify(x)} is not an option`);
  return ok(picked);
}

export function checkValue(def: DefinitionRow, v: unknown): Check {
  switch (def.type) {
    case 'text': return checkText(v, 1000);
    case 'long_text': return checkText(v, 10_000);
    case 'number': return checkNumber(v);
    case 'currency': return checkCurrency(v);
    case 'date': return checkDate(v);
    case 'boolean': return typeof v === 'boolean' ? ok(v) : bad('must be true or false');
    case 'select':
    case 'multi_select': return checkSelect(def, v);
    case 'url': return checkUrl(v);
    case 'email': {
      const t = checkText(v, 254);
      return t.ok && EMAIL.test(t.value as string) ? ok((t.value as string).toLowerCase()) : bad('must be an email address');
    }
    case 'user': return typeof v === 'string' && UUID.test(v) ? ok(v.toLowerCase()) : bad('must be the id of a member');
  }
}

function isBlank(v: unknown): boolean {
  return v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
}

export interface CheckedValues {
  /** The values to store (merged over `existing` on update); blank values removed. */
  merged: Record<string, unknown>;
  errors: FieldError[];
  /** Member ids referenced by `user` fields, to be checked against the tenant. */
  userRefs: { key: string; id: string }[];
}

/**
 * `existing` null means a new record: every required field must be present.
 * On update only the keys sent are checked; a required field cannot be cleared.
 */
export function checkValues(
  defs: readonly DefinitionRow[], values: Record<string, unknown>, existing: Record<string, unknown> | null, path: string,
): CheckedValues {
  const byKey = new Map(defs.map((d) => [d.key, d]));
  const merged: Record<string, unknown> = { ...(existing ?? {}) };
  const errors: FieldError[] = [];
  const userRefs: { key: string; id: string }[] = [];
  for (const [key, raw] of Object.entries(values)) {
    const def = byKey.get(key);
    const at = `${path}.${key}`;
    if (!def) { errors.push({ path: at, message: 'unknown custom field' }); continue; }
    if (def.archived_at) { errors.push({ path: at, message: 'this custom field is archived' }); continue; }
    if (isBlank(raw)) {
      if (def.required) errors.push({ path: at, message: 'is required' });
      delete merged[key];
      continue;
    }
    const r = checkValue(def, raw);
    if (!r.ok) { errors.push({ path: at, message: r.message }); continue; }
    merged[key] = r.value;
    if (def.type === 'user') userRefs.push({ key, id: r.value as string });
  }
  if (existing === null) {
    for (const def of defs) {
      if (def.required && !def.archived_at && isBlank(merged[def.key]) && !(def.key in values)) {
        errors.push({ path: `${path}.${def.key}`, message: 'is required' });
      }
    }
  }
  return { merged, errors, userRefs };
}

/**
 * Custom field definitions (table custom_field_definitions) as this module
 * needs them: to compile filters, to add export columns and to validate a
 * value set by a bulk change or an import. The definitions are managed by the
 * custom-fields module; this is a read-only view of them.
 */
import type { RecordEntity } from '@pillar/shared';
import type { CustomFieldType } from '../../platform/db/list-sql.js';
import type { Tx } from '../../platform/db/tenant.js';

export interface CustomFieldDef {
  key: string;
  label: string;
  type: CustomFieldType;
  options: string[];
  required: boolean;
}

const SINGULAR: Record<RecordEntity, string> = { contacts: 'contact', companies: 'company', leads: 'lead', deals: 'deal' };

function optionValues(raw: unknown): string[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((o: unknown) => {
    if (typeof o === 'string') return [o];
    if (o && typeof o === 'object') {
      const v = (o as { value?: unknown; key?: unknown; label?: unknown }).value ?? (o as { key?: unknown }).key ?? (o as { label?: unknown }).label;
      return typeof v === 'string' ? [v] : [];
    }
    return [];
  });
}

export async function loadCustomFields(tx: Tx, entity: RecordEntity): Promise<CustomFieldDef[]> {
  const r = await tx.query<{ key: string; label: string; type: CustomFieldType; options: unknown; required: boolean }>(
    `SELECT key, label, type, options, required FROM custom_field_definitions
      WHERE entity = $1 AND archived_at IS NULL ORDER BY position, key`, [SINGULAR[entity]]);
  return r.rows.map((d) => ({ ...d, options: optionValues(d.options) }));
}

export type CustomCheck = { ok: true; value: unknown } | { ok: false; message: string };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function fromText(def: CustomFieldDef, s: string): unknown {
  switch (def.type) {
    case 'number':
    case 'currency':
      return /^-?\d{1,15}(\.\d{1,6})?$/.test(s.replace(/[\s,]/g, '')) ? s.replace(/[\s,]/g, '') : s;
    case 'boolean': {
      const v = s.toLowerCase();
      if (['true', 'yes', 'y', '1'].includes(v)) return true;
      if (['false', 'no', 'n', '0'].includes(v)) return false;
      return s;
    }
    case 'multi_select':
      return s.split(/[;|]/).map((x) => x.trim()).filter(Boolean);
    default:
      return s;
  }
}

function matchOption(def: CustomFieldDef, v: string): string | null {
  return def.options.find((o) => o.toLowerCase() === v.toLowerCase()) ?? null;
}

/**
 * Checks (and normalises) one value for a custom field. `fromCsv` accepts the
 * text forms a spreadsheet holds ("yes", "1,250.00", "a; b"). Numbers are kept
 * as numeric strings or JSON numbers, never computed on.
 */
export function checkCustomValue(def: CustomFieldDef, input: unknown, fromCsv = false): CustomCheck {
  if (input === null || input === undefined || input === '') return { ok: true, value: null };
  const value = fromCsv && typeof input === 'string' ? fromText(def, input.trim()) : input;
  const bad = (message: string): CustomCheck => ({ ok: false, message: `${def.key}: ${message}` });
  switch (def.type) {
    case 'text':
    case 'long_text':
      return typeof value === 'string' && value.length <= (def.type === 'text' ? 1000 : 20_000) ? { ok: true, value } : bad('must be text');
    case 'number':
    case 'currency':
      if (typeof value === 'number' && Number.isFinite(value)) return { ok: true, value };
      return typeof value === 'string' && /^-?\d{1,15}(\.\d{1,6})?$/.test(value) ? { ok: true, value: Number(value) } : bad('must be a number');
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)) ? { ok: true, value } : bad('must be a date (YYYY-MM-DD)');
    case 'boolean':
      return typeof value === 'boolean' ? { ok: true, value } : bad('must be true or false');
    case 'select': {
      const m = typeof value === 'string' ? matchOption(def, value) : null;
      return m !== null ? { ok: true, value: m } : bad(`must be one of ${def.options.join(', ')}`);
    }
    case 'multi_select': {
      if (!Array.isArray(value)) return bad('must be a list');
      const out = value.map((v) => (typeof v === 'string' ? matchOption(def, v) : null));
      return out.every((v) => v !== null) ? { ok: true, value: out } : bad(`values must be among ${def.options.join(', ')}`);
    }
    case 'url':
      return typeof value === 'string' && /^https?:\/\/\S+$/i.test(value) && value.length <= 2000 ? { ok: true, value } : bad('must be an http(s) URL');
    case 'email':
      return typeof value === 'string' && EMAIL.test(value.trim()) ? { ok: true, value: value.trim().toLowerCase() } : bad('must be an email address');
    case 'user':
      return typeof value === 'string' && UUID.test(value) ? { ok: true, value: value.toLowerCase() } : bad('must be a user id');
  }
}

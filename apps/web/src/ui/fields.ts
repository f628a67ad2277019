/** Field descriptions that drive tables, the filter builder, forms and record pages for every record type. */
import type { FilterOperator } from '@pillar/shared';

export type FieldKind = 'text' | 'long_text' | 'email' | 'url' | 'number' | 'money' | 'date' | 'datetime' | 'boolean' | 'select' | 'multi_select' | 'tags' | 'user' | 'ref';

export interface FieldDef {
  /** API field name; custom fields are `custom.<key>`. */
  id: string;
  label: string;
  kind: FieldKind;
  options?: readonly { value: string; label: string }[];
  sortable?: boolean;
  filterable?: boolean;
  editable?: boolean;
  custom?: boolean;
}

export const operatorsFor: Record<FieldKind, FilterOperator[]> = {
  text: ['contains', 'eq', 'neq', 'starts_with', 'is_empty', 'is_not_empty'],
  long_text: ['contains', 'is_empty', 'is_not_empty'],
  email: ['eq', 'contains', 'is_empty', 'is_not_empty'],
  url: ['contains', 'is_empty', 'is_not_empty'],
  number: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'is_empty', 'is_not_empty'],
  money: ['eq', 'gt', 'gte', 'lt', 'lte'],
  date: ['eq', 'gt', 'lt', 'gte', 'lte', 'is_empty', 'is_not_empty'],
  datetime: ['gt', 'lt', 'is_empty', 'is_not_empty'],
  boolean: ['eq'],
  select: ['eq', 'neq', 'in', 'not_in', 'is_empty', 'is_not_empty'],
  multi_select: ['has_any', 'has_all', 'is_empty', 'is_not_empty'],
  tags: ['has_any', 'has_all', 'is_empty', 'is_not_empty'],
  user: ['eq', 'neq', 'is_empty', 'is_not_empty'],
  ref: ['eq', 'is_empty', 'is_not_empty'],
};

export const operatorLabels: Record<FilterOperator, string> = {
  eq: 'is', neq: 'is not', lt: 'is before / less than', lte: 'is at most', gt: 'is after / more than', gte: 'is at least', between: 'is between',
  contains: 'contains', starts_with: 'starts with', in: 'is any of', not_in: 'is none of', is_empty: 'is empty', is_not_empty: 'is not empty',
  has_any: 'has any of', has_all: 'has all of',
};

export function isValueless(op: FilterOperator): boolean {
  return op === 'is_empty' || op === 'is_not_empty';
}

export function isListOp(op: FilterOperator): boolean {
  return op === 'in' || op === 'not_in' || op === 'has_any' || op === 'has_all';
}

/** Reads a (possibly `custom.`-prefixed) field's value from a record. */
export function readField(row: Record<string, unknown>, id: string): unknown {
  if (id.startsWith('custom.')) return (row.custom as Record<string, unknown> | undefined)?.[id.slice(7)];
  return row[id];
}

/** A body that sets one field, nesting custom values under `custom`. */
export function patchFor(id: string, value: unknown): Record<string, unknown> {
  if (id.startsWith('custom.')) return { custom: { [id.slice(7)]: value } };
  return { [id]: value };
}

/** Converts an input's string to the API value of the field's kind ('' clears). */
export function parseInput(kind: FieldKind, raw: string): unknown {
  const s = raw.trim();
  if (s === '') return null;
  if (kind === 'number' || kind === 'money') return kind === 'money' ? s : Number(s);
  if (kind === 'boolean') return s === 'true';
  if (kind === 'tags' || kind === 'multi_select') return s.split(',').map((t) => t.trim()).filter(Boolean);
  return s;
}

export function displayValue(kind: FieldKind, value: unknown, options?: FieldDef['options']): string {
  if (value === null || value === undefined || value === '') return '';
  if (Array.isArray(value)) return value.map(String).join(', ');
  if (kind === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'object') return JSON.stringify(value);
  const text = asText(value);
  if (kind === 'select') return options?.find((o) => o.value === value)?.label ?? text;
  return text;
}

/** Any API value as display text (arrays comma-separated). */
export function asText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return `${v}`;
  if (Array.isArray(v)) return v.map(asText).join(', ');
  return JSON.stringify(v);
}

/**
 * Compiles list filters and sorts (packages/shared filters.ts) into
 * parameterised SQL over a whitelist of fields. Nothing the client sends is
 * ever spliced into SQL: field names map to fixed expressions, values become
 * parameters, and every value is checked against the field's type first.
 */
import type { FilterCondition, FilterNode, FilterOperator } from '@pillar/shared';
import { AppError } from '../errors.js';

export type FieldType = 'text' | 'number' | 'date' | 'timestamp' | 'boolean' | 'uuid' | 'enum' | 'tags' | 'json_array';

export interface FieldSpec {
  /** SQL expression over the row, e.g. `c.email` or `(c.custom->>'tier')`. */
  sql: string;
  type: FieldType;
  /** Allowed values of an enum. */
  values?: readonly string[];
  nullable?: boolean;
  sortable?: boolean;
  /** Text compared exactly (already normalised, e.g. emails); default is case-insensitive. */
  exact?: boolean;
}

export type FieldMap = Record<string, FieldSpec>;

export type CustomFieldType =
  | 'text' | 'long_text' | 'number' | 'currency' | 'date' | 'boolean' | 'select' | 'multi_select' | 'url' | 'email' | 'user';

/** Field specs for `custom.<key>` of each definition, over the jsonb column `column`. */
export function customFieldSpecs(defs: readonly { key: string; type: CustomFieldType }[], column: string): FieldMap {
  const map: FieldMap = {};
  for (const d of defs) {
    if (!/^[a-z][a-z0-9_]{0,62}$/.test(d.key)) continue;
    map[`custom.${d.key}`] = customFieldSpec(column, d.key, d.type);
  }
  return map;
}

export function customFieldSpec(column: string, key: string, type: CustomFieldType): FieldSpec {
  const text = `(${column}->>'${key}')`;
  switch (type) {
    case 'number':
    case 'currency':
      return { sql: `(${text}::numeric)`, type: 'number', nullable: true, sortable: true };
    case 'date':
      return { sql: `(${text}::date)`, type: 'date', nullable: true, sortable: true };
    case 'boolean':
      return { sql: `(${text}::boolean)`, type: 'boolean', nullable: true, sortable: true };
    case 'multi_select':
      return { sql: `(${column}->'${key}')`, type: 'json_array', nullable: true };
    case 'user':
      return { sql: text, type: 'text', nullable: true, sortable: true, exact: true };
    default:
      return { sql: text, type: 'text', nullable: true, sortable: true };
  }
}

/** Collects positional parameters ($1, $2, …). */
export class SqlParams {
  readonly values: unknown[];
  constructor(initial: unknown[] = []) {
    this.values = [...initial];
  }
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

const CAST: Record<FieldType, string> = {
  text: 'text', enum: 'text', number: 'numeric', date: 'date', timestamp: 'timestamptz', boolean: 'boolean',
  uuid: 'uuid', tags: 'text', json_array: 'text',
};

const OPS: Record<FieldType, readonly FilterOperator[]> = {
  text: ['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'between', 'contains', 'starts_with', 'in', 'not_in', 'is_empty', 'is_not_empty'],
  enum: ['eq', 'neq', 'in', 'not_in', 'is_empty', 'is_not_empty'],
  number: ['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'between', 'in', 'not_in', 'is_empty', 'is_not_empty'],
  date: ['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'between', 'is_empty', 'is_not_empty'],
  timestamp: ['lt', 'lte', 'gt', 'gte', 'between', 'is_empty', 'is_not_empty'],
  boolean: ['eq', 'neq', 'is_empty', 'is_not_empty'],
  uuid: ['eq', 'neq', 'in', 'not_in', 'is_empty', 'is_not_empty'],
  tags: ['has_any', 'has_all', 'is_empty', 'is_not_empty'],
  json_array: ['has_any', 'has_all', 'is_empty', 'is_not_empty'],
};

function invalid(message: string): AppError {
  return new AppError('validation_failed', { message, errors: [{ path: 'query.filter', message }] });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function checkScalar(field: string, spec: FieldSpec, v: unknown): unknown {
  const bad = () => invalid(`${field}: ${JSON.stringify(v)} is not a valid ${spec.type}`);
  switch (spec.type) {
    case 'number':
      if (typeof v === 'number' && Number.isFinite(v)) return String(v);
      if (typeof v === 'string' && /^-?\d{1,18}(\.\d{1,6})?$/.test(v)) return v;
      throw bad();
    case 'date':
      if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v))) return v;
      throw bad();
    case 'timestamp':
      if (typeof v === 'string' && v.length <= 40 && !Number.isNaN(Date.parse(v))) return new Date(v).toISOString();
      throw bad();
    case 'boolean':
      if (typeof v === 'boolean') return v;
      throw bad();
    case 'uuid':
      if (typeof v === 'string' && UUID.test(v)) return v.toLowerCase();
      throw bad();
    case 'enum':
      if (typeof v === 'string' && spec.values?.includes(v)) return v;
      throw invalid(`${field}: must be one of ${spec.values?.join(', ')}`);
    default:
      if (typeof v === 'string') return v;
      if (typeof v === 'number' && Number.isFinite(v)) return String(v);
      throw bad();
  }
}

function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function list(field: string, value: unknown, min = 1): unknown[] {
  if (!Array.isArray(value) || value.length < min) throw invalid(`${field}: expected a list of values`);
  return value;
}

function isTextual(spec: FieldSpec) {
  return (spec.type === 'text' || spec.type === 'enum') && !spec.exact;
}

function compileCondition(c: FilterCondition, fields: FieldMap, p: SqlParams): string {
  const spec = fields[c.field];
  if (!spec) throw invalid(`unknown field "${c.field}"`);
  if (!OPS[spec.type].includes(c.op)) throw invalid(`${c.field}: operator ${c.op} does not apply to ${spec.type} fields`);
  const cast = CAST[spec.type];
  const ci = isTextual(spec) && spec.type === 'text';
  const col = ci ? `lower(${spec.sql})` : spec.sql;
  const one = () => {
    const v = checkScalar(c.field, spec, c.value);
    return ci ? `lower(${p.add(v)}::text)` : `${p.add(v)}::${cast}`;
  };
  switch (c.op) {
    case 'eq': return `${col} = ${one()}`;
    case 'neq': return `${col} IS DISTINCT FROM ${one()}`;
    case 'lt': return `${col} < ${one()}`;
    case 'lte': return `${col} <= ${one()}`;
    case 'gt': return `${col} > ${one()}`;
    case 'gte': return `${col} >= ${one()}`;
    case 'between': {
      const [lo, hi] = list(c.field, c.value, 2).map((v) => checkScalar(c.field, spec, v));
      return `${col} BETWEEN ${p.add(lo)}::${cast} AND ${p.add(hi)}::${cast}`;
    }
    case 'contains':
    case 'starts_with': {
      const v = checkScalar(c.field, spec, c.value) as string;
      const pattern = c.op === 'contains' ? `%${likeEscape(v)}%` : `${likeEscape(v)}%`;
      return `${spec.sql} ILIKE ${p.add(pattern)}`;
    }
    case 'in':
    case 'not_in': {
      const vs = list(c.field, c.value).map((v) => checkScalar(c.field, spec, v));
      const arr = p.add(ci ? vs.map((v) => String(v).toLowerCase()) : vs);
      return c.op === 'in' ? `${col} = ANY(${arr}::${cast}[])` : `NOT (${col} = ANY(${arr}::${cast}[])) OR ${spec.sql} IS NULL`;
    }
    case 'is_empty':
    case 'is_not_empty': {
      const empty =
        spec.type === 'tags' ? `cardinality(${spec.sql}) = 0`
        : spec.type === 'json_array' ? `coalesce(jsonb_array_length(${spec.sql}), 0) = 0`
        : spec.type === 'text' ? `coalesce(${spec.sql}, '') = ''`
        : `${spec.sql} IS NULL`;
      return c.op === 'is_empty' ? empty : `NOT (${empty})`;
    }
    case 'has_any':
    case 'has_all': {
      const vs = list(c.field, c.value).map((v) => {
        if (typeof v !== 'string') throw invalid(`${c.field}: values must be strings`);
        return v;
      });
      const arr = p.add(vs);
      if (spec.type === 'tags') return c.op === 'has_any' ? `${spec.sql} && ${arr}::text[]` : `${spec.sql} @> ${arr}::text[]`;
      return c.op === 'has_any' ? `${spec.sql} ?| ${arr}::text[]` : `${spec.sql} ?& ${arr}::text[]`;
    }
  }
}

/** SQL boolean expression for a filter tree. */
export function compileFilter(node: FilterNode, fields: FieldMap, p: SqlParams): string {
  if ('field' in node) return `(${compileCondition(node, fields, p)})`;
  const [joiner, children] = 'and' in node ? [' AND ', node.and] : [' OR ', node.or];
  return `(${children.map((child) => compileFilter(child, fields, p)).join(joiner)})`;
}

export interface CompiledSort {
  /** Never-NULL key expression (so keyset comparison works). */
  key: string;
  cast: string;
  desc: boolean;
  field: string;
}

/** Resolves `sort` (`field` or `-field`) against sortable fields; unknown → 400. */
export function compileSort(sort: string | undefined, fields: FieldMap, fallback: string): CompiledSort {
  const raw = sort ?? fallback;
  const desc = raw.startsWith('-');
  const field = desc ? raw.slice(1) : raw;
  const spec = fields[field];
  if (!spec || spec.sortable === false || ['tags', 'json_array'].includes(spec.type)) {
    throw new AppError('validation_failed', { message: `cannot sort by "${field}"`, errors: [{ path: 'query.sort', message: 'not sortable' }] });
  }
  return { key: sortKey(spec), cast: CAST[spec.type], desc, field };
}

/** The key expression of a field's sort; expression indexes must use exactly this text. */
export function sortKey(spec: FieldSpec): string {
  const base = isTextual(spec) && spec.type === 'text' ? `lower(${spec.sql})` : spec.sql;
  if (!spec.nullable) return base;
  const empty: Partial<Record<FieldType, string>> = {
    text: `''`, enum: `''`, number: `'-Infinity'::numeric`, date: `'-infinity'::date`, timestamp: `'-infinity'::timestamptz`,
    boolean: 'false', uuid: `'00000000-0000-0000-0000-000000000000'::uuid`,
  };
  return `coalesce(${base}, ${empty[spec.type] ?? `''`})`;
}

/** ORDER BY clause and keyset predicate for a page after `cursor` ([key, id]). */
export function keyset(sort: CompiledSort, idColumn: string, cursor: [unknown, unknown] | null, p: SqlParams) {
  const dir = sort.desc ? 'DESC' : 'ASC';
  const orderBy = `${sort.key} ${dir}, ${idColumn} ${dir}`;
  if (!cursor) return { orderBy, after: null };
  const cmp = sort.desc ? '<' : '>';
  const after = `(${sort.key}, ${idColumn}) ${cmp} (${p.add(cursor[0])}::${sort.cast}, ${p.add(cursor[1])}::uuid)`;
  return { orderBy, after };
}

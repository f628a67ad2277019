/**
 * The attack surface as data: every /api/v1 route from the live route table,
 * joined with its request schemas from the generated OpenAPI document, and a
 * small JSON-Schema sample generator that builds minimal valid values.
 * New modules are covered as soon as they register routes.
 */
import fc from 'fast-check';
import type { RouteInfo } from '../../../src/platform/auth/authenticate.js';

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  additionalProperties?: boolean | JsonSchema;
};

export interface Param {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: JsonSchema;
}

export interface Operation {
  /** `POST /api/v1/contacts/:id` — the key used in overrides and skip lists. */
  key: string;
  method: string;
  /** Fastify form, `/api/v1/contacts/:id`. */
  url: string;
  permission: string | null;
  pathParams: Param[];
  queryParams: Param[];
  body: JsonSchema | null;
  /** Body content types the route accepts (JSON unless the route says otherwise). */
  contentTypes: string[];
  /** A long-lived response (server-sent events): probed with a short read, never awaited to the end. */
  streaming: boolean;
}

export interface OpenApiDoc {
  paths: Record<string, Record<string, {
    parameters?: Param[];
    requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
    responses?: Record<string, { content?: Record<string, unknown> }>;
  }>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

export function toOpenApiPath(url: string): string {
  return url.replace(/:(\w+)/g, '{$1}');
}

export function operations(routes: RouteInfo[], doc: OpenApiDoc): Operation[] {
  return routes.map((r) => {
    const op = doc.paths[toOpenApiPath(r.url)]?.[r.method.toLowerCase()];
    const params = op?.parameters ?? [];
    const content = op?.requestBody?.content ?? {};
    const pathNames = [...r.url.matchAll(/:(\w+)/g)].map((m) => m[1]!);
    const pathParams = pathNames.map((name) => params.find((p) => p.in === 'path' && p.name === name) ?? { name, in: 'path' as const, required: true, schema: { type: 'string' } });
    return {
      key: `${r.method} ${r.url}`,
      method: r.method,
      url: r.url,
      permission: r.permission,
      pathParams,
      queryParams: params.filter((p) => p.in === 'query'),
      body: content['application/json']?.schema ?? Object.values(content)[0]?.schema ?? null,
      contentTypes: Object.keys(content).length ? Object.keys(content) : ['application/json'],
      streaming: r.method === 'GET' && (/\/(stream|sse)$/.test(r.url) || Object.values(op?.responses ?? {}).some((x) => 'text/event-stream' in (x.content ?? {}))),
    };
  });
}

export class Schemas {
  constructor(private readonly doc: OpenApiDoc) {}

  /** Follows $ref and merges allOf so callers see one plain schema. */
  resolve(s: JsonSchema | undefined, depth = 0): JsonSchema {
    if (!s || depth > 20) return {};
    if (s.$ref) {
      const name = s.$ref.split('/').pop()!;
      return this.resolve(this.doc.components?.schemas?.[name], depth + 1);
    }
    if (s.allOf?.length) {
      const parts = s.allOf.map((p) => this.resolve(p, depth + 1));
      return {
        ...Object.assign({}, ...parts),
        properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})),
        required: parts.flatMap((p) => p.required ?? []),
      };
    }
    return s;
  }

  /** The non-null alternatives of a union (or the schema itself). */
  variants(s: JsonSchema): JsonSchema[] {
    const r = this.resolve(s);
    const alts = r.anyOf ?? r.oneOf;
    if (!alts) return [r];
    return alts.map((a) => this.resolve(a)).filter((a) => a.type !== 'null');
  }

  typeOf(s: JsonSchema): string | undefined {
    const r = this.variants(s)[0] ?? {};
    const t = Array.isArray(r.type) ? r.type.find((x) => x !== 'null') : r.type;
    if (t) return t;
    if (r.properties) return 'object';
    return undefined;
  }
}

export interface SampleOptions {
  /** A value for a property (e.g. a real id for `company_id`); undefined = generate. */
  valueFor?: (name: string, schema: JsonSchema) => unknown;
  /** Include optional properties too (used to exercise every field). */
  allProperties?: boolean;
  /** Text put into free-text strings so a later leak is recognisable. */
  marker?: string;
}

let counter = 0;

function sampleString(s: JsonSchema, name: string, opts: SampleOptions): string {
  counter += 1;
  if (s.format === 'email' || /email/.test(name)) return `sample-${counter}-${Math.random().toString(36).slice(2, 8)}@example.test`;
  if (s.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
  // Range ends come after range starts.
  const late = /^(to|until|end|ends?_at|end_date|before|due|due_date|close_date)$/.test(name);
  // Random days keep samples apart where a date is part of a unique key.
  const day = new Date(Date.UTC(2026, 0, 1) + (Math.floor(Math.random() * 3000) + (late ? 4000 : 0)) * 86_400_000).toISOString();
  if (s.format === 'date') return day.slice(0, 10);
  if (s.format === 'date-time') return day;
  if (s.format === 'uri' || s.format === 'url' || /url$/.test(name)) return 'http://127.0.0.1:9/hook';
  // Not the default base currency (EUR), which has no exchange rate of its own.
  if (/currency/.test(name)) return name === 'base_currency' ? 'EUR' : 'CHF';
  if (/timezone/.test(name)) return 'Europe/Paris';
  if (s.pattern) {
    try {
      const seed = Math.floor(Math.random() * 2 ** 31);
      const candidates = fc.sample(fc.stringMatching(new RegExp(s.pattern), { size: 'small' }).filter((x) => x.length >= (s.minLength ?? 0) && x.length <= (s.maxLength ?? 1e9)), { numRuns: 8, seed });
      const v = candidates.sort((a, b) => b.length - a.length)[0];
      if (v !== undefined) return v;
    } catch {
      // an ECMAScript-incompatible pattern: fall through to plain text
    }
  }
  const base = `${opts.marker ?? 'sample'} ${name || 'text'} ${counter}`;
  const min = s.minLength ?? 0;
  const max = s.maxLength ?? 200;
  return base.padEnd(min, 'x').slice(0, Math.max(min, Math.min(max, base.length)));
}

function sampleNumber(s: JsonSchema, integer: boolean): number {
  let lo = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + (integer ? 1 : 0.5) : 1);
  const hi = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - (integer ? 1 : 0.5) : lo + 10);
  if (lo > hi) lo = hi;
  return integer ? Math.ceil(lo) : lo;
}

/** A minimal value that validates against `schema`. */
export function sample(schemas: Schemas, schema: JsonSchema, opts: SampleOptions = {}, name = '', depth = 0): unknown {
  const s = schemas.variants(schema)[0] ?? {};
  if (s.const !== undefined) return s.const;
  if (s.enum?.length) {
    const values = s.enum.filter((v) => v !== null);
    // The least privileged role keeps samples within what any role may grant.
    return name === 'role' ? values[values.length - 1] : values[0];
  }
  if (s.default !== undefined && !opts.allProperties) return s.default;
  switch (schemas.typeOf(s)) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const required = new Set(s.required ?? []);
      for (const [key, prop] of Object.entries(s.properties ?? {})) {
        if (!required.has(key) && !(opts.allProperties && depth < 3)) continue;
        const given = opts.valueFor?.(key, schemas.resolve(prop));
        if (typeof given === 'symbol') {
          // A reference the caller cannot fill: required ones still get a well-formed value.
          if (required.has(key)) out[key] = sample(schemas, prop, opts, key, depth + 1);
          continue;
        }
        out[key] = given !== undefined ? given : sample(schemas, prop, opts, key, depth + 1);
      }
      return out;
    }
    case 'array': {
      const n = Math.max(s.minItems ?? 0, opts.allProperties ? 1 : 0);
      return Array.from({ length: n }, () => sample(schemas, s.items ?? {}, opts, name, depth + 1));
    }
    case 'string':
      return sampleString(s, name, opts);
    case 'integer':
      return sampleNumber(s, true);
    case 'number':
      return sampleNumber(s, false);
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return opts.allProperties ? sampleString({}, name, opts) : null;
  }
}

/** Every string-typed leaf path of a schema (for injecting payloads into each text field). */
export function stringFields(schemas: Schemas, schema: JsonSchema, prefix: string[] = [], depth = 0): { path: string[]; schema: JsonSchema }[] {
  const s = schemas.variants(schema)[0] ?? {};
  if (depth > 4) return [];
  const t = schemas.typeOf(s);
  if (t === 'string' && !s.enum && !s.format) return [{ path: prefix, schema: s }];
  if (t === 'object') {
    return Object.entries(s.properties ?? {}).flatMap(([k, p]) => stringFields(schemas, p, [...prefix, k], depth + 1));
  }
  if (t === 'array' && s.items) return stringFields(schemas, s.items, [...prefix, '0'], depth + 1);
  return [];
}

export function setPath(target: unknown, path: string[], value: unknown): unknown {
  if (!path.length) return value;
  const [head, ...rest] = path;
  const isIndex = /^\d+$/.test(head!);
  const base: Record<string, unknown> | unknown[] = Array.isArray(target) ? [...(target as unknown[])] : target && typeof target === 'object' ? { ...(target as Record<string, unknown>) } : isIndex ? [] : {};
  const current = (base as Record<string, unknown>)[head!];
  (base as Record<string, unknown>)[head!] = setPath(current, rest, value);
  return base;
}

export function fillUrl(url: string, values: Record<string, string>): string {
  return url.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(values[name] ?? 'missing'));
}

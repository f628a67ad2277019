/**
 * Creates real records in a tenant for any kind the API can create, found
 * generically: the kind `contact` is made by the POST route of the `contacts`
 * collection with a minimal body built from its JSON schema; references in
 * that body (`company_id`, …) are created first, recursively. Per-route
 * overrides cover what a schema cannot say.
 */
import type { LightMyRequestResponse } from 'fastify';
import { withSystem } from '../../../src/platform/db/system.js';
import { addMember } from '../../factories.js';
import type { Harness, Tenant } from './harness.js';
import { fillUrl, sample, type JsonSchema, type Operation } from './openapi.js';

/** Body overrides for routes whose minimal body cannot be inferred from the schema. */
export const BODY_OVERRIDES: Record<string, (ids: Record<string, string>, tenant: Tenant) => unknown> = {
  // Public sign-in needs real credentials for the tenant_id in it to mean anything.
  'POST /api/v1/auth/sign-in': (_ids, tenant) => ({ email: tenant.owner.email, password: tenant.owner.password }),
  // "a name or an email", and "email or emails": refinements a JSON schema cannot carry.
  'POST /api/v1/contacts': (_ids, tenant) => ({ first_name: `${tenant.marker} First`, last_name: 'Person' }),
  'PATCH /api/v1/contacts/:id': (_ids, tenant) => ({ first_name: `${tenant.marker} Renamed` }),
  // Domain and URL formats are refinements too.
  'PATCH /api/v1/companies/:id': (_ids, tenant) => ({ name: `${tenant.marker} Company` }),
  'PATCH /api/v1/views/:id': (_ids, tenant) => ({ name: `${tenant.marker} View` }),
  // Exactly one trigger.
  'POST /api/v1/lead-scoring-rules': (_ids, tenant) => ({ name: `${tenant.marker} Rule`, points: 5, activity_type: 'call' }),
  // Options only fit some field types.
  'PATCH /api/v1/custom-fields/:id': (_ids, tenant) => ({ label: `${tenant.marker} Field` }),
};

/** Property names that point at a record of the route's own kind. */
const SELF_REFERENCES = /^(parent|other|merged|into|target|duplicate|before|after|source)_?ids?$/;

/** Marks a reference property that names nothing we can make: left out of the body rather than faked. */
export const OMIT = Symbol('omit');

/** Values for properties whose rules live in refinements the JSON schema cannot show. */
export const PROPERTY_HINTS: Record<string, unknown> = {
  // Keep the firm's base currency; rates are for other currencies.
  base_currency: 'EUR',
  currency: 'CHF',
  event_types: ['*'],
};

/** Kinds the system makes (not a POST to a collection): how to get one in a tenant. */
export const KIND_CREATORS: Record<string, (r: Records) => Promise<string | undefined>> = {
  // A webhook delivery: ping a subscription.
  delivery: async (r) => {
    const sub = await r.get('subscription');
    if (!sub) return undefined;
    return responseId(await r.h.request({ method: 'POST', url: `/api/v1/webhooks/subscriptions/${sub}/ping`, headers: r.tenant.owner.headers }));
  },
  // A CSV import: the file is the body.
  import: async (r) => responseId(await r.h.request({
    method: 'POST', url: '/api/v1/imports?entity=contacts', headers: { ...r.tenant.owner.headers, 'content-type': 'text/csv' },
    payload: `first_name,last_name,email\nImported,${r.tenant.marker},imp-${Math.random().toString(36).slice(2, 8)}@example.test\n`,
  })),
  // An outbox event: any change makes one.
  event: async (r) => {
    await r.h.request({ method: 'PATCH', url: '/api/v1/tenant', headers: r.tenant.owner.headers, payload: { timezone: 'Europe/Paris' } });
    const row = await withSystem(r.h.t.db, (tx) => tx.query<{ id: string }>('SELECT id FROM events WHERE tenant_id = $1 ORDER BY id DESC LIMIT 1', [r.tenant.id]));
    return row.rows[0]?.id;
  },
};

/** Kinds whose records are not made by a POST to their collection. */
const USER_KINDS = new Set(['user', 'owner', 'assignee', 'author', 'member', 'created_by', 'updated_by', 'actor']);

export function plural(kind: string): string {
  const k = kind.replaceAll('_', '-');
  if (k.endsWith('y') && !/[aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  if (/(s|x|ch|sh)$/.test(k)) return `${k}es`;
  return `${k}s`;
}

export function singular(segment: string): string {
  const s = segment.replaceAll('-', '_');
  if (s.endsWith('ies')) return `${s.slice(0, -3)}y`;
  if (/(ses|xes|ches|shes)$/.test(s)) return s.slice(0, -2);
  return s.endsWith('s') ? s.slice(0, -1) : s;
}

/** `company_id` → ['company'], `primary_contact_id` → ['primary_contact', 'contact'], `stageId` → ['stage']. */
export function kindsOfName(name: string): string[] {
  const snake = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  const m = /^(.*?)_?ids?$/.exec(snake);
  if (!m?.[1]) return [];
  const full = m[1];
  const last = full.split('_').pop()!;
  return [...new Set([full, last])];
}

/** The kind a path parameter names: `:id` after `/contacts` is a contact; `:stageId` is a stage. */
export function kindOfPathParam(url: string, param: string): string[] {
  if (param !== 'id') return kindsOfName(param);
  const segments = url.split('/');
  const at = segments.indexOf(`:${param}`);
  const prev = segments[at - 1];
  return prev && !prev.startsWith(':') ? [singular(prev)] : [];
}

export function isIdName(name: string): boolean {
  return /(^id$|_id$|Id$|_ids$|Ids$)/.test(name);
}

export function responseId(res: LightMyRequestResponse): string | undefined {
  try {
    const body = res.json<Record<string, unknown>>();
    const data = body.data as Record<string, unknown> | undefined;
    const id = body.id ?? data?.id ?? body.user_id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

/** The kind a route acts on: `/contacts/:id/merge` → contact, `/companies` → company. */
export function resourceKind(url: string): string | undefined {
  const segments = url.split('/').filter((x) => x && !x.startsWith(':') && x !== 'api' && x !== 'v1');
  const idAt = url.split('/').indexOf(':id');
  const beforeId = idAt > 0 ? url.split('/')[idAt - 1] : undefined;
  const seg = beforeId && !beforeId.startsWith(':') ? beforeId : segments[segments.length - 1];
  return seg ? singular(seg) : undefined;
}

export class Records {
  private readonly cache = new Map<string, Promise<string | undefined>>();
  readonly failures: string[] = [];

  constructor(
    readonly h: Harness,
    readonly tenant: Tenant,
  ) {}

  /** The POST route that creates `kind`, preferring the one with fewest path parameters. */
  creator(kind: string): Operation | undefined {
    const seg = plural(kind);
    return this.h.ops
      .filter((o) => o.method === 'POST' && o.url.split('/').pop() === seg)
      .sort((a, b) => a.pathParams.length - b.pathParams.length)[0];
  }

  canCreate(kind: string): boolean {
    return USER_KINDS.has(kind) || kind === 'tenant' || kind in KIND_CREATORS || this.creator(kind) !== undefined;
  }

  /** A cached record of `kind` (reads and cross-tenant probes reuse it). */
  get(kind: string): Promise<string | undefined> {
    let p = this.cache.get(kind);
    if (!p) {
      p = this.create(kind);
      this.cache.set(kind, p);
    }
    return p;
  }

  /** The kinds a property or parameter may name; `parent_id`/`other_id` fall back to the route's own kind. */
  kindsFor(name: string, selfKind?: string, url?: string): string[] {
    const kinds = kindsOfName(name).filter((k) => this.canCreate(k));
    if (kinds.length) return kinds;
    // `rule_ids` on /lead-assignment-rules/order names a lead_assignment_rule.
    const fromUrl = (url ?? '').split('/').filter((x) => x && !x.startsWith(':')).map(singular)
      .filter((k) => kindsOfName(name).some((n) => k.endsWith(`_${n}`)) && this.canCreate(k));
    if (fromUrl.length) return fromUrl;
    return selfKind && SELF_REFERENCES.test(name) && this.canCreate(selfKind) ? [selfKind] : [];
  }

  /** A value for a property or parameter that names another record, or undefined when it names none we can make. */
  async refFor(name: string, selfKind?: string, fresh = false, url?: string): Promise<string | undefined> {
    const [kind] = this.kindsFor(name, selfKind, url);
    if (!kind) return undefined;
    // A reference to the route's own kind (parent_id, other_id of a merge) may be consumed: always fresh.
    return fresh || (kind === selfKind && !kindsOfName(name).includes(kind)) ? this.create(kind) : this.get(kind);
  }

  /** Whether every id-like path parameter of `op` can be given a real record. */
  resolvable(op: Operation): boolean {
    let entityKind: string | undefined;
    for (const p of op.pathParams) {
      const s = this.h.schemas.resolve(p.schema);
      if (s.enum?.length) {
        entityKind = s.enum.map(String).map(singular).find((k) => this.canCreate(k));
        continue;
      }
      const kinds = p.name === 'id' && entityKind ? [entityKind] : kindOfPathParam(op.url, p.name);
      const idLike = s.format === 'uuid' || kinds.length > 0;
      if (idLike && !kinds.some((k) => this.canCreate(k))) return false;
    }
    return true;
  }

  /** A fresh record of `kind` in this tenant, or undefined when the API offers no way to make one. */
  async create(kind: string): Promise<string | undefined> {
    if (kind === 'tenant') return this.tenant.id;
    if (USER_KINDS.has(kind)) return (await addMember(this.h.t.server, this.tenant.owner, 'member')).userId;
    const special = KIND_CREATORS[kind];
    if (special) return special(this);
    const op = this.creator(kind);
    if (!op) return undefined;
    const params = await this.pathValues(op, false);
    let last: LightMyRequestResponse | undefined;
    // Minimal body first; then every property (refinements such as "a name or an email"); then fresh samples (unique keys).
    for (const allProperties of [false, true, true]) {
      last = await this.h.request({
        method: 'POST', url: fillUrl(op.url, params), headers: this.tenant.owner.headers, payload: await this.body(op, params, { allProperties }) as object,
      });
      const id = responseId(last);
      if (last.statusCode < 300 && id) return id;
    }
    this.failures.push(`${op.key} → ${last!.statusCode} ${last!.body.slice(0, 300)}`);
    return undefined;
  }

  /** Values for every path parameter: real ids for id-like ones, creatable enum values, schema samples otherwise. */
  async pathValues(op: Operation, fresh: boolean): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    let entityKind: string | undefined;
    for (const p of op.pathParams) {
      const s = this.h.schemas.resolve(p.schema);
      if (s.enum?.length) {
        // `/trash/:entity/:id`: pick an entity we can make, and make the id of that kind.
        const value = s.enum.map(String).find((v) => this.canCreate(singular(v))) ?? String(s.enum[0]);
        entityKind = singular(value);
        out[p.name] = value;
        continue;
      }
      const kinds = p.name === 'id' && entityKind ? [entityKind] : kindOfPathParam(op.url, p.name);
      const kind = kinds.find((k) => this.canCreate(k));
      if (!kind) {
        out[p.name] = String(sample(this.h.schemas, p.schema, { marker: this.tenant.marker }, p.name));
        continue;
      }
      // Parents are shared; only the record the route acts on (the last parameter) is fresh.
      out[p.name] = (fresh && p === op.pathParams[op.pathParams.length - 1] ? await this.create(kind) : await this.get(kind)) ?? 'missing';
    }
    if (fresh && op.url.endsWith('/restore')) await this.trash(op, out, entityKind);
    return out;
  }

  /** Restore routes need their record in the trash first. */
  private async trash(op: Operation, ids: Record<string, string>, entityKind?: string) {
    const base = entityKind ? `/api/v1/${plural(entityKind)}/:id` : op.url.replace(/\/restore$/, '');
    await this.h.request({ method: 'DELETE', url: fillUrl(base, ids), headers: this.tenant.owner.headers });
  }

  /** A valid body for `op` in this tenant with real ids for references. PATCH/PUT fill every property. */
  async body(op: Operation, ids: Record<string, string>, extra: { allProperties?: boolean } = {}): Promise<unknown> {
    const override = BODY_OVERRIDES[op.key];
    if (override) return override(ids, this.tenant);
    if (!op.body) return undefined;
    const all = extra.allProperties ?? (op.method === 'PATCH' || op.method === 'PUT');
    const refs = await this.collectRefs(op.body, all, op.url);
    return sample(this.h.schemas, op.body, {
      marker: this.tenant.marker,
      allProperties: all,
      valueFor: (name) => refs.get(name) ?? PROPERTY_HINTS[name],
    });
  }

  private async collectRefs(schema: JsonSchema, all: boolean, url: string, depth = 0): Promise<Map<string, unknown>> {
    const selfKind = resourceKind(url);
    const refs = new Map<string, unknown>();
    const s = this.h.schemas.variants(schema)[0] ?? {};
    if (depth > 3) return refs;
    const required = new Set(s.required ?? []);
    for (const [name, prop] of Object.entries(s.properties ?? {})) {
      if (!required.has(name) && !all) continue;
      if (isIdName(name) && name !== 'id') {
        const id = await this.refFor(name, selfKind, false, url);
        refs.set(name, id === undefined ? OMIT : this.h.schemas.typeOf(prop) === 'array' ? [id] : id);
      } else if (this.h.schemas.typeOf(prop) === 'object') {
        for (const [k, v] of await this.collectRefs(prop, all, url, depth + 1)) refs.set(k, v);
      }
    }
    return refs;
  }
}

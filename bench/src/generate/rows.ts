/**
 * Row builders in PostgreSQL COPY text format. Every row is a pure function
 * of (seed, table, tenant, index): any row, id or search term can be
 * recomputed without the database, and the same seed gives the same bytes.
 */
import { Rng, uuidv7At } from './rng.js';
import { END_MS, SPAN_MS, START_MS, type DatasetSpec, type Identities } from './spec.js';
import * as W from './words.js';

export const Table = { Contact: 1, Company: 2, Deal: 3, Activity: 4, History: 5, Audit: 6 } as const;
export type Table = (typeof Table)[keyof typeof Table];

export interface GenContext {
  spec: DatasetSpec;
  ids: Identities;
}

function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** The random stream of one row (`salt` separates the id from the content). */
export function rowRng(seed: number, table: Table, tenant: number, i: number, salt = 0): Rng {
  return new Rng(mix32(seed ^ Math.imul(table, 0x01000193) ^ Math.imul(tenant + 1, 0x9e3779b1)), mix32(i ^ mix32(salt + 0x6a09e667)));
}

/** Creation instant of row i of n, spread evenly over the span (strictly increasing). */
export function timeOf(i: number, n: number): number {
  return START_MS + Math.floor(((i + 0.5) * SPAN_MS) / n);
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function recordId(seed: number, table: Table, tenant: number, i: number, n: number): string {
  return uuidv7At(timeOf(i, n), rowRng(seed, table, tenant, i, 1));
}

export const contactId = (g: GenContext, i: number) => recordId(g.spec.seed, Table.Contact, 0, i, g.spec.contacts);
export const companyId = (g: GenContext, i: number) => recordId(g.spec.seed, Table.Company, 0, i, g.spec.companies);
export const dealId = (g: GenContext, i: number) => recordId(g.spec.seed, Table.Deal, 0, i, g.spec.deals);

type Cell = string | number | boolean | null;

function esc(v: string): string {
  return /[\\\t\n\r]/.test(v) ? v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : v;
}

/** One COPY text-format line. */
export function line(cells: readonly Cell[]): string {
  let s = '';
  for (let k = 0; k < cells.length; k++) {
    const v = cells[k]!;
    if (k) s += '\t';
    s += v === null ? '\\N' : typeof v === 'string' ? esc(v) : String(v);
  }
  return s + '\n';
}

export const pgArray = (items: readonly string[]) => `{${items.join(',')}}`;

function pickTags(rng: Rng): string[] {
  const n = rng.weighted([50, 30, 15, 5]);
  const tags = new Set<string>();
  for (let k = 0; k < n; k++) tags.add(rng.pick(W.TAGS));
  return [...tags];
}

const phoneOf = (rng: Rng) => `+49${150 + rng.int(30)}${String(rng.int(1e8)).padStart(8, '0')}`;

// ---- companies ----------------------------------------------------------

export function companyName(g: GenContext, k: number): { name: string; domain: string } {
  const rng = rowRng(g.spec.seed, Table.Company, 0, k, 2);
  const word = rng.pick(W.COMPANY_WORDS);
  const kind = rng.pick(W.COMPANY_KINDS);
  const name = `${word} ${kind} ${rng.pick(W.COMPANY_SUFFIXES)}`;
  return { name, domain: `${word}-${kind}-${k}.example`.toLowerCase() };
}

export const COMPANY_COLUMNS = [
  'tenant_id', 'id', 'name', 'domain', 'industry', 'size', 'website', 'phone', 'address', 'owner_id', 'tags',
  'custom', 'created_by', 'created_at', 'updated_at',
];

export function companyLine(g: GenContext, k: number): string {
  const rng = rowRng(g.spec.seed, Table.Company, 0, k);
  const { name, domain } = companyName(g, k);
  const at = iso(timeOf(k, g.spec.companies));
  return line([
    g.ids.tenantId, companyId(g, k), name, domain, rng.pick(W.INDUSTRIES), rng.pick(W.SIZES), `https://${domain}`,
    phoneOf(rng), JSON.stringify({ city: rng.pick(W.CITIES) }), rng.pick(g.ids.memberIds), pgArray(pickTags(rng)),
    '{}', g.ids.memberIds[0]!, at, at,
  ]);
}

// ---- contacts -------------------------------------------------------------

export const CONTACT_COLUMNS = [
  'tenant_id', 'id', 'first_name', 'last_name', 'email', 'emails', 'phone', 'phones', 'title', 'department',
  'address', 'lead_source', 'company_id', 'owner_id', 'tags', 'custom', 'created_by', 'created_at', 'updated_at',
  'deleted_at',
];

export interface ContactFacts {
  first: string;
  last: string;
  email: string;
  companyIndex: number | null;
}

/** The searchable facts of a contact of tenant `tenant` (0 = the large one). */
export function contactFacts(g: GenContext, tenant: number, i: number): ContactFacts {
  const rng = rowRng(g.spec.seed, Table.Contact, tenant, i, 2);
  const first = rng.pick(W.FIRST_NAMES);
  const last = rng.pick(W.LAST_NAMES);
  const companyIndex = tenant === 0 && g.spec.companies > 0 && rng.chance(0.8) ? rng.int(g.spec.companies) : null;
  const domain = companyIndex !== null ? companyName(g, companyIndex).domain : tenant === 0 ? 'mail.example' : `firm${tenant}.example`;
  return { first, last, email: `${first}.${last}.${i}@${domain}`.toLowerCase(), companyIndex };
}

export function contactLine(g: GenContext, tenant: number, i: number): string {
  const n = tenant === 0 ? g.spec.contacts : g.spec.smallTenantContacts;
  const tenantId = tenant === 0 ? g.ids.tenantId : g.ids.smallTenantIds[tenant - 1]!;
  const id = recordId(g.spec.seed, Table.Contact, tenant, i, n);
  const owners = tenant === 0 ? g.ids.memberIds : [g.ids.smallOwnerIds[tenant - 1]!];
  const rng = rowRng(g.spec.seed, Table.Contact, tenant, i);
  const f = contactFacts(g, tenant, i);
  const phone = phoneOf(rng);
  const at = timeOf(i, n);
  const custom = { tier: rng.pick(W.TIERS), score: rng.int(1000) };
  return line([
    tenantId, id, f.first, f.last, f.email, JSON.stringify([{ email: f.email, label: 'work', primary: true }]), phone,
    JSON.stringify([{ phone, e164: phone, label: 'work', primary: true }]), rng.pick(W.TITLES), rng.pick(W.DEPARTMENTS),
    JSON.stringify({ city: rng.pick(W.CITIES) }), rng.pick(W.LEAD_SOURCES),
    f.companyIndex === null ? null : companyId(g, f.companyIndex), rng.pick(owners), pgArray(pickTags(rng)),
    JSON.stringify(custom), owners[0]!, iso(at), iso(at), rng.chance(0.005) ? iso(Math.min(at + 86_400_000, END_MS)) : null,
  ]);
}

/** Whether contact `i` of the large tenant is live (about 0.5% are generated in the trash). */
export function contactIsLive(g: GenContext, i: number): boolean {
  return contactLine(g, 0, i).endsWith('\t\\N\n');
}

/**
 * Contacts of all tenants in creation order, `rounds` slices at a time, so
 * that the tenants' rows interleave on disk as they would in production.
 */
export function* contactChunks(g: GenContext, rounds = 200): Generator<string> {
  const { contacts, smallTenants, smallTenantContacts } = g.spec;
  for (let r = 0; r < rounds; r++) {
    let chunk = '';
    const from = Math.floor((r * contacts) / rounds);
    const to = Math.floor(((r + 1) * contacts) / rounds);
    for (let i = from; i < to; i++) {
      chunk += contactLine(g, 0, i);
      if (chunk.length > 256_000) {
        yield chunk;
        chunk = '';
      }
    }
    const sFrom = Math.floor((r * smallTenantContacts) / rounds);
    const sTo = Math.floor(((r + 1) * smallTenantContacts) / rounds);
    for (let t = 1; t <= smallTenants; t++) for (let i = sFrom; i < sTo; i++) chunk += contactLine(g, t, i);
    if (chunk) yield chunk;
  }
}

export function* chunks(n: number, lineOf: (i: number) => string, size = 2000): Generator<string> {
  for (let from = 0; from < n; from += size) {
    let chunk = '';
    const to = Math.min(n, from + size);
    for (let i = from; i < to; i++) chunk += lineOf(i);
    yield chunk;
  }
}

// ---- audit log ------------------------------------------------------------

export const AUDIT_COLUMNS = ['tenant_id', 'id', 'actor_type', 'actor_id', 'action', 'entity', 'entity_id', 'changes', 'request_id', 'ip', 'created_at'];

export function auditLine(g: GenContext, i: number): string {
  const rng = rowRng(g.spec.seed, Table.Audit, 0, i);
  const at = timeOf(i, g.spec.auditEntries);
  const contact = rng.int(g.spec.contacts);
  const tier = rng.pick(W.TIERS);
  return line([
    g.ids.tenantId, uuidv7At(at, rng), 'user', rng.pick(g.ids.memberIds), 'contact.update', 'contact', contactId(g, contact),
    JSON.stringify({ custom: { before: { tier: 'bronze' }, after: { tier } } }), null, '127.0.0.1', iso(at),
  ]);
}

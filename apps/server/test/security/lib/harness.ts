/**
 * Shared set-up for the security suites: the real app, its OpenAPI document
 * and route table, tenants with one principal per role (users and API keys),
 * and database snapshots taken through the unrestricted connection.
 */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { Roles, type Role } from '@pillar/shared';
import { expect } from 'vitest';
import { withSystem } from '../../../src/platform/db/system.js';
import { buildTestApp, type TestApp } from '../../app.js';
import { addMember, signUp, type Principal } from '../../factories.js';
import { operations, Schemas, type OpenApiDoc, type Operation } from './openapi.js';

export interface Actor {
  label: string;
  role: Role;
  kind: 'user' | 'api_key';
  headers: Record<string, string>;
}

export interface Tenant {
  id: string;
  owner: Principal;
  actors: Actor[];
  marker: string;
}

export interface Harness {
  t: TestApp;
  doc: OpenApiDoc;
  schemas: Schemas;
  ops: Operation[];
  request(opts: InjectOptions): Promise<LightMyRequestResponse>;
}

/** Set-up signs people up (argon2 on purpose): give hooks room on a busy machine. */
export const SETUP_TIMEOUT = 300_000;

/** Background work (outbox dispatch, jobs) would change rows between snapshots; the suites run without it. */
export const SECURITY_ENV = { JOBS_IN_PROCESS: 'false', OUTBOX_POLL_MS: '60000', WEBHOOKS_ALLOW_PRIVATE: 'true' };

export async function createHarness(env: Record<string, string> = {}, given?: TestApp): Promise<Harness> {
  const t = given ?? (await buildTestApp({ ...SECURITY_ENV, ...env }));
  const doc = (await t.server.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<OpenApiDoc>();
  return {
    t,
    doc,
    schemas: new Schemas(doc),
    ops: operations(t.routes, doc),
    request: (opts) => t.server.inject(opts),
  };
}

export function userActor(p: Principal, role: Role): Actor {
  return { label: `${role} (user)`, role, kind: 'user', headers: { ...p.headers } };
}

/** A firm with its owner, a user for every other role and an API key for every role an API key may have. */
export async function createTenant(h: Harness, label: string, opts: { everyRole?: boolean } = {}): Promise<Tenant> {
  const marker = `${label}${Math.random().toString(36).slice(2, 8)}`;
  const owner = await signUp(h.t.server, { firm_name: `Firm ${marker}`, name: `Owner ${marker}` });
  const actors: Actor[] = [userActor(owner, 'owner')];
  if (opts.everyRole === false) return { id: owner.tenantId, owner, actors, marker };
  for (const role of Roles.filter((r) => r !== 'owner')) actors.push(userActor(await addMember(h.t.server, owner, role), role));
  for (const role of Roles.filter((r) => r !== 'owner')) {
    const res = await h.request({ method: 'POST', url: '/api/v1/api-keys', headers: owner.headers, payload: { name: `key ${role} ${marker}`, role } });
    expect(res.statusCode, res.body).toBe(201);
    actors.push({ label: `${role} (API key)`, role, kind: 'api_key', headers: { authorization: `Bearer ${res.json<{ key: string }>().key}` } });
  }
  return { id: owner.tenantId, owner, actors, marker };
}

/**
 * Columns that legitimately change without a request of the tenant's: API-key
 * use, and the outbox dispatcher marking committed events published (on a
 * shared PostgreSQL another test file's dispatcher may do so at any moment).
 */
const VOLATILE: Record<string, string[]> = {
  api_keys: ['last_used_at'],
  events: ['published_at'],
  webhook_subscriptions: ['consecutive_failures', 'disabled_reason', 'disabled_at', 'active', 'updated_at', 'version'],
};

/** Tables of delivery bookkeeping that background workers write for any tenant at any time. */
const WORKER_OWNED = new Set(['webhook_deliveries', 'webhook_attempts']);

/**
 * Report rollups (migration 0501): derived by triggers from source tables that
 * are snapshotted, re-folded by a job at any moment, and read-only to the
 * application role.
 */
const isRollup = (table: string) => table.startsWith('report_');

const tableCache = new WeakMap<Harness, string[]>();

export async function listTenantTables(h: Harness): Promise<string[]> {
  const cached = tableCache.get(h);
  if (cached) return cached;
  const r = await withSystem(h.t.db, (tx) => tx.query<{ table_name: string }>(
    `SELECT c.table_name FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id' AND t.table_type = 'BASE TABLE'
      ORDER BY c.table_name`));
  const tables = r.rows.map((x) => x.table_name);
  tableCache.set(h, tables);
  return tables;
}

/** Per table: row count and a digest of every row (ordered), so any change to any row shows. */
export type Snapshot = Record<string, string>;

/** Every row the tenant owns, in every tenant table, fingerprinted in one round trip. */
export async function snapshot(h: Harness, tenantId: string): Promise<Snapshot> {
  const tables = await listTenantTables(h);
  const parts = [`SELECT 'tenants' AS t, count(*)::int AS n, md5(coalesce(string_agg(to_jsonb(x)::text, '|' ORDER BY to_jsonb(x)::text), '')) AS d FROM tenants x WHERE id = $1`];
  for (const table of tables) {
    if (WORKER_OWNED.has(table) || isRollup(table)) continue;
    const drop = (VOLATILE[table] ?? []).map((c) => ` - '${c}'`).join('');
    parts.push(`SELECT '${table}', count(*)::int, md5(coalesce(string_agg((to_jsonb(x)${drop})::text, '|' ORDER BY (to_jsonb(x)${drop})::text), '')) FROM "${table}" x WHERE tenant_id = $1`);
  }
  const r = await withSystem(h.t.db, (tx) => tx.query<{ t: string; n: number; d: string }>(parts.join('\nUNION ALL\n'), [tenantId]));
  return Object.fromEntries(r.rows.map((x) => [x.t, `${x.n} rows ${x.d}`]));
}

/** Names the tables whose rows differ (with row counts), or [] when identical. */
export function diffSnapshots(before: Snapshot, after: Snapshot): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((t) => before[t] !== after[t])
    .map((t) => `${t}: ${before[t]?.split(' ')[0] ?? 0} → ${after[t]?.split(' ')[0] ?? 0} rows${before[t]?.split(' ')[0] === after[t]?.split(' ')[0] ? ' (changed)' : ''}`);
}

/** Tables (and how many rows) of a tenant whose JSON contains `needle`, case-insensitively. */
export async function rowsContaining(h: Harness, tenantId: string, needle: string): Promise<Record<string, number>> {
  const tables = await listTenantTables(h);
  const parts = tables.map((table) => `SELECT '${table}' AS t, count(*)::int AS n FROM "${table}" x WHERE tenant_id = $1 AND lower(to_jsonb(x)::text) LIKE '%' || lower($2) || '%'`);
  const r = await withSystem(h.t.db, (tx) => tx.query<{ t: string; n: number }>(parts.join('\nUNION ALL\n'), [tenantId, needle]));
  return Object.fromEntries(r.rows.filter((x) => x.n > 0).map((x) => [x.t, x.n]));
}

export async function expectHealthy(h: Harness) {
  const res = await h.request({ method: 'GET', url: '/healthz' });
  expect(res.statusCode).toBe(200);
}

export function isProblem(res: LightMyRequestResponse): boolean {
  if (!String(res.headers['content-type'] ?? '').includes('application/problem+json')) return false;
  try {
    const body = res.json<{ status?: unknown; code?: unknown; type?: unknown; title?: unknown }>();
    return body.status === res.statusCode && typeof body.code === 'string' && typeof body.type === 'string' && typeof body.title === 'string';
  } catch {
    return false;
  }
}

/** Route coverage counters the suites print and SECURITY.md quotes. */
export function report(name: string, counts: Record<string, number | string>) {
  process.stdout.write(`[security] ${name}: ${Object.entries(counts).map(([k, v]) => `${k}=${v}`).join(' ')}\n`);
}

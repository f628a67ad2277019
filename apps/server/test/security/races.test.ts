/**
 * Races: parallel PATCHes with one If-Match (exactly one wins, the rest 412),
 * parallel POSTs with one Idempotency-Key (one record), on /tenant and
 * /api-keys and then on every PATCH and collection POST the route table has.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSystem } from '../../src/platform/db/system.js';
import { createHarness, createTenant, report, SETUP_TIMEOUT, type Harness, type Tenant } from './lib/harness.js';
import { fillUrl } from './lib/openapi.js';
import { Records, responseId } from './lib/records.js';

let h: Harness;
let T: Tenant;
let rec: Records;
const counts = { patchRoutes: 0, postRoutes: 0, requests: 0 };

beforeAll(async () => {
  h = await createHarness();
  T = await createTenant(h, 'races', { everyRole: false });
  rec = new Records(h, T);
}, SETUP_TIMEOUT);
afterAll(async () => {
  report('races', counts);
  await h?.t.close();
});

function parallel<T>(n: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => fn(i)));
}

describe('optimistic concurrency', () => {
  it('50 parallel PATCH /tenant with the same If-Match: one 200, 49 × 412', { timeout: 120_000 }, async () => {
    const etag = String((await h.request({ method: 'GET', url: '/api/v1/tenant', headers: T.owner.headers })).headers.etag);
    const results = await parallel(50, (i) => h.request({ method: 'PATCH', url: '/api/v1/tenant', headers: { ...T.owner.headers, 'if-match': etag }, payload: { name: `Racer ${i}` } }));
    counts.requests += 50;
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c === 412)).toHaveLength(49);
    const winner = results.find((r) => r.statusCode === 200)!.json<{ name: string; version: number }>();
    const row = await withSystem(h.t.db, (tx) => tx.query<{ name: string; version: number }>('SELECT name, version FROM tenants WHERE id = $1', [T.id]));
    expect(row.rows[0]).toMatchObject({ name: winner.name, version: winner.version });
    expect(winner.version).toBe(Number(etag.replaceAll('"', '')) + 1);
  });

  it('every PATCH route with an ETag: exactly one of 20 parallel writers wins', { timeout: 600_000 }, async () => {
    const failures: string[] = [];
    for (const op of h.ops.filter((o) => o.method === 'PATCH' && o.pathParams.length && o.permission !== null)) {
      const getOp = h.ops.find((o) => o.method === 'GET' && o.url === op.url);
      if (!getOp) continue;
      const ids = await rec.pathValues(op, true);
      const url = fillUrl(op.url, ids);
      const got = await h.request({ method: 'GET', url, headers: T.owner.headers });
      const etag = got.headers.etag;
      if (got.statusCode !== 200 || !etag) continue;
      counts.patchRoutes += 1;
      const body = await rec.body(op, ids);
      const results = await parallel(20, () => h.request({ method: 'PATCH', url, headers: { ...T.owner.headers, 'if-match': String(etag) }, payload: (body ?? {}) }));
      counts.requests += 20;
      const ok = results.filter((r) => r.statusCode < 300).length;
      const stale = results.filter((r) => r.statusCode === 412).length;
      if (ok !== 1 || stale !== 19) failures.push(`${op.key}: ${ok} succeeded, ${stale} × 412, others ${results.filter((r) => r.statusCode >= 300 && r.statusCode !== 412).map((r) => `${r.statusCode} ${r.body.slice(0, 100)}`).join(' | ')}`);
    }
    expect(failures).toEqual([]);
  });
});

describe('idempotency', () => {
  it('50 parallel POST /api-keys with one Idempotency-Key make one key', { timeout: 120_000 }, async () => {
    const name = `idem race ${T.marker}`;
    const results = await parallel(50, () => h.request({ method: 'POST', url: '/api/v1/api-keys', headers: { ...T.owner.headers, 'idempotency-key': `race-${T.marker}` }, payload: { name, role: 'viewer' } }));
    counts.requests += 50;
    expect(results.every((r) => [201, 409].includes(r.statusCode))).toBe(true);
    expect(new Set(results.filter((r) => r.statusCode === 201).map((r) => responseId(r))).size).toBe(1);
    const n = await withSystem(h.t.db, (tx) => tx.query<{ n: number }>('SELECT count(*)::int AS n FROM api_keys WHERE tenant_id = $1 AND name = $2', [T.id, name]));
    expect(n.rows[0]!.n).toBe(1);
  });

  it('every collection POST: 20 parallel requests with one key give one record', { timeout: 600_000 }, async () => {
    const failures: string[] = [];
    const creators = h.ops.filter((o) => o.method === 'POST' && o.permission !== null && !/\/(switch-tenant|replay|ping|redeliver|retry)$/.test(o.url));
    for (const op of creators) {
      const ids = await rec.pathValues(op, false);
      const body = await rec.body(op, ids);
      const key = `race-${op.url}-${T.marker}`.slice(0, 200);
      const results = await parallel(20, () => h.request({ method: 'POST', url: fillUrl(op.url, ids), headers: { ...T.owner.headers, 'idempotency-key': key }, payload: (body ?? {}) }));
      counts.postRoutes += 1;
      counts.requests += 20;
      const done = results.filter((r) => r.statusCode < 300);
      const distinct = new Set(done.map((r) => r.body.replace(/"request_id":"[^"]*"/, '')));
      const bad = results.filter((r) => r.statusCode >= 500 || (r.statusCode >= 300 && r.statusCode !== 409 && done.length > 0));
      if (distinct.size > 1 || bad.length) failures.push(`${op.key}: ${distinct.size} distinct answers, bad ${bad.map((r) => r.statusCode).join(',')}`);
    }
    expect(failures).toEqual([]);
  });
});


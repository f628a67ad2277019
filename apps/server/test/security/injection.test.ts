/**
 * SQL injection through every string field of every body, the `filter` JSON
 * (packages/shared/src/filters.ts), `sort` and `q` of every list: no 5xx, no
 * other tenant's data in any answer, no change to another tenant's rows, and
 * nothing dropped. Values must reach SQL only as bind parameters and field
 * names only through the filter compiler's allow-list.
 */
import { FilterOperators } from '@pillar/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, createTenant, diffSnapshots, isProblem, listTenantTables, report, SETUP_TIMEOUT, snapshot, type Harness, type Snapshot, type Tenant } from './lib/harness.js';
import { SQL_PAYLOADS } from './lib/hostile.js';
import { fillUrl, setPath, stringFields, type Operation } from './lib/openapi.js';
import { Records, singular } from './lib/records.js';

/** CI runs a few classic payloads per field; `npm run fuzz` (FUZZ_RUNS > 50) runs them all, on every operator. */
const FULL = Number(process.env.FUZZ_RUNS ?? 0) > 50;
const CI_PAYLOADS = ["' OR '1'='1", "'; DROP TABLE contacts; --", "\\'; SET ROLE postgres; --"];
const PAYLOADS = FULL ? SQL_PAYLOADS : CI_PAYLOADS;

let h: Harness;
let T: Tenant;
let victim: Tenant;
let rec: Records;
let victimBefore: Snapshot;
const counts = { bodyRequests: 0, listRequests: 0, fiveHundreds: 0, leaks: 0 };
const problems: string[] = [];

beforeAll(async () => {
  h = await createHarness();
  T = await createTenant(h, 'inject', { everyRole: false });
  victim = await createTenant(h, 'victim', { everyRole: false });
  // Give the victim one record of every kind the API can create, so there is something to leak.
  const victimRecords = new Records(h, victim);
  for (const op of h.ops.filter((o) => o.method === 'POST' && !o.pathParams.length && o.permission !== null)) {
    await victimRecords.get(singular(op.url.split('/').pop()!));
  }
  rec = new Records(h, T);
  victimBefore = await snapshot(h, victim.id);
}, SETUP_TIMEOUT);
afterAll(async () => {
  report('injection', { ...counts, payloads: PAYLOADS.length, problems: problems.length });
  await h?.t.close();
});

function check(op: Operation, label: string, res: { statusCode: number; body: string; headers: Record<string, unknown> }) {
  if (res.statusCode >= 500) {
    counts.fiveHundreds += 1;
    problems.push(`${op.key} ${label}: ${res.statusCode} ${res.body.slice(0, 200)}`);
  } else if (res.statusCode >= 400 && !isProblem(res as never)) {
    problems.push(`${op.key} ${label}: ${res.statusCode} is not problem+json`);
  }
  if (res.body.includes(victim.marker)) {
    counts.leaks += 1;
    problems.push(`${op.key} ${label}: the answer shows the other tenant's data`);
  }
}

function bodyOps() {
  return h.ops.filter((o) => o.body && o.method !== 'GET' && o.permission !== null && o.key !== 'DELETE /api/v1/tenant');
}

function listOps() {
  return h.ops.filter((o) => o.method === 'GET' && o.permission !== null && !o.streaming && o.queryParams.some((p) => ['filter', 'sort', 'q'].includes(p.name)));
}

describe('SQL injection', () => {
  it('through every string field of every body', { timeout: 600_000 }, async () => {
    for (const op of bodyOps()) {
      for (const field of stringFields(h.schemas, op.body!)) {
        for (const payload of PAYLOADS) {
          const ids = await rec.pathValues(op, false);
          const valid = await rec.body(op, ids, { allProperties: true });
          const res = await h.request({ method: op.method, url: fillUrl(op.url, ids), headers: T.owner.headers, payload: setPath(valid, field.path, payload) as object });
          counts.bodyRequests += 1;
          check(op, `body.${field.path.join('.')}=${payload}`, res);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('through filter, sort and q of every list', { timeout: 600_000 }, async () => {
    for (const op of listOps()) {
      const names = new Set(op.queryParams.map((p) => p.name));
      const ids = await rec.pathValues(op, false);
      const queries: Record<string, string>[] = [];
      for (const payload of PAYLOADS) {
        if (names.has('q')) queries.push({ q: payload });
        if (names.has('sort')) queries.push({ sort: payload }, { sort: `-${payload}` });
        if (!names.has('filter')) continue;
        for (const field of FULL ? ['name', 'email', 'custom.x', `custom.${payload}`, payload, 'tags', 'created_at', 'id'] : ['name', `custom.${payload}`, payload]) {
          for (const operator of FULL ? FilterOperators : ['eq', 'contains', 'in']) {
            const value = ['in', 'not_in', 'has_any', 'has_all', 'between'].includes(operator) ? [payload, payload] : payload;
            queries.push({ filter: JSON.stringify({ or: [{ field, op: operator, value }, { field: 'id', op: 'is_not_empty' }] }) });
          }
        }
      }
      for (const q of queries) {
        const res = await h.request({ method: 'GET', url: `${fillUrl(op.url, ids)}?${new URLSearchParams(q).toString()}`, headers: T.owner.headers });
        counts.listRequests += 1;
        check(op, JSON.stringify(q).slice(0, 120), res);
      }
    }
    expect(problems).toEqual([]);
  });

  it('changed nothing in the other tenant and dropped nothing', async () => {
    expect(diffSnapshots(victimBefore, await snapshot(h, victim.id))).toEqual([]);
    const tables = await listTenantTables(h);
    const still = await h.t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename = ANY($1)`, [tables]);
    expect(still.rows[0]!.n).toBe(tables.length);
  });
});

/**
 * Schema-driven fuzzing of every route with fast-check: bodies mutated from a
 * valid sample, hostile path parameters, query strings and headers. The server
 * never answers 5xx, every error is problem+json, and it stays healthy after
 * each route's batch. FUZZ_RUNS sets runs per route (CI default below; the
 * long run is `npm run fuzz`), FUZZ_SEED replays a run.
 */
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, createTenant, expectHealthy, isProblem, report, SETUP_TIMEOUT, type Harness, type Tenant } from './lib/harness.js';
import { hostileHeaders, mutatedBody, pathValue, queryString, type RawBody } from './lib/hostile.js';
import { fillUrl, type Operation } from './lib/openapi.js';
import { Records } from './lib/records.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

/** Routes not fuzzed, and why. Destroying the fuzzing tenant would end the run early, not find bugs. */
const NOT_FUZZED: Record<string, string> = {
  'DELETE /api/v1/tenant': 'would delete the tenant under test; covered by privacy.test.ts',
};

let h: Harness;
let T: Tenant;
let rec: Records;
const counts = { routes: 0, requests: 0, fiveHundreds: 0, notProblem: 0 };
const findings: string[] = [];

beforeAll(async () => {
  h = await createHarness();
  T = await createTenant(h, 'fuzz', { everyRole: false });
  rec = new Records(h, T);
}, SETUP_TIMEOUT);
afterAll(async () => {
  report('fuzz', { ...counts, runsPerRoute: RUNS, seed: SEED, findings: findings.length });
  await h?.t.close();
});

interface Case {
  path: Record<string, string>;
  query: string | null;
  body: RawBody | null;
  headers: Record<string, string>;
}

function caseArb(op: Operation, ids: Record<string, string>, valid: unknown): fc.Arbitrary<Case> {
  const path = fc.record(Object.fromEntries(op.pathParams.map((p) => [p.name, pathValue(ids[p.name] ?? 'x')])));
  const hasBody = op.method !== 'GET' && op.method !== 'DELETE';
  return fc.record({
    path: op.pathParams.length ? path : fc.constant({}),
    query: fc.option(queryString(op.queryParams.map((p) => p.name)), { freq: 2 }),
    body: hasBody ? fc.option(mutatedBody(h.schemas, op.body, valid), { freq: 6 }) : fc.constant(null),
    headers: hostileHeaders,
  });
}

async function send(op: Operation, c: Case, ids: Record<string, string>, validBody: unknown) {
  // fillUrl encodes; hostile path values are already encoded, so splice them in directly.
  const url = op.url.replace(/:(\w+)/g, (_, n: string) => c.path[n] ?? encodeURIComponent(ids[n] ?? 'x'));
  const headers: Record<string, string> = { ...(op.permission === null ? {} : T.owner.headers), ...c.headers };
  const opts: InjectOptions = { method: op.method, url: c.query ? `${url}?${c.query}` : url, headers };
  if (c.body) {
    opts.payload = c.body.text;
    if (c.body.contentType) headers['content-type'] = c.body.contentType;
  } else if (validBody !== undefined && op.method !== 'GET' && op.method !== 'DELETE') {
    opts.payload = validBody as object;
  }
  try {
    return await h.request(opts);
  } catch (err) {
    // light-my-request refuses some header values before they reach the server.
    if (err instanceof TypeError || (err as { code?: string }).code?.startsWith('ERR_')) return null;
    throw err;
  }
}

async function fuzzRoute(op: Operation) {
  const ids = await rec.pathValues(op, false);
  const valid = await rec.body(op, ids);
  const result = await fc.check(
    fc.asyncProperty(caseArb(op, ids, valid), async (c) => {
      const res = await send(op, c, ids, valid);
      if (!res) return true;
      counts.requests += 1;
      if (res.statusCode >= 500) counts.fiveHundreds += 1;
      const problemOk = res.statusCode < 400 || isProblem(res);
      if (!problemOk) counts.notProblem += 1;
      return res.statusCode < 500 && problemOk;
    }),
    { numRuns: RUNS, seed: SEED, endOnFailure: true },
  );
  if (result.failed) findings.push(`${op.key}: ${fc.stringify(result.counterexample)} (seed ${SEED}, path ${result.counterexamplePath})`);
}

describe('fuzzing every route from its schema', () => {
  it('never 5xx, errors are problem+json, the server stays up', { timeout: 1_800_000 }, async () => {
    for (const op of h.ops.filter((o) => !o.streaming && !NOT_FUZZED[o.key])) {
      counts.routes += 1;
      await fuzzRoute(op);
      await expectHealthy(h);
    }
    expect(findings).toEqual([]);
    expect(counts.fiveHundreds).toBe(0);
    expect(counts.requests).toBeGreaterThan(counts.routes);
  });

  it('fixed worst cases on every route: huge, deep, truncated, duplicated keys', { timeout: 600_000 }, async () => {
    const bodies: RawBody[] = [
      { text: `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`, contentType: 'application/json' },
      { text: JSON.stringify({ a: Array.from({ length: 100_000 }, () => 0) }), contentType: 'application/json' },
      { text: '{"name":"a","name":"b","role":"viewer","role":"owner"}', contentType: 'application/json' },
      { text: '{"__proto__":{"role":"owner"},"constructor":{"prototype":{"isAdmin":true}}}', contentType: 'application/json' },
      { text: '{"name":"\\ud800\\udc00\\udfff"}', contentType: 'application/json' },
      { text: `{"name":"${'x'.repeat(2_000_000)}"}`, contentType: 'application/json' },
      { text: '{"name":', contentType: 'application/json' },
    ];
    for (const op of h.ops.filter((o) => !o.streaming && !NOT_FUZZED[o.key] && o.method !== 'GET')) {
      const ids = await rec.pathValues(op, false);
      for (const body of bodies) {
        const res = await h.request({ method: op.method, url: fillUrl(op.url, ids), headers: { ...T.owner.headers, 'content-type': body.contentType! }, payload: body.text });
        counts.requests += 1;
        expect(res.statusCode, `${op.key} ${body.text.slice(0, 60)}: ${res.body.slice(0, 200)}`).toBeLessThan(500);
        if (res.statusCode >= 400) expect(isProblem(res), `${op.key}: ${res.body.slice(0, 200)}`).toBe(true);
      }
    }
    await expectHealthy(h);
    // Nothing polluted the process.
    expect(({} as Record<string, unknown>).role).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });
});

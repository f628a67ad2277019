/**
 * Role matrix: every route × every role (a user of each role and an API key of
 * each role an API key may hold — keys are never owners) against the shared
 * permission map. Without the route's permission: 403 problem+json and the
 * tenant's rows unchanged. With it: never 403 (the route does its work).
 */
import { can, type Permission } from '@pillar/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, createTenant, SETUP_TIMEOUT, diffSnapshots, isProblem, report, snapshot, type Actor, type Harness, type Tenant } from './lib/harness.js';
import { fillUrl, type Operation } from './lib/openapi.js';
import { Records } from './lib/records.js';

/** Allowed by permission yet refused by a documented rule of the route. */
const RULE_REFUSALS: Record<string, (actor: Actor) => boolean> = {
  // An API key belongs to one firm and cannot switch.
  'POST /api/v1/auth/switch-tenant': (a) => a.kind === 'api_key',
};

/** Whole route families an API key may not use because their records belong to a person. */
const PERSONAL_ROUTES = /^\/api\/v1\/(views|dashboards)(\/|$)/;

let h: Harness;
let T: Tenant;
let rec: Records;
const counts = { routes: 0, checks: 0, denied: 0, allowed: 0 };

beforeAll(async () => {
  h = await createHarness();
  T = await createTenant(h, 'roles');
  rec = new Records(h, T);
}, SETUP_TIMEOUT);
afterAll(async () => {
  report('role-matrix', counts);
  await h?.t.close();
});

/** Builds the request first (target records are made here), so a snapshot taken after sees only the request's own writes. */
async function prepare(op: Operation, actor: Actor, fresh: boolean) {
  const ids = await rec.pathValues(op, fresh);
  const body = await rec.body(op, ids);
  return () => h.request({ method: op.method, url: fillUrl(op.url, ids), headers: actor.headers, ...(body === undefined ? {} : { payload: body as object }) });
}

describe('role matrix', () => {
  it('every protected route answers 403 to roles without its permission, and writes nothing', { timeout: 600_000 }, async () => {
    const problems: string[] = [];
    for (const op of h.ops.filter((o) => o.permission !== null && !o.streaming)) {
      counts.routes += 1;
      for (const actor of T.actors.filter((a) => !can(a.role, op.permission as Permission))) {
        const send = await prepare(op, actor, false);
        const before = await snapshot(h, T.id);
        const res = await send();
        counts.checks += 1;
        counts.denied += 1;
        if (res.statusCode !== 403 || !isProblem(res)) problems.push(`${op.key} as ${actor.label}: expected 403 problem, got ${res.statusCode} ${res.body.slice(0, 160)}`);
        const diff = diffSnapshots(before, await snapshot(h, T.id));
        if (diff.length) problems.push(`${op.key} as ${actor.label}: denied but wrote ${diff.join('; ')}`);
      }
    }
    expect(problems).toEqual([]);
    expect(counts.denied).toBeGreaterThan(0);
  });

  it('every protected route lets roles with its permission through', { timeout: 600_000 }, async () => {
    const problems: string[] = [];
    for (const op of h.ops.filter((o) => o.permission !== null && !o.streaming)) {
      for (const actor of T.actors.filter((a) => can(a.role, op.permission as Permission))) {
        const res = await (await prepare(op, actor, op.method !== 'GET'))();
        counts.checks += 1;
        counts.allowed += 1;
        const refused = (RULE_REFUSALS[op.key]?.(actor) ?? false) || (actor.kind === 'api_key' && PERSONAL_ROUTES.test(op.url));
        if (res.statusCode === 403 && !refused) problems.push(`${op.key} as ${actor.label}: has ${op.permission} but got 403 ${res.body.slice(0, 160)}`);
        if (res.statusCode >= 500) problems.push(`${op.key} as ${actor.label}: ${res.statusCode} ${res.body.slice(0, 160)}`);
      }
    }
    expect(rec.failures, 'record creation failed; add a BODY_OVERRIDES entry').toEqual([]);
    expect(problems).toEqual([]);
  });

  it('unauthenticated requests to protected routes answer 401 problem+json', async () => {
    for (const op of h.ops.filter((o) => o.permission !== null)) {
      const res = await h.request({ method: op.method, url: fillUrl(op.url, await rec.pathValues(op, false)) });
      expect(res.statusCode, op.key).toBe(401);
      expect(isProblem(res), op.key).toBe(true);
    }
  });

  it('the API-key matrix has a key for every role but owner, and API keys are never owners', async () => {
    const res = await h.request({ method: 'POST', url: '/api/v1/api-keys', headers: T.owner.headers, payload: { name: 'owner key', role: 'owner' } });
    expect(res.statusCode).toBe(400);
    expect(T.actors.filter((a) => a.kind === 'api_key').map((a) => a.role)).toEqual(['admin', 'manager', 'member', 'viewer']);
  });
});

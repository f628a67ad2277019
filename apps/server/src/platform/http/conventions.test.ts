/** The API conventions every endpoint inherits: problem+json, limits, ETags, idempotency, headers. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/app.js';
import { as, signUp, type Principal } from '../../../test/factories.js';
import { withSystem } from '../db/system.js';

let t: TestApp;
let owner: Principal;
beforeAll(async () => {
  t = await buildTestApp({ BODY_LIMIT: '4096' });
  owner = await signUp(t.server);
});
afterAll(() => t.close());

function expectProblem(res: { statusCode: number; headers: Record<string, unknown>; json: () => unknown }, status: number, code: string) {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toContain('application/problem+json');
  expect(res.json()).toMatchObject({ status, code, type: expect.stringContaining('/problems/'), title: expect.any(String) });
}

describe('errors are problem+json and 4xx', () => {
  it('malformed JSON', async () => {
    const res = await t.server.inject(as(owner, { method: 'PATCH', url: '/api/v1/tenant', payload: '{"name":', headers: { 'content-type': 'application/json' } }));
    expectProblem(res, 400, 'bad_request');
  });
  it('wrong content type', async () => {
    const res = await t.server.inject(as(owner, { method: 'PATCH', url: '/api/v1/tenant', payload: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }));
    expectProblem(res, 415, 'unsupported_media_type');
  });
  it('oversized body', async () => {
    const res = await t.server.inject(as(owner, { method: 'PATCH', url: '/api/v1/tenant', payload: { name: 'x'.repeat(5000) } }));
    expectProblem(res, 413, 'payload_too_large');
  });
  it('unknown fields and wrong types, with per-field errors', async () => {
    const res = await t.server.inject(as(owner, { method: 'PATCH', url: '/api/v1/tenant', payload: { name: 42, evil: true } }));
    expectProblem(res, 400, 'validation_failed');
    const paths = res.json<{ errors: { path: string }[] }>().errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body.name', 'body']));
  });
  it('bad UUIDs in the path', async () => {
    expectProblem(await t.server.inject(as(owner, { method: 'DELETE', url: '/api/v1/api-keys/not-a-uuid' })), 400, 'validation_failed');
  });
  it('bad cursors', async () => {
    expectProblem(await t.server.inject(as(owner, { method: 'GET', url: '/api/v1/audit?cursor=%%%' })), 400, 'invalid_cursor');
    const wrongShape = Buffer.from('["a", 1]').toString('base64url');
    expectProblem(await t.server.inject(as(owner, { method: 'GET', url: `/api/v1/audit?cursor=${wrongShape}` })), 400, 'invalid_cursor');
  });
  it('unknown API routes', async () => {
    expectProblem(await t.server.inject({ method: 'GET', url: '/api/v1/nope' }), 404, 'not_found');
  });
  it('a stale or malformed If-Match', async () => {
    const get = await t.server.inject(as(owner, { method: 'GET', url: '/api/v1/tenant' }));
    const etag = String(get.headers.etag);
    expect(etag).toMatch(/^"\d+"$/);
    const ok = await t.server.inject(as(owner, { method: 'PATCH', url: '/api/v1/tenant', payload: { name: 'Renamed' }, headers: { 'if-match': etag } }));
    expect(ok.statusCode).toBe(200);
    const stale = await t.server.inject(as(owner, { method: 'PATCH', url: '/api/v1/tenant', payload: { name: 'Lost update' }, headers: { 'if-match': etag } }));
    expectProblem(stale, 412, 'precondition_failed');
    expectProblem(await t.server.inject(as(owner, { method: 'PATCH', url: '/api/v1/tenant', payload: { name: 'x' }, headers: { 'if-match': 'nonsense' } })), 400, 'bad_request');
    const name = await withSystem(t.db, (tx) => tx.query<{ name: string }>('SELECT name FROM tenants WHERE id = $1', [owner.tenantId]));
    expect(name.rows[0]?.name).toBe('Renamed');
  });
});

describe('Idempotency-Key', () => {
  const create = (key: string, name: string) =>
    t.server.inject(as(owner, { method: 'POST', url: '/api/v1/api-keys', payload: { name, role: 'viewer' }, headers: { 'idempotency-key': key } }));
  const keysNamed = async (name: string) =>
    (await withSystem(t.db, (tx) => tx.query<{ n: number }>('SELECT count(*)::int AS n FROM api_keys WHERE tenant_id = $1 AND name = $2', [owner.tenantId, name]))).rows[0]!.n;

  it('replays the first response for the same key and body', async () => {
    const first = await create('k-1', 'idem one');
    const again = await create('k-1', 'idem one');
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().id).toBe(first.json().id);
    expect(await keysNamed('idem one')).toBe(1);
  });

  it('answers 422 for the same key with another body', async () => {
    await create('k-2', 'idem two');
    expectProblem(await create('k-2', 'something else'), 422, 'idempotency_mismatch');
    expect(await keysNamed('something else')).toBe(0);
  });

  it('creates one record for parallel requests with one key', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => create('k-par', 'idem parallel')));
    expect(results.every((r) => [201, 409].includes(r.statusCode))).toBe(true);
    expect(await keysNamed('idem parallel')).toBe(1);
  });
});

describe('platform endpoints', () => {
  it('serves an OpenAPI 3.1 document and interactive docs', async () => {
    const doc = await t.server.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(doc.json()).toMatchObject({ openapi: '3.1.0', info: { title: 'Pillar API' } });
    expect(doc.json().paths['/api/v1/auth/sign-in'].post.requestBody).toBeDefined();
    expect((await t.server.inject({ method: 'GET', url: '/api/docs' })).statusCode).toBe(200);
  });

  it('answers health and readiness', async () => {
    expect((await t.server.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await t.server.inject({ method: 'GET', url: '/readyz' })).json()).toMatchObject({ status: 'ready' });
  });

  it('sends security headers, a strict CSP, no CORS, and a request id', async () => {
    const res = await t.server.inject({ method: 'GET', url: '/', headers: { origin: 'https://evil.test' } });
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['x-request-id']).toBeTruthy();
  });

  it('every API route declares a permission or is public', () => {
    expect(t.routes.length).toBeGreaterThan(10);
    for (const r of t.routes) expect(r.permission === null || typeof r.permission === 'string').toBe(true);
  });
});

/**
 * Attacks on authentication: expired, tampered, unsigned, wrong-algorithm and
 * key-confusion tokens; revoked refresh tokens and API keys; refresh-token
 * reuse (revokes the whole sign-in); brute-force rate limits per IP and per
 * account. Every rejection is a 401/429 problem+json and grants nothing.
 */
import { exportSPKI, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../app.js';
import { signUp, type Principal } from '../factories.js';
import { isProblem, SECURITY_ENV, SETUP_TIMEOUT } from './lib/harness.js';

const SECRET = 'test-secret-test-secret-test-secret-0123';
const key = new TextEncoder().encode(SECRET);

let t: TestApp;
let owner: Principal;
let claims: JWTPayload;
beforeAll(async () => {
  t = await buildTestApp(SECURITY_ENV);
  owner = await signUp(t.server);
  claims = JSON.parse(Buffer.from(owner.token.split('.')[1]!, 'base64url').toString()) as JWTPayload;
}, SETUP_TIMEOUT);
afterAll(() => t?.close());

function me(token: string) {
  return t.server.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } });
}

async function expectRejected(token: string, code = 'unauthenticated') {
  const res = await me(token);
  expect(res.statusCode, res.body).toBe(401);
  expect(isProblem(res)).toBe(true);
  expect(res.json().code).toBe(code);
}

function sign(payload: JWTPayload, alg = 'HS256', secret: Parameters<SignJWT['sign']>[0] = key) {
  return new SignJWT(payload).setProtectedHeader({ alg, typ: 'JWT' }).sign(secret);
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('access tokens', () => {
  it('a well-formed token works (control)', async () => {
    expect((await me(owner.token)).statusCode).toBe(200);
    expect((await me(await sign(claims))).statusCode).toBe(200);
  });

  it('expired', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRejected(await sign({ ...claims, iat: now - 3600, exp: now - 60 }), 'token_expired');
  });

  it('tampered: payload changed, signature kept', async () => {
    const [h, , s] = owner.token.split('.');
    await expectRejected(`${h}.${b64({ ...claims, role: 'owner', tid: '00000000-0000-4000-8000-000000000000' })}.${s}`);
    await expectRejected(`${owner.token.slice(0, -2)}${owner.token.endsWith('AA') ? 'BB' : 'AA'}`);
  });

  it('alg none, with and without a signature', async () => {
    const header = b64({ alg: 'none', typ: 'JWT' });
    await expectRejected(`${header}.${b64(claims)}.`);
    await expectRejected(`${header}.${b64(claims)}`);
    await expectRejected(`${b64({ alg: 'NONE', typ: 'JWT' })}.${b64(claims)}.`);
  });

  it('other HMAC algorithms with the real secret (the algorithm is pinned)', async () => {
    await expectRejected(await sign(claims, 'HS384'));
    await expectRejected(await sign(claims, 'HS512'));
  });

  it('RS256/ES256 tokens, and HS256 signed with a public key as the secret (key confusion)', async () => {
    for (const alg of ['RS256', 'ES256', 'PS256', 'EdDSA']) {
      const pair = await generateKeyPair(alg, { extractable: true });
      await expectRejected(await sign(claims, alg, pair.privateKey));
      const pem = await exportSPKI(pair.publicKey);
      await expectRejected(await sign(claims, 'HS256', new TextEncoder().encode(pem)));
    }
  });

  it('an embedded JWK or a kid pointing elsewhere changes nothing', async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    const token = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', jwk: { kty: 'RSA', n: 'x', e: 'AQAB' }, kid: '../../dev/null' }).sign(pair.privateKey);
    await expectRejected(token);
    const hs = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: "' OR 1=1 --" }).sign(new Uint8Array(32));
    await expectRejected(hs);
  });

  it('wrong issuer, audience, unknown role, missing claims — even when signed with the real secret', async () => {
    await expectRejected(await sign({ ...claims, iss: 'evil' }));
    await expectRejected(await sign({ ...claims, aud: 'other-api' }));
    await expectRejected(await sign({ ...claims, role: 'superadmin' }));
    const { sid: _sid, ...noSession } = claims;
    await expectRejected(await sign(noSession));
    const { exp: _exp, ...noExpiry } = claims;
    await expectRejected(await sign(noExpiry));
  });

  it('garbage bearer values', async () => {
    for (const v of ['', 'a.b.c', '....', 'pk_', `pk_${'0'.repeat(32)}_${'A'.repeat(43)}`, 'x'.repeat(5000)]) {
      const res = await t.server.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${v}` } });
      expect(res.statusCode, v.slice(0, 20)).toBe(401);
      expect(isProblem(res)).toBe(true);
    }
    const basic = await t.server.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: 'Basic YTpi' } });
    expect(basic.statusCode).toBe(401);
  });
});

describe('refresh tokens and API keys', () => {
  const refresh = (token: string) => t.server.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refresh_token: token } });

  it('reusing a rotated refresh token revokes the whole family', async () => {
    const p = await signUp(t.server);
    const first = await refresh(p.refreshToken);
    expect(first.statusCode).toBe(200);
    const next = first.json<{ refresh_token: string }>().refresh_token;
    const replay = await refresh(p.refreshToken);
    expect(replay.statusCode).toBe(401);
    expect(isProblem(replay)).toBe(true);
    // The legitimate holder's newer token is gone too: the thief and the victim both sign in again.
    expect((await refresh(next)).statusCode).toBe(401);
  });

  it('a signed-out refresh token is rejected', async () => {
    const p = await signUp(t.server);
    expect((await t.server.inject({ method: 'POST', url: '/api/v1/auth/sign-out', payload: { refresh_token: p.refreshToken } })).statusCode).toBe(204);
    expect((await refresh(p.refreshToken)).statusCode).toBe(401);
  });

  it('a revoked API key is rejected at once', async () => {
    const created = await t.server.inject({ method: 'POST', url: '/api/v1/api-keys', headers: owner.headers, payload: { name: 'to revoke', role: 'viewer' } });
    const { id, key: apiKey } = created.json<{ id: string; key: string }>();
    expect((await me(apiKey)).statusCode).toBe(200);
    expect((await t.server.inject({ method: 'DELETE', url: `/api/v1/api-keys/${id}`, headers: owner.headers })).statusCode).toBe(204);
    await expectRejected(apiKey);
    // Same id, another secret.
    await expectRejected(`${apiKey.slice(0, 36)}${'A'.repeat(43)}`);
  });
});

describe('rate limits', () => {
  let limited: TestApp;
  beforeAll(async () => {
    limited = await buildTestApp({ ...SECURITY_ENV, RATE_LIMIT_AUTH_PER_IP: '5', RATE_LIMIT_AUTH_PER_ACCOUNT: '3' });
  }, SETUP_TIMEOUT);
  afterAll(() => limited?.close());

  const signIn = (email: string, ip: string) => limited.server.inject({ method: 'POST', url: '/api/v1/auth/sign-in', remoteAddress: ip, payload: { email, password: 'wrong password!' } });

  it('per IP: the sixth attempt from one address is 429 with Retry-After', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await signIn(`nobody${i}@example.test`, '203.0.113.7')).statusCode);
    expect(codes.slice(0, 5).every((c) => c === 401)).toBe(true);
    const res = await signIn('nobody9@example.test', '203.0.113.7');
    expect(res.statusCode).toBe(429);
    expect(isProblem(res)).toBe(true);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('per account: spreading attempts over many addresses does not help', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await signIn('target@example.test', `198.51.100.${i + 1}`)).statusCode);
    expect(codes.slice(0, 3)).toEqual([401, 401, 401]);
    expect(codes.slice(3)).toEqual([429, 429]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/app.js';
import { addMember, signUp, uniqueEmail } from '../../../test/factories.js';
import { withSystem } from '../db/system.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const post = (url: string, payload?: unknown, headers: Record<string, string> = {}) =>
  t.server.inject({ method: 'POST', url, payload: payload as object, headers });

describe('sign-up and sign-in', () => {
  it('creates a firm with its owner and signs in with argon2id', async () => {
    const owner = await signUp(t.server, { firm_name: 'Acme Ltd' });
    const hash = await withSystem(t.db, (tx) => tx.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [owner.userId]));
    expect(hash.rows[0]?.password_hash).toMatch(/^\$argon2id\$/);
    const me = await t.server.inject({ method: 'GET', url: '/api/v1/auth/me', headers: owner.headers });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ tenant: { tenant_name: 'Acme Ltd', role: 'owner' }, user: { email: owner.email } });
    const res = await post('/api/v1/auth/sign-in', { email: owner.email.toUpperCase(), password: owner.password });
    expect(res.statusCode).toBe(200);
    expect(res.json().tenant.tenant_id).toBe(owner.tenantId);
  });

  it('refuses a second account with the same email', async () => {
    const owner = await signUp(t.server);
    const res = await post('/api/v1/auth/sign-up', { email: owner.email, password: 'long enough password', name: 'X', firm_name: 'Y' });
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('answers the same 401 for a wrong password and an unknown email', async () => {
    const owner = await signUp(t.server);
    const wrong = await post('/api/v1/auth/sign-in', { email: owner.email, password: 'not the password' });
    const unknown = await post('/api/v1/auth/sign-in', { email: uniqueEmail(), password: 'not the password' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().detail).toBe(unknown.json().detail);
  });

  it('sets the refresh cookie httpOnly, Secure and SameSite, and keeps it out of the body for the web app', async () => {
    const owner = await signUp(t.server);
    const res = await post('/api/v1/auth/sign-in', { email: owner.email, password: owner.password }, { 'x-pillar-client': 'web' });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/pillar_rt=[\w-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('Secure');
    expect(cookie).toContain('SameSite=Strict');
    expect(res.json().refresh_token).toBeUndefined();
  });
});

describe('refresh tokens', () => {
  it('rotates, and a reused token revokes the whole family', async () => {
    const owner = await signUp(t.server);
    const first = await post('/api/v1/auth/refresh', { refresh_token: owner.refreshToken });
    expect(first.statusCode).toBe(200);
    const second = first.json<{ refresh_token: string; access_token: string }>();
    expect(second.refresh_token).not.toBe(owner.refreshToken);

    const replay = await post('/api/v1/auth/refresh', { refresh_token: owner.refreshToken });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().detail).toMatch(/reuse/);
    // The legitimate holder's newer token is now dead too.
    const after = await post('/api/v1/auth/refresh', { refresh_token: second.refresh_token });
    expect(after.statusCode).toBe(401);
  });

  it('reads the refresh token from the cookie', async () => {
    const owner = await signUp(t.server);
    const res = await t.server.inject({ method: 'POST', url: '/api/v1/auth/refresh', cookies: { pillar_rt: owner.refreshToken } });
    expect(res.statusCode).toBe(200);
  });

  it('sign-out ends the family', async () => {
    const owner = await signUp(t.server);
    const out = await post('/api/v1/auth/sign-out', { refresh_token: owner.refreshToken }, owner.headers);
    expect(out.statusCode).toBe(204);
    const res = await post('/api/v1/auth/refresh', { refresh_token: owner.refreshToken });
    expect(res.statusCode).toBe(401);
  });

  it('rejects garbage, tampered and wrong-algorithm access tokens', async () => {
    const owner = await signUp(t.server);
    const [h, p] = owner.token.split('.');
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${p}.`;
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, role: 'owner', tid: '00000000-0000-7000-8000-000000000000' })).toString('base64url')}.${owner.token.split('.')[2]}`;
    for (const token of ['garbage', none, forged, `${owner.token}x`]) {
      const res = await t.server.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } });
      expect(res.statusCode, token).toBe(401);
    }
    const missing = await t.server.inject({ method: 'GET', url: '/api/v1/auth/me' });
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer');
  });
});

describe('password reset', () => {
  it('mails a single-use link, sets the new password and ends old sessions', async () => {
    const owner = await signUp(t.server);
    const res = await post('/api/v1/auth/forgot-password', { email: owner.email });
    expect(res.statusCode).toBe(202);
    const mail = t.mailer.sent.findLast((m) => m.to === owner.email);
    const token = decodeURIComponent(/token=([^\s]+)/.exec(mail!.text)![1]!);
    const reset = await post('/api/v1/auth/reset-password', { token, password: 'a brand new password' });
    expect(reset.statusCode).toBe(204);
    expect((await post('/api/v1/auth/reset-password', { token, password: 'yet another password' })).statusCode).toBe(422);
    expect((await post('/api/v1/auth/sign-in', { email: owner.email, password: owner.password })).statusCode).toBe(401);
    expect((await post('/api/v1/auth/sign-in', { email: owner.email, password: 'a brand new password' })).statusCode).toBe(200);
    expect((await post('/api/v1/auth/refresh', { refresh_token: owner.refreshToken })).statusCode).toBe(401);
  });

  it('answers 202 for unknown emails without sending mail', async () => {
    const before = t.mailer.sent.length;
    const res = await post('/api/v1/auth/forgot-password', { email: uniqueEmail() });
    expect(res.statusCode).toBe(202);
    expect(t.mailer.sent.length).toBe(before);
  });
});

describe('several firms per person', () => {
  it('switches tenant and keeps data apart', async () => {
    const a = await signUp(t.server, { firm_name: 'Firm A' });
    const b = await signUp(t.server, { firm_name: 'Firm B' });
    const inv = await post('/api/v1/invitations', { email: a.email, role: 'member' }, b.headers);
    expect(inv.statusCode).toBe(201);
    // An existing account must prove it owns the address.
    expect((await post('/api/v1/auth/accept-invitation', { token: inv.json().token })).statusCode).toBe(401);
    const accepted = await post('/api/v1/auth/accept-invitation', { token: inv.json().token, password: a.password });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().memberships).toHaveLength(2);

    const switched = await post('/api/v1/auth/switch-tenant', { tenant_id: b.tenantId }, a.headers);
    expect(switched.statusCode).toBe(200);
    expect(switched.json().tenant).toMatchObject({ tenant_id: b.tenantId, role: 'member' });
    const outsider = await signUp(t.server);
    const denied = await post('/api/v1/auth/switch-tenant', { tenant_id: outsider.tenantId }, a.headers);
    expect(denied.statusCode).toBe(404);
  });

  it('invitations are single-use', async () => {
    const owner = await signUp(t.server);
    const member = await addMember(t.server, owner, 'member');
    expect(member.tenantId).toBe(owner.tenantId);
    const inv = await post('/api/v1/invitations', { email: uniqueEmail(), role: 'viewer' }, owner.headers);
    const body = { token: inv.json().token, name: 'New Person', password: 'a good long password' };
    expect((await post('/api/v1/auth/accept-invitation', body)).statusCode).toBe(200);
    expect((await post('/api/v1/auth/accept-invitation', body)).statusCode).toBe(422);
  });

  it('expired invitations are refused', async () => {
    const owner = await signUp(t.server);
    const inv = await post('/api/v1/invitations', { email: uniqueEmail(), role: 'viewer' }, owner.headers);
    await withSystem(t.db, (tx) => tx.query(`UPDATE invitations SET expires_at = now() - interval '1 second' WHERE id = $1`, [inv.json().id]));
    const res = await post('/api/v1/auth/accept-invitation', { token: inv.json().token, name: 'Late', password: 'a good long password' });
    expect(res.statusCode).toBe(422);
  });
});

describe('rate limits', () => {
  it('limits sign-in per account with 429 and Retry-After', async () => {
    const limited = await buildTestApp({ RATE_LIMIT_AUTH_PER_ACCOUNT: '3' });
    try {
      const owner = await signUp(limited.server);
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await limited.server.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: owner.email, password: 'wrong password' } });
        codes.push(r.statusCode);
        if (r.statusCode === 429) expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      }
      expect(codes).toEqual([401, 401, 401, 429, 429]);
      // The right password does not get through a lock-out either.
      const r = await limited.server.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: owner.email, password: owner.password } });
      expect(r.statusCode).toBe(429);
    } finally {
      await limited.close();
    }
  });

  it('limits sign-up per IP', async () => {
    const limited = await buildTestApp({ RATE_LIMIT_AUTH_PER_IP: '2' });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await limited.server.inject({ method: 'POST', url: '/api/v1/auth/sign-up', payload: { email: uniqueEmail(), password: 'long enough password', name: 'N', firm_name: 'F' } });
        codes.push(r.statusCode);
      }
      expect(codes).toEqual([201, 201, 429]);
    } finally {
      await limited.close();
    }
  });
});

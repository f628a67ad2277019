/** Test factories that go through the public API, as a user would. */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { expect } from 'vitest';

export interface Principal {
  token: string;
  tenantId: string;
  userId: string;
  email: string;
  password: string;
  refreshToken: string;
  headers: { authorization: string };
}

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.test`;
}

export async function signUp(server: FastifyInstance, overrides: Partial<{ email: string; name: string; firm_name: string }> = {}): Promise<Principal> {
  const email = overrides.email ?? uniqueEmail();
  const password = 'correct horse battery staple';
  const res = await server.inject({
    method: 'POST',
    url: '/api/v1/auth/sign-up',
    payload: { email, password, name: overrides.name ?? 'Test Owner', firm_name: overrides.firm_name ?? `Firm ${email}` },
  });
  expect(res.statusCode, res.body).toBe(201);
  const body = res.json<{ access_token: string; refresh_token: string; user: { id: string }; tenant: { tenant_id: string } }>();
  return {
    token: body.access_token,
    refreshToken: body.refresh_token,
    tenantId: body.tenant.tenant_id,
    userId: body.user.id,
    email,
    password,
    headers: { authorization: `Bearer ${body.access_token}` },
  };
}

/** Invites a new person with `role` into the owner's tenant and signs them in. */
export async function addMember(server: FastifyInstance, owner: Principal, role: string): Promise<Principal> {
  const email = uniqueEmail(role);
  const inv = await server.inject({ method: 'POST', url: '/api/v1/invitations', headers: owner.headers, payload: { email, role } });
  expect(inv.statusCode, inv.body).toBe(201);
  const password = 'another correct horse';
  const res = await server.inject({
    method: 'POST',
    url: '/api/v1/auth/accept-invitation',
    payload: { token: inv.json<{ token: string }>().token, name: `A ${role}`, password },
  });
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json<{ access_token: string; refresh_token: string; user: { id: string } }>();
  return {
    token: body.access_token,
    refreshToken: body.refresh_token,
    tenantId: owner.tenantId,
    userId: body.user.id,
    email,
    password,
    headers: { authorization: `Bearer ${body.access_token}` },
  };
}

export function as(p: Principal, opts: InjectOptions): InjectOptions {
  return { ...opts, headers: { ...p.headers, ...(opts.headers ?? {}) } };
}

/**
 * Security-critical: sign-up, sign-in, refresh-token rotation with reuse
 * detection, tenant switching and sign-out. Runs before a tenant is known,
 * so it uses the unrestricted connection and checks membership itself.
 */
import type { Role } from '@pillar/shared';
import { uuidv7 } from 'uuidv7';
import { recordChange } from '../audit.js';
import { withSystem } from '../db/system.js';
import type { Tx } from '../db/database.js';
import { AppError } from '../errors.js';
import * as q from './auth.queries.js';
import type { AuthDeps } from './deps.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { consume } from './rate-limit.js';
import { randomToken, sha256 } from './tokens.js';

export interface Session {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  user: { id: string; email: string; name: string };
  tenant: q.MembershipRow;
  memberships: q.MembershipRow[];
}

export interface ClientInfo {
  ip: string;
  requestId: string;
}

/** Issues an access token and a refresh token (new family unless one is given). */
export async function issueSession(
  deps: AuthDeps,
  tx: Tx,
  user: q.UserRow,
  tenantId: string,
  familyId: string = uuidv7(),
): Promise<Session> {
  const memberships = await q.listMemberships(tx, user.id);
  const tenant = memberships.find((m) => m.tenant_id === tenantId);
  if (!tenant) throw new AppError('forbidden', { message: 'You are not a member of this workspace' });
  const refresh = randomToken();
  await q.insertRefreshToken(tx, {
    id: uuidv7(),
    familyId,
    userId: user.id,
    tenantId,
    hash: sha256(refresh),
    ttlSeconds: deps.config.refreshTokenTtl,
  });
  const access = await deps.signer.sign({ userId: user.id, tenantId, role: tenant.role, sessionId: familyId });
  return {
    access_token: access,
    token_type: 'Bearer',
    expires_in: deps.signer.ttlSeconds,
    refresh_token: refresh,
    user: { id: user.id, email: user.email, name: user.name },
    tenant,
    memberships,
  };
}

export async function signUp(
  deps: AuthDeps,
  input: { email: string; password: string; name: string; firm_name: string },
  client: ClientInfo,
): Promise<Session> {
  await consume(deps.limits.perIp, `signup:${client.ip}`);
  const passwordHash = await hashPassword(input.password);
  return withSystem(deps.db, async (tx) => {
    if (await q.findUserByEmail(tx, input.email)) {
      throw new AppError('conflict', {
        message: 'An account with this email already exists; sign in instead',
        errors: [{ path: 'email', message: 'already registered' }],
      });
    }
    const user = { id: uuidv7(), email: input.email, name: input.name, password_hash: passwordHash };
    const tenantId = uuidv7();
    await q.insertUser(tx, { ...user, passwordHash });
    await q.insertTenant(tx, { id: tenantId, name: input.firm_name });
    await q.insertMembership(tx, tenantId, user.id, 'owner');
    const ctx = traceContext(deps, tenantId, user.id, client);
    await recordChange(tx, ctx, {
      action: 'tenant.create',
      entity: 'tenant',
      entityId: tenantId,
      after: { name: input.firm_name, owner: user.id },
      event: { type: 'tenant.created', payload: { tenant_id: tenantId, name: input.firm_name } },
    });
    return issueSession(deps, tx, user, tenantId);
  });
}

export async function signIn(
  deps: AuthDeps,
  input: { email: string; password: string; tenant_id?: string | undefined },
  client: ClientInfo,
): Promise<Session> {
  await consume(deps.limits.perIp, `signin:${client.ip}`);
  await consume(deps.limits.perAccount, `signin:${input.email}`);
  const user = await withSystem(deps.db, (tx) => q.findUserByEmail(tx, input.email));
  const ok = await verifyPassword(user?.password_hash, input.password);
  if (!user || !ok) throw new AppError('invalid_credentials', { message: 'Email or password is incorrect' });
  await deps.limits.perAccount.delete(`signin:${input.email}`);
  return withSystem(deps.db, async (tx) => {
    const memberships = await q.listMemberships(tx, user.id);
    const chosen = input.tenant_id ? memberships.find((m) => m.tenant_id === input.tenant_id) : memberships[0];
    if (!chosen) throw new AppError('forbidden', { message: 'This account has no access to that workspace' });
    return issueSession(deps, tx, user, chosen.tenant_id);
  });
}

type RefreshOutcome = { session: Session } | { error: AppError };

/**
 * Rotates a refresh token. A token presented twice means it was stolen or
 * replayed: the whole family is revoked (committed), then the caller gets 401.
 */
export async function refresh(deps: AuthDeps, token: string, tenantId?: string): Promise<Session> {
  const outcome = await withSystem(deps.db, async (tx): Promise<RefreshOutcome> => {
    const row = await q.findRefreshTokenForUpdate(tx, sha256(token));
    const invalid = new AppError('unauthenticated', { message: 'The session has ended; sign in again' });
    if (!row || row.revoked_at) return { error: invalid };
    if (row.used_at) {
      await q.revokeFamily(tx, row.family_id);
      return { error: new AppError('unauthenticated', { message: 'Refresh token reuse detected; all sessions of this sign-in were ended' }) };
    }
    if (new Date(row.expires_at).getTime() <= Date.now()) return { error: invalid };
    const user = await q.findUserById(tx, row.user_id);
    if (!user) return { error: invalid };
    await q.markRefreshUsed(tx, row.id);
    return { session: await issueSession(deps, tx, user, tenantId ?? row.tenant_id, row.family_id) };
  });
  if ('error' in outcome) throw outcome.error;
  return outcome.session;
}

export async function signOut(deps: AuthDeps, opts: { token?: string | undefined; familyId?: string | undefined }) {
  await withSystem(deps.db, async (tx) => {
    if (opts.familyId) await q.revokeFamily(tx, opts.familyId);
    if (opts.token) {
      const row = await q.findRefreshTokenForUpdate(tx, sha256(opts.token));
      if (row) await q.revokeFamily(tx, row.family_id);
    }
  });
}

/** Moves the current sign-in (same family) to another tenant the user belongs to. */
export async function switchTenant(deps: AuthDeps, userId: string, familyId: string, tenantId: string) {
  return withSystem(deps.db, async (tx) => {
    if (await q.isFamilyRevoked(tx, familyId)) throw new AppError('unauthenticated', { message: 'The session has ended' });
    const user = await q.findUserById(tx, userId);
    if (!user) throw new AppError('unauthenticated');
    const memberships = await q.listMemberships(tx, userId);
    if (!memberships.some((m) => m.tenant_id === tenantId)) throw new AppError('not_found', { message: 'Workspace not found' });
    return issueSession(deps, tx, user, tenantId, familyId);
  });
}

export function traceContext(deps: AuthDeps, tenantId: string, userId: string | null, client: ClientInfo, role: Role = 'owner') {
  return {
    db: deps.db,
    tenantId,
    userId,
    role,
    actor: { type: userId ? ('user' as const) : ('system' as const), id: userId },
    requestId: client.requestId,
    ip: client.ip,
  };
}

/** Security-critical: invitations are single-use, expiring, stored hashed. */
import { RoleRank, type Role } from '@pillar/shared';
import { uuidv7 } from 'uuidv7';
import { recordChange } from '../audit.js';
import { withSystem } from '../db/system.js';
import { withTenant, type TenantContext } from '../db/tenant.js';
import { AppError, notFound } from '../errors.js';
import * as auth from './auth.queries.js';
import type { AuthDeps } from './deps.js';
import * as q from './invitations.queries.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { issueSession, traceContext, type ClientInfo, type Session } from './session.service.js';
import { randomToken, sha256 } from './tokens.js';

const INVITATION_TTL_SECONDS = 7 * 86_400;

export function assertMayGrant(ctx: TenantContext, role: Role) {
  if (RoleRank[role] > RoleRank[ctx.role]) {
    throw new AppError('forbidden', { message: `A ${ctx.role} cannot grant the ${role} role` });
  }
}

export async function createInvitation(deps: AuthDeps, ctx: TenantContext, input: { email: string; role: Role }) {
  assertMayGrant(ctx, input.role);
  const token = randomToken();
  const invitation = await withTenant(ctx, async (tx) => {
    const row = await q.insertInvitation(tx, {
      tenantId: ctx.tenantId, id: uuidv7(), email: input.email, role: input.role,
      hash: sha256(token), invitedBy: ctx.userId, ttlSeconds: INVITATION_TTL_SECONDS,
    });
    await recordChange(tx, ctx, {
      action: 'invitation.create', entity: 'invitation', entityId: row.id,
      after: { email: row.email, role: row.role },
      event: { type: 'invitation.created', payload: { id: row.id, email: row.email, role: row.role } },
    });
    const tenant = await tx.query<{ name: string }>('SELECT name FROM tenants');
    return { row, tenantName: tenant.rows[0]?.name ?? 'a workspace' };
  });
  const link = `${deps.config.publicUrl}/accept-invitation?token=${encodeURIComponent(token)}`;
  await deps.mailer.send({
    to: input.email,
    subject: `You are invited to ${invitation.tenantName} on Pillar`,
    text: `You have been invited to join ${invitation.tenantName} on Pillar as ${input.role}.\n\nAccept within 7 days:\n${link}\n`,
  });
  return { ...invitation.row, token };
}

export function listInvitations(ctx: TenantContext) {
  return withTenant(ctx, (tx) => q.listInvitations(tx));
}

export async function revokeInvitation(ctx: TenantContext, id: string) {
  await withTenant(ctx, async (tx) => {
    const row = await q.deleteInvitation(tx, id);
    if (!row) throw notFound('Invitation');
    await recordChange(tx, ctx, { action: 'invitation.revoke', entity: 'invitation', entityId: id, before: { email: row.email, role: row.role } });
  });
}

/**
 * Accepts by token. A new person chooses a name and password; an existing
 * account must prove it owns the email with its password.
 */
export async function acceptInvitation(
  deps: AuthDeps,
  input: { token: string; name?: string | undefined; password?: string | undefined },
  client: ClientInfo,
): Promise<Session> {
  const newHash = input.password ? await hashPassword(input.password) : null;
  return withSystem(deps.db, async (tx) => {
    const inv = await q.findOpenInvitationForUpdate(tx, sha256(input.token));
    if (!inv) throw new AppError('unprocessable', { message: 'This invitation is invalid, used or expired' });
    let user = await auth.findUserByEmail(tx, inv.email);
    if (user) {
      if (!input.password || !(await verifyPassword(user.password_hash, input.password))) {
        throw new AppError('invalid_credentials', { message: 'Enter the password of your existing Pillar account' });
      }
    } else {
      if (!input.name || !newHash) {
        throw new AppError('validation_failed', {
          message: 'Choose a name and a password for your new account',
          errors: [
            ...(input.name ? [] : [{ path: 'body.name', message: 'required' }]),
            ...(newHash ? [] : [{ path: 'body.password', message: 'required' }]),
          ],
        });
      }
      user = { id: uuidv7(), email: inv.email, name: input.name, password_hash: newHash };
      await auth.insertUser(tx, { ...user, passwordHash: newHash });
    }
    if (!(await q.membershipExists(tx, inv.tenant_id, user.id))) {
      await auth.insertMembership(tx, inv.tenant_id, user.id, inv.role);
    }
    await q.markAccepted(tx, inv.tenant_id, inv.id);
    await recordChange(tx, traceContext(deps, inv.tenant_id, user.id, client, inv.role), {
      action: 'invitation.accept', entity: 'membership', entityId: user.id,
      after: { user_id: user.id, role: inv.role },
      event: { type: 'member.joined', payload: { user_id: user.id, role: inv.role } },
    });
    return issueSession(deps, tx, user, inv.tenant_id);
  });
}

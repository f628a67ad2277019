/** Members of the current tenant: list, change role, remove. Never leaves a tenant without an owner. */
import type { Role } from '@pillar/shared';
import { recordChange } from '../audit.js';
import { withTenant, type TenantContext } from '../db/tenant.js';
import type { Tx } from '../db/database.js';
import { AppError, notFound, preconditionFailed } from '../errors.js';
import { assertMayGrant } from './invitations.service.js';

export interface MemberRow {
  user_id: string;
  email: string;
  name: string;
  role: Role;
  created_at: string;
  version: number;
}

const SELECT = `SELECT m.user_id, u.email, u.name, m.role, m.created_at, m.version
                  FROM memberships m JOIN users u ON u.id = m.user_id`;

export function listMembers(ctx: TenantContext): Promise<MemberRow[]> {
  return withTenant(ctx, async (tx) => (await tx.query<MemberRow>(`${SELECT} ORDER BY u.name, m.user_id LIMIT 1000`)).rows);
}

async function getMemberForUpdate(tx: Tx, userId: string): Promise<MemberRow> {
  const r = await tx.query<MemberRow>(`${SELECT} WHERE m.user_id = $1 FOR UPDATE OF m`, [userId]);
  if (!r.rows[0]) throw notFound('Member');
  return r.rows[0];
}

async function assertOwnerRemains(tx: Tx, leaving: MemberRow) {
  if (leaving.role !== 'owner') return;
  const r = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM memberships WHERE role = 'owner'`);
  if ((r.rows[0]?.n ?? 0) <= 1) throw new AppError('conflict', { message: 'A workspace needs at least one owner' });
}

function assertMayManage(ctx: TenantContext, target: MemberRow) {
  if (target.role === 'owner' && ctx.role !== 'owner') {
    throw new AppError('forbidden', { message: 'Only an owner can change another owner' });
  }
}

export async function updateMemberRole(ctx: TenantContext, userId: string, role: Role, expected?: number) {
  assertMayGrant(ctx, role);
  return withTenant(ctx, async (tx) => {
    const before = await getMemberForUpdate(tx, userId);
    if (expected !== undefined && before.version !== expected) throw preconditionFailed(before.version);
    assertMayManage(ctx, before);
    if (role !== 'owner') await assertOwnerRemains(tx, before);
    await tx.query('UPDATE memberships SET role = $2, version = version + 1, updated_at = now() WHERE user_id = $1', [userId, role]);
    const after = await getMemberForUpdate(tx, userId);
    await recordChange(tx, ctx, {
      action: 'member.update', entity: 'membership', entityId: userId,
      before: { role: before.role }, after: { role: after.role },
      event: { type: 'member.role_changed', payload: { user_id: userId, from: before.role, to: after.role } },
    });
    return after;
  });
}

export async function removeMember(ctx: TenantContext, userId: string, expected?: number) {
  await withTenant(ctx, async (tx) => {
    const before = await getMemberForUpdate(tx, userId);
    if (expected !== undefined && before.version !== expected) throw preconditionFailed(before.version);
    assertMayManage(ctx, before);
    await assertOwnerRemains(tx, before);
    await tx.query('DELETE FROM memberships WHERE user_id = $1', [userId]);
    await recordChange(tx, ctx, {
      action: 'member.remove', entity: 'membership', entityId: userId, before: { role: before.role, email: before.email },
      event: { type: 'member.removed', payload: { user_id: userId } },
    });
  });
}

import type { Role } from '@pillar/shared';
import type { Tx } from '../db/database.js';

export interface InvitationRow {
  id: string;
  tenant_id: string;
  email: string;
  role: Role;
  expires_at: string;
  accepted_at: string | null;
  created_at: string;
}

const COLS = 'id, tenant_id, email, role, expires_at, accepted_at, created_at';

export async function insertInvitation(
  tx: Tx,
  i: { tenantId: string; id: string; email: string; role: Role; hash: string; invitedBy: string | null; ttlSeconds: number },
): Promise<InvitationRow> {
  const r = await tx.query<InvitationRow>(
    `INSERT INTO invitations (tenant_id, id, email, role, token_hash, invited_by, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7)) RETURNING ${COLS}`,
    [i.tenantId, i.id, i.email, i.role, i.hash, i.invitedBy, i.ttlSeconds],
  );
  return r.rows[0]!;
}

export async function listInvitations(tx: Tx): Promise<InvitationRow[]> {
  const r = await tx.query<InvitationRow>(`SELECT ${COLS} FROM invitations ORDER BY created_at DESC, id DESC LIMIT 500`);
  return r.rows;
}

export async function deleteInvitation(tx: Tx, id: string): Promise<InvitationRow | undefined> {
  const r = await tx.query<InvitationRow>(`DELETE FROM invitations WHERE id = $1 AND accepted_at IS NULL RETURNING ${COLS}`, [id]);
  return r.rows[0];
}

/** Unrestricted lookup by token (the invitee has no tenant yet). */
export async function findOpenInvitationForUpdate(tx: Tx, hash: string): Promise<InvitationRow | undefined> {
  const r = await tx.query<InvitationRow>(
    `SELECT ${COLS} FROM invitations
      WHERE token_hash = $1 AND accepted_at IS NULL AND expires_at > now() FOR UPDATE`,
    [hash],
  );
  return r.rows[0];
}

export async function markAccepted(tx: Tx, tenantId: string, id: string) {
  await tx.query('UPDATE invitations SET accepted_at = now() WHERE tenant_id = $1 AND id = $2', [tenantId, id]);
}

export async function membershipExists(tx: Tx, tenantId: string, userId: string): Promise<boolean> {
  const r = await tx.query('SELECT 1 FROM memberships WHERE tenant_id = $1 AND user_id = $2', [tenantId, userId]);
  return r.rows.length > 0;
}

/** SQL for identities and tokens. Runs through `withSystem` (before a tenant is known) or `withTenant`. */
import type { Role } from '@pillar/shared';
import type { Tx } from '../db/database.js';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  password_hash: string | null;
}

export interface MembershipRow {
  tenant_id: string;
  tenant_name: string;
  role: Role;
}

export interface RefreshRow {
  id: string;
  family_id: string;
  user_id: string;
  tenant_id: string;
  expires_at: string;
  used_at: string | null;
  revoked_at: string | null;
}

export async function findUserByEmail(tx: Tx, email: string): Promise<UserRow | undefined> {
  const r = await tx.query<UserRow>('SELECT id, email, name, password_hash FROM users WHERE email = $1', [email]);
  return r.rows[0];
}

export async function findUserById(tx: Tx, id: string): Promise<UserRow | undefined> {
  const r = await tx.query<UserRow>('SELECT id, email, name, password_hash FROM users WHERE id = $1', [id]);
  return r.rows[0];
}

export async function insertUser(tx: Tx, u: { id: string; email: string; name: string; passwordHash: string }) {
  await tx.query('INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, $3, $4)', [
    u.id, u.email, u.name, u.passwordHash,
  ]);
}

export async function updatePassword(tx: Tx, userId: string, passwordHash: string) {
  await tx.query(
    'UPDATE users SET password_hash = $2, updated_at = now(), version = version + 1 WHERE id = $1',
    [userId, passwordHash],
  );
}

export async function insertTenant(tx: Tx, t: { id: string; name: string }) {
  await tx.query('INSERT INTO tenants (id, name) VALUES ($1, $2)', [t.id, t.name]);
}

export async function insertMembership(tx: Tx, tenantId: string, userId: string, role: Role) {
  await tx.query('INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, $3)', [tenantId, userId, role]);
}

export async function listMemberships(tx: Tx, userId: string): Promise<MembershipRow[]> {
  const r = await tx.query<MembershipRow>(
    `SELECT m.tenant_id, t.name AS tenant_name, m.role
       FROM memberships m JOIN tenants t ON t.id = m.tenant_id
      WHERE m.user_id = $1 ORDER BY m.created_at, m.tenant_id`,
    [userId],
  );
  return r.rows;
}

export async function insertRefreshToken(
  tx: Tx,
  t: { id: string; familyId: string; userId: string; tenantId: string; hash: string; ttlSeconds: number },
) {
  await tx.query(
    `INSERT INTO refresh_tokens (id, family_id, user_id, tenant_id, token_hash, expires_at)
     VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6))`,
    [t.id, t.familyId, t.userId, t.tenantId, t.hash, t.ttlSeconds],
  );
}

export async function findRefreshTokenForUpdate(tx: Tx, hash: string): Promise<RefreshRow | undefined> {
  const r = await tx.query<RefreshRow>(
    `SELECT id, family_id, user_id, tenant_id, expires_at, used_at, revoked_at
       FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`,
    [hash],
  );
  return r.rows[0];
}

export async function markRefreshUsed(tx: Tx, id: string) {
  await tx.query('UPDATE refresh_tokens SET used_at = now() WHERE id = $1', [id]);
}

export async function revokeFamily(tx: Tx, familyId: string) {
  await tx.query('UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL', [
    familyId,
  ]);
}

export async function revokeUserTokens(tx: Tx, userId: string) {
  await tx.query('UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [userId]);
}

export async function isFamilyRevoked(tx: Tx, familyId: string): Promise<boolean> {
  const r = await tx.query<{ revoked: boolean }>(
    'SELECT bool_or(revoked_at IS NOT NULL) AS revoked FROM refresh_tokens WHERE family_id = $1',
    [familyId],
  );
  return r.rows[0]?.revoked ?? true;
}

export async function insertPasswordReset(tx: Tx, r: { id: string; userId: string; hash: string; ttlSeconds: number }) {
  await tx.query(
    `INSERT INTO password_resets (id, user_id, token_hash, expires_at)
     VALUES ($1, $2, $3, now() + make_interval(secs => $4))`,
    [r.id, r.userId, r.hash, r.ttlSeconds],
  );
}

export async function consumePasswordReset(tx: Tx, hash: string): Promise<string | undefined> {
  const r = await tx.query<{ user_id: string }>(
    `UPDATE password_resets SET used_at = now()
      WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()
      RETURNING user_id`,
    [hash],
  );
  return r.rows[0]?.user_id;
}

/**
 * Security-critical: API keys. Format `pk_<id>_<secret>`; only SHA-256 of the
 * secret is stored. Verified keys are cached for a few seconds per process;
 * revocation clears this process's cache at once.
 */
import type { Role } from '@pillar/shared';
import { uuidv7 } from 'uuidv7';
import { recordChange } from '../audit.js';
import type { Database } from '../db/database.js';
import { withSystem } from '../db/system.js';
import { withTenant, type TenantContext } from '../db/tenant.js';
import { notFound } from '../errors.js';
import { assertMayGrant } from './invitations.service.js';
import { randomToken, safeEqualHex, sha256 } from './tokens.js';

export interface ApiKeyRow {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

const COLS = 'id, name, role, prefix, created_at, last_used_at, revoked_at';
const KEY_FORMAT = /^pk_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;
const CACHE_MS = 10_000;

interface Verified {
  tenantId: string;
  role: Role;
  secretHash: string;
  revoked: boolean;
  at: number;
}
const cache = new Map<string, Verified>();

export async function createApiKey(ctx: TenantContext, input: { name: string; role: Role }) {
  assertMayGrant(ctx, input.role);
  const id = uuidv7();
  const secret = randomToken();
  const key = `pk_${id.replaceAll('-', '')}_${secret}`;
  const row = await withTenant(ctx, async (tx) => {
    const r = await tx.query<ApiKeyRow>(
      `INSERT INTO api_keys (tenant_id, id, name, role, prefix, secret_hash, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLS}`,
      [ctx.tenantId, id, input.name, input.role, key.slice(0, 12), sha256(secret), ctx.userId],
    );
    await recordChange(tx, ctx, {
      action: 'api_key.create', entity: 'api_key', entityId: id, after: { name: input.name, role: input.role },
      event: { type: 'api_key.created', payload: { id, name: input.name, role: input.role } },
    });
    return r.rows[0]!;
  });
  return { ...row, key };
}

export function listApiKeys(ctx: TenantContext): Promise<ApiKeyRow[]> {
  return withTenant(ctx, async (tx) => (await tx.query<ApiKeyRow>(`SELECT ${COLS} FROM api_keys ORDER BY created_at DESC, id DESC LIMIT 500`)).rows);
}

export async function revokeApiKey(ctx: TenantContext, id: string) {
  await withTenant(ctx, async (tx) => {
    const r = await tx.query<ApiKeyRow>(
      `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()), version = version + 1 WHERE id = $1 RETURNING ${COLS}`,
      [id],
    );
    if (!r.rows[0]) throw notFound('API key');
    await recordChange(tx, ctx, {
      action: 'api_key.revoke', entity: 'api_key', entityId: id, before: { revoked_at: null }, after: { revoked_at: r.rows[0].revoked_at },
      event: { type: 'api_key.revoked', payload: { id } },
    });
  });
  cache.delete(id.replaceAll('-', ''));
}

/** Returns the tenant and role of a valid, unrevoked key, or null. */
export async function verifyApiKey(db: Database, key: string): Promise<{ tenantId: string; role: Role; keyId: string } | null> {
  const m = KEY_FORMAT.exec(key);
  if (!m?.[1] || !m[2]) return null;
  const compact = m[1];
  const keyId = `${compact.slice(0, 8)}-${compact.slice(8, 12)}-${compact.slice(12, 16)}-${compact.slice(16, 20)}-${compact.slice(20)}`;
  let entry = cache.get(compact);
  if (!entry || Date.now() - entry.at > CACHE_MS) {
    const row = await withSystem(db, async (tx) => {
      const r = await tx.query<{ tenant_id: string; role: Role; secret_hash: string; revoked_at: string | null }>(
        'UPDATE api_keys SET last_used_at = now() WHERE id = $1 RETURNING tenant_id, role, secret_hash, revoked_at',
        [keyId],
      );
      return r.rows[0];
    });
    if (!row) return null;
    entry = { tenantId: row.tenant_id, role: row.role, secretHash: row.secret_hash, revoked: row.revoked_at !== null, at: Date.now() };
    cache.set(compact, entry);
  }
  if (entry.revoked || !safeEqualHex(entry.secretHash, sha256(m[2]))) return null;
  return { tenantId: entry.tenantId, role: entry.role, keyId };
}

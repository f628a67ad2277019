/**
 * Security-critical: the only way module code reaches the database.
 *
 * Every transaction sets the tenant, the user and the restricted role in the
 * same round trip as BEGIN. The role `pillar_app` owns nothing and has no
 * BYPASSRLS, so PostgreSQL's row-level security policies (see migrations)
 * confine every statement to `app.tenant_id`. The values are validated UUIDs
 * before they are spliced into SQL.
 */
import type { Role } from '@pillar/shared';
import type { Database, Tx } from './database.js';

export type { Tx } from './database.js';

export interface Actor {
  type: 'user' | 'api_key' | 'system';
  id: string | null;
}

export interface TenantContext {
  readonly db: Database;
  readonly tenantId: string;
  readonly userId: string | null;
  readonly role: Role;
  readonly actor: Actor;
  readonly requestId: string | null;
  readonly ip: string | null;
}

export const APP_ROLE = 'pillar_app';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function tenantPrelude(tenantId: string, userId: string | null): string {
  if (!UUID.test(tenantId)) throw new Error('tenant id must be a UUID');
  if (userId !== null && !UUID.test(userId)) throw new Error('user id must be a UUID');
  return (
    `SELECT set_config('app.tenant_id', '${tenantId}', true), ` +
    `set_config('app.user_id', '${userId ?? ''}', true), ` +
    `set_config('role', '${APP_ROLE}', true)`
  );
}

export function withTenant<T>(ctx: TenantContext, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return ctx.db.transaction(fn, tenantPrelude(ctx.tenantId, ctx.userId));
}

/** A context for work done by the system inside one tenant (jobs, seeds, inbound forms). */
export function systemContext(db: Database, tenantId: string, requestId: string | null = null): TenantContext {
  return { db, tenantId, userId: null, role: 'owner', actor: { type: 'system', id: null }, requestId, ip: null };
}

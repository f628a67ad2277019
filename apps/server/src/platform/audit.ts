/**
 * Audit trail and domain-event outbox. Every mutation calls `recordChange`
 * inside its own transaction, so a rolled-back change leaves neither trace.
 */
import { uuidv7 } from 'uuidv7';
import type { TenantContext, Tx } from './db/tenant.js';
import { checkEvent } from './events/validate.js';

export type Changes = Record<string, { before: unknown; after: unknown }>;

const IGNORED = new Set(['updated_at', 'version']);

/** Field-level diff of two row snapshots (either may be absent for create/delete). */
export function diff(before: Record<string, unknown> | null, after: Record<string, unknown> | null): Changes {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changes: Changes = {};
  for (const key of keys) {
    if (IGNORED.has(key)) continue;
    const b = before?.[key] ?? null;
    const a = after?.[key] ?? null;
    if (JSON.stringify(b) !== JSON.stringify(a)) changes[key] = { before: b, after: a };
  }
  return changes;
}

export interface ChangeRecord {
  action: string;
  entity: string;
  entityId: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  /** Domain event to append to the outbox, e.g. `contact.created`. */
  event?: { type: string; payload: Record<string, unknown>; version?: number };
}

export async function recordChange(tx: Tx, ctx: TenantContext, change: ChangeRecord): Promise<void> {
  const changes = diff(change.before ?? null, change.after ?? null);
  const values: unknown[] = [
    ctx.tenantId, uuidv7(), ctx.actor.type, ctx.actor.id, change.action, change.entity, change.entityId,
    JSON.stringify(changes), ctx.requestId, ctx.ip,
  ];
  if (!change.event) {
    await tx.query(
      `INSERT INTO audit_log (tenant_id, id, actor_type, actor_id, action, entity, entity_id, changes, request_id, ip)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      values,
    );
    return;
  }
  const catalogued = checkEvent(change.event.type, change.event.payload);
  const version = change.event.version ?? catalogued;
  // One round trip for both rows.
  await tx.query(
    `WITH a AS (
       INSERT INTO audit_log (tenant_id, id, actor_type, actor_id, action, entity, entity_id, changes, request_id, ip)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10))
     INSERT INTO events (tenant_id, id, type, version, entity, entity_id, payload, actor_type, actor_id, request_id)
     VALUES ($1, $11, $12, $13, $6, $7, $14, $3, $4, $9)`,
    [...values, uuidv7(), change.event.type, version, JSON.stringify(change.event.payload)],
  );
}

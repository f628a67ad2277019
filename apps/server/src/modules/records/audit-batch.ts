/**
 * Audit rows and outbox events for many records at once: the same rows
 * `recordChange` writes one by one, inserted in one statement per chunk, so a
 * bulk change of 10,000 records costs a handful of round trips, not 20,000.
 */
import { uuidv7 } from 'uuidv7';
import { diff } from '../../platform/audit.js';
import type { TenantContext, Tx } from '../../platform/db/tenant.js';

export interface ChangeItem {
  entityId: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  /** Outbox events for this record (e.g. `deal.updated` and `deal.stage_changed`). */
  events?: Array<{ type: string; payload: Record<string, unknown> }>;
}

const CHUNK = 2000;

export async function recordChanges(tx: Tx, ctx: TenantContext, action: string, entity: string, items: readonly ChangeItem[]): Promise<void> {
  for (let i = 0; i < items.length; i += CHUNK) {
    const chunk = items.slice(i, i + CHUNK);
    const audit = chunk.map((it) => ({ id: uuidv7(), entity_id: it.entityId, changes: diff(it.before ?? null, it.after ?? null) }));
    const events = chunk.flatMap((it) => (it.events ?? []).map((e) => ({ id: uuidv7(), entity_id: it.entityId, type: e.type, payload: e.payload })));
    await tx.query(
      `WITH a AS (
         INSERT INTO audit_log (tenant_id, id, actor_type, actor_id, action, entity, entity_id, changes, request_id, ip)
         SELECT $1, r.id, $2, $3, $4, $5, r.entity_id, r.changes, $6, $7
           FROM jsonb_to_recordset($8::jsonb) AS r(id uuid, entity_id text, changes jsonb))
       INSERT INTO events (tenant_id, id, type, version, entity, entity_id, payload, actor_type, actor_id, request_id)
       SELECT $1, e.id, e.type, 1, $5, e.entity_id, e.payload, $2, $3, $6
         FROM jsonb_to_recordset($9::jsonb) AS e(id uuid, entity_id text, type text, payload jsonb)
        ORDER BY e.id`,
      [ctx.tenantId, ctx.actor.type, ctx.actor.id, action, entity, ctx.requestId, ctx.ip, JSON.stringify(audit), JSON.stringify(events)],
    );
  }
}

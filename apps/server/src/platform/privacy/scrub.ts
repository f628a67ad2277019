/**
 * Security-critical: rewrites history, so it runs only here, for erasure.
 * audit_log and events are append-only for the request role; this uses the
 * unrestricted connection, confined by explicit tenant_id predicates. Each
 * audit entry about an erased record keeps its action, actor and time; the
 * values in `changes` become "[erased]". Event payloads shrink to the id.
 */
import type { Database } from '../db/database.js';
import { withSystem } from '../db/system.js';

export interface ErasedEntities {
  entity: string;
  ids: string[];
}

export async function scrubErasedEntities(db: Database, tenantId: string, erased: ErasedEntities[]): Promise<number> {
  return withSystem(db, async (tx) => {
    let scrubbed = 0;
    for (const { entity, ids } of erased) {
      if (!ids.length) continue;
      const audit = await tx.query(
        `UPDATE audit_log SET changes = (
            SELECT coalesce(jsonb_object_agg(k, '{"before": "[erased]", "after": "[erased]"}'::jsonb), '{}'::jsonb)
              FROM jsonb_object_keys(coalesce(changes, '{}'::jsonb)) AS k)
          WHERE tenant_id = $1 AND entity = $2 AND entity_id::text = ANY($3::text[]) AND action <> $4`,
        [tenantId, entity, ids, `${entity}.erase`]);
      scrubbed += audit.rowCount;
      await tx.query(
        `UPDATE events SET payload = jsonb_build_object('id', entity_id::text, 'erased', true)
          WHERE tenant_id = $1 AND entity = $2 AND entity_id::text = ANY($3::text[])`, [tenantId, entity, ids]);
      if ((await tx.query(`SELECT to_regclass('webhook_deliveries') IS NOT NULL AS ok`)).rows[0]?.ok) {
        await tx.query(
          `UPDATE webhook_deliveries d SET body = NULL FROM events e
            WHERE d.tenant_id = $1 AND e.tenant_id = $1 AND d.event_id = e.id AND e.entity = $2 AND e.entity_id::text = ANY($3::text[])`,
          [tenantId, entity, ids]);
      }
    }
    return scrubbed;
  });
}

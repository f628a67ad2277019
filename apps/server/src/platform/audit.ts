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

export interface CreatedRowChange {
  action: string;
  entity: string;
  /** Domain event of the creation; its payload is built in SQL from the row (`r.<column>`). */
  event: { type: string; payloadSql: string };
  /** Timestamp columns of the row: written to `changes` as ISO strings (milliseconds, Z), as the row reads in JavaScript. */
  instants: string[];
}

/**
 * The audit row and outbox event of a row being inserted, as data-modifying
 * CTEs over `rowCte` (an `INSERT … RETURNING` earlier in the same WITH), so
 * the change and both records are one statement and one round trip; when
 * `rowCte` returns no row (ON CONFLICT DO NOTHING) neither is written.
 * `changes` is computed in SQL and equals `diff(null, row)`: every column of
 * the returned row that is not null, but `updated_at` and `version`.
 * Parameters are numbered from `firstParam`. The caller checks the event
 * payload with `checkCreatedEvent` once the row is back.
 */
export function recordCreatedSql(ctx: TenantContext, rowCte: string, firstParam: number, change: CreatedRowChange): { sql: string; params: unknown[] } {
  const p = (i: number) => `$${firstParam + i}`;
  const skipped = [...IGNORED, ...change.instants].map((c) => ` - '${c}'`).join('');
  const instants = change.instants.map((c) =>
    ` || CASE WHEN r.${c} IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('${c}', jsonb_build_object('before', NULL, 'after', ` +
    `to_char(r.${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))) END`).join('');
  const changes = `(SELECT coalesce(jsonb_object_agg(f.key, jsonb_build_object('before', NULL, 'after', f.value)), '{}'::jsonb)
                      FROM jsonb_each(to_jsonb(r)${skipped}) AS f WHERE f.value <> 'null'::jsonb)${instants}`;
  const version = checkEvent(change.event.type, {}, 'off');
  const sql = `audit_row AS (
       INSERT INTO audit_log (tenant_id, id, actor_type, actor_id, action, entity, entity_id, changes, request_id, ip)
       SELECT ${p(0)}::uuid, ${p(1)}::uuid, ${p(2)}::text, ${p(3)}::uuid, ${p(4)}::text, ${p(5)}::text, r.id::text, ${changes}, ${p(6)}::text, ${p(7)}::text
         FROM ${rowCte} r
     ), event_row AS (
       INSERT INTO events (tenant_id, id, type, version, entity, entity_id, payload, actor_type, actor_id, request_id)
       SELECT ${p(0)}::uuid, ${p(8)}::uuid, ${p(9)}::text, ${p(10)}::smallint, ${p(5)}::text, r.id::text, ${change.event.payloadSql}, ${p(2)}::text, ${p(3)}::uuid, ${p(6)}::text
         FROM ${rowCte} r
     )`;
  return {
    sql,
    params: [ctx.tenantId, uuidv7(), ctx.actor.type, ctx.actor.id, change.action, change.entity, ctx.requestId, ctx.ip, uuidv7(), change.event.type, version],
  };
}

/** Checks the payload the database built for a `recordCreatedSql` event (strict in tests, like recordChange). */
export function checkCreatedEvent(type: string, payload: Record<string, unknown>): void {
  checkEvent(type, payload);
}

/** SQL for webhook subscriptions, deliveries and attempts. Runs under the caller's tenant (RLS). */
import type { Tx } from '../../platform/db/tenant.js';

export interface SubscriptionRow {
  id: string;
  url: string;
  event_types: string[];
  description: string | null;
  active: boolean;
  secret_hint: string;
  consecutive_failures: number;
  disabled_reason: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface DeliveryRow {
  id: string;
  subscription_id: string;
  event_id: string;
  event_type: string;
  status: 'pending' | 'succeeded' | 'retrying' | 'dead' | 'cancelled';
  attempts: number;
  last_status_code: number | null;
  last_latency_ms: number | null;
  last_error: string | null;
  last_response_excerpt: string | null;
  redelivery_of: string | null;
  created_at: string;
  last_attempt_at: string | null;
  delivered_at: string | null;
}

export const SUB_COLS = `id, url, event_types, description, active, secret_hint, consecutive_failures, disabled_reason, created_at, updated_at, version`;
export const DELIVERY_COLS = `id, subscription_id, event_id, event_type, status, attempts, last_status_code, last_latency_ms, last_error,
  last_response_excerpt, redelivery_of, created_at, last_attempt_at, delivered_at`;

export async function insertSubscription(tx: Tx, v: { tenantId: string; id: string; url: string; eventTypes: string[]; description: string | null; active: boolean; sealed: string; hint: string; createdBy: string | null }) {
  const r = await tx.query<SubscriptionRow>(
    `INSERT INTO webhook_subscriptions (tenant_id, id, url, event_types, description, active, secret_sealed, secret_hint, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${SUB_COLS}`,
    [v.tenantId, v.id, v.url, v.eventTypes, v.description, v.active, v.sealed, v.hint, v.createdBy],
  );
  return r.rows[0]!;
}

export async function findSubscription(tx: Tx, id: string, forUpdate = false): Promise<SubscriptionRow | undefined> {
  const r = await tx.query<SubscriptionRow>(`SELECT ${SUB_COLS} FROM webhook_subscriptions WHERE id = $1 ${forUpdate ? 'FOR UPDATE' : ''}`, [id]);
  return r.rows[0];
}

export async function listSubscriptions(tx: Tx): Promise<SubscriptionRow[]> {
  return (await tx.query<SubscriptionRow>(`SELECT ${SUB_COLS} FROM webhook_subscriptions ORDER BY id LIMIT 1000`)).rows;
}

export async function updateSubscription(tx: Tx, id: string, v: { url: string | null; eventTypes: string[] | null; description: string | null | undefined; active: boolean | null }) {
  const r = await tx.query<SubscriptionRow>(
    `UPDATE webhook_subscriptions SET url = coalesce($2, url), event_types = coalesce($3, event_types),
            description = CASE WHEN $4::boolean THEN $5 ELSE description END,
            active = coalesce($6, active),
            consecutive_failures = CASE WHEN $6 THEN 0 ELSE consecutive_failures END,
            disabled_reason = CASE WHEN $6 THEN NULL ELSE disabled_reason END,
            disabled_at = CASE WHEN $6 THEN NULL ELSE disabled_at END,
            updated_at = now(), version = version + 1
      WHERE id = $1 RETURNING ${SUB_COLS}`,
    [id, v.url, v.eventTypes, v.description !== undefined, v.description ?? null, v.active],
  );
  return r.rows[0]!;
}

export async function deleteSubscription(tx: Tx, id: string): Promise<void> {
  await tx.query('DELETE FROM webhook_subscriptions WHERE id = $1', [id]);
}

export async function activeSubscriptions(tx: Tx): Promise<Array<{ id: string; event_types: string[] }>> {
  return (await tx.query<{ id: string; event_types: string[] }>('SELECT id, event_types FROM webhook_subscriptions WHERE active')).rows;
}

/** Sealed secret and target of a subscription, for the sender. */
export async function findTarget(tx: Tx, id: string) {
  const r = await tx.query<{ url: string; secret_sealed: string; active: boolean }>('SELECT url, secret_sealed, active FROM webhook_subscriptions WHERE id = $1', [id]);
  return r.rows[0];
}

export async function insertDeliveries(tx: Tx, tenantId: string, rows: Array<{ id: string; subscriptionId: string; eventId: string; eventType: string; kind?: 'event' | 'redelivery' | 'replay' | 'ping'; redeliveryOf?: string | null; body?: unknown }>): Promise<string[]> {
  if (!rows.length) return [];
  const r = await tx.query<{ id: string }>(
    `INSERT INTO webhook_deliveries (tenant_id, id, subscription_id, event_id, event_type, kind, redelivery_of, body)
     SELECT $1, d.id, d.subscription_id, d.event_id, d.event_type, d.kind, d.redelivery_of, d.body
       FROM jsonb_to_recordset($2::jsonb) AS d(id uuid, subscription_id uuid, event_id uuid, event_type text, kind text, redelivery_of uuid, body jsonb)
     ON CONFLICT (tenant_id, subscription_id, event_id) WHERE kind = 'event' DO NOTHING
     RETURNING id`,
    [tenantId, JSON.stringify(rows.map((d) => ({ id: d.id, subscription_id: d.subscriptionId, event_id: d.eventId, event_type: d.eventType, kind: d.kind ?? 'event', redelivery_of: d.redeliveryOf ?? null, body: d.body ?? null })))],
  );
  return r.rows.map((x) => x.id);
}

/** Deliveries of these events still waiting for a first attempt (re-queued when a fan-out job runs again). */
export async function pendingDeliveriesFor(tx: Tx, eventIds: string[]): Promise<string[]> {
  const r = await tx.query<{ id: string }>(`SELECT id FROM webhook_deliveries WHERE event_id = ANY($1::uuid[]) AND kind = 'event' AND status = 'pending' AND attempts = 0`, [eventIds]);
  return r.rows.map((x) => x.id);
}

export async function findDelivery(tx: Tx, id: string, forUpdate = false) {
  const r = await tx.query<DeliveryRow & { body: unknown }>(`SELECT ${DELIVERY_COLS}, body FROM webhook_deliveries WHERE id = $1 ${forUpdate ? 'FOR UPDATE' : ''}`, [id]);
  return r.rows[0];
}

export async function listDeliveries(tx: Tx, q: { limit: number; before?: string | undefined; subscriptionId?: string | undefined; status?: string | undefined; eventId?: string | undefined }) {
  const params: unknown[] = [q.limit + 1];
  const where: string[] = [];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (q.before) add('id < ?', q.before);
  if (q.subscriptionId) add('subscription_id = ?', q.subscriptionId);
  if (q.status) add('status = ?', q.status);
  if (q.eventId) add('event_id = ?', q.eventId);
  return (await tx.query<DeliveryRow>(
    `SELECT ${DELIVERY_COLS} FROM webhook_deliveries ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $1`, params)).rows;
}

export async function listAttempts(tx: Tx, deliveryId: string) {
  return (await tx.query<{ attempt: number; status_code: number | null; latency_ms: number | null; error: string | null; response_excerpt: string | null; attempted_at: string }>(
    `SELECT attempt, status_code, latency_ms, error, response_excerpt, attempted_at FROM webhook_attempts WHERE delivery_id = $1 ORDER BY attempt`, [deliveryId])).rows;
}

export async function eventsInRange(tx: Tx, from: string, to: string, limit: number) {
  return (await tx.query<{ id: string; type: string }>(
    `SELECT id, type FROM events WHERE occurred_at >= $1 AND occurred_at < $2 ORDER BY seq LIMIT $3`, [from, to, limit])).rows;
}

export async function findEvent(tx: Tx, id: string) {
  const r = await tx.query<{ id: string; type: string; version: number; entity: string; entity_id: string | null; payload: Record<string, unknown>; occurred_at: string }>(
    'SELECT id, type, version, entity, entity_id, payload, occurred_at FROM events WHERE id = $1', [id]);
  return r.rows[0];
}

/**
 * Webhook delivery: the outbox consumer that turns events into delivery rows,
 * and the job that POSTs one delivery. At-least-once: a delivery is retried by
 * the job queue with exponential backoff until it succeeds or its attempts run
 * out (then it is dead-lettered); receivers de-duplicate on `Pillar-Event-Id`.
 */
import { matchesEventPattern } from '@pillar/shared';
import { uuidv7 } from 'uuidv7';
import { recordChange } from '../../platform/audit.js';
import { withTenant, type TenantContext, type Tx } from '../../platform/db/tenant.js';
import type { JobRun, OutboxEvent } from '../../platform/jobs/index.js';
import type { PlatformServices } from '../../platform/services.js';
import { postJson, type SendResult } from './http-send.js';
import { signatureHeader } from './signing.js';
import * as q from './webhooks.queries.js';

export const DELIVER_JOB = 'webhooks.deliver';

/** Outbox consumer: one delivery per matching active subscription, then a delivery job each. */
export async function fanOutEvents(tx: Tx, events: OutboxEvent[], job: JobRun<{ eventIds: string[] }>): Promise<void> {
  const subs = await q.activeSubscriptions(tx);
  if (!subs.length) return;
  const rows = events.flatMap((e) => subs.filter((s) => matchesEventPattern(s.event_types, e.type))
    .map((s) => ({ id: uuidv7(), subscriptionId: s.id, eventId: e.id, eventType: e.type })));
  await q.insertDeliveries(tx, job.tenantId, rows);
  // Also re-queues deliveries a previous run of this job inserted but crashed before queueing.
  for (const id of await q.pendingDeliveriesFor(tx, events.map((e) => e.id))) job.enqueueAfterCommit(DELIVER_JOB, { deliveryId: id });
}

export function eventBody(e: { id: string; type: string; version: number; entity: string; entity_id: string | null; payload: Record<string, unknown>; occurred_at: string }, tenantId: string): string {
  return JSON.stringify({ id: e.id, type: e.type, version: e.version, tenant_id: tenantId, entity: e.entity, entity_id: e.entity_id, payload: e.payload, occurred_at: e.occurred_at });
}

interface Prepared {
  delivery: q.DeliveryRow;
  url: string;
  sealed: string;
  body: string;
}

async function prepare(tx: Tx, tenantId: string, deliveryId: string): Promise<Prepared | null> {
  const delivery = await q.findDelivery(tx, deliveryId);
  if (!delivery || delivery.status === 'succeeded' || delivery.status === 'cancelled') return null;
  const target = await q.findTarget(tx, delivery.subscription_id);
  const event = delivery.body ? null : await q.findEvent(tx, delivery.event_id);
  if (!target?.active || (!delivery.body && !event)) {
    await tx.query(`UPDATE webhook_deliveries SET status = 'cancelled', last_error = $2, updated_at = now() WHERE id = $1`,
      [deliveryId, target?.active === false ? 'subscription disabled' : 'event or subscription no longer exists']);
    return null;
  }
  const body = delivery.body ? JSON.stringify(delivery.body) : eventBody(event!, tenantId);
  return { delivery, url: target.url, sealed: target.secret_sealed, body };
}

export async function send(services: PlatformServices, p: Prepared, attempt: number): Promise<SendResult> {
  const secret = services.secrets.open(p.sealed);
  const signature = signatureHeader(secret, p.body);
  return postJson(p.url, p.body, {
    'pillar-signature': signature,
    'pillar-event-id': p.delivery.event_id,
    'pillar-event-type': p.delivery.event_type,
    'pillar-delivery-id': p.delivery.id,
    'pillar-delivery-attempt': String(attempt),
  }, { policy: { allowPrivate: services.config.webhooks.allowPrivate }, timeoutMs: services.config.webhooks.timeoutMs, secrets: [secret, signature] });
}

interface Outcome {
  final: boolean;
  countFailure: boolean;
}

/** Logs the attempt, moves the delivery on, and disables a subscription after too many failures in a row. */
export async function recordAttempt(tx: Tx, ctx: TenantContext, services: PlatformServices, p: Prepared, r: SendResult, o: Outcome): Promise<boolean> {
  const d = p.delivery;
  const attempt = d.attempts + 1;
  // Losing this record in a crash means the job runs again: a duplicate delivery, never a lost one.
  await tx.query('SET LOCAL synchronous_commit = off');
  await tx.query(
    `INSERT INTO webhook_attempts (tenant_id, id, delivery_id, attempt, status_code, latency_ms, error, response_excerpt)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [ctx.tenantId, uuidv7(), d.id, attempt, r.statusCode, r.latencyMs, r.error, r.excerpt]);
  const status = r.ok ? 'succeeded' : o.final ? 'dead' : 'retrying';
  await tx.query(
    `UPDATE webhook_deliveries SET attempts = $2, status = $3, last_status_code = $4, last_latency_ms = $5, last_error = $6,
            last_response_excerpt = $7, last_attempt_at = now(), updated_at = now(), delivered_at = CASE WHEN $8 THEN now() ELSE delivered_at END
      WHERE id = $1`, [d.id, attempt, status, r.statusCode, r.latencyMs, r.error, r.excerpt, r.ok]);
  if (r.ok) {
    await tx.query('UPDATE webhook_subscriptions SET consecutive_failures = 0 WHERE id = $1 AND consecutive_failures <> 0', [d.subscription_id]);
    return false;
  }
  if (!o.countFailure) return false;
  const sub = await tx.query<{ consecutive_failures: number; active: boolean }>(
    'UPDATE webhook_subscriptions SET consecutive_failures = consecutive_failures + 1 WHERE id = $1 RETURNING consecutive_failures, active', [d.subscription_id]);
  const row = sub.rows[0];
  if (!row?.active || row.consecutive_failures < services.config.webhooks.disableAfterFailures) return false;
  await disable(tx, ctx, d.subscription_id, row.consecutive_failures);
  return true;
}

async function disable(tx: Tx, ctx: TenantContext, id: string, failures: number) {
  const reason = `disabled after ${failures} failed deliveries in a row`;
  await tx.query(`UPDATE webhook_subscriptions SET active = false, disabled_reason = $2, disabled_at = now(), updated_at = now(), version = version + 1 WHERE id = $1`, [id, reason]);
  await recordChange(tx, ctx, {
    action: 'webhook_subscription.disable', entity: 'webhook_subscription', entityId: id,
    before: { active: true }, after: { active: false, disabled_reason: reason },
    event: { type: 'webhook.subscription_disabled', payload: { id, consecutive_failures: failures } },
  });
}

async function notifyAdmins(services: PlatformServices, ctx: TenantContext, subscriptionId: string) {
  const { admins, url } = await withTenant(ctx, async (tx) => ({
    admins: (await tx.query<{ email: string }>(`SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.role IN ('owner', 'admin')`)).rows,
    url: (await q.findTarget(tx, subscriptionId))?.url ?? '',
  }));
  const host = (() => {
    try {
      return new URL(url).host;
    } catch {
      return 'its endpoint';
    }
  })();
  for (const a of admins) {
    await services.mailer.send({
      to: a.email,
      subject: 'A webhook was disabled after repeated failures',
      text: `The webhook subscription ${subscriptionId} sending to ${host} failed ${services.config.webhooks.disableAfterFailures} times in a row and has been disabled.\n` +
        `Fix the receiving endpoint, then re-enable the subscription in Settings → Webhooks (${services.config.publicUrl}); failed deliveries can be redelivered from there.`,
    });
  }
}

/** The `webhooks.deliver` job: one attempt; throws on failure so the queue retries it. */
export async function deliverJob(job: JobRun<{ deliveryId: string }>): Promise<void> {
  const { services, ctx } = job;
  const prepared = await withTenant(ctx, (tx) => prepare(tx, job.tenantId, job.data.deliveryId));
  if (!prepared) return;
  const result = await send(services, prepared, prepared.delivery.attempts + 1);
  const disabled = await withTenant(ctx, (tx) => recordAttempt(tx, ctx, services, prepared, result, { final: job.isLastAttempt, countFailure: true }));
  if (disabled) await notifyAdmins(services, ctx, prepared.delivery.subscription_id).catch((err: unknown) => services.log.error({ err }, 'webhook disable notice failed'));
  if (!result.ok) throw new Error(`delivery ${prepared.delivery.id} failed: ${result.error ?? 'unknown error'}`);
}

export { prepare };

/** Webhook subscriptions and their delivery log: rules, transactions, audit. */
import type { z } from 'zod';
import type { CreateWebhookSubscriptionSchema, ReplayWebhookEventsSchema, UpdateWebhookSubscriptionSchema } from '@pillar/shared';
import { matchesEventPattern } from '@pillar/shared';
import { uuidv7 } from 'uuidv7';
import { recordChange } from '../../platform/audit.js';
import { withTenant, type TenantContext } from '../../platform/db/tenant.js';
import { AppError, notFound, preconditionFailed, referenceNotFound } from '../../platform/errors.js';
import type { PlatformServices } from '../../platform/services.js';
import { DELIVER_JOB, prepare, recordAttempt, send } from './delivery.js';
import { newSigningSecret } from './signing.js';
import { assertSafeTarget, UnsafeTargetError, type TargetPolicy } from './ssrf.js';
import * as q from './webhooks.queries.js';

export const REPLAY_MAX = 10_000;

function policy(services: PlatformServices, resolve?: TargetPolicy['resolve']): TargetPolicy {
  return { allowPrivate: services.config.webhooks.allowPrivate, ...(resolve ? { resolve } : {}) };
}

async function checkTarget(services: PlatformServices, url: string, resolve?: TargetPolicy['resolve']) {
  try {
    await assertSafeTarget(url, policy(services, resolve));
  } catch (err) {
    if (!(err instanceof UnsafeTargetError)) throw err;
    throw new AppError('validation_failed', { message: `This URL cannot receive webhooks: ${err.message}`, errors: [{ path: 'url', message: err.message }] });
  }
}

export async function createSubscription(services: PlatformServices, ctx: TenantContext, input: z.infer<typeof CreateWebhookSubscriptionSchema>, resolve?: TargetPolicy['resolve']) {
  await checkTarget(services, input.url, resolve);
  const secret = newSigningSecret();
  const row = await withTenant(ctx, async (tx) => {
    const created = await q.insertSubscription(tx, {
      tenantId: ctx.tenantId, id: uuidv7(), url: input.url, eventTypes: input.event_types, description: input.description ?? null,
      active: input.active, sealed: services.secrets.seal(secret), hint: secret.slice(0, 10), createdBy: ctx.userId,
    });
    await recordChange(tx, ctx, { action: 'webhook_subscription.create', entity: 'webhook_subscription', entityId: created.id, after: { url: created.url, event_types: created.event_types, active: created.active } });
    return created;
  });
  return { ...row, secret };
}

export async function getSubscriptionOrThrow(ctx: TenantContext, id: string) {
  const row = await withTenant(ctx, (tx) => q.findSubscription(tx, id));
  if (!row) throw notFound('Webhook subscription');
  return row;
}

export function listSubscriptions(ctx: TenantContext) {
  return withTenant(ctx, (tx) => q.listSubscriptions(tx));
}

export async function updateSubscription(services: PlatformServices, ctx: TenantContext, id: string, input: z.infer<typeof UpdateWebhookSubscriptionSchema>, expected?: number) {
  if (input.url) await checkTarget(services, input.url);
  return withTenant(ctx, async (tx) => {
    const before = await q.findSubscription(tx, id, true);
    if (!before) throw notFound('Webhook subscription');
    if (expected !== undefined && expected !== before.version) throw preconditionFailed(before.version);
    const after = await q.updateSubscription(tx, id, { url: input.url ?? null, eventTypes: input.event_types ?? null, description: input.description, active: input.active ?? null });
    const pick = (r: q.SubscriptionRow) => ({ url: r.url, event_types: r.event_types, description: r.description, active: r.active });
    await recordChange(tx, ctx, { action: 'webhook_subscription.update', entity: 'webhook_subscription', entityId: id, before: pick(before), after: pick(after) });
    return after;
  });
}

export async function deleteSubscription(ctx: TenantContext, id: string, expected?: number) {
  await withTenant(ctx, async (tx) => {
    const before = await q.findSubscription(tx, id, true);
    if (!before) throw notFound('Webhook subscription');
    if (expected !== undefined && expected !== before.version) throw preconditionFailed(before.version);
    await q.deleteSubscription(tx, id);
    await recordChange(tx, ctx, { action: 'webhook_subscription.delete', entity: 'webhook_subscription', entityId: id, before: { url: before.url, event_types: before.event_types } });
  });
}

export function listDeliveries(ctx: TenantContext, query: { limit: number; before?: string | undefined; subscription_id?: string | undefined; status?: string | undefined; event_id?: string | undefined }) {
  return withTenant(ctx, (tx) => q.listDeliveries(tx, { limit: query.limit, before: query.before, subscriptionId: query.subscription_id, status: query.status, eventId: query.event_id }));
}

export async function getDeliveryOrThrow(ctx: TenantContext, id: string) {
  const found = await withTenant(ctx, async (tx) => {
    const d = await q.findDelivery(tx, id);
    return d ? { delivery: d, attempts: await q.listAttempts(tx, id) } : null;
  });
  if (!found) throw notFound('Webhook delivery');
  const { body: _body, ...delivery } = found.delivery;
  return { ...delivery, attempt_log: found.attempts };
}

/** A fresh delivery of the same event to the same subscription (same event id, so receivers can de-duplicate). */
export async function redeliver(services: PlatformServices, ctx: TenantContext, id: string) {
  const newId = await withTenant(ctx, async (tx) => {
    const d = await q.findDelivery(tx, id);
    if (!d) throw notFound('Webhook delivery');
    const [created] = await q.insertDeliveries(tx, ctx.tenantId, [{ id: uuidv7(), subscriptionId: d.subscription_id, eventId: d.event_id, eventType: d.event_type, kind: 'redelivery', redeliveryOf: d.id, body: d.body }]);
    await recordChange(tx, ctx, { action: 'webhook_delivery.redeliver', entity: 'webhook_delivery', entityId: d.id, after: { redelivery_id: created } });
    return created!;
  });
  await services.jobs.enqueue(DELIVER_JOB, ctx.tenantId, { deliveryId: newId });
  return getDeliveryOrThrow(ctx, newId);
}

/** New deliveries for every event in [from, to) that each active (or the given) subscription wants. */
export async function replay(services: PlatformServices, ctx: TenantContext, input: z.infer<typeof ReplayWebhookEventsSchema>) {
  if (Date.parse(input.to) <= Date.parse(input.from)) throw new AppError('validation_failed', { message: '"to" must be after "from"', errors: [{ path: 'to', message: 'must be after from' }] });
  const ids = await withTenant(ctx, async (tx) => {
    let subs = await q.activeSubscriptions(tx);
    if (input.subscription_id) {
      const one = await q.findSubscription(tx, input.subscription_id);
      // A body reference to another firm's (or no) subscription is a 422, like every other body reference.
      if (!one) throw referenceNotFound('subscription_id');
      subs = [{ id: one.id, event_types: one.event_types }];
    }
    const events = await q.eventsInRange(tx, input.from, input.to, REPLAY_MAX);
    const rows = events.flatMap((e) => subs.filter((s) => matchesEventPattern(s.event_types, e.type))
      .map((s) => ({ id: uuidv7(), subscriptionId: s.id, eventId: e.id, eventType: e.type, kind: 'replay' as const })));
    const created = await q.insertDeliveries(tx, ctx.tenantId, rows);
    await recordChange(tx, ctx, { action: 'webhook_delivery.replay', entity: 'webhook_subscription', entityId: input.subscription_id ?? null, after: { from: input.from, to: input.to, deliveries: created.length } });
    return created;
  });
  await services.jobs.enqueueMany(DELIVER_JOB, ids.map((deliveryId) => ({ tenantId: ctx.tenantId, data: { deliveryId } })));
  return { deliveries: ids.length };
}

/** Sends a signed `webhook.ping` now and answers with the logged delivery. */
export async function ping(services: PlatformServices, ctx: TenantContext, subscriptionId: string) {
  const eventId = uuidv7();
  const body = { id: eventId, type: 'webhook.ping', version: 1, tenant_id: ctx.tenantId, entity: 'webhook_subscription', entity_id: subscriptionId, payload: { id: eventId, subscription_id: subscriptionId }, occurred_at: new Date().toISOString() };
  const deliveryId = await withTenant(ctx, async (tx) => {
    if (!(await q.findSubscription(tx, subscriptionId))) throw notFound('Webhook subscription');
    const [id] = await q.insertDeliveries(tx, ctx.tenantId, [{ id: uuidv7(), subscriptionId, eventId, eventType: 'webhook.ping', kind: 'ping', body }]);
    return id!;
  });
  const prepared = await withTenant(ctx, async (tx) => {
    const d = await q.findDelivery(tx, deliveryId);
    const target = await q.findTarget(tx, subscriptionId);
    return { delivery: d!, url: target!.url, sealed: target!.secret_sealed, body: JSON.stringify(body) };
  });
  const result = await send(services, prepared, 1);
  await withTenant(ctx, (tx) => recordAttempt(tx, ctx, services, prepared, result, { final: true, countFailure: false }));
  return getDeliveryOrThrow(ctx, deliveryId);
}

export { prepare };

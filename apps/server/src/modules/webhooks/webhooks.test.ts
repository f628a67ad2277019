import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackground, type Background } from '../../platform/background.js';
import { buildTestApp, type TestApp } from '../../../test/app.js';
import { addMember, as, signUp, type Principal } from '../../../test/factories.js';
import { eventually, startReceiver, type Receiver } from '../../../test/receiver.js';

/** Independent verifier of the Stripe-style scheme, written from the documentation, not the server's code. */
function verifySignature(header: string, body: string, secret: string, toleranceSeconds = 300): boolean {
  const parts = Object.fromEntries(header.split(',').map((kv) => kv.split('=') as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > toleranceSeconds || !parts.v1) return false;
  const expected = createHmac('sha256', secret).update(`${parts.t}.${body}`, 'utf8').digest();
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

let app: TestApp;
let bg: Background;
let receiver: Receiver;
let owner: Principal;

const ENV = {
  WEBHOOKS_ALLOW_PRIVATE: 'true',
  WEBHOOK_RETRY_LIMIT: '2',
  WEBHOOK_RETRY_DELAY_SECONDS: '1',
  WEBHOOK_RETRY_MAX_DELAY_SECONDS: '2',
  WEBHOOK_DISABLE_AFTER_FAILURES: '6',
  JOBS_POLL_SECONDS: '0.5',
  OUTBOX_POLL_MS: '100',
};

async function subscribe(p: Principal, url: string, types: string[] = ['tenant.updated']) {
  const res = await app.server.inject(as(p, { method: 'POST', url: '/api/v1/webhooks/subscriptions', payload: { url, event_types: types } }));
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string; secret: string; version: number }>();
}

async function renameFirm(p: Principal, name: string) {
  const res = await app.server.inject(as(p, { method: 'PATCH', url: '/api/v1/tenant', payload: { name } }));
  expect(res.statusCode, res.body).toBe(200);
}

async function deliveries(p: Principal, query = '') {
  const res = await app.server.inject(as(p, { method: 'GET', url: `/api/v1/webhooks/deliveries${query}` }));
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ data: Array<{ id: string; status: string; attempts: number; event_id: string; subscription_id: string; last_status_code: number | null; last_response_excerpt: string | null }> }>().data;
}

beforeAll(async () => {
  app = await buildTestApp(ENV);
  bg = await startBackground(app.server.platform, { workers: true, dispatcher: true });
  receiver = await startReceiver();
  owner = await signUp(app.server);
});

afterAll(async () => {
  await bg?.stop();
  await receiver?.close();
  await app?.close();
});

describe('webhook delivery', () => {
  it('delivers committed events signed, with a stable event id, verifiable independently', async () => {
    const sub = await subscribe(owner, receiver.url);
    expect(sub.secret).toMatch(/^whsec_/);
    await renameFirm(owner, 'Signed Firm');
    const [got] = await receiver.waitFor((r) => r.some((x) => x.body.includes('Signed Firm')));
    const hit = receiver.received.find((x) => x.body.includes('Signed Firm'))!;
    expect(got).toBeDefined();
    expect(verifySignature(String(hit.headers['pillar-signature']), hit.body, sub.secret)).toBe(true);
    expect(verifySignature(String(hit.headers['pillar-signature']), hit.body, 'whsec_wrong')).toBe(false);
    expect(verifySignature(String(hit.headers['pillar-signature']), `${hit.body} `, sub.secret)).toBe(false);
    const body = JSON.parse(hit.body);
    expect(body).toMatchObject({ type: 'tenant.updated', tenant_id: owner.tenantId, payload: { name: 'Signed Firm' } });
    expect(hit.headers['pillar-event-id']).toBe(body.id);
    const log = await eventually(async () => (await deliveries(owner)).find((d) => d.event_id === body.id && d.status === 'succeeded'));
    expect(log.last_status_code).toBe(200);
    expect(log.attempts).toBe(1);
  });

  it('retries a failing receiver with backoff, then dead-letters it with its delivery log', async () => {
    const failing = await startReceiver(500);
    try {
      const sub = await subscribe(owner, failing.url);
      await renameFirm(owner, 'Failing Firm');
      await failing.waitFor((r) => r.length >= 3, 30_000);
      const dead = await eventually(async () => (await deliveries(owner, `?subscription_id=${sub.id}`)).find((d) => d.status === 'dead'), 30_000, 'dead delivery');
      expect(dead.attempts).toBe(3);
      expect(dead.last_status_code).toBe(500);
      expect(dead.last_response_excerpt).not.toContain(sub.secret);
      expect(dead.last_response_excerpt).toContain('[redacted]'); // the receiver echoed the signature back
      const at = failing.received.map((r) => r.at);
      expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(900);
      // Backoff: the second wait is about twice the 1 s delay. (Not compared with the first wait, which
      // also holds the queue's pick-up latency and grows on a busy machine.)
      expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(1500);
      expect(new Set(failing.received.map((r) => r.headers['pillar-event-id'])).size).toBe(1);
      const detail = await app.server.inject(as(owner, { method: 'GET', url: `/api/v1/webhooks/deliveries/${dead.id}` }));
      expect(detail.json().attempt_log.map((a: { attempt: number; status_code: number }) => [a.attempt, a.status_code])).toEqual([[1, 500], [2, 500], [3, 500]]);
      const jobs = await eventually(async () => {
        const r = await app.server.inject(as(owner, { method: 'GET', url: '/api/v1/jobs?state=dead' }));
        const found = r.json<{ data: Array<{ id: string; queue: string; data: { deliveryId: string } }> }>().data.filter((j) => j.data.deliveryId === dead.id);
        return found.length ? found : null;
      }, 20_000, 'dead-letter job');
      expect(jobs[0]!.queue).toBe('webhooks.deliver.dead');

      // An admin retries the dead job after the receiver recovers: it is delivered.
      failing.status = 200;
      const retry = await app.server.inject(as(owner, { method: 'POST', url: `/api/v1/jobs/${jobs[0]!.id}/retry` }));
      expect(retry.statusCode, retry.body).toBe(202);
      await eventually(async () => (await deliveries(owner, `?subscription_id=${sub.id}`)).find((d) => d.id === dead.id && d.status === 'succeeded'), 20_000, 'retried delivery');
      const after = await app.server.inject(as(owner, { method: 'GET', url: '/api/v1/jobs?state=dead' }));
      expect(after.json().data.find((j: { id: string }) => j.id === jobs[0]!.id)).toBeUndefined();
    } finally {
      await failing.close();
    }
  }, 90_000);

  it('disables a subscription after a long run of failures and tells the admins', async () => {
    const failing = await startReceiver(503);
    try {
      const sub = await subscribe(owner, failing.url);
      await renameFirm(owner, 'Down 1');
      await renameFirm(owner, 'Down 2');
      const disabled = await eventually(async () => {
        const r = await app.server.inject(as(owner, { method: 'GET', url: `/api/v1/webhooks/subscriptions/${sub.id}` }));
        return r.json<{ active: boolean; disabled_reason: string | null }>().active ? null : r.json<{ disabled_reason: string }>();
      }, 30_000, 'subscription disabled');
      expect(disabled.disabled_reason).toMatch(/6 failed deliveries/);
      expect(app.mailer.sent.some((m) => m.to === owner.email && /webhook was disabled/.test(m.subject))).toBe(true);
      const audit = await app.server.inject(as(owner, { method: 'GET', url: `/api/v1/audit?entity=webhook_subscription&entity_id=${sub.id}` }));
      expect(audit.json().data.map((a: { action: string }) => a.action)).toContain('webhook_subscription.disable');
    } finally {
      await failing.close();
    }
  }, 90_000);

  it('redelivers one delivery and replays a time range with the same event ids', async () => {
    const r2 = await startReceiver();
    try {
      const from = new Date(Date.now() - 1000).toISOString();
      const sub = await subscribe(owner, r2.url);
      await renameFirm(owner, 'Replay Me');
      await r2.waitFor((r) => r.length === 1);
      const first = (await deliveries(owner, `?subscription_id=${sub.id}`))[0]!;
      const re = await app.server.inject(as(owner, { method: 'POST', url: `/api/v1/webhooks/deliveries/${first.id}/redeliver` }));
      expect(re.statusCode, re.body).toBe(202);
      await r2.waitFor((r) => r.length === 2);
      const replay = await app.server.inject(as(owner, { method: 'POST', url: '/api/v1/webhooks/replay', payload: { from, to: new Date(Date.now() + 1000).toISOString(), subscription_id: sub.id } }));
      expect(replay.statusCode, replay.body).toBe(202);
      expect(replay.json().deliveries).toBeGreaterThanOrEqual(1);
      await r2.waitFor((r) => r.length >= 3);
      expect(new Set(r2.received.map((x) => x.headers['pillar-event-id']))).toEqual(new Set([first.event_id]));
    } finally {
      await r2.close();
    }
  });

  it('sends a signed test ping', async () => {
    const sub = await subscribe(owner, receiver.url);
    const res = await app.server.inject(as(owner, { method: 'POST', url: `/api/v1/webhooks/subscriptions/${sub.id}/ping` }));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'succeeded', last_status_code: 200, event_type: 'webhook.ping', attempts: 1 });
    const hit = receiver.received.find((x) => x.headers['pillar-delivery-id'] === res.json().id)!;
    expect(verifySignature(String(hit.headers['pillar-signature']), hit.body, sub.secret)).toBe(true);
  });
});

describe('webhook subscriptions API', () => {
  it('validates input and never returns the secret again', async () => {
    const bad = await app.server.inject(as(owner, { method: 'POST', url: '/api/v1/webhooks/subscriptions', payload: { url: 'ftp://x', event_types: ['nope.never'] } }));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.event_types.0', 'body.url']);
    const sub = await subscribe(owner, receiver.url, ['contact.*', 'deal.won']);
    const got = await app.server.inject(as(owner, { method: 'GET', url: `/api/v1/webhooks/subscriptions/${sub.id}` }));
    expect(got.statusCode).toBe(200);
    expect(got.body).not.toContain(sub.secret);
    expect(got.json().secret_hint).toBe(sub.secret.slice(0, 10));
    const stale = await app.server.inject(as(owner, { method: 'PATCH', url: `/api/v1/webhooks/subscriptions/${sub.id}`, headers: { 'if-match': '"999"' }, payload: { active: false } }));
    expect(stale.statusCode).toBe(412);
    const patched = await app.server.inject(as(owner, { method: 'PATCH', url: `/api/v1/webhooks/subscriptions/${sub.id}`, payload: { event_types: ['*'] } }));
    expect(patched.json()).toMatchObject({ event_types: ['*'], version: 2 });
    const del = await app.server.inject(as(owner, { method: 'DELETE', url: `/api/v1/webhooks/subscriptions/${sub.id}` }));
    expect(del.statusCode).toBe(204);
  });

  it('answers 404 for another tenant\'s subscriptions and deliveries (422 when replay names one), and changes nothing', async () => {
    const sub = await subscribe(owner, receiver.url);
    const [delivery] = await deliveries(owner);
    const other = await signUp(app.server);
    for (const [method, url, payload] of [
      ['GET', `/api/v1/webhooks/subscriptions/${sub.id}`, undefined],
      ['PATCH', `/api/v1/webhooks/subscriptions/${sub.id}`, { active: false }],
      ['DELETE', `/api/v1/webhooks/subscriptions/${sub.id}`, undefined],
      ['POST', `/api/v1/webhooks/subscriptions/${sub.id}/ping`, undefined],
      ['GET', `/api/v1/webhooks/deliveries/${delivery!.id}`, undefined],
      ['POST', `/api/v1/webhooks/deliveries/${delivery!.id}/redeliver`, undefined],
    ] as const) {
      const res = await app.server.inject(as(other, { method, url, ...(payload ? { payload } : {}) }));
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
    expect((await deliveries(other)).length).toBe(0);
    // A body reference to another firm's subscription is 422 reference_not_found (as an unknown id), and writes nothing.
    const written = async () => (await app.db.query<{ d: number; a: number }>(
      `SELECT (SELECT count(*)::int FROM webhook_deliveries WHERE tenant_id = $1 OR (subscription_id = $2 AND kind = 'replay')) AS d,
              (SELECT count(*)::int FROM audit_log WHERE tenant_id = $1 AND action = 'webhook_delivery.replay') AS a`, [other.tenantId, sub.id])).rows[0];
    const before = await written();
    const range = { from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() };
    for (const subscription_id of [sub.id, '00000000-0000-7000-8000-000000000000']) {
      const res = await app.server.inject(as(other, { method: 'POST', url: '/api/v1/webhooks/replay', payload: { ...range, subscription_id } }));
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json()).toMatchObject({ code: 'reference_not_found', errors: [{ path: 'subscription_id' }] });
    }
    expect(await written()).toEqual(before);
    expect(before).toEqual({ d: 0, a: 0 });
    const list = await app.server.inject(as(other, { method: 'GET', url: '/api/v1/webhooks/subscriptions' }));
    expect(list.json().data).toEqual([]);
    const rows = await app.db.query<{ active: boolean; version: number }>('SELECT active, version FROM webhook_subscriptions WHERE id = $1', [sub.id]);
    expect(rows.rows[0]).toEqual({ active: true, version: 1 });
  });

  it('refuses members (403) and writes nothing', async () => {
    const member = await addMember(app.server, owner, 'member');
    const before = await app.db.query<{ n: number }>('SELECT count(*)::int AS n FROM webhook_subscriptions WHERE tenant_id = $1', [owner.tenantId]);
    const create = await app.server.inject(as(member, { method: 'POST', url: '/api/v1/webhooks/subscriptions', payload: { url: receiver.url, event_types: ['*'] } }));
    expect(create.statusCode).toBe(403);
    for (const url of ['/api/v1/webhooks/subscriptions', '/api/v1/webhooks/deliveries', '/api/v1/jobs']) {
      expect((await app.server.inject(as(member, { method: 'GET', url }))).statusCode).toBe(403);
    }
    const after = await app.db.query<{ n: number }>('SELECT count(*)::int AS n FROM webhook_subscriptions WHERE tenant_id = $1', [owner.tenantId]);
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/app.js';
import { signUp, type Principal } from '../../../test/factories.js';
import { eventually } from '../../../test/receiver.js';
import { recordChange } from '../audit.js';
import { startBackground, type Background } from '../background.js';
import { withSystem } from '../db/system.js';
import { systemContext, withTenant } from '../db/tenant.js';
import { defineJob, registerEventConsumer, type OutboxEvent } from '../jobs/index.js';
import { expireTokens } from '../jobs/maintenance.js';
import { checkEvent } from './validate.js';

// A consumer and a job that record what they could see, to prove delivery and tenant confinement.
const consumed: Array<{ tenantId: string; events: OutboxEvent[] }> = [];
registerEventConsumer({ name: 'test-recorder', handle: async (_tx, events, job) => void consumed.push({ tenantId: job.tenantId, events }) });
const probes = new Map<string, { ownRows: number; foreignRows: number; tenantSetting: string }>();
defineJob<{ probe: string; foreignEventId: string }>({
  name: 'test.tenant-probe',
  run: async (tx, job) => {
    const own = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
    const foreign = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE id = $1', [job.data.foreignEventId]);
    const setting = await tx.query<{ t: string }>(`SELECT current_setting('app.tenant_id') AS t`);
    probes.set(job.data.probe, { ownRows: own.rows[0]!.n, foreignRows: foreign.rows[0]!.n, tenantSetting: setting.rows[0]!.t });
  },
  retry: { limit: 0, delaySeconds: 1, backoff: false },
});

const SHARED_DB = Boolean(process.env.TEST_DATABASE_URL);
let app: TestApp;
let bg: Background;
let a: Principal;
let b: Principal;

beforeAll(async () => {
  app = await buildTestApp({ OUTBOX_POLL_MS: '100', JOBS_POLL_SECONDS: '0.5' });
  // Only this file's queues: on a shared PostgreSQL test database other files' webhook deliveries are theirs.
  bg = await startBackground(app.server.platform, { workers: true, dispatcher: true, queues: (q) => q.includes('test') });
  a = await signUp(app.server);
  b = await signUp(app.server);
});

afterAll(async () => {
  await bg?.stop();
  await app?.close();
});

describe('outbox', () => {
  it('publishes committed events and nothing from a rolled-back transaction', async () => {
    const ctx = systemContext(app.db, a.tenantId, 'rollback-test');
    await expect(withTenant(ctx, async (tx) => {
      await recordChange(tx, ctx, { action: 'tenant.update', entity: 'tenant', entityId: a.tenantId, event: { type: 'tenant.updated', payload: { id: a.tenantId, name: 'never' } } });
      throw new Error('boom');
    })).rejects.toThrow('boom');
    const committed = systemContext(app.db, a.tenantId, 'commit-test');
    await withTenant(committed, (tx) => recordChange(tx, committed, { action: 'tenant.update', entity: 'tenant', entityId: a.tenantId, event: { type: 'tenant.updated', payload: { id: a.tenantId, name: 'kept' } } }));

    if (!SHARED_DB) {
      const batch = await eventually(async () => consumed.find((c) => c.events.some((e) => e.payload.name === 'kept')), 15_000, 'committed event consumed');
      expect(batch.tenantId).toBe(a.tenantId);
    }
    await eventually(async () => withSystem(app.db, async (tx) => (await tx.query(`SELECT 1 FROM events WHERE request_id = 'commit-test' AND published_at IS NOT NULL`)).rowCount), 15_000, 'published');
    const all = consumed.flatMap((c) => c.events);
    expect(all.some((e) => e.payload.name === 'never')).toBe(false);
    const rows = await withSystem(app.db, async (tx) => (await tx.query<{ request_id: string; published: boolean }>(
      `SELECT request_id, published_at IS NOT NULL AS published FROM events WHERE request_id IN ('rollback-test', 'commit-test')`)).rows);
    expect(rows).toEqual([{ request_id: 'commit-test', published: true }]);
  });

  // On a shared PostgreSQL test database other test files' dispatchers may publish these events, and
  // they do not know this file's consumer; the embedded database is this file's alone.
  it.skipIf(SHARED_DB)('hands each tenant only its own events, in seq order', async () => {
    const before = consumed.length;
    for (const p of [a, b, a]) {
      const ctx = systemContext(app.db, p.tenantId);
      await withTenant(ctx, (tx) => recordChange(tx, ctx, { action: 'x', entity: 'tenant', entityId: p.tenantId, event: { type: 'tenant.updated', payload: { id: p.tenantId } } }));
    }
    await eventually(async () => consumed.slice(before).some((c) => c.tenantId === b.tenantId), 15_000, 'tenant b consumed');
    for (const c of consumed) {
      expect(c.events.every((e) => (e.payload.id ?? e.payload.tenant_id) === c.tenantId)).toBe(true);
      const seqs = c.events.map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    }
  });
});

describe('jobs', () => {
  it('a job of tenant A cannot read tenant B', async () => {
    const foreign = await withSystem(app.db, async (tx) => (await tx.query<{ id: string }>('SELECT id FROM events WHERE tenant_id = $1 LIMIT 1', [b.tenantId])).rows[0]!.id);
    await app.server.platform.jobs.enqueue('test.tenant-probe', a.tenantId, { probe: 'p1', foreignEventId: foreign });
    const probe = await eventually(async () => probes.get('p1'), 15_000, 'probe ran');
    expect(probe.tenantSetting).toBe(a.tenantId);
    expect(probe.foreignRows).toBe(0);
    const ownTotal = await withSystem(app.db, async (tx) => (await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE tenant_id = $1', [a.tenantId])).rows[0]!.n);
    expect(probe.ownRows).toBeGreaterThan(0);
    expect(probe.ownRows).toBeLessThanOrEqual(ownTotal);
  });

  it('refuses to queue a job without a valid tenant', async () => {
    await expect(app.server.platform.jobs.enqueue('test.tenant-probe', 'not-a-tenant', {})).rejects.toThrow(/UUID/);
  });

  it('expires old tokens and idempotency keys', async () => {
    await withSystem(app.db, async (tx) => {
      await tx.query(`INSERT INTO idempotency_keys (tenant_id, principal_id, key, request_hash, status, created_at) VALUES ($1, $2, 'old', 'h', 'done', now() - interval '25 hours'), ($1, $2, 'new', 'h', 'done', now())`, [a.tenantId, a.userId]);
      await tx.query(`INSERT INTO password_resets (id, user_id, token_hash, expires_at) VALUES (gen_random_uuid(), $1, md5(random()::text), now() - interval '1 minute')`, [a.userId]);
    });
    const counts = await expireTokens(app.db);
    expect(counts.idempotencyKeys).toBeGreaterThanOrEqual(1);
    expect(counts.passwordResets).toBeGreaterThanOrEqual(1);
    const left = await withSystem(app.db, async (tx) => (await tx.query<{ key: string }>('SELECT key FROM idempotency_keys WHERE tenant_id = $1 ORDER BY key', [a.tenantId])).rows);
    expect(left.map((r) => r.key)).toEqual(['new']);
  });
});

describe('event catalogue checks', () => {
  it('refuses unknown types and malformed payloads in tests', () => {
    expect(() => checkEvent('contact.exploded', { id: '0190a8f2-0000-7000-8000-000000000000' })).toThrow(/Unknown event type/);
    expect(() => checkEvent('contact.created', { name: 'no id' })).toThrow(/Invalid payload for event "contact.created"/);
    expect(checkEvent('contact.created', { id: '0190a8f2-0000-7000-8000-000000000000', email: 'extra fields are kept' })).toBe(1);
    expect(checkEvent('contact.exploded', {}, 'off')).toBe(1);
  });

  it('a module emitting an uncatalogued event fails its write', async () => {
    const ctx = systemContext(app.db, a.tenantId);
    await expect(withTenant(ctx, (tx) => recordChange(tx, ctx, { action: 'x', entity: 'thing', entityId: null, event: { type: 'thing.happened', payload: {} } }))).rejects.toThrow(/Unknown event type/);
  });
});

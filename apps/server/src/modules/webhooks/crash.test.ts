/**
 * At-least-once across a crash: the real server, as a child process on
 * PostgreSQL, is killed with SIGKILL while deliveries are pending; after a
 * restart every event is delivered (duplicates allowed, same event id).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../../../test/receiver.js';
import { call, signUpOver, startServer, type ServerProcess } from '../../../test/server-process.js';

const DB = process.env.TEST_DATABASE_URL;

describe.runIf(DB)('webhook delivery survives SIGKILL (the real server on PostgreSQL)', () => {
  let receiver: Receiver;
  let dataDir: string;
  const running: ServerProcess[] = [];

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'pillar-crash-'));
  });

  afterAll(async () => {
    for (const p of running) if (p.proc.exitCode === null) await p.kill();
    await receiver?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers every pending event after a restart, none lost', async () => {
    // A slow receiver keeps deliveries in flight and queued when the process dies.
    receiver = await startReceiver(200, 1500);
    const env = {
      DATABASE_URL: DB!, DATA_DIR: dataDir, JWT_SECRET: 'crash-test-secret-crash-test-secret-0123456', SEED_DEMO: 'false', LOG_LEVEL: 'warn',
      WEBHOOKS_ALLOW_PRIVATE: 'true', // The same retry policy as webhooks.test.ts: on a shared test database either process may queue the other's jobs.
      WEBHOOK_RETRY_LIMIT: '2', WEBHOOK_RETRY_DELAY_SECONDS: '1', WEBHOOK_RETRY_MAX_DELAY_SECONDS: '2',
      WEBHOOK_TIMEOUT_MS: '5000', WEBHOOK_DISABLE_AFTER_FAILURES: '6', JOBS_POLL_SECONDS: '0.5', JOBS_SUPERVISE_SECONDS: '2', OUTBOX_POLL_MS: '200',
      RATE_LIMIT_AUTH_PER_IP: '1000',
    };
    const first = await startServer(env);
    running.push(first);
    const { token } = await signUpOver(first.url, 'crash');
    const sub = await call(first.url, 'POST', '/api/v1/webhooks/subscriptions', { token, json: { url: receiver.url, event_types: ['tenant.updated'] } });
    expect(sub.status).toBe(201);
    const names = Array.from({ length: 30 }, (_, i) => `Crash ${i}`);
    for (const name of names) expect((await call(first.url, 'PATCH', '/api/v1/tenant', { token, json: { name } })).status).toBe(200);

    // Deliveries are under way, then the process dies without any cleanup.
    await receiver.waitFor((r) => r.length >= 1, 30_000);
    await first.kill();
    expect(new Set(receiver.received.map((r) => r.headers['pillar-event-id'])).size).toBeLessThan(names.length);

    const second = await startServer(env);
    running.push(second);
    const delivered = () => new Set(receiver.received.filter((r) => r.at > 0).map((r) => JSON.parse(r.body) as { id: string; payload: { name: string } })
      .map((b) => b.payload.name));
    const deadline = Date.now() + 120_000;
    while (names.some((n) => !delivered().has(n))) {
      if (Date.now() > deadline) throw new Error(`missing after restart: ${names.filter((n) => !delivered().has(n)).join(', ')}\n${second.log()}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    // Duplicates are allowed, but every copy of an event carries the same event id.
    const byName = new Map<string, Set<string>>();
    for (const r of receiver.received) {
      const b = JSON.parse(r.body) as { id: string; payload: { name: string } };
      expect(r.headers['pillar-event-id']).toBe(b.id);
      byName.set(b.payload.name, (byName.get(b.payload.name) ?? new Set()).add(b.id));
    }
    for (const ids of byName.values()) expect(ids.size).toBe(1);
    await second.stop();
  }, 240_000);
});

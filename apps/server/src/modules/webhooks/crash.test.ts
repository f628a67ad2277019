/**
 * At-least-once across a crash: the built server, as a real child process on
 * PostgreSQL, is killed with SIGKILL while deliveries are pending; after a
 * restart every event is delivered (duplicates allowed, same event id).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../../../test/receiver.js';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const DB = process.env.TEST_DATABASE_URL;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function spawnServer(env: Record<string, string>): Promise<{ url: string; proc: ChildProcess; log: () => string }> {
  const port = await freePort();
  let log = '';
  const proc = spawn(process.execPath, [path.join(serverDir, 'dist/main.js')], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: `http://127.0.0.1:${port}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout.on('data', (d: Buffer) => (log += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (log += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited: ${log}`);
    if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) throw new Error(`server did not become ready: ${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, proc, log: () => log };
}

async function api<T>(url: string, init: { method: string; token?: string; body?: unknown }): Promise<T> {
  const res = await fetch(url, {
    method: init.method,
    headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    ...(init.body ? { body: JSON.stringify(init.body) } : {}),
  });
  if (!res.ok) throw new Error(`${init.method} ${url}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<T>;
}

describe.runIf(DB)('webhook delivery survives SIGKILL (built server on PostgreSQL)', () => {
  let receiver: Receiver;
  let dataDir: string;
  const running: ChildProcess[] = [];

  beforeAll(() => {
    execFileSync(process.execPath, ['build.mjs'], { cwd: serverDir, stdio: 'pipe' });
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'pillar-crash-'));
  }, 120_000);

  afterAll(async () => {
    for (const p of running) if (p.exitCode === null) p.kill('SIGKILL');
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
    const first = await spawnServer(env);
    running.push(first.proc);
    const email = `crash-${Date.now()}@example.test`;
    const session = await api<{ access_token: string }>(`${first.url}/api/v1/auth/sign-up`, { method: 'POST', body: { email, password: 'correct horse battery staple', name: 'Crash', firm_name: 'Crash Firm' } });
    const token = session.access_token;
    await api(`${first.url}/api/v1/webhooks/subscriptions`, { method: 'POST', token, body: { url: receiver.url, event_types: ['tenant.updated'] } });
    const names = Array.from({ length: 30 }, (_, i) => `Crash ${i}`);
    for (const name of names) await api(`${first.url}/api/v1/tenant`, { method: 'PATCH', token, body: { name } });

    // Deliveries are under way, then the process dies without any cleanup.
    await receiver.waitFor((r) => r.length >= 1, 30_000);
    first.proc.kill('SIGKILL');
    await new Promise((r) => first.proc.once('exit', r));
    expect(new Set(receiver.received.map((r) => r.headers['pillar-event-id'])).size).toBeLessThan(names.length);

    const second = await spawnServer(env);
    running.push(second.proc);
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
    second.proc.kill('SIGTERM');
    await new Promise((r) => second.proc.once('exit', r));
  }, 240_000);
});

/**
 * Event-to-delivery latency of outbound webhooks on PostgreSQL.
 *
 *   createdb -h 127.0.0.1 -U postgres pillar_bench_webhooks
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/pillar_bench_webhooks npx tsx bench/src/webhook-latency.ts
 *
 * One server (API + job workers + outbox dispatcher, as `npm start` runs them)
 * on a freshly migrated database; a receiver on 127.0.0.1. Events are committed
 * one per transaction at a steady rate (BENCH_RATE per second, BENCH_EVENTS in
 * all); latency is from each transaction's COMMIT returning to the receiver
 * reading the signed POST. DROPS the schema of the database it is given.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../../apps/server/src/app.js';
import { recordChange } from '../../apps/server/src/platform/audit.js';
import { startBackground } from '../../apps/server/src/platform/background.js';
import { loadConfig } from '../../apps/server/src/platform/config.js';
import { migrate } from '../../apps/server/src/platform/db/migrate.js';
import { openDatabase } from '../../apps/server/src/platform/db/open.js';
import { systemContext, withTenant } from '../../apps/server/src/platform/db/tenant.js';
import { memoryMailer } from '../../apps/server/src/platform/mailer.js';

const url = process.env.BENCH_DATABASE_URL;
if (!url) throw new Error('set BENCH_DATABASE_URL to a PostgreSQL database this bench may reset');
const TOTAL = Number(process.env.BENCH_EVENTS ?? 10_000);
const RATE = Number(process.env.BENCH_RATE ?? 100);
const PRODUCERS = Number(process.env.BENCH_PRODUCERS ?? 6);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main() {
  const admin = await openDatabase({ databaseUrl: url, poolSize: 1 });
  await admin.query('DROP SCHEMA IF EXISTS public CASCADE');
  await admin.query('DROP SCHEMA IF EXISTS pgboss CASCADE');
  await admin.query('CREATE SCHEMA public');
  await migrate(admin);
  await admin.close();

  const received = new Map<string, number>();
  let duplicates = 0;
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const id = String(req.headers['pillar-event-id']);
      if (received.has(id)) duplicates++;
      else received.set(id, performance.now());
      res.end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const target = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

  const config = loadConfig({ LOG_LEVEL: 'silent', WEBHOOKS_ALLOW_PRIVATE: 'true', JOBS_POLL_SECONDS: process.env.JOBS_POLL_SECONDS ?? '2', DATA_DIR: '/tmp/pillar-bench', RATE_LIMIT_AUTH_PER_IP: '1000' });
  const db = await openDatabase({ databaseUrl: url, poolSize: Number(process.env.DATABASE_POOL_SIZE ?? 20) });
  const app = await buildApp({ config, db, jwtSecret: 'bench-secret-bench-secret-bench-secret-01', mailer: memoryMailer(), logger: false });
  const bg = await startBackground(app.server.platform, { workers: true, dispatcher: true });
  const signUp = await app.server.inject({ method: 'POST', url: '/api/v1/auth/sign-up', payload: { email: 'bench@example.test', password: 'correct horse battery staple', name: 'Bench', firm_name: 'Bench' } });
  const { access_token: token, tenant } = signUp.json<{ access_token: string; tenant: { tenant_id: string } }>();
  const sub = await app.server.inject({ method: 'POST', url: '/api/v1/webhooks/subscriptions', headers: { authorization: `Bearer ${token}` }, payload: { url: target, event_types: ['contact.*'] } });
  if (sub.statusCode !== 201) throw new Error(sub.body);

  const committed = new Map<string, number>();
  const ctx = systemContext(db, tenant.tenant_id);
  const started = performance.now();
  // Like concurrent users: each event is its own transaction, up to PRODUCERS of them in flight.
  const inflight = new Set<Promise<void>>();
  for (let i = 0; i < TOTAL; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    if (inflight.size >= PRODUCERS) await Promise.race(inflight);
    const p: Promise<void> = withTenant(ctx, async (tx) => {
      const entityId = crypto.randomUUID();
      await recordChange(tx, ctx, { action: 'contact.create', entity: 'contact', entityId, event: { type: 'contact.created', payload: { id: entityId, n: i } } });
      return (await tx.query<{ id: string }>('SELECT id FROM events WHERE tenant_id = $1 AND entity_id = $2', [ctx.tenantId, entityId])).rows[0]!.id;
    }).then((id) => void committed.set(id, performance.now())).finally(() => inflight.delete(p));
    inflight.add(p);
  }
  await Promise.all(inflight);
  const produced = performance.now();
  const deadline = Date.now() + 300_000;
  while (received.size < TOTAL && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const drained = performance.now();

  const latencies = [...committed].map(([id, at]) => (received.get(id) ?? NaN) - at).filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  const result = {
    events: TOTAL,
    rate_per_s: RATE,
    delivered: latencies.length,
    duplicates,
    produce_s: +((produced - started) / 1000).toFixed(1),
    drain_after_last_commit_ms: Math.round(drained - produced),
    p50_ms: Math.round(percentile(latencies, 50)),
    p95_ms: Math.round(percentile(latencies, 95)),
    p99_ms: Math.round(percentile(latencies, 99)),
    max_ms: Math.round(latencies.at(-1) ?? NaN),
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  await bg.stop();
  await app.server.close();
  await db.close();
  receiver.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});

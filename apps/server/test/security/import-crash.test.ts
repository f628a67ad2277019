/**
 * SIGKILL during CSV imports. The real server runs as a child process on the
 * engine under test. Two 3,000-row contact CSVs are uploaded and started
 * through the API — one creating contacts, one with duplicate policy
 * `update` over contacts that already exist — while people keep creating
 * contacts whose events go to a slow webhook receiver. The process is killed
 * mid-run and restarted on the same data: both imports read as interrupted
 * after their last committed batch (never half a batch). Resume finishes the
 * first with every email exactly once; undo removes what the second created
 * and restores what it overwrote. Every imported contact was committed in one
 * batch transaction with exactly one `import.batch` audit row counting it,
 * every API-made contact has one audit row and one outbox event, and every
 * outbox event reaches the receiver: events lost 0.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Database } from '../../src/platform/db/database.js';
import { openDatabase } from '../../src/platform/db/open.js';
import { eventually, startReceiver, type Receiver } from '../receiver.js';
import { report } from './lib/harness.js';
import { call, signUpOver, startServer, type ServerProcess } from '../server-process.js';

const databaseUrl = inject('databaseUrl');
const work = mkdtempSync(path.join(os.tmpdir(), 'pillar-import-crash-'));
const dataDir = path.join(work, 'data');
const ROWS = 3000;
const BATCH = 100;
const COMPANIES = 25;
/** Contacts that exist before the second import, which updates them. */
const EXISTING = 20;
/** The kill comes once this many rows are committed (the server is asked between batches). */
const KILL_AFTER = 5 * BATCH;

const ENV: Record<string, string> = {
  DATA_DIR: dataDir,
  ...(databaseUrl ? { DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: '4' } : {}),
  // The test apps' secret: on a shared PostgreSQL another file's worker may sign this file's deliveries.
  JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
  SEED_DEMO: 'false',
  LOG_LEVEL: 'warn',
  RATE_LIMIT_AUTH_PER_IP: '1000',
  IMPORT_BATCH_SIZE: String(BATCH),
  // The restarted process may take a run as dead after 2 s without progress (default 120 s).
  IMPORT_STALE_SECONDS: '2',
  WEBHOOKS_ALLOW_PRIVATE: 'true',
  // The same retry policy as webhooks.test.ts: on a shared PostgreSQL this server's workers may also run that
  // file's failing deliveries, which must dead-letter after exactly three attempts whoever runs them.
  WEBHOOK_RETRY_LIMIT: '2',
  WEBHOOK_RETRY_DELAY_SECONDS: '1',
  WEBHOOK_RETRY_MAX_DELAY_SECONDS: '2',
  JOBS_POLL_SECONDS: '0.5',
  JOBS_SUPERVISE_SECONDS: '2',
  OUTBOX_POLL_MS: '200',
};

const running: ServerProcess[] = [];
let receiver: Receiver | undefined;
const counts: Record<string, number> = {};

beforeAll(async () => {
  // Embedded: start from the run's migrated database rather than migrating a fresh directory in the child.
  if (!databaseUrl) await (await openDatabase({ dataDir, loadDataDir: new Blob([readFileSync(inject('pgliteDump'))]) })).close();
}, 60_000);

afterAll(async () => {
  for (const s of running) if (s.proc.exitCode === null && s.proc.signalCode === null) await s.kill();
  await receiver?.close();
  rmSync(work, { recursive: true, force: true });
  report('import-crash', counts);
});

async function start(): Promise<ServerProcess> {
  const s = await startServer(ENV);
  running.push(s);
  return s;
}

/** The database itself; on the embedded engine only while no server holds the data directory. */
async function withDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(databaseUrl ? { databaseUrl, poolSize: 1 } : { dataDir });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

interface Imp { id: string; status: string; rows_processed: number; created: number; updated: number; skipped: number; failed: number; error: string | null }

async function waitForImport(base: string, token: string, id: string, statuses: string[], timeoutMs = 60_000): Promise<Imp> {
  return eventually(async () => {
    const r = await call<Imp>(base, 'GET', `/api/v1/imports/${id}`, { token });
    expect(r.status).toBe(200);
    return statuses.includes(r.body.status) ? r.body : null;
  }, timeoutMs, `import ${id} → ${statuses.join('/')}`);
}

/** Every contact whose email starts with `prefix`, through the API (keyset pages). */
async function listContacts(base: string, token: string, prefix: string): Promise<Array<{ id: string; email: string }>> {
  const filter = encodeURIComponent(JSON.stringify({ field: 'email', op: 'starts_with', value: prefix }));
  const out: Array<{ id: string; email: string }> = [];
  let cursor: string | null = null;
  do {
    const r: { status: number; body: { data: Array<{ id: string; email: string }>; next_cursor: string | null } } = await call(base, 'GET',
      `/api/v1/contacts?limit=200&filter=${filter}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
    expect(r.status).toBe(200);
    out.push(...r.body.data.map((c) => ({ id: c.id, email: c.email })));
    cursor = r.body.next_cursor;
  } while (cursor);
  return out;
}

/** `prefix{i}@crash.test` rows; the companies are named after the prefix, so each import makes its own. */
function csvOfContacts(prefix: string): string {
  const lines = ['Email,First Name,Last Name,Company Name'];
  for (let i = 0; i < ROWS; i++) lines.push(`${prefix}${i}@crash.test,Imported,Row ${i},${prefix} Co ${i % COMPANIES}`);
  return `${lines.join('\r\n')}\r\n`;
}

describe('SIGKILL during CSV imports', () => {
  it('restarts with both imports interrupted after their last whole batch; resume completes one exactly once, undo reverts the other; events lost 0', { timeout: 240_000 }, async () => {
    const t0 = Date.now();
    const mark = (name: string) => { counts[`t_${name}`] = Math.round((Date.now() - t0) / 100) / 10; };
    receiver = await startReceiver(200, 1000);
    let server = await start();
    const { token, tenantId } = await signUpOver(server.url, 'crash');
    mark('started');
    const sub = await call(server.url, 'POST', '/api/v1/webhooks/subscriptions', { token, json: { url: receiver.url, event_types: ['contact.created', 'import.completed'] } });
    expect(sub.status).toBe(201);
    // The second import's file holds these emails: it overwrites their names (and undo must put them back).
    const existing: Array<{ id: string; version: number }> = [];
    for (let i = 0; i < EXISTING; i++) {
      const r = await call<{ id: string; version: number }>(server.url, 'POST', '/api/v1/contacts', { token, json: { first_name: 'Before', last_name: `Existing ${i}`, email: `und${i * 7}@crash.test`, title: 'Kept' } });
      expect(r.status).toBe(201);
      existing.push(r.body);
    }

    const upload = async (prefix: string, policy: string) => {
      const up = await call<Imp>(server.url, 'POST', `/api/v1/imports?entity=contacts&file_name=${prefix}.csv&duplicate_policy=${policy}`, { token, csv: csvOfContacts(prefix) });
      expect(up.status, JSON.stringify(up.body)).toBe(201);
      expect((await call(server.url, 'POST', `/api/v1/imports/${up.body.id}/start`, { token })).status).toBe(202);
      return up.body.id;
    };
    const resumeId = await upload('imp', 'skip');
    const undoId = await upload('und', 'update');

    // People keep working meanwhile: each contact they create emits contact.created, which a slow receiver takes.
    let answered = 0;
    let killed = false;
    const working = (async () => {
      for (let n = 0; !killed; n++) {
        const made = await call(server.url, 'POST', '/api/v1/contacts', { token, json: { first_name: 'Live', last_name: `N${n}`, email: `live${n}@crash.test` } }).catch(() => null);
        if (made?.status === 201) answered++;
        else if (!killed) throw new Error(`creating a contact: ${made?.status} ${JSON.stringify(made?.body)}`);
      }
    })();
    const seen = { [resumeId]: 0, [undoId]: 0 };
    while (seen[resumeId]! < KILL_AFTER || seen[undoId]! < 2 * BATCH) {
      for (const id of [resumeId, undoId]) {
        const r = await call<Imp>(server.url, 'GET', `/api/v1/imports/${id}`, { token });
        expect(['queued', 'running'], 'an import finished before the kill: make the file larger').toContain(r.body.status);
        seen[id] = r.body.rows_processed;
      }
    }
    killed = true;
    await server.kill();
    await working;
    mark('killed');
    expect(answered).toBeGreaterThan(0);
    expect(receiver.received.length, 'some deliveries were still pending at the kill').toBeLessThan(EXISTING + answered);

    // Same data, new process: each dead run reads as interrupted after its last committed batch.
    server = await start();
    const stopped: Record<string, Imp> = {};
    for (const id of [resumeId, undoId]) {
      const imp = await waitForImport(server.url, token, id, ['interrupted'], 30_000);
      expect(imp.error).toMatch(/resume or undo/);
      expect(imp.rows_processed).toBeGreaterThanOrEqual(seen[id]!);
      expect(imp.rows_processed).toBeLessThan(ROWS);
      expect(imp.rows_processed % BATCH, 'a half batch was committed').toBe(0);
      expect(imp.created + imp.updated).toBe(imp.rows_processed);
      expect(imp).toMatchObject({ skipped: 0, failed: 0 });
      stopped[id] = imp;
    }
    mark('interrupted');
    const atCrash = await listContacts(server.url, token, 'imp');
    expect(atCrash).toHaveLength(stopped[resumeId]!.rows_processed);
    expect(new Set(atCrash.map((c) => c.email)).size).toBe(atCrash.length);
    // A request cut off by the kill may have committed without its answer arriving: at most one more than answered.
    const live = await listContacts(server.url, token, 'live');
    expect(live.length - answered).toBeGreaterThanOrEqual(0);
    expect(live.length - answered).toBeLessThanOrEqual(1);

    expect((await call(server.url, 'POST', `/api/v1/imports/${resumeId}/resume`, { token })).status).toBe(202);
    expect((await call(server.url, 'POST', `/api/v1/imports/${undoId}/undo`, { token })).status).toBe(202);
    const done = await waitForImport(server.url, token, resumeId, ['completed', 'failed']);
    expect(done).toMatchObject({ status: 'completed', rows_processed: ROWS, created: ROWS, updated: 0, skipped: 0, failed: 0 });
    await waitForImport(server.url, token, undoId, ['undone']);
    mark('completed');
    const imported = await listContacts(server.url, token, 'imp');
    expect(imported).toHaveLength(ROWS);
    expect(new Set(imported.map((c) => c.email)).size).toBe(ROWS);
    expect((await listContacts(server.url, token, 'und')).map((c) => c.id).sort()).toEqual(existing.map((c) => c.id).sort());

    // At-least-once across the crash: every API-made contact's contact.created and the completion arrive.
    const delivered = () => new Map(receiver!.received.map((r) => {
      const b = JSON.parse(r.body) as { id: string; type: string; payload: { id: string } };
      expect(r.headers['pillar-event-id']).toBe(b.id);
      return [b.id, b] as const;
    }));
    const made = [...live.map((c) => c.id), ...existing.map((c) => c.id)];
    await eventually(async () => {
      const got = [...delivered().values()];
      return made.every((id) => got.some((b) => b.type === 'contact.created' && b.payload.id === id)) && got.some((b) => b.type === 'import.completed' && b.payload.id === resumeId);
    }, 60_000, 'every event delivered after the restart');
    mark('delivered');
    await server.stop();

    await withDb(async (db) => {
      const one = async <T>(sql: string, params: unknown[] = []) => (await db.query<T>(sql, params)).rows[0]!;
      // No duplicates: every email once, every company name once (the killed batches' companies rolled back with them).
      expect(await one(`SELECT count(*)::int AS n, count(DISTINCT email)::int AS d FROM contacts WHERE tenant_id = $1 AND import_id = $2`, [tenantId, resumeId])).toEqual({ n: ROWS, d: ROWS });
      expect(await one(`SELECT count(*)::int AS n, count(DISTINCT lower(name))::int AS d FROM companies WHERE tenant_id = $1`, [tenantId])).toEqual({ n: COMPANIES, d: COMPANIES });
      expect(await one(`SELECT count(*)::int AS n FROM companies WHERE tenant_id = $1 AND name LIKE 'imp Co %'`, [tenantId])).toEqual({ n: COMPANIES });
      // Each imported contact shares its transaction with exactly one import.batch audit row, whose count includes it:
      // no half batch, no batch without its trace, no trace without its batch.
      const batches = (await db.query<{ audits: number; created: number; contacts: number }>(
        `WITH c AS (SELECT xmin::text AS tx, count(*)::int AS n FROM contacts WHERE tenant_id = $1 AND import_id = $2 GROUP BY 1),
              a AS (SELECT xmin::text AS tx, count(*)::int AS audits, sum((changes->'created'->>'after')::int)::int AS created
                      FROM audit_log WHERE tenant_id = $1 AND entity_id = $2::text AND action = 'import.batch' GROUP BY 1)
         SELECT coalesce(a.audits, 0) AS audits, coalesce(a.created, 0) AS created, coalesce(c.n, 0) AS contacts
           FROM c FULL JOIN a ON a.tx = c.tx`, [tenantId, resumeId])).rows;
      expect(batches).toHaveLength(ROWS / BATCH);
      expect(batches.filter((b) => b.audits !== 1 || b.created !== b.contacts || b.contacts !== BATCH)).toEqual([]);
      // The undone import: nothing it created is left, what it overwrote is back.
      expect(await one(`SELECT count(*)::int AS n FROM contacts WHERE tenant_id = $1 AND import_id = $2`, [tenantId, undoId])).toEqual({ n: 0 });
      const restored = (await db.query<{ first_name: string; title: string }>(`SELECT first_name, title FROM contacts WHERE id = ANY($1::uuid[])`, [existing.map((c) => c.id)])).rows;
      expect(restored).toEqual(existing.map(() => ({ first_name: 'Before', title: 'Kept' })));
      // Contacts made through the API: exactly one contact.create audit row and one contact.created event each.
      const traces = (await db.query<{ id: string; audits: number; events: number }>(
        `SELECT c.id,
                (SELECT count(*)::int FROM audit_log a WHERE a.tenant_id = $1 AND a.action = 'contact.create' AND a.entity_id = c.id::text) AS audits,
                (SELECT count(*)::int FROM events e WHERE e.tenant_id = $1 AND e.type = 'contact.created' AND e.entity_id = c.id::text) AS events
           FROM contacts c WHERE c.tenant_id = $1 AND c.import_id IS NULL ORDER BY c.id`, [tenantId])).rows;
      expect(traces.map((x) => x.id)).toEqual([...made].sort());
      expect(traces.filter((x) => x.audits !== 1 || x.events !== 1)).toEqual([]);
      expect(await one(`SELECT count(*)::int AS n FROM events WHERE tenant_id = $1 AND type = 'import.completed'`, [tenantId])).toEqual({ n: 1 });
      // Events lost: outbox events of the subscribed types that never reached the receiver.
      const outbox = (await db.query<{ id: string }>(`SELECT id FROM events WHERE tenant_id = $1 AND type IN ('contact.created', 'import.completed')`, [tenantId])).rows;
      const got = delivered();
      const lost = outbox.filter((e) => !got.has(e.id)).length;
      expect(outbox).toHaveLength(made.length + 1);
      Object.assign(counts, { eventsInOutbox: outbox.length, eventsLost: lost, deliveries: receiver!.received.length });
      expect(lost).toBe(0);
    });
    mark('end');
    Object.assign(counts, { rows: 2 * ROWS, batch: BATCH, committedAtKill: stopped[resumeId]!.rows_processed + stopped[undoId]!.rows_processed, apiContacts: made.length });
  });
});

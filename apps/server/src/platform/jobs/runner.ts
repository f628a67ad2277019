/**
 * The job runner: pg-boss on the same database (in-process on PGlite through
 * its PGlite adapter, a small pool of its own on PostgreSQL). Queues get
 * exponential-backoff retries and a dead-letter queue (`<name>.dead`).
 *
 * Security-critical: job data is `{ tenantId, data }`; handlers only ever get a
 * context for that tenant (see registry.ts).
 */
import type { JobInsert, JobWithMetadata, PgBoss, Queue } from 'pg-boss';
import { uuidv7 } from 'uuidv7';
import type { Database, Tx } from '../db/database.js';
import { systemContext, withTenant } from '../db/tenant.js';
import type { PlatformServices } from '../services.js';
import { systemTasks, type SystemTask } from './maintenance.js';
import {
  consumerQueue, deadLetterQueue, DEFAULT_RETRY, recurringQueue, registeredConsumers, registeredJobs, registeredRecurringJobs,
  type EnqueueOptions, type JobDefinition, type JobRun, type RetryPolicy,
} from './registry.js';
import { runConsumer } from './consume.js';

export const BOSS_SCHEMA = 'pgboss';
const HEARTBEAT_SECONDS = 10;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface JobEnvelope {
  tenantId: string;
  data: Record<string, unknown>;
}

type Handler = (job: JobRun<Record<string, unknown>>) => Promise<void>;
interface QueueSpec {
  name: string;
  retry: RetryPolicy;
  expireInSeconds: number;
  concurrency: number;
  handler: Handler | null;
}

/** Runs pg-boss statements inside one of our transactions (the outbox dispatcher enqueues atomically). */
export function txAdapter(tx: Tx) {
  return { executeSql: async (text: string, values?: unknown[]) => tx.query(text, values) };
}

/** pg-boss (and the driver it brings) is loaded when the runner starts, after the server listens. */
async function createBoss(db: Database, services: PlatformServices): Promise<PgBoss> {
  const { fromPglite, PgBoss } = await import('pg-boss');
  // pg-boss fails jobs whose heartbeat stopped (a killed worker) and expired jobs in its monitor pass, which runs
  // every monitorIntervalSeconds (60 by default) whatever the supervise interval: both follow JOBS_SUPERVISE_SECONDS.
  const every = services.config.jobs.superviseSeconds;
  const common = { schema: BOSS_SCHEMA, superviseIntervalSeconds: every, monitorIntervalSeconds: every, useListenNotify: true };
  if (db.pglite) return new PgBoss({ ...common, db: fromPglite(db.pglite), backend: 'pglite' });
  const options = db.pool!.options as { connectionString?: string };
  // Job bookkeeping commits asynchronously: a crash can only lose the newest state changes, which makes a
  // job run again (at-least-once), never lose one. It spares a WAL flush per fetch and completion.
  return new PgBoss({ ...common, connectionString: options.connectionString, max: 4, application_name: 'pillar-jobs', options: '-c synchronous_commit=off' });
}

export class JobRunner {
  #boss: PgBoss | null = null;
  #starting: Promise<PgBoss> | null = null;
  #working = false;
  #specs = new Map<string, QueueSpec>();
  #services: PlatformServices | null = null;
  readonly #system: SystemTask[];

  constructor(private readonly db: Database) {
    this.#system = systemTasks(db);
  }

  /** Called once by buildApp when the services exist. */
  attach(services: PlatformServices) {
    this.#services = services;
  }

  get services(): PlatformServices {
    if (!this.#services) throw new Error('job runner is not attached');
    return this.#services;
  }

  /** Starts pg-boss (idempotent): installs its schema and creates every registered queue. */
  boss(): Promise<PgBoss> {
    this.#starting ??= this.#start().catch((err: unknown) => {
      this.#starting = null;
      throw err;
    });
    return this.#starting;
  }

  async #start(): Promise<PgBoss> {
    const boss = await createBoss(this.db, this.services);
    boss.on('error', (err) => this.services.log.error({ err }, 'job queue error'));
    await boss.start();
    this.#collectSpecs();
    for (const spec of this.#specs.values()) await this.#createQueue(boss, spec);
    for (const task of this.#system) await this.#createQueue(boss, { name: task.name, retry: DEFAULT_RETRY, expireInSeconds: 900, concurrency: 1, handler: null });
    this.#boss = boss;
    return boss;
  }

  async #createQueue(boss: PgBoss, spec: QueueSpec) {
    const dead = deadLetterQueue(spec.name);
    if (!(await boss.getQueue(dead))) await boss.createQueue(dead, { retentionSeconds: 14 * 86_400 });
    const options: Omit<Queue, 'name'> = {
      retryLimit: spec.retry.limit,
      retryDelay: spec.retry.delaySeconds,
      retryBackoff: spec.retry.backoff,
      expireInSeconds: spec.expireInSeconds,
      deadLetter: dead,
      notify: true,
      ...(spec.retry.maxDelaySeconds ? { retryDelayMax: spec.retry.maxDelaySeconds } : {}),
    };
    if (await boss.getQueue(spec.name)) await boss.updateQueue(spec.name, options);
    else await boss.createQueue(spec.name, options);
    // Warm pg-boss's queue cache so sends inside our transactions need no other connection.
    await boss.findJobs(spec.name, { id: '00000000-0000-0000-0000-000000000000' });
  }

  #collectSpecs() {
    const config = this.services.config;
    for (const def of registeredJobs() as JobDefinition<Record<string, unknown>>[]) {
      const retry = typeof def.retry === 'function' ? def.retry(config) : (def.retry ?? DEFAULT_RETRY);
      const expire = typeof def.expireInSeconds === 'function' ? def.expireInSeconds(config) : (def.expireInSeconds ?? 900);
      this.#specs.set(def.name, { name: def.name, retry, expireInSeconds: expire, concurrency: def.concurrency ?? 2, handler: (job) => this.#runDefinition(def, job) });
    }
    for (const consumer of registeredConsumers()) {
      this.#specs.set(consumerQueue(consumer.name), {
        name: consumerQueue(consumer.name), retry: DEFAULT_RETRY, expireInSeconds: 120, concurrency: 2,
        handler: (job) => withTenant(job.ctx, (tx) => runConsumer(tx, consumer, job as JobRun<{ eventIds: string[] }>)),
      });
    }
    for (const rec of registeredRecurringJobs()) {
      this.#specs.set(rec.name, { name: rec.name, retry: rec.retry ?? DEFAULT_RETRY, expireInSeconds: 900, concurrency: 1, handler: (job) => withTenant(job.ctx, (tx) => rec.run(tx, job as JobRun<Record<string, never>>)) });
      this.#specs.set(recurringQueue(rec.name), { name: recurringQueue(rec.name), retry: DEFAULT_RETRY, expireInSeconds: 900, concurrency: 1, handler: null });
    }
  }

  #runDefinition(def: JobDefinition<Record<string, unknown>>, job: JobRun<Record<string, unknown>>): Promise<void> {
    if (def.run) return withTenant(job.ctx, (tx) => def.run!(tx, job));
    return def.perform!(job);
  }

  /** Starts workers for every queue, and the schedules of recurring jobs. */
  /** `only` limits this process to some queues (tests sharing one database). */
  async startWorkers(only?: (queue: string) => boolean): Promise<void> {
    const boss = await this.boss();
    if (this.#working) return;
    this.#working = true;
    const pollingIntervalSeconds = this.services.config.jobs.pollSeconds;
    for (const spec of this.#specs.values()) {
      const handler = spec.handler;
      if (!handler || (only && !only(spec.name))) continue;
      // Batches with per-job outcomes: one fetch for several jobs, and no wait between full batches.
      // NOTIFY wakes workers for new jobs; retries with a delay are found by the regular poll.
      const options = {
        includeMetadata: true, perJobResults: true, burstWhenBatchFull: true, batchSize: spec.concurrency, localConcurrency: 2,
        pollingIntervalSeconds, notifyPollingIntervalSeconds: pollingIntervalSeconds,
      } as const;
      await boss.work<JobEnvelope, void, typeof options>(spec.name, options, async (batch) => {
        const settled = await Promise.allSettled(batch.map((job) => this.#execute(spec, handler, job)));
        return settled.map((r, i) => r.status === 'fulfilled'
          ? { id: batch[i]!.id, status: 'completed' as const }
          : { id: batch[i]!.id, status: 'failed' as const, output: { message: r.reason instanceof Error ? r.reason.message : String(r.reason) } });
      });
    }
    await this.#startSchedules(boss);
  }

  async #startSchedules(boss: PgBoss) {
    const pollingIntervalSeconds = this.services.config.jobs.pollSeconds;
    for (const task of this.#system) {
      await boss.schedule(task.name, task.cron, {}, { tz: 'UTC' });
      await boss.work(task.name, { pollingIntervalSeconds }, () => task.run());
    }
    for (const rec of registeredRecurringJobs()) {
      await boss.schedule(recurringQueue(rec.name), rec.cron, { tenantId: null, data: {} }, { tz: 'UTC' });
      await boss.work<JobEnvelope>(recurringQueue(rec.name), { pollingIntervalSeconds }, async () => {
        await this.#fanOutToTenants(rec.name);
      });
    }
  }

  async #fanOutToTenants(name: string) {
    const boss = await this.boss();
    const tenants = await this.db.query<{ id: string }>('SELECT id FROM tenants ORDER BY id');
    const jobs: JobInsert[] = tenants.rows.map((t) => ({ data: { tenantId: t.id, data: {} }, ...this.#jobOptions(name) }));
    for (let i = 0; i < jobs.length; i += 500) await boss.insert(name, jobs.slice(i, i + 500));
  }

  async #execute(spec: QueueSpec, handler: Handler, job: JobWithMetadata<JobEnvelope>) {
    const envelope = job.data;
    if (!envelope || typeof envelope.tenantId !== 'string' || !UUID.test(envelope.tenantId)) {
      throw new Error(`job ${job.id} on ${spec.name} carries no tenant id`);
    }
    const followUps: Array<{ name: string; data: object; opts?: EnqueueOptions }> = [];
    const run: JobRun<Record<string, unknown>> = {
      id: job.id,
      tenantId: envelope.tenantId,
      data: envelope.data ?? {},
      ctx: systemContext(this.db, envelope.tenantId, `job:${job.id}`),
      retryCount: job.retryCount,
      isLastAttempt: job.retryCount >= job.retryLimit,
      services: this.services,
      enqueueAfterCommit: (name, data, opts) => void followUps.push({ name, data, ...(opts ? { opts } : {}) }),
    };
    await handler(run);
    const plain = followUps.filter((f) => !f.opts);
    for (const name of new Set(plain.map((f) => f.name))) {
      await this.enqueueMany(name, plain.filter((f) => f.name === name).map((f) => ({ tenantId: envelope.tenantId, data: f.data as Record<string, unknown> })));
    }
    for (const f of followUps.filter((x) => x.opts)) await this.enqueue(f.name, envelope.tenantId, f.data as Record<string, unknown>, f.opts);
  }

  /** Queues a job for one tenant. Not inside a transaction: on PGlite it needs the connection. */
  async enqueue(name: string, tenantId: string, data: Record<string, unknown>, opts: EnqueueOptions = {}): Promise<string | null> {
    if (!UUID.test(tenantId)) throw new Error('tenant id must be a UUID');
    const boss = await this.boss();
    return boss.send(name, { tenantId, data }, {
      ...this.#jobOptions(name),
      ...(opts.startAfter !== undefined ? { startAfter: opts.startAfter } : {}),
      ...(opts.singletonKey ? { singletonKey: opts.singletonKey } : {}),
    });
  }

  async enqueueMany(name: string, jobs: JobEnvelope[]): Promise<void> {
    const boss = await this.boss();
    for (let i = 0; i < jobs.length; i += 500) {
      await boss.insert(name, jobs.slice(i, i + 500).map((data) => ({ id: uuidv7(), data, ...this.#jobOptions(name) })));
    }
  }

  /** Queues jobs inside an open system transaction (the outbox dispatcher): they exist only if it commits. */
  async enqueueInTx(tx: Tx, name: string, jobs: JobEnvelope[]): Promise<void> {
    if (!jobs.length) return;
    const boss = this.#boss;
    if (!boss) throw new Error('job runner is not started');
    await boss.insert(name, jobs.map((data) => ({ id: uuidv7(), data, ...this.#jobOptions(name) })), { db: txAdapter(tx) });
  }

  /** Retry and expiry travel with each job, so every process's configuration applies to the jobs it queues. */
  #jobOptions(name: string) {
    const spec = this.#specs.get(name);
    if (!spec) return {};
    return {
      retryLimit: spec.retry.limit,
      retryDelay: spec.retry.delaySeconds,
      retryBackoff: spec.retry.backoff,
      expireInSeconds: spec.expireInSeconds,
      // A worker that dies (SIGKILL, lost machine) stops its heartbeat; its job is retried within seconds, not at expiry.
      heartbeatSeconds: HEARTBEAT_SECONDS,
      deadLetter: deadLetterQueue(name),
      ...(spec.retry.maxDelaySeconds ? { retryDelayMax: spec.retry.maxDelaySeconds } : {}),
    };
  }

  get started(): boolean {
    return this.#boss !== null;
  }

  async stop(): Promise<void> {
    const starting = this.#starting;
    this.#starting = null;
    if (!starting) return;
    const boss = await starting.catch(() => null);
    this.#boss = null;
    this.#working = false;
    await boss?.stop({ graceful: true, timeout: 10_000, close: true });
  }
}

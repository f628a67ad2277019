/**
 * What background work exists: job definitions, recurring schedules and
 * outbox consumers. Modules register at import time (from their index.ts);
 * the runner reads the registry when it starts.
 *
 * Tenancy: every job carries a tenant id and its handler only ever gets a
 * context for that tenant (`withTenant(systemContext(db, tenantId))`), so a
 * job cannot read another tenant's rows.
 */
import type { Config } from '../config.js';
import type { Tx } from '../db/database.js';
import type { TenantContext } from '../db/tenant.js';
import type { PlatformServices } from '../services.js';

export interface EnqueueOptions {
  /** Delay before the first attempt. */
  startAfter?: Date | number;
  /** Jobs with the same key are not queued twice while one is waiting. */
  singletonKey?: string;
}

export interface JobRun<D> {
  id: string;
  tenantId: string;
  data: D;
  /** System context inside the job's tenant. */
  ctx: TenantContext;
  /** 0 for the first attempt. */
  retryCount: number;
  isLastAttempt: boolean;
  services: PlatformServices;
  /** Queues another job of the same tenant once this job's transaction has committed. */
  enqueueAfterCommit(name: string, data: object, opts?: EnqueueOptions): void;
}

export interface RetryPolicy {
  limit: number;
  delaySeconds: number;
  backoff: boolean;
  maxDelaySeconds?: number;
}

export interface JobDefinition<D = Record<string, unknown>> {
  /** Queue name: letters, digits, `.`, `-`, `_`. */
  name: string;
  /** Runs inside one `withTenant` transaction for the job's tenant (the default shape). */
  run?: (tx: Tx, job: JobRun<D>) => Promise<void>;
  /**
   * For jobs that wait on the network: no transaction is held; open short ones
   * with `withTenant(job.ctx, …)`. Holding a transaction across a slow call would
   * block the embedded database's single connection.
   */
  perform?: (job: JobRun<D>) => Promise<void>;
  retry?: RetryPolicy | ((config: Config) => RetryPolicy);
  /** How long an attempt may stay active before it counts as failed (crash recovery). */
  expireInSeconds?: number | ((config: Config) => number);
  /** Parallel attempts per process. */
  concurrency?: number;
}

export interface RecurringJob {
  name: string;
  /** Cron expression (minute resolution), UTC. */
  cron: string;
  /** Runs once per tenant per tick, in that tenant's transaction. */
  run: (tx: Tx, job: JobRun<Record<string, never>>) => Promise<void>;
  retry?: RetryPolicy;
}

/** Outbox consumer: gets each tenant's committed events in batches, inside that tenant's transaction. */
export interface EventConsumer {
  name: string;
  /** Only events whose type passes are handed over (saves empty jobs). */
  accepts?: (type: string) => boolean;
  handle: (tx: Tx, events: OutboxEvent[], job: JobRun<{ eventIds: string[] }>) => Promise<void>;
}

export interface OutboxEvent {
  id: string;
  seq: number;
  type: string;
  version: number;
  entity: string;
  entity_id: string | null;
  payload: Record<string, unknown>;
  actor_type: string;
  actor_id: string | null;
  occurred_at: string;
}

export const DEFAULT_RETRY: RetryPolicy = { limit: 5, delaySeconds: 5, backoff: true, maxDelaySeconds: 3600 };
const NAME = /^[a-z][\w.-]{0,80}$/;

const jobs = new Map<string, JobDefinition<never>>();
const recurring = new Map<string, RecurringJob>();
const consumers = new Map<string, EventConsumer>();

function assertName(name: string, taken: boolean) {
  if (!NAME.test(name)) throw new Error(`invalid job name "${name}"`);
  if (taken) throw new Error(`job "${name}" is already registered`);
}

export function defineJob<D>(def: JobDefinition<D>): JobDefinition<D> {
  assertName(def.name, jobs.has(def.name) && jobs.get(def.name) !== (def as unknown));
  if (!def.run === !def.perform) throw new Error(`job "${def.name}" needs exactly one of run or perform`);
  jobs.set(def.name, def);
  return def;
}

/** A job that runs on a schedule for every tenant, e.g. purging a module's trash. */
export function registerRecurringJob(def: RecurringJob): void {
  assertName(def.name, recurring.has(def.name) && recurring.get(def.name) !== def);
  recurring.set(def.name, def);
}

/** Receives the outbox's events (webhooks, automations…). */
export function registerEventConsumer(def: EventConsumer): void {
  assertName(`events.${def.name}`, consumers.has(def.name) && consumers.get(def.name) !== def);
  consumers.set(def.name, def);
}

export function registeredJobs(): JobDefinition<never>[] {
  return [...jobs.values()];
}
export function registeredRecurringJobs(): RecurringJob[] {
  return [...recurring.values()];
}
export function registeredConsumers(): EventConsumer[] {
  return [...consumers.values()];
}
export const consumerQueue = (name: string) => `events.${name}`;
export const recurringQueue = (name: string) => `recurring.${name}`;
export const deadLetterQueue = (name: string) => `${name}.dead`;

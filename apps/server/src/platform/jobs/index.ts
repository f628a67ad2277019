/**
 * Background work for modules: define a job, queue it for a tenant, run
 * something on a schedule for every tenant, or consume the event outbox.
 *
 *   defineJob({ name: 'crm.purge-trash', run: async (tx, job) => … })
 *   registerRecurringJob({ name: 'crm.purge-trash', cron: '0 3 * * *', run: async (tx, job) => … })
 *   registerEventConsumer({ name: 'automations', handle: async (tx, events, job) => … })
 *   await app.platform.jobs.enqueue('crm.purge-trash', ctx.tenantId, { … })
 */
export {
  defineJob, registerEventConsumer, registerRecurringJob,
  type EnqueueOptions, type EventConsumer, type JobDefinition, type JobRun, type OutboxEvent, type RecurringJob, type RetryPolicy,
} from './registry.js';
export type { JobRunner } from './runner.js';

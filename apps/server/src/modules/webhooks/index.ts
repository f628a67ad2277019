/** Outbound webhooks: subscriptions, signed at-least-once delivery, delivery log. */
import type { ModuleDefinition } from '../index.js';
import { defineJob, registerEventConsumer } from '../../platform/jobs/index.js';
import { deliverJob, DELIVER_JOB, fanOutEvents } from './delivery.js';
import { webhooksRoutes } from './webhooks.routes.js';

registerEventConsumer({ name: 'webhooks', handle: fanOutEvents });

defineJob<{ deliveryId: string }>({
  name: DELIVER_JOB,
  perform: deliverJob,
  retry: (config) => ({
    limit: config.webhooks.retryLimit,
    delaySeconds: config.webhooks.retryDelaySeconds,
    backoff: true,
    maxDelaySeconds: config.webhooks.retryMaxDelaySeconds,
  }),
  // An attempt is over after the HTTP timeout; a crashed worker's attempt is retried after this.
  expireInSeconds: (config) => Math.ceil(config.webhooks.timeoutMs / 1000) + 20,
  concurrency: 8,
});

export const webhooksModule: ModuleDefinition = { name: 'webhooks', plugin: webhooksRoutes };
export { signatureHeader } from './signing.js';

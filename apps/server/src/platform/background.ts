/**
 * Wires the platform services (job runner, live hub, secret box) onto the app,
 * and starts the background side: job workers and the outbox dispatcher.
 * `buildApp` creates the services; `main.ts` and `worker.ts` start the rest.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import { OutboxDispatcher } from './events/dispatcher.js';
import { JobRunner } from './jobs/runner.js';
import type { Mailer } from './mailer.js';
import { LiveHub } from './realtime/hub.js';
import { createListener } from './realtime/listener.js';
import { createSecretBox } from './secret-box.js';
import type { PlatformServices } from './services.js';

export function createPlatformServices(server: FastifyInstance, deps: { db: Database; config: Config; mailer: Mailer; jwtSecret: string }): PlatformServices {
  const log = server.log;
  const onError = (err: unknown) => log.error({ err }, 'live updates error');
  const listener = createListener(deps.db, onError);
  const jobs = new JobRunner(deps.db);
  const services: PlatformServices = {
    db: deps.db,
    config: deps.config,
    mailer: deps.mailer,
    log,
    jobs,
    secrets: createSecretBox(deps.config.secretsKey ?? deps.jwtSecret),
    live: new LiveHub(deps.db, listener, onError),
    listener,
  };
  jobs.attach(services);
  server.decorate('platform', services);
  server.addHook('onClose', async () => {
    await jobs.stop();
    await listener.close();
  });
  return services;
}

export interface Background {
  dispatcher: OutboxDispatcher | null;
  stop(): Promise<void>;
}

/** Starts job workers and/or the outbox dispatcher. Stop it before closing the database. */
export async function startBackground(services: PlatformServices, opts: { workers: boolean; dispatcher: boolean; queues?: (name: string) => boolean }): Promise<Background> {
  const dispatcher = opts.dispatcher ? new OutboxDispatcher(services, services.listener) : null;
  await services.jobs.boss();
  if (opts.workers) await services.jobs.startWorkers(opts.queues);
  await dispatcher?.start();
  return {
    dispatcher,
    async stop() {
      await dispatcher?.stop();
      await services.jobs.stop();
    },
  };
}

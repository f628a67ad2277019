/**
 * Platform services shared by routes and background work: configuration,
 * mail, the job runner, the secret box and the live-update hub. Decorated on
 * the Fastify instance as `app.platform`.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import type { JobRunner } from './jobs/runner.js';
import type { Mailer } from './mailer.js';
import type { LiveHub } from './realtime/hub.js';
import type { Listener } from './realtime/listener.js';
import type { SecretBox } from './secret-box.js';

export interface PlatformServices {
  readonly db: Database;
  readonly config: Config;
  readonly mailer: Mailer;
  readonly log: FastifyBaseLogger;
  readonly jobs: JobRunner;
  readonly secrets: SecretBox;
  readonly live: LiveHub;
  readonly listener: Listener;
}

declare module 'fastify' {
  interface FastifyInstance {
    platform: PlatformServices;
  }
}

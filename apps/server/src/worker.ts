/**
 * `npm run worker`: background jobs and the outbox dispatcher as a separate
 * process, for PostgreSQL deployments that set JOBS_IN_PROCESS=false on the
 * web processes. Needs DATABASE_URL (an embedded database belongs to one
 * process) and the same SECRETS_KEY or JWT_SECRET as the web processes, so it
 * can read webhook signing secrets. Run as many as you like: jobs are claimed
 * with SKIP LOCKED.
 */
import Fastify from 'fastify';
import { createPlatformServices, startBackground } from './platform/background.js';
import { loadConfig } from './platform/config.js';
import { migrate } from './platform/db/migrate.js';
import { openDatabase } from './platform/db/open.js';
import { consoleMailer } from './platform/mailer.js';
import { loadSecrets } from './platform/secrets.js';

async function main() {
  const config = loadConfig();
  if (!config.databaseUrl) throw new Error('npm run worker needs DATABASE_URL: with the embedded database, jobs run inside the server process');
  const secrets = loadSecrets(config.dataDir, { jwtSecret: config.jwtSecret });
  const db = await openDatabase({ databaseUrl: config.databaseUrl, poolSize: Math.min(config.poolSize, 5) });
  await migrate(db);
  const host = Fastify({ logger: { level: config.logLevel } });
  const services = createPlatformServices(host, { db, config, mailer: consoleMailer(host.log), jwtSecret: secrets.jwtSecret });
  const background = await startBackground(services, { workers: true, dispatcher: true });
  host.log.info('worker started');

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    host.log.info({ signal }, 'worker shutting down');
    const force = setTimeout(() => process.exit(1), 15_000).unref();
    await background.stop();
    await host.close();
    await db.close();
    clearTimeout(force);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`\nPillar worker failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});

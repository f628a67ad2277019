/** Entry point: config → lock → database → migrate → app → listen; graceful shutdown on SIGTERM/SIGINT. */
import { buildApp } from './app.js';
import { startBackground, type Background } from './platform/background.js';
import { loadConfig } from './platform/config.js';
import { DataDirLockedError, lockDataDir } from './platform/db/lock.js';
import { migrate } from './platform/db/migrate.js';
import { openDatabase } from './platform/db/open.js';
import { DEMO_EMAIL, DEMO_PASSWORD, seedDemoIfEmpty } from './platform/seed.js';
import { loadSecrets } from './platform/secrets.js';

async function main() {
  const started = Date.now();
  const config = loadConfig();
  const release = config.databaseUrl ? () => undefined : lockDataDir(config.dataDir);
  const secrets = loadSecrets(config.dataDir, { jwtSecret: config.jwtSecret });
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.poolSize });
  const { applied } = await migrate(db);
  const app = await buildApp({ config, db, jwtSecret: secrets.jwtSecret });
  const log = app.server.log;
  if (applied.length) log.info({ applied }, 'migrations applied');
  const seeded = config.seedDemo ? await seedDemoIfEmpty(db) : false;

  let background: Background | null = null;
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down: draining requests');
    app.state.draining = true;
    const force = setTimeout(() => process.exit(1), 15_000).unref();
    try {
      // Stop taking new jobs and dispatching first; jobs in flight finish (or are retried after a crash).
      await background?.stop();
      await app.server.close();
      await db.close();
    } finally {
      release();
      clearTimeout(force);
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.server.listen({ port: config.port, host: config.host });
  // Job workers and the outbox dispatcher run here unless JOBS_IN_PROCESS=false (then `npm run worker`).
  if (config.jobs.inProcess) background = await startBackground(app.server.platform, { workers: true, dispatcher: true });
  const url = config.publicUrl;
  const engine = db.kind === 'pglite' ? `embedded PostgreSQL in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)';
  process.stdout.write(
    `\nPillar is running at ${url}  (ready in ${Date.now() - started} ms, ${engine})\n` +
      `  API docs: ${url}/api/docs\n` +
      (seeded || config.seedDemo ? `  Demo login: ${DEMO_EMAIL} / ${DEMO_PASSWORD}\n` : '') +
      '\n',
  );
}

main().catch((err: unknown) => {
  if (err instanceof DataDirLockedError) {
    process.stderr.write(`\n${err.message}\n\n`);
  } else {
    process.stderr.write(`\nPillar failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exit(1);
});

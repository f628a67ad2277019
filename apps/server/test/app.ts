/** buildTestApp: the real app on a real database (a PGlite copy, or TEST_DATABASE_URL). */
import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import { buildApp, type App } from '../src/app.js';
import { loadConfig, type Config } from '../src/platform/config.js';
import type { Database } from '../src/platform/db/database.js';
import { openDatabase } from '../src/platform/db/open.js';
import { memoryMailer } from '../src/platform/mailer.js';

export interface TestApp extends App {
  db: Database;
  mailer: ReturnType<typeof memoryMailer>;
  config: Config;
  close(): Promise<void>;
}

export const TEST_ENV = {
  RATE_LIMIT_AUTH_PER_IP: '100000',
  RATE_LIMIT_AUTH_PER_ACCOUNT: '100000',
  LOG_LEVEL: 'silent',
  DATA_DIR: '/tmp/pillar-test-data',
  CHECK_RESPONSES: 'true',
};

export async function openTestDatabase(): Promise<Database> {
  const url = inject('databaseUrl');
  if (url) return openDatabase({ databaseUrl: url, poolSize: 10 });
  const dump = readFileSync(inject('pgliteDump'));
  return openDatabase({ loadDataDir: new Blob([dump]) });
}

export async function buildTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const db = await openTestDatabase();
  const config = loadConfig({ ...TEST_ENV, ...env });
  const mailer = memoryMailer();
  const app = await buildApp({ config, db, jwtSecret: 'test-secret-test-secret-test-secret-0123', mailer, logger: false });
  await app.server.ready();
  return {
    ...app,
    db,
    mailer,
    config,
    async close() {
      await app.server.close();
      await db.close();
    },
  };
}

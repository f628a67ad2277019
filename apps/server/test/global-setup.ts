/**
 * Migrates once per run. PGlite: dumps the migrated data directory so each
 * test file starts from a copy in about a second. PostgreSQL
 * (TEST_DATABASE_URL): resets the schema and migrates; files then share the
 * database and isolate themselves by creating their own tenants.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { migrate } from '../src/platform/db/migrate.js';
import { openDatabase } from '../src/platform/db/open.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteDump: string;
    databaseUrl: string;
  }
}

export async function resetPostgres(url: string) {
  const db = await openDatabase({ databaseUrl: url, poolSize: 1 });
  try {
    await db.query('DROP SCHEMA IF EXISTS public CASCADE');
    await db.query('DROP SCHEMA IF EXISTS pgboss CASCADE');
    await db.query('CREATE SCHEMA public');
    await migrate(db);
  } finally {
    await db.close();
  }
}

export default async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL ?? '';
  project.provide('databaseUrl', url);
  if (url) {
    await resetPostgres(url);
    project.provide('pgliteDump', '');
    return;
  }
  const db = await openDatabase({});
  await migrate(db);
  const dump = await db.pglite!.dumpDataDir('none');
  const file = path.join(os.tmpdir(), `pillar-test-${process.pid}.tar`);
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await db.close();
  project.provide('pgliteDump', file);
}

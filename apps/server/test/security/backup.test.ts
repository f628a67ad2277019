/**
 * Backup and restore round trip on the engine under test: fill a database
 * through the API, export every table (ordered), back up, change things,
 * restore, export again — identical. Embedded: refuses while the data-dir
 * lock is held by a live process, and carries secrets.json along.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { backup, restore } from '../../src/platform/backup.js';
import { loadConfig } from '../../src/platform/config.js';
import type { Database } from '../../src/platform/db/database.js';
import { DataDirLockedError } from '../../src/platform/db/lock.js';
import { migrate } from '../../src/platform/db/migrate.js';
import { openDatabase } from '../../src/platform/db/open.js';
import { loadSecrets } from '../../src/platform/secrets.js';
import { memoryMailer } from '../../src/platform/mailer.js';
import { TEST_ENV, type TestApp } from '../app.js';
import { signUp } from '../factories.js';
import { createHarness, createTenant, SECURITY_ENV } from './lib/harness.js';
import { Records, singular } from './lib/records.js';

const databaseUrl = inject('databaseUrl');
const work = mkdtempSync(path.join(os.tmpdir(), 'pillar-backup-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every row of every table, as ordered JSON text. */
async function fullExport(db: Database): Promise<Record<string, string[]>> {
  const tables = await db.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`);
  const out: Record<string, string[]> = {};
  for (const { tablename } of tables.rows) {
    out[tablename] = (await db.query<{ r: string }>(`SELECT to_jsonb(t)::text AS r FROM "${tablename}" t ORDER BY 1`)).rows.map((x) => x.r);
  }
  return out;
}

/** Fills a database through the API: two firms, every role, a record of every kind the API can create. */
async function fill(db: Database, dataDir: string) {
  const config = loadConfig({ ...TEST_ENV, ...SECURITY_ENV, DATA_DIR: dataDir });
  const app = await buildApp({ config, db, jwtSecret: 'test-secret-test-secret-test-secret-0123', mailer: memoryMailer(), logger: false });
  await app.server.ready();
  const t = { ...app, db, mailer: memoryMailer(), config, close: () => app.server.close() } as TestApp;
  const h = await createHarness({}, t);
  const tenant = await createTenant(h, 'backup', { everyRole: false });
  const rec = new Records(h, tenant);
  for (const op of h.ops.filter((o) => o.method === 'POST' && !o.pathParams.length && o.permission !== null)) {
    await rec.get(singular(op.url.split('/').pop()!));
  }
  await signUp(app.server);
  await app.server.close();
}

async function mutate(db: Database, dataDir: string) {
  const config = loadConfig({ ...TEST_ENV, ...SECURITY_ENV, DATA_DIR: dataDir });
  const app = await buildApp({ config, db, jwtSecret: 'test-secret-test-secret-test-secret-0123', mailer: memoryMailer(), logger: false });
  await app.server.ready();
  await signUp(app.server);
  await app.server.close();
}

describe.runIf(!databaseUrl)('embedded database (PGlite)', () => {
  const dataDir = path.join(work, 'data');
  const file = path.join(work, 'pillar.backup');
  const config = { dataDir, databaseUrl: undefined };

  it('round trip: restore brings back exactly what was backed up, secrets included', { timeout: 900_000 }, async () => {
    let db = await openDatabase({ dataDir });
    await migrate(db);
    await fill(db, dataDir);
    const before = await fullExport(db);
    await db.close();
    const secrets = loadSecrets(dataDir, {});

    const made = await backup(config, file);
    expect(made).toMatchObject({ engine: 'pglite' });
    expect(made.bytes).toBeGreaterThan(1000);

    db = await openDatabase({ dataDir });
    await mutate(db, dataDir);
    expect(await fullExport(db)).not.toEqual(before);
    await db.close();
    writeFileSync(path.join(dataDir, 'secrets.json'), JSON.stringify({ jwtSecret: 'x'.repeat(40) }));

    await restore(config, file);
    db = await openDatabase({ dataDir });
    expect(await fullExport(db)).toEqual(before);
    await db.close();
    expect(JSON.parse(readFileSync(path.join(dataDir, 'secrets.json'), 'utf8'))).toEqual(secrets);
  });

  it('refuses while a running server holds the data directory', { timeout: 60_000 }, async () => {
    const holder = spawn('sleep', ['30']);
    try {
      writeFileSync(path.join(dataDir, 'pillar.lock'), String(holder.pid));
      await expect(backup(config, path.join(work, 'other.backup'))).rejects.toBeInstanceOf(DataDirLockedError);
      await expect(restore(config, file)).rejects.toBeInstanceOf(DataDirLockedError);
    } finally {
      holder.kill('SIGKILL');
      rmSync(path.join(dataDir, 'pillar.lock'), { force: true });
    }
  });
});

describe.runIf(databaseUrl)('PostgreSQL', () => {
  it('round trip with pg_dump/pg_restore (custom format)', { timeout: 900_000 }, async () => {
    // A database of its own: pg_restore --clean must not touch the one other suites share.
    const target = new URL(databaseUrl);
    const name = `${target.pathname.slice(1)}_backup`;
    target.pathname = `/${name}`;
    const config = { dataDir: path.join(work, 'data'), databaseUrl: target.toString() };
    const admin = await openDatabase({ databaseUrl, poolSize: 1 });
    try {
      await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
      await admin.query(`CREATE DATABASE "${name}"`);
      let db = await openDatabase({ databaseUrl: config.databaseUrl, poolSize: 4 });
      await migrate(db);
      await fill(db, config.dataDir);
      const before = await fullExport(db);
      const file = path.join(work, 'pillar.pgdump');
      expect(await backup(config, file)).toMatchObject({ engine: 'postgres' });
      await mutate(db, config.dataDir);
      expect(await fullExport(db)).not.toEqual(before);
      await db.close();
      await restore(config, file);
      db = await openDatabase({ databaseUrl: config.databaseUrl, poolSize: 2 });
      expect(await fullExport(db)).toEqual(before);
      await db.close();
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.close();
    }
  });
});

/**
 * Loads the data set into PostgreSQL with COPY, straight into the tables of
 * apps/server/migrations (migrated first with the server's own migrate()).
 * One transaction: secondary indexes are dropped, the tables filled with
 * foreign-key triggers off (the rows are consistent by construction), the
 * indexes rebuilt, and a marker row written. A database that already holds
 * the same data set (same marker) is left alone.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { migrate } from '../../../apps/server/src/platform/db/migrate.js';
import { openDatabase } from '../../../apps/server/src/platform/db/open.js';
import { migrationsDir } from '../../../apps/server/src/platform/paths.js';
import { ALL_TABLES, tablePlans, type TableName } from './plan.js';
import type { GenContext } from './rows.js';
import { applyApiState } from './api-state.js';
import { insertSingletons } from './singletons.js';
import { identities, type DatasetSpec } from './spec.js';

export const GENERATOR_VERSION = 1;

export interface LoadReport {
  skipped: boolean;
  seconds: number;
  tables: Record<string, { rows: number; seconds: number }>;
  indexSeconds: number;
  vacuumSeconds: number;
  loadedAt: string;
}

export interface LoadOptions {
  /** Drop and recreate the database first. */
  regenerate?: boolean;
  /** Migrate only the platform's core files (0001–0099) before loading; modules' migrations then run on top, as in an upgrade. */
  coreOnly?: boolean;
  tables?: TableName[];
  log?: (msg: string) => void;
}

/** A folder with copies of the core migrations (same bytes, so the same checksums). */
export function coreMigrationsDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pillar-core-migrations-'));
  for (const f of readdirSync(migrationsDir)) if (/^00\d\d_.*\.sql$/.test(f)) copyFileSync(path.join(migrationsDir, f), path.join(dir, f));
  return dir;
}

function markerKey(spec: DatasetSpec) {
  return JSON.stringify({ v: GENERATOR_VERSION, ...spec });
}

/** Creates (or, with regenerate, recreates) the database named in `url`. */
export async function ensureDatabase(url: string, regenerate = false): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const ident = `"${name.replace(/"/g, '""')}"`;
    if (regenerate) await client.query(`DROP DATABASE IF EXISTS ${ident} WITH (FORCE)`);
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!exists.rowCount) await client.query(`CREATE DATABASE ${ident}`);
  } finally {
    await client.end();
  }
}

export async function readMarker(client: pg.Client): Promise<{ key: string; report: LoadReport } | null> {
  const t = await client.query(`SELECT to_regclass('bench_dataset') AS t`);
  if (!t.rows[0]?.t) return null;
  const r = await client.query<{ key: string; report: LoadReport }>('SELECT key, report FROM bench_dataset WHERE id = 1');
  return r.rows[0] ?? null;
}

async function secondaryIndexes(client: pg.Client, tables: string[]): Promise<{ name: string; def: string }[]> {
  const r = await client.query<{ name: string; def: string }>(
    `SELECT i.relname AS name, pg_get_indexdef(x.indexrelid) AS def
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
      WHERE t.relname = ANY($1) AND t.relnamespace = 'public'::regnamespace
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`,
    [tables],
  );
  return r.rows;
}

async function copyTable(client: pg.Client, table: string, columns: string[], chunks: Iterable<string>) {
  const sql = `COPY ${table} (${columns.join(', ')}) FROM STDIN`;
  await pipeline(Readable.from(chunks), client.query(copyFrom(sql)));
}

export async function loadPostgres(url: string, spec: DatasetSpec, opts: LoadOptions = {}): Promise<LoadReport> {
  const log = opts.log ?? (() => undefined);
  await ensureDatabase(url, opts.regenerate);
  const db = await openDatabase({ databaseUrl: url, poolSize: 1 });
  try {
    await migrate(db, opts.coreOnly ? coreMigrationsDir() : undefined);
  } finally {
    await db.close();
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const marker = await readMarker(client);
    if (marker) {
      if (marker.key !== markerKey(spec)) {
        throw new Error(`${url} holds another data set (${marker.key}); run with --regenerate to replace it`);
      }
      return { ...marker.report, skipped: true };
    }
    const tenants = await client.query('SELECT count(*)::int AS n FROM tenants');
    if ((tenants.rows[0] as { n: number }).n > 0) {
      throw new Error(`${url} has tenants but no bench marker (an interrupted load?); run with --regenerate`);
    }
    const report = await fill(client, spec, opts.tables ?? ALL_TABLES, log);
    return report;
  } finally {
    await client.end();
  }
}

async function fill(client: pg.Client, spec: DatasetSpec, tables: TableName[], log: (msg: string) => void): Promise<LoadReport> {
  const g: GenContext = { spec, ids: identities(spec) };
  const plans = tablePlans(g);
  const started = Date.now();
  const report: LoadReport = { skipped: false, seconds: 0, tables: {}, indexSeconds: 0, vacuumSeconds: 0, loadedAt: new Date().toISOString() };
  await client.query('BEGIN');
  await client.query(`SET LOCAL session_replication_role = replica; SET LOCAL maintenance_work_mem = '512MB'`);
  await insertSingletons(client, g);
  const indexes = await secondaryIndexes(client, tables);
  for (const ix of indexes) await client.query(`DROP INDEX "${ix.name}"`);
  for (const name of tables) {
    const plan = plans[name];
    const t0 = Date.now();
    log(`  COPY ${plan.table} (${plan.rows.toLocaleString('en')} rows)…`);
    await copyTable(client, plan.table, plan.columns, plan.chunks());
    report.tables[name] = { rows: plan.rows, seconds: (Date.now() - t0) / 1000 };
    log(`  COPY ${plan.table}: ${report.tables[name].seconds.toFixed(1)} s`);
  }
  const i0 = Date.now();
  log(`  rebuilding ${indexes.length} indexes…`);
  for (const ix of indexes) await client.query(ix.def);
  report.indexSeconds = (Date.now() - i0) / 1000;
  await client.query('CREATE TABLE bench_dataset (id int PRIMARY KEY, key text NOT NULL, report jsonb NOT NULL)');
  await client.query('COMMIT');
  const v0 = Date.now();
  log('  VACUUM ANALYZE…');
  for (const name of tables) await client.query(`VACUUM (ANALYZE) ${name}`);
  await client.query('ANALYZE');
  report.vacuumSeconds = (Date.now() - v0) / 1000;
  report.seconds = (Date.now() - started) / 1000;
  await client.query('INSERT INTO bench_dataset (id, key, report) VALUES (1, $1, $2)', [markerKey(spec), JSON.stringify(report)]);
  return report;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Applied migrations whose file is gone or changed (others' work in progress does that). */
async function drifted(client: pg.Client): Promise<string[]> {
  const r = await client.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations');
  return r.rows
    .filter((m) => {
      const file = path.join(migrationsDir, m.name);
      return !existsSync(file) || createHash('sha256').update(readFileSync(file, 'utf8')).digest('hex') !== m.checksum;
    })
    .map((m) => m.name);
}

export interface Prepared {
  load: LoadReport;
  /** Why the benchmark database was cloned from the seed, or null when it was reused. */
  cloned: string | null;
  migrateSeconds: number;
  applied: string[];
}

/**
 * The benchmark database is a clone (CREATE DATABASE … TEMPLATE) of a seed
 * database `<name>_seed` that holds the data set under the core migrations
 * only. The server's current migrations are applied on the clone. When an
 * applied migration has since changed (a module's migration still being
 * written), the clone is thrown away and made again from the seed, so the
 * 1M-row load runs once.
 */
export async function preparePostgres(url: string, spec: DatasetSpec, opts: LoadOptions = {}): Promise<Prepared> {
  const log = opts.log ?? (() => undefined);
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const seedName = `${name}_seed`;
  const load = await loadPostgres(withDatabase(url, seedName), spec, { ...opts, coreOnly: true });
  let cloned: string | null = null;
  await ensureDatabase(url, false);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const marker = await readMarker(client);
    if (!marker || marker.key !== markerKey(spec)) cloned = 'no data set yet';
    else {
      const changed = await drifted(client);
      if (changed.length) cloned = `migrations changed since applied: ${changed.join(', ')}`;
    }
  } finally {
    await client.end();
  }
  if (cloned || opts.regenerate) {
    cloned ??= 'regenerate';
    log(`cloning ${seedName} → ${name} (${cloned}) …`);
    const admin = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${seedName}"`);
    } finally {
      await admin.end();
    }
  }
  const t0 = Date.now();
  const db = await openDatabase({ databaseUrl: url, poolSize: 1 });
  let applied: string[];
  try {
    ({ applied } = await migrate(db));
  } finally {
    await db.close();
  }
  if (applied.length) log(`applied ${applied.join(', ')} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const state = new pg.Client({ connectionString: url });
  await state.connect();
  try {
    await applyApiState(state, identities(spec), log);
  } finally {
    await state.end();
  }
  return { load, cloned, migrateSeconds: (Date.now() - t0) / 1000, applied };
}

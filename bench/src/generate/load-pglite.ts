/**
 * Loads the (smaller) data set into an embedded database directory, the way
 * the server opens it, with COPY from an in-memory blob per chunk group.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createPglite } from '../../../apps/server/src/platform/db/open.js';
import { createPgliteDatabase } from '../../../apps/server/src/platform/db/database.js';
import { migrate } from '../../../apps/server/src/platform/db/migrate.js';
import { migrationsDir } from '../../../apps/server/src/platform/paths.js';
import { coreMigrationsDir, GENERATOR_VERSION, type LoadReport } from './load-pg.js';
import { ALL_TABLES, tablePlans } from './plan.js';
import type { GenContext } from './rows.js';
import { insertSingletons } from './singletons.js';
import { identities, type DatasetSpec } from './spec.js';

const BLOB_BYTES = 32 * 1024 * 1024;

/** `dataDir` is the server's DATA_DIR (the database lives in dataDir/pgdata). */
export async function loadPglite(
  dataDir: string, spec: DatasetSpec, log: (m: string) => void = () => undefined, opts: { coreOnly?: boolean } = {},
): Promise<LoadReport> {
  mkdirSync(dataDir, { recursive: true });
  const markerFile = path.join(dataDir, 'pgdata');
  const fresh = !existsSync(markerFile);
  const pglite = await createPglite(markerFile);
  const db = createPgliteDatabase(pglite);
  try {
    await migrate(db, opts.coreOnly ? coreMigrationsDir() : undefined);
    const key = JSON.stringify({ v: GENERATOR_VERSION, ...spec });
    const marker = await pglite.query<{ key: string; report: LoadReport }>(
      `SELECT key, report FROM bench_dataset WHERE id = 1`).catch(() => null);
    const row = marker?.rows[0];
    if (row) {
      if (row.key !== key) throw new Error(`${dataDir} holds another data set; delete it to regenerate`);
      return { ...row.report, skipped: true };
    }
    if (!fresh) {
      const n = await pglite.query<{ n: number }>('SELECT count(*)::int AS n FROM tenants');
      if (n.rows[0]!.n > 0) throw new Error(`${dataDir} has tenants but no bench marker; delete it to regenerate`);
    }
    const g: GenContext = { spec, ids: identities(spec) };
    const started = Date.now();
    const report: LoadReport = { skipped: false, seconds: 0, tables: {}, indexSeconds: 0, vacuumSeconds: 0, loadedAt: new Date().toISOString() };
    await pglite.exec('SET session_replication_role = replica');
    await insertSingletons(pglite, g);
    const plans = tablePlans(g);
    for (const name of ALL_TABLES) {
      const plan = plans[name];
      const t0 = Date.now();
      let buf: string[] = [];
      let size = 0;
      const flush = async () => {
        if (!size) return;
        const sql = `COPY ${plan.table} (${plan.columns.join(', ')}) FROM '/dev/blob'`;
        await pglite.query(sql, [], { blob: new Blob(buf) });
        buf = [];
        size = 0;
      };
      for (const chunk of plan.chunks()) {
        buf.push(chunk);
        size += chunk.length;
        if (size >= BLOB_BYTES) await flush();
      }
      await flush();
      report.tables[name] = { rows: plan.rows, seconds: (Date.now() - t0) / 1000 };
      log(`  COPY ${plan.table}: ${plan.rows.toLocaleString('en')} rows, ${report.tables[name].seconds.toFixed(1)} s`);
    }
    await pglite.exec('SET session_replication_role = origin');
    const v0 = Date.now();
    await pglite.exec('VACUUM ANALYZE');
    report.vacuumSeconds = (Date.now() - v0) / 1000;
    report.seconds = (Date.now() - started) / 1000;
    await pglite.query('CREATE TABLE bench_dataset (id int PRIMARY KEY, key text NOT NULL, report jsonb NOT NULL)');
    await pglite.query('INSERT INTO bench_dataset (id, key, report) VALUES (1, $1, $2)', [key, JSON.stringify(report)]);
    return report;
  } finally {
    await pglite.close();
  }
}

/** Applied migrations of an embedded data directory whose file is gone or changed since. */
export async function pgliteDrift(dataDir: string): Promise<string[]> {
  const pglite = await createPglite(path.join(dataDir, 'pgdata'));
  try {
    const r = await pglite.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations');
    return r.rows.filter((m) => {
      const file = path.join(migrationsDir, m.name);
      return !existsSync(file) || createHash('sha256').update(readFileSync(file, 'utf8')).digest('hex') !== m.checksum;
    }).map((m) => m.name);
  } finally {
    await pglite.close();
  }
}

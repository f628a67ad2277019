/**
 * Backup and restore, one command each, on both engines.
 *
 * Embedded (PGlite): the server must be stopped — the data-dir lock is taken
 * for the whole operation, so a running server makes both refuse. The backup
 * is a tar holding PGlite's `dumpDataDir` tarball and `secrets.json` (the JWT
 * secret that also keys sealed webhook secrets; without it those cannot be
 * read back). Restore keeps the replaced database next to it.
 *
 * PostgreSQL (DATABASE_URL): `pg_dump --format=custom` of the whole database
 * (both schemas: data and pg-boss jobs), restored with `pg_restore --clean`.
 * Secrets live outside the database: keep JWT_SECRET/SECRETS_KEY (or
 * DATA_DIR/secrets.json) with the dump.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Config } from './config.js';
import { lockDataDir } from './db/lock.js';
import { createPglite } from './db/open.js';

const run = promisify(execFile);
const PGDATA = 'pgdata.tar.gz';
const SECRETS = 'secrets.json';

export interface BackupResult {
  engine: 'pglite' | 'postgres';
  file: string;
  bytes: number;
}

type BackupConfig = Pick<Config, 'dataDir' | 'databaseUrl'>;

/** Runs `fn` holding the data-dir lock; throws DataDirLockedError while a server runs on it. */
async function withDataDirLock<T>(dataDir: string, fn: () => Promise<T>): Promise<T> {
  const release = lockDataDir(dataDir);
  try {
    return await fn();
  } finally {
    release();
  }
}

async function backupPglite(dataDir: string, file: string): Promise<void> {
  const pgdata = path.join(dataDir, 'pgdata');
  if (!existsSync(pgdata)) throw new Error(`No embedded database in ${dataDir}`);
  const staging = mkdtempSync(path.join(os.tmpdir(), 'pillar-backup-'));
  try {
    const pglite = await createPglite(pgdata);
    try {
      // A checkpoint first so the copied files are consistent on their own.
      await pglite.exec('CHECKPOINT');
      const dump = await pglite.dumpDataDir('gzip');
      writeFileSync(path.join(staging, PGDATA), Buffer.from(await dump.arrayBuffer()));
    } finally {
      await pglite.close();
    }
    const entries = [PGDATA];
    if (existsSync(path.join(dataDir, SECRETS))) {
      copyFileSync(path.join(dataDir, SECRETS), path.join(staging, SECRETS));
      entries.push(SECRETS);
    }
    await run('tar', ['-C', staging, '-cf', file, ...entries]);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

async function restorePglite(dataDir: string, file: string): Promise<void> {
  const staging = mkdtempSync(path.join(os.tmpdir(), 'pillar-restore-'));
  try {
    await run('tar', ['-C', staging, '-xf', file]);
    if (!existsSync(path.join(staging, PGDATA))) throw new Error(`${file} is not a Pillar embedded backup`);
    const pgdata = path.join(dataDir, 'pgdata');
    const incoming = `${pgdata}.restoring`;
    rmSync(incoming, { recursive: true, force: true });
    const pglite = await createPglite(incoming, new Blob([readFileSync(path.join(staging, PGDATA))]));
    try {
      await pglite.query('SELECT count(*) FROM schema_migrations');
    } finally {
      await pglite.close();
    }
    if (existsSync(pgdata)) renameSync(pgdata, `${pgdata}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    renameSync(incoming, pgdata);
    if (existsSync(path.join(staging, SECRETS))) {
      writeFileSync(path.join(dataDir, SECRETS), readFileSync(path.join(staging, SECRETS)), { mode: 0o600 });
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

export async function backup(config: BackupConfig, file: string): Promise<BackupResult> {
  const target = path.resolve(file);
  mkdirSync(path.dirname(target), { recursive: true });
  if (config.databaseUrl) {
    await run('pg_dump', ['--format=custom', '--no-owner', '--file', target, '--dbname', config.databaseUrl]);
    return { engine: 'postgres', file: target, bytes: statSync(target).size };
  }
  await withDataDirLock(config.dataDir, () => backupPglite(config.dataDir, target));
  return { engine: 'pglite', file: target, bytes: statSync(target).size };
}

export async function restore(config: BackupConfig, file: string): Promise<BackupResult> {
  const source = path.resolve(file);
  if (!existsSync(source)) throw new Error(`No such backup: ${source}`);
  if (config.databaseUrl) {
    await run('pg_restore', ['--clean', '--if-exists', '--no-owner', '--single-transaction', '--exit-on-error', '--dbname', config.databaseUrl, source]);
    return { engine: 'postgres', file: source, bytes: statSync(source).size };
  }
  mkdirSync(config.dataDir, { recursive: true });
  await withDataDirLock(config.dataDir, () => restorePglite(config.dataDir, source));
  return { engine: 'pglite', file: source, bytes: statSync(source).size };
}

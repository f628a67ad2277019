import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { createPgliteDatabase, createPostgresDatabase, typeParsers, type Database } from './database.js';

export interface OpenOptions {
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  poolSize?: number;
  /** A dumped data directory to start from (tests clone a migrated database this way). */
  loadDataDir?: Blob | File;
}

export async function createPglite(dataDir?: string, loadDataDir?: Blob | File): Promise<PGlite> {
  return PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(loadDataDir ? { loadDataDir } : {}),
    extensions: { pg_trgm, btree_gin },
    parsers: typeParsers,
  });
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) return createPostgresDatabase(opts.databaseUrl, opts.poolSize);
  let dir: string | undefined;
  if (opts.dataDir) {
    dir = path.join(opts.dataDir, 'pgdata');
    mkdirSync(opts.dataDir, { recursive: true });
  }
  return createPgliteDatabase(await createPglite(dir, opts.loadDataDir));
}

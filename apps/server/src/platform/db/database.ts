/**
 * Security-critical: the unrestricted database handle. Only `src/platform/**`
 * may import this file (lint rule); modules use `withTenant` from `./tenant.ts`.
 */
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';

export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

export interface Tx {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
  /** A multi-statement script without parameters (simple protocol). */
  exec(sql: string): Promise<void>;
}

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in a transaction. `prelude` is literal SQL sent together with BEGIN (one round trip). */
  transaction<T>(fn: (tx: Tx) => Promise<T>, prelude?: string): Promise<T>;
  /** Unrestricted single statement outside a transaction (migrations, health). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
  close(): Promise<void>;
  /** The PGlite instance when embedded (pg-boss, tests); null on PostgreSQL. */
  readonly pglite: PGlite | null;
  /** The pool when on PostgreSQL; null when embedded. */
  readonly pool: pg.Pool | null;
}

const TIMESTAMPTZ = 1184;
const TIMESTAMP = 1114;
const DATE = 1082;
const INT8 = 20;

/** '2026-12-05 21:35:00.123456+00' (a UTC session, the common case) without parsing a Date. */
const UTC_TEXT = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?\+00$/;

export function toIso(value: string): string {
  const m = UTC_TEXT.exec(value);
  if (m) return `${m[1]}T${m[2]}.${(m[3] ?? '').padEnd(3, '0').slice(0, 3)}Z`;
  const d = new Date(value.includes('T') ? value : value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'));
  return Number.isNaN(d.getTime()) ? value : d.toISOString();
}

/** Same value shapes on both engines: ISO strings for instants, 'YYYY-MM-DD' for dates, numbers for int8. */
export const typeParsers: Record<number, (v: string) => unknown> = {
  [TIMESTAMPTZ]: toIso,
  [TIMESTAMP]: toIso,
  [DATE]: (v) => v,
  [INT8]: (v) => Number(v),
};

/** The driver is loaded here, so that a start on the embedded engine does not load it. */
export async function createPostgresDatabase(url: string, poolSize = 10): Promise<Database> {
  const { default: pg } = await import('pg');
  const types = {
    getTypeParser: (oid: number, format?: string) =>
      (typeParsers[oid] ?? pg.types.getTypeParser(oid, format as 'text')) as (v: string) => unknown,
  };
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types,
    statement_timeout: 30_000,
    idle_in_transaction_session_timeout: 60_000,
  });
  pool.on('error', () => {
    // An idle client died (server restart); the pool replaces it on next use.
  });
  return {
    kind: 'postgres',
    pglite: null,
    pool,
    async transaction(fn, prelude) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query(prelude ? `BEGIN; ${prelude}` : 'BEGIN');
        const result = await fn({
          query: async (sql, params) => {
            const r = await client.query(sql, params as unknown[]);
            return { rows: r.rows as never[], rowCount: r.rowCount ?? 0 };
          },
          exec: async (sql) => {
            await client.query(sql);
          },
        });
        await client.query('COMMIT');
        return result;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          broken = rollbackError as Error;
        }
        throw err;
      } finally {
        client.release(broken);
      }
    },
    async query(sql, params) {
      const r = await pool.query(sql, params as unknown[]);
      return { rows: r.rows as never[], rowCount: r.rowCount ?? 0 };
    },
    async close() {
      await pool.end();
    },
  };
}

export function createPgliteDatabase(pglite: PGlite): Database {
  return {
    kind: 'pglite',
    pglite,
    pool: null,
    transaction(fn, prelude) {
      return pglite.transaction(async (t) => {
        if (prelude) await t.exec(prelude);
        return fn({
          query: async (sql, params) => {
            const r = await t.query(sql, params as unknown[]);
            return { rows: r.rows as never[], rowCount: Math.max(r.affectedRows ?? 0, r.rows.length) };
          },
          exec: async (sql) => {
            await t.exec(sql);
          },
        });
      });
    },
    async query(sql, params) {
      const r = await pglite.query(sql, params as unknown[]);
      return { rows: r.rows as never[], rowCount: Math.max(r.affectedRows ?? 0, r.rows.length) };
    },
    async close() {
      await pglite.close();
    },
  };
}

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/app.js';
import type { Database } from './database.js';
import { migrate } from './migrate.js';

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db.close());

describe('migrate', () => {
  it('runs migrations without the statement timeout that caps request statements', async () => {
    // An index over a million-row table takes minutes; the pool's 30 s cap would roll the whole start back.
    const probe = `probe_${process.pid}_${Date.now()}`;
    const dir = mkdtempSync(path.join(tmpdir(), 'migrate-probe-'));
    const file = `9999_${probe}.sql`;
    writeFileSync(path.join(dir, file), `CREATE TABLE ${probe} AS SELECT current_setting('statement_timeout') AS value;`);
    try {
      expect((await migrate(db, dir)).applied).toEqual([file]);
      const r = await db.query<{ value: string }>(`SELECT value FROM ${probe}`);
      expect(r.rows[0]?.value).toBe('0');
      expect((await migrate(db, dir)).applied).toEqual([]);
    } finally {
      await db.query(`DROP TABLE IF EXISTS ${probe}`);
      await db.query('DELETE FROM schema_migrations WHERE name = $1', [file]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

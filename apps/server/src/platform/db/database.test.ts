/** Value shapes read from the engine: timestamps become the same ISO strings whichever way they are parsed. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/app.js';
import { toIso, type Database } from './database.js';

let db: Database;

beforeAll(async () => {
  db = await openTestDatabase();
});

afterAll(async () => {
  await db.close();
});

describe('timestamps', () => {
  it('turn the engine text of timestamptz into the ISO string Date would give, microseconds truncated', async () => {
    const r = await db.query<{ t: string }>(
      `SELECT (timestamptz '2026-12-05 21:35:00.123456+00' + n * interval '1 day 1 hour 1.000037 second')::text AS t
         FROM generate_series(-3000, 3000, 7) AS n
       UNION ALL SELECT x FROM (VALUES ('2026-01-01 00:00:00+00'), ('1999-12-31 23:59:59.9+00'), ('2026-06-01 12:00:00.5+02'),
                                       ('0044-03-15 12:00:00+00 BC'), ('infinity')) AS v (x)`);
    expect(r.rows.length).toBeGreaterThan(800);
    for (const { t } of r.rows) {
      const d = new Date(t.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'));
      expect(toIso(t), t).toBe(Number.isNaN(d.getTime()) ? t : d.toISOString());
    }
  });

  it('reads timestamptz columns as ISO strings through the engine', async () => {
    const r = await db.query<{ t: unknown }>(`SELECT timestamptz '2026-12-05 21:35:00.12+00' AS t`);
    expect(r.rows[0]!.t).toBe('2026-12-05T21:35:00.120Z');
  });
});

/**
 * Deterministic data set for the analytics reports: one tenant with 1,000,000
 * deals, 300,000 stage moves, 200,000 leads and 300,000 activities in three
 * currencies, anchored at a fixed date so every run builds the same rows.
 *
 *   ANALYTICS_BENCH_URL=postgres://postgres@127.0.0.1:5432/pillar_analytics_bench \
 *     npx tsx bench/src/analytics/generate.ts [--deals 1000000]
 *
 * The database's public schema is dropped and migrated first.
 */
import pg from 'pg';
import { migrate } from '../../../apps/server/src/platform/db/migrate.js';
import { openDatabase } from '../../../apps/server/src/platform/db/open.js';

export const BENCH_URL = process.env.ANALYTICS_BENCH_URL ?? 'postgres://postgres@127.0.0.1:5432/pillar_analytics_bench';
export const TENANT = '00000000-0000-7000-8000-00000000a001';
export const ANCHOR = '2026-12-01T12:00:00Z';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

/** A deterministic, well-formed (version 4 layout) UUID from a key. */
const uid = (kind: string, expr: string) => `overlay(overlay(md5('${kind}' || ${expr}) placing '4' from 13 for 1) placing '8' from 17 for 1)::uuid`;

const BULK_TABLES = ['deals', 'deal_stage_history', 'leads', 'activities'];

export function seedSql(deals: number, moves: number, leads: number, activities: number): string[] {
  const owner = (expr: string) => `${uid('user', `(1 + (${expr}) % 20)`)}`;
  return [
    `INSERT INTO tenants (id, name, base_currency, timezone) VALUES ('${TENANT}', 'Bench analytics', 'USD', 'Europe/Berlin')`,
    `INSERT INTO users (id, email, name) SELECT ${uid('user', 'u')}, 'owner' || u || '@bench.test', 'Owner ' || u FROM generate_series(1, 20) u`,
    `INSERT INTO memberships (tenant_id, user_id, role) SELECT '${TENANT}', ${uid('user', 'u')}, CASE WHEN u = 1 THEN 'owner' ELSE 'member' END FROM generate_series(1, 20) u`,
    `INSERT INTO pipelines (tenant_id, id, name, position, is_default) SELECT '${TENANT}', ${uid('pipe', 'p')}, 'Pipeline ' || p, p, p = 1 FROM generate_series(1, 2) p`,
    `INSERT INTO stages (tenant_id, id, pipeline_id, name, position, probability, kind)
       SELECT '${TENANT}', ${uid('stage', "p || '-' || s")}, ${uid('pipe', 'p')}, 'Stage ' || s, s,
              (ARRAY[10, 30, 60, 80, 100, 0])[s], (ARRAY['open', 'open', 'open', 'open', 'won', 'lost'])[s]
         FROM generate_series(1, 2) p, generate_series(1, 6) s`,
    `INSERT INTO exchange_rates (tenant_id, id, currency, rate, effective_from)
       SELECT '${TENANT}', ${uid('rate', "c || m")}, c, CASE c WHEN 'EUR' THEN 1.05 + (m % 7) / 100.0 ELSE 1.25 + (m % 5) / 100.0 END,
              date '2023-01-01' + make_interval(months => m)
         FROM unnest(ARRAY['EUR', 'GBP']) c, generate_series(0, 48) m`,
    // Deals: 25% open, 35% won, 40% lost; 70% USD, 20% EUR, 10% GBP.
    `INSERT INTO deals (tenant_id, id, name, value, currency, probability, pipeline_id, stage_id, position, status, lost_reason,
                        expected_close_date, closed_at, stage_entered_at, source, owner_id, tags, created_at, updated_at)
     SELECT '${TENANT}', ${uid('deal', 'i')}, 'Deal ' || i, ((i * 104729) % 100000) + ((i * 13) % 100) / 100.0,
            CASE WHEN i % 10 < 7 THEN 'USD' WHEN i % 10 < 9 THEN 'EUR' ELSE 'GBP' END,
            CASE WHEN i % 5 = 0 THEN (i * 3) % 101 END,
            ${uid('pipe', 'p')}, ${uid('stage', "p || '-' || s")}, 'a' || i, st,
            CASE WHEN st = 'lost' THEN (ARRAY['price', 'timing', 'competitor', 'no budget', 'no decision'])[1 + i % 5] END,
            CASE WHEN st = 'open' AND i % 20 <> 0 THEN date '${ANCHOR}' + ((i * 17) % 365 - 60)::int END,
            CASE WHEN st <> 'open' THEN least(created + make_interval(days => ((i * 37) % 120)::int), timestamptz '${ANCHOR}') END,
            least(created + make_interval(days => ((i * 11) % 90)::int), timestamptz '${ANCHOR}'),
            (ARRAY['web', 'referral', 'event', 'outbound', 'partner', NULL])[1 + i % 6],
            ${owner('i * 31')}, CASE WHEN i % 50 = 0 THEN '{commit}'::text[] ELSE '{}' END, created, created
       FROM generate_series(1::bigint, ${deals}) i,
            LATERAL (SELECT CASE WHEN i % 10 < 7 THEN 1 ELSE 2 END AS p,
                            CASE WHEN (i * 7919) % 100 < 25 THEN 'open' WHEN (i * 7919) % 100 < 60 THEN 'won' ELSE 'lost' END AS st,
                            timestamptz '${ANCHOR}' - make_interval(secs => (i::bigint * 7901) % (3 * 365 * 86400)) AS created) x,
            LATERAL (SELECT CASE st WHEN 'open' THEN 1 + i % 4 WHEN 'won' THEN 5 ELSE 6 END AS s) y`,
    // Stage moves: every third deal moved once out of its pipeline's first stage.
    `INSERT INTO deal_stage_history (tenant_id, id, deal_id, pipeline_id, from_stage_id, to_stage_id, moved_at, seconds_in_from_stage)
     SELECT '${TENANT}', ${uid('move', 'j')}, d.id, d.pipeline_id, f.id, d.stage_id, d.stage_entered_at,
            extract(epoch FROM d.stage_entered_at - d.created_at)::bigint
       FROM generate_series(1::bigint, ${moves}) j
       JOIN deals d ON d.tenant_id = '${TENANT}' AND d.id = ${uid('deal', 'j * 3')}
       JOIN stages f ON f.tenant_id = d.tenant_id AND f.pipeline_id = d.pipeline_id AND f.position = 1`,
    `INSERT INTO leads (tenant_id, id, title, source, status, value, currency, owner_id, converted_at, converted_deal_id, created_at)
     SELECT '${TENANT}', ${uid('lead', 'j')}, 'Lead ' || j, (ARRAY['web', 'referral', 'event', 'outbound', 'partner', NULL])[1 + j % 6],
            CASE WHEN j % 10 < 3 THEN 'converted' ELSE (ARRAY['new', 'contacted', 'qualified', 'unqualified'])[1 + j % 4] END,
            (j % 5000) * 10, 'USD', ${owner('j * 7')},
            CASE WHEN j % 10 < 3 THEN created + interval '3 days' END,
            CASE WHEN j % 10 < 3 THEN ${uid('deal', 'j * 5')} END, created
       FROM generate_series(1::bigint, ${leads}) j,
            LATERAL (SELECT timestamptz '${ANCHOR}' - make_interval(secs => (j::bigint * 7907) % (3 * 365 * 86400)) AS created) x`,
    `INSERT INTO activities (tenant_id, id, type, subject, due_at, completed_at, assignee_id, deal_id, created_at)
     SELECT '${TENANT}', ${uid('act', 'k')}, (ARRAY['call', 'email', 'meeting', 'task', 'note'])[1 + k % 5], 'Activity ' || k,
            CASE WHEN k % 5 <> 4 THEN created + interval '2 days' END,
            CASE WHEN k % 3 <> 0 THEN created + interval '1 day' END,
            ${owner('k * 13')}, CASE WHEN k % 2 = 0 THEN ${uid('deal', 'k')} END, created
       FROM generate_series(1::bigint, ${activities}) k,
            LATERAL (SELECT timestamptz '${ANCHOR}' - make_interval(secs => (k::bigint * 7877) % (3 * 365 * 86400)) AS created) x`,
  ];
}

async function main() {
  const deals = arg('deals', 1_000_000);
  const db = await openDatabase({ databaseUrl: BENCH_URL, poolSize: 1 });
  await db.query('DROP SCHEMA IF EXISTS public CASCADE');
  await db.query('CREATE SCHEMA public');
  await migrate(db);
  await db.close();
  // Bulk statements run longer than the application's statement timeout.
  const client = new pg.Client({ connectionString: BENCH_URL });
  await client.connect();
  try {
    // Secondary indexes are built after the bulk insert (much faster than maintaining them row by row).
    const indexes = (await client.query<{ name: string; def: string }>(
      `SELECT indexname AS name, indexdef AS def FROM pg_indexes
        WHERE schemaname = 'public' AND tablename = ANY($1) AND indexname NOT LIKE '%_pkey'`, [BULK_TABLES])).rows;
    for (const ix of indexes) await client.query(`DROP INDEX ${ix.name}`);
    // Row triggers (the report rollups' deltas) are off for the bulk load; the rollups are rebuilt once at the end.
    await client.query('SET session_replication_role = replica');
    const scale = deals / 1_000_000;
    for (const sql of seedSql(deals, Math.round(300_000 * scale), Math.round(200_000 * scale), Math.round(300_000 * scale))) {
      const started = Date.now();
      await client.query(sql);
      console.log(`${sql.trim().split('\n')[0]!.slice(0, 60)}… ${Date.now() - started} ms`);
    }
    const started = Date.now();
    for (const ix of indexes) await client.query(ix.def);
    console.log(`${indexes.length} indexes rebuilt in ${Date.now() - started} ms`);
    await client.query('SET session_replication_role = origin');
    await client.query('ANALYZE');  // the rebuild's joins need statistics of the freshly loaded tables
    const rollups = Date.now();
    await client.query('SELECT report_rebuild($1)', [TENANT]);
    console.log(`report rollups rebuilt in ${Date.now() - rollups} ms`);
    await client.query('VACUUM ANALYZE');
  } finally {
    await client.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();

/**
 * EXPLAIN (ANALYZE, BUFFERS) of every report's statement on the generated
 * data set, run as the restricted role under row-level security exactly as
 * a request runs it.
 *
 *   npx tsx bench/src/analytics/explain.ts [report ...]
 */
import { ReportNames, type ReportName } from '@pillar/shared';
import type { Database } from '../../../apps/server/src/platform/db/database.js';
import { openDatabase } from '../../../apps/server/src/platform/db/open.js';
import { systemContext } from '../../../apps/server/src/platform/db/tenant.js';
import { runReport } from '../../../apps/server/src/modules/analytics/index.js';
import { BENCH_URL, TENANT } from './generate.js';

const QUERIES: Partial<Record<ReportName, Record<string, string>>> = {
  forecast: { interval: 'month' }, activities: { interval: 'week' }, income: { interval: 'month' }, pipeline: { stuck_days: '30' },
};

function explaining(db: Database): Database {
  return {
    ...db,
    transaction: (fn, prelude) => db.transaction((tx) => fn({
      ...tx,
      query: async <T>(sql: string, params?: unknown[]) => {
        if (!sql.trimStart().startsWith('WITH')) return tx.query<T>(sql, params);
        const plan = await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
        console.log(plan.rows.map((r) => r['QUERY PLAN']).join('\n'));
        return tx.query<T>(sql, params);
      },
    }), prelude),
  };
}

const db = await openDatabase({ databaseUrl: BENCH_URL, poolSize: 1 });
const names = (process.argv.slice(2).length ? process.argv.slice(2) : ReportNames) as ReportName[];
for (const name of names) {
  console.log(`\n=== ${name}`);
  const query = { ...(QUERIES[name] ?? {}), format: 'json' };
  await runReport({ ...systemContext(explaining(db), TENANT) }, name, query as never);
}
await db.close();

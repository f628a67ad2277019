/**
 * `npm run bench [-- scenario … --embedded …]`: builds the server, loads (or
 * reuses) the deterministic data set, starts the built server with real
 * authentication, runs the scenarios and rewrites this harness's section of
 * bench/RESULTS.md.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { EMBEDDED_SPEC, FULL_SPEC, identities, scaleSpec, type DatasetSpec } from './generate/spec.js';
import { loadPglite, pgliteDrift } from './generate/load-pglite.js';
import { preparePostgres, type LoadReport, type Prepared } from './generate/load-pg.js';
import type { GenContext } from './generate/rows.js';
import { parseArgs, USAGE, type Args } from './harness/args.js';
import { Baseline } from './harness/baseline.js';
import { Client, signIn } from './harness/http.js';
import { machineInfo } from './harness/machine.js';
import { outDir, repoRoot, resultsFile, serverMain } from './harness/paths.js';
import { writeResults, type RunMeta } from './harness/results.js';
import { startServer, type ServerHandle } from './harness/server.js';
import { ORDER, scenarios, SPECIAL } from './scenarios/index.js';
import type { Engine, Measured, RunContext, ScenarioResult } from './scenarios/types.js';
import { measureWeb } from './scenarios/web.js';

/** BENCH_PORT moves the three ports (server, baseline, embedded) so parallel runs on one machine do not meet. */
const PORT = Number(process.env.BENCH_PORT) || 4810;
const BASELINE_PORT = PORT + 1;
const EMBEDDED_PORT = PORT + 2;
const JWT_SECRET = 'bench-only-jwt-secret-0123456789abcdef';
const log = (msg: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);

function build(args: Args) {
  if (!args.build) return;
  log('npm run build …');
  try {
    execFileSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  } catch {
    if (!existsSync(serverMain)) throw new Error('npm run build failed and there is no earlier build');
    log('npm run build failed; measuring the previous build in apps/server/dist');
  }
}

function describe(spec: DatasetSpec): string {
  const f = (n: number) => n.toLocaleString('en');
  return `large tenant: ${f(spec.contacts)} contacts, ${f(spec.companies)} companies, ${f(spec.deals)} deals (+ stage history, ~1 move/deal), ` +
    `${f(spec.activities)} activities, ${f(spec.auditEntries)} audit entries, ${spec.members} members; ` +
    `plus ${spec.smallTenants} tenants × ${f(spec.smallTenantContacts)} contacts, interleaved on disk; seed ${spec.seed}`;
}

function describeLoad(r: LoadReport): string {
  const tables = Object.entries(r.tables).map(([t, v]) => `${t} ${v.seconds.toFixed(1)} s`).join(', ');
  const when = r.skipped ? `reused (loaded ${r.loadedAt.slice(0, 16).replace('T', ' ')} UTC in` : '(this run:';
  return `${when} ${r.seconds.toFixed(1)} s total: ${tables}; index rebuild ${r.indexSeconds.toFixed(1)} s; vacuum/analyze ${r.vacuumSeconds.toFixed(1)} s)`;
}

function describeMigrations(p: Prepared): string {
  const how = p.cloned ? `cloned from the seed database (${p.cloned})` : 'benchmark database reused';
  return `${how}; module migrations ${p.applied.length ? `${p.applied.join(', ')} applied in ${p.migrateSeconds.toFixed(1)} s` : 'already applied'}`;
}

async function openApiRoutes(url: string): Promise<Set<string>> {
  const res = await fetch(`${url}/api/v1/openapi.json`);
  const doc = (await res.json()) as { paths?: Record<string, Record<string, unknown>> };
  const routes = new Set<string>();
  for (const [p, ops] of Object.entries(doc.paths ?? {})) for (const m of Object.keys(ops)) routes.add(`${m.toUpperCase()} ${p}`);
  return routes;
}

function selected(args: Args, engine: Engine) {
  const known = new Set([...scenarios.map((s) => s.name), ...SPECIAL]);
  for (const n of args.names) if (!known.has(n)) throw new Error(`unknown scenario "${n}"; known: ${[...known].join(', ')}\n${USAGE}`);
  const want = (name: string) => !args.names.length || args.names.includes(name);
  return { list: scenarios.filter((s) => want(s.name) && s.engines.includes(engine)), want };
}

function result(name: string, title: string, engine: Engine, status: ScenarioResult['status'], m: Measured = {}): ScenarioResult {
  return { name, title, engine, status, at: new Date().toISOString(), ...m };
}

/** Runs the selected scenarios; `save` is called after each, so an interrupted run keeps what it measured. */
async function runScenarios(ctx: RunContext, args: Args, save: (r: ScenarioResult[]) => void): Promise<ScenarioResult[]> {
  const out: ScenarioResult[] = [];
  const push = out.push.bind(out);
  out.push = (...items: ScenarioResult[]) => {
    const n = push(...items);
    save(out);
    return n;
  };
  for (const s of selected(args, ctx.engine).list) {
    const missing = s.requires.filter((r) => !ctx.routes.has(r));
    if (missing.length) {
      log(`${s.name}: not available (${missing.join(', ')})`);
      out.push(result(s.name, s.title, ctx.engine, 'not available', { notes: [`Missing: ${missing.join(', ')}`] }));
      continue;
    }
    log(`${s.name}: ${s.title} …`);
    try {
      const m = await s.run(ctx);
      const r = result(s.name, s.title, ctx.engine, 'ok', m);
      log(`${s.name}: p50 ${r.latency?.p50.toFixed(2) ?? '—'} p95 ${r.latency?.p95.toFixed(2) ?? '—'} ms, ` +
        `${r.throughput?.rps.toFixed(0) ?? '—'} req/s${r.ratio !== undefined ? `, ${(r.ratio * 100).toFixed(0)}% of baseline` : ''}`);
      out.push(r);
    } catch (err) {
      log(`${s.name}: error: ${(err as Error).message}`);
      out.push(result(s.name, s.title, ctx.engine, 'error', { notes: [(err as Error).message.slice(0, 500)] }));
    }
  }
  return out;
}

function serverEnv(args: Args, extra: Record<string, string>): Record<string, string> {
  return {
    JWT_SECRET,
    SEED_DEMO: 'false',
    ACCESS_TOKEN_TTL: '86400',
    ...(args.logLevel ? { LOG_LEVEL: args.logLevel } : {}),
    ...extra,
  };
}

function nodeFlags(args: Args, label: string): string[] {
  return args.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${path.join(outDir, `prof-${label}`)}`] : [];
}

async function context(engine: Engine, server: ServerHandle, g: GenContext, args: Args, baseline: Baseline | null): Promise<RunContext> {
  const token = await signIn(server.url, g.ids.ownerEmail, g.ids.password);
  return {
    engine,
    databaseUrl: engine === 'postgres' ? args.databaseUrl : null,
    server,
    api: new Client(server.url, token),
    token,
    g,
    routes: await openApiRoutes(server.url),
    budget: { warmup: 100, maxRequests: args.latencyRequests, seconds: args.latencySeconds },
    connections: args.connections,
    seconds: args.seconds,
    baseline: async (make) => (baseline ? baseline.target(make) : null),
    log,
  };
}

async function postgresVersion(url: string): Promise<string> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
    return `PostgreSQL ${r.rows[0]!.v} (shared_buffers ${(await c.query<{ shared_buffers: string }>('SHOW shared_buffers')).rows[0]!.shared_buffers})`;
  } finally {
    await c.end();
  }
}

async function runPostgres(args: Args, command: string) {
  const spec = scaleSpec(FULL_SPEC, args.scale);
  const g: GenContext = { spec, ids: identities(spec) };
  log(`data set in ${args.databaseUrl} …`);
  const prepared = await preparePostgres(args.databaseUrl, spec, { regenerate: args.regenerate, log });
  const load = prepared.load;
  log(`data: ${describeLoad(load)}`);
  if (args.generateOnly) return;
  const meta: RunMeta = {
    engine: 'postgres', at: new Date().toISOString(), command, machine: machineInfo(await postgresVersion(args.databaseUrl)),
    dataset: describe(spec), load: `${describeLoad(load)}; ${describeMigrations(prepared)}`,
  };
  const { want } = selected(args, 'postgres');
  const results: ScenarioResult[] = [];
  const baseline = new Baseline({ databaseUrl: args.databaseUrl, tenantId: g.ids.tenantId, port: BASELINE_PORT }, args.connections);
  const start = () => startServer({
    label: 'postgres', port: PORT, nodeFlags: nodeFlags(args, 'postgres'),
    env: serverEnv(args, { DATABASE_URL: args.databaseUrl, DATA_DIR: path.join(outDir, 'pg-data') }),
  });
  let server: ServerHandle;
  try {
    server = await start();
  } catch (err) {
    // A migration file was edited between our migrate and the server's: clone and migrate again, once.
    if (!/was changed after it was applied/.test((err as Error).message)) throw err;
    log('a migration changed while preparing; preparing again');
    await preparePostgres(args.databaseUrl, spec, { log });
    server = await start();
  }
  log(`server ready in ${server.readyMs.toFixed(0)} ms (pid ${server.pid})`);
  try {
    const ctx = await context('postgres', server, g, args, baseline);
    results.push(...(await runScenarios(ctx, args, (r) => writeResults({ meta, results: r, order: ORDER }, resultsFor(args)))));
    ctx.api.close();
  } finally {
    await server.stop();
    await baseline.stop();
  }
  if (want('web')) results.push(webResult('postgres'));
  writeResults({ meta, results, order: ORDER }, resultsFor(args));
}

/** A scaled-down run is a rehearsal: its results go to bench/out, not RESULTS.md. */
function resultsFor(args: Args): string {
  return args.scale === 1 ? resultsFile : path.join(outDir, `RESULTS.scale-${args.scale}.md`);
}

function webResult(engine: Engine): ScenarioResult {
  const title = 'Web app first load (JS gzip)';
  try {
    return result('web', title, engine, 'ok', measureWeb());
  } catch (err) {
    return result('web', title, engine, 'error', { notes: [(err as Error).message] });
  }
}

async function runEmbedded(args: Args, command: string) {
  const spec = scaleSpec(EMBEDDED_SPEC, args.scale);
  const g: GenContext = { spec, ids: identities(spec) };
  const suffix = args.scale === 1 ? '' : `-${args.scale}`;
  const seedDir = path.join(outDir, `embedded-seed${suffix}`);
  const dataDir = path.join(outDir, `embedded-data${suffix}`);
  if (args.regenerate) rmSync(seedDir, { recursive: true, force: true });
  mkdirSync(seedDir, { recursive: true });
  log(`data set in ${seedDir} (core migrations only) …`);
  const load = await loadPglite(seedDir, spec, log, { coreOnly: true });
  log(`data: ${describeLoad(load)}`);
  // The run directory is a copy of the seed; the server's first start applies the module migrations (an upgrade).
  const drift = existsSync(path.join(dataDir, 'pgdata')) ? await pgliteDrift(dataDir) : ['no copy yet'];
  if (drift.length || args.regenerate) {
    log(`copying the seed to ${dataDir} (${drift.join(', ') || 'regenerate'}) …`);
    rmSync(dataDir, { recursive: true, force: true });
    cpSync(seedDir, dataDir, { recursive: true });
  }
  if (args.generateOnly) return;
  const meta: RunMeta = {
    engine: 'embedded', at: new Date().toISOString(), command, machine: machineInfo('embedded PGlite (PostgreSQL 18, WASM)'),
    dataset: describe(spec), load: describeLoad(load),
  };
  const { want } = selected(args, 'embedded');
  const results: ScenarioResult[] = [];
  const env = serverEnv(args, { DATA_DIR: dataDir });
  const first = await startServer({ label: 'embedded', port: EMBEDDED_PORT, env });
  await first.stop();
  const server = await startServer({ label: 'embedded', port: EMBEDDED_PORT, env, nodeFlags: nodeFlags(args, 'embedded') });
  log(`embedded: first start ${first.readyMs.toFixed(0)} ms, second start ${server.readyMs.toFixed(0)} ms to /readyz`);
  if (want('restart')) {
    results.push(result('restart', 'Second start to /readyz on the same DATA_DIR', 'embedded', 'ok', {
      seconds: server.readyMs / 1000,
      figures: {
        'first start': `${first.readyMs.toFixed(0)} ms${drift.length ? ' (a fresh copy of the seed: includes applying the module migrations)' : ''}`,
        'second start': `${server.readyMs.toFixed(0)} ms`,
      },
      targets: [{ label: `second start ≤ 3 s (${(server.readyMs / 1000).toFixed(2)} s)`, ok: server.readyMs <= 3000 }],
    }));
  }
  try {
    const ctx = await context('embedded', server, g, args, null);
    results.push(...(await runScenarios(ctx, args, (r) => writeResults({ meta, results: [...results, ...r], order: ORDER }, resultsFor(args)))));
    ctx.api.close();
  } finally {
    await server.stop();
  }
  if (want('web')) results.push(webResult('embedded'));
  writeResults({ meta, results, order: ORDER }, resultsFor(args));
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  selected(args, args.engine);
  build(args);
  if (args.engine === 'embedded') await runEmbedded(args, command);
  else await runPostgres(args, command);
  log(`results written to ${path.relative(repoRoot, resultsFor(args))}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

/**
 * CPU per write request, server and database, on the benchmark database
 * (steadier than latency on a busy machine): starts the built server, sends
 * a fixed number of creates, stage moves and If-Match updates, and reads the
 * CPU time of the server process and of the database backends it (and its
 * job workers) use from /proc, plus commits from pg_stat_database.
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/pillar_bench_writes npx tsx bench/src/tools/write-cost.ts [create=2000] [stage-move=400] [update=600]
 * The database must be the harness's (loaded by `npm run bench`); it runs on this machine (reads /proc of its backends).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { dealPath } from '../generate/deals.js';
import { contactId, dealId } from '../generate/rows.js';
import { FULL_SPEC, identities } from '../generate/spec.js';
import type { GenContext } from '../generate/rows.js';
import { Client, signIn } from '../harness/http.js';
import { outDir } from '../harness/paths.js';
import { startServer } from '../harness/server.js';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('set DATABASE_URL to the benchmark database');
const port = Number(process.env.BENCH_PORT) || 4870;
const counts: Record<string, number> = { create: 2000, 'stage-move': 400, update: 600 };
for (const a of process.argv.slice(2)) {
  const [k, v] = a.split('=');
  if (!(k! in counts)) throw new Error(`unknown scenario ${k}`);
  counts[k!] = Number(v ?? counts[k!]);
}

const ticks = 100;
function cpuOf(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) / ticks;
  } catch {
    return 0;
  }
}

const admin = new pg.Client({ connectionString: url });
await admin.connect();
const dbName = decodeURIComponent(new URL(url).pathname.slice(1));
async function dbSnapshot() {
  const pids = (await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [dbName])).rows;
  const cpu = new Map(pids.map((p) => [p.pid, cpuOf(p.pid)]));
  const c = (await admin.query<{ n: string }>('SELECT xact_commit AS n FROM pg_stat_database WHERE datname = $1', [dbName])).rows[0]!;
  return { cpu, commits: Number(c.n) };
}

const g: GenContext = { spec: FULL_SPEC, ids: identities(FULL_SPEC) };
const server = await startServer({
  label: 'write-cost', port,
  env: { DATABASE_URL: url, DATA_DIR: path.join(outDir, 'pg-data'), JWT_SECRET: 'bench-only-jwt-secret-0123456789abcdef', SEED_DEMO: 'false', ACCESS_TOKEN_TTL: '86400', LOG_LEVEL: 'warn' },
});
const token = await signIn(server.url, g.ids.ownerEmail, g.ids.password);

async function measure(name: string, n: number, connections: number, step: (client: Client, i: number) => Promise<boolean>) {
  const clients = Array.from({ length: connections }, () => new Client(server.url, token));
  for (let i = 0; i < 20; i++) await step(clients[0]!, -1 - i);
  const s0 = server.cpuSeconds();
  const d0 = await dbSnapshot();
  const t0 = Date.now();
  let next = 0;
  let ok = 0;
  await Promise.all(clients.map(async (c) => {
    for (let i = next++; i < n; i = next++) if (await step(c, i)) ok++;
  }));
  const wall = (Date.now() - t0) / 1000;
  const s1 = server.cpuSeconds();
  const d1 = await dbSnapshot();
  let dbCpu = 0;
  for (const [pid, before] of d0.cpu) if (d1.cpu.has(pid)) dbCpu += d1.cpu.get(pid)! - before;
  for (const [pid, after] of d1.cpu) if (!d0.cpu.has(pid)) dbCpu += after;
  clients.forEach((c) => c.close());
  const ms = (s: number) => `${((s * 1000) / ok).toFixed(2)} ms`;
  console.log(`${name}: ${ok}/${n} ok at ${connections} connection(s), ${(ok / wall).toFixed(0)} req/s; per request: server CPU ${ms(s1 - s0)}, ` +
    `database CPU ${ms(dbCpu)}, commits ${((d1.commits - d0.commits) / ok).toFixed(2)}`);
}

try {
  const run = Date.now().toString(36);
  if (counts.create) {
    await measure('create', counts.create, 10, async (c, i) =>
      (await c.send({ method: 'POST', path: '/api/v1/contacts', body: { first_name: 'Cost', last_name: `Probe ${i}`, email: `cost-${run}-${i}@created.example` } })).status === 201);
  }
  if (counts['stage-move']) {
    const deals: { id: string; stage: number }[] = [];
    for (let k = 0; deals.length < 40 && k < g.spec.deals; k++) {
      const i = Math.floor((k * 7_919 + 13) % g.spec.deals);
      const p = dealPath(g, i);
      const stage = p.stages[p.stages.length - 1]!;
      if (stage <= 3) deals.push({ id: dealId(g, i), stage });
    }
    await measure('stage-move', counts['stage-move'], 1, async (c, i) => {
      const d = deals[Math.abs(i) % deals.length]!;
      const next = d.stage === 3 ? 0 : d.stage + 1;
      const res = await c.send({ method: 'POST', path: `/api/v1/deals/${d.id}/stage`, body: { stage_id: g.ids.stages[next]!.id } });
      if (res.status === 200) d.stage = next;
      return res.status === 200;
    });
  }
  if (counts.update) {
    const etags = new Map<string, string>();
    const ids = Array.from({ length: 50 }, (_, k) => contactId(g, 3_001 + k * 17_011));
    await measure('update', counts.update, 1, async (c, i) => {
      const id = ids[Math.abs(i) % ids.length]!;
      const etag = etags.get(id) ?? (await c.send({ path: `/api/v1/contacts/${id}` })).headers.etag ?? '*';
      const res = await c.send({ method: 'PATCH', path: `/api/v1/contacts/${id}`, headers: { 'if-match': String(etag) }, body: { title: `Cost ${i}` } });
      if (res.headers.etag) etags.set(id, String(res.headers.etag));
      return res.status === 200;
    });
  }
} finally {
  await server.stop();
  await admin.end();
}

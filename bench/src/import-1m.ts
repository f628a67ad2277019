/**
 * 1,000,000-row CSV import and export through the real HTTP API on PostgreSQL.
 *
 *   npx tsx bench/src/import-1m.ts [rows=1000000]
 *
 * Generates a deterministic contacts CSV (bench/out/contacts-<rows>.csv),
 * recreates the database `pillar_bench_data` (BENCH_ADMIN_URL, default
 * postgres://postgres@127.0.0.1:5432/postgres), starts the server from source
 * on it, signs up, uploads the file (streamed), runs the import, polls its
 * progress, then streams the whole list back as CSV. Prints the times and the
 * server's peak RSS (VmHWM from /proc).
 */
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const PORT = 4890;
const DB = 'pillar_bench_data';
const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = path.join(root, 'bench', 'out');
const base = `http://127.0.0.1:${PORT}/api/v1`;
const log = (m: string) => console.log(`[import-1m ${new Date().toISOString().slice(11, 19)}] ${m}`);

/** Deterministic PRNG (mulberry32). */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Margaret', 'Linus', 'Radia', 'Ken', 'Frances', 'Tim', 'Zoë', 'José'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Hamilton', 'Torvalds', 'Perlman', 'Thompson', "O'Neil", 'Müller'];
const TITLES = ['CEO', 'CTO', 'Head of Sales', 'Engineer', 'Buyer', 'Office Manager', '"Chief, Operations"'];

async function generate(file: string) {
  if (existsSync(file)) return;
  log(`generating ${ROWS} rows → ${file}`);
  const r = rng(42);
  const w = createWriteStream(file);
  const pick = <T>(a: T[]) => a[Math.floor(r() * a.length)]!;
  w.write('First Name,Last Name,Email Address,Phone Number,Job Title,Company Name,City,Tags\r\n');
  let buf = '';
  for (let i = 0; i < ROWS; i++) {
    const first = pick(FIRST);
    const last = pick(LAST);
    buf += `${first},${last},${first.toLowerCase().replace(/[^a-z]/g, '')}.${i}@example${i % 97}.test,+4420${String(10_000_000 + i).slice(-8)},${pick(TITLES)},Company ${i % 5000},City ${Math.floor(r() * 300)},${r() < 0.3 ? 'vip;newsletter' : 'newsletter'}\r\n`;
    if (buf.length > 1 << 20) {
      if (!w.write(buf)) await new Promise<void>((res) => w.once('drain', () => res()));
      buf = '';
    }
  }
  w.end(buf);
  await new Promise<void>((res) => w.on('finish', () => res()));
}

async function recreateDatabase() {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB}`);
  await admin.end();
}

function peakRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

async function startServer() {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${DB}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(PORT), HOST: '127.0.0.1', DATABASE_URL: url.toString(), DATA_DIR: path.join(out, 'import-1m-data'), SEED_DEMO: 'false', LOG_LEVEL: 'warn', JWT_SECRET: 'bench-only-jwt-secret-0123456789abcdef', NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/health`)).ok) return child;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start');
}

async function api<T>(token: string | null, method: string, url: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${url}`, {
    method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<T>;
}

async function main() {
  mkdirSync(out, { recursive: true });
  const file = path.join(out, `contacts-${ROWS}.csv`);
  await generate(file);
  const size = statSync(file).size;
  await recreateDatabase();
  const server = await startServer();
  try {
    const { access_token: token } = await api<{ access_token: string }>(null, 'POST', '/auth/sign-up', { email: 'bench@example.test', password: 'bench password 123', name: 'Bench', firm_name: 'Bench' });
    let t0 = Date.now();
    const up = await fetch(`${base}/imports?entity=contacts&file_name=contacts.csv`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, body: createReadStream(file), duplex: 'half',
    });
    if (up.status !== 201) throw new Error(`upload: ${up.status} ${await up.text()}`);
    const imp = (await up.json()) as { id: string; mapping: unknown };
    const uploadSeconds = (Date.now() - t0) / 1000;
    log(`uploaded ${(size / 1e6).toFixed(1)} MB in ${uploadSeconds}s; mapping ${JSON.stringify(imp.mapping)}`);
    t0 = Date.now();
    await api(token, 'POST', `/imports/${imp.id}/start`);
    let state: { status: string; percentage: number; rows_processed: number; created: number; failed: number; error: string | null };
    for (;;) {
      await new Promise((r) => setTimeout(r, 1000));
      state = await api(token, 'GET', `/imports/${imp.id}`);
      log(`${state.status} ${state.percentage}% rows ${state.rows_processed} created ${state.created} failed ${state.failed}`);
      if (!['queued', 'running'].includes(state.status)) break;
    }
    const importSeconds = (Date.now() - t0) / 1000;
    if (state.status !== 'completed') throw new Error(`import ended ${state.status}: ${state.error}`);
    t0 = Date.now();
    const exp = await fetch(`${base}/exports/contacts.csv`, { headers: { authorization: `Bearer ${token}` } });
    let bytes = 0;
    let lines = 0;
    for await (const chunk of exp.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (const b of chunk) if (b === 10) lines++;
    }
    const exportSeconds = (Date.now() - t0) / 1000;
    const rss = peakRss(server.pid!);
    const result = { rows: ROWS, file_mb: +(size / 1e6).toFixed(1), upload_s: uploadSeconds, import_s: importSeconds, rows_per_s: Math.round(ROWS / importSeconds), created: state.created, export_s: exportSeconds, export_lines: lines - 1, export_mb: +(bytes / 1e6).toFixed(1), server_peak_rss_mb: Math.round(rss) };
    console.log(JSON.stringify(result, null, 2));
  } finally {
    server.kill('SIGTERM');
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

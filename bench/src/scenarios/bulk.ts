/** Data scenarios: CSV export of the whole large tenant (streamed), CSV import of 1,000,000 rows. */
import { createReadStream, createWriteStream, existsSync, renameSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { once } from 'node:events';
import pg from 'pg';
import { contactFacts } from '../generate/rows.js';
import { outDir } from '../harness/paths.js';
import type { Measured, RunContext, Scenario } from './types.js';

const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
/** A tenant index no real tenant uses, so the imported emails never collide with the loaded ones. */
const IMPORT_TENANT_INDEX = 1000;

interface StreamStats {
  status: number;
  bytes: number;
  lines: number;
  firstByteMs: number;
  totalMs: number;
}

/** Reads a streamed response to the end, counting bytes and lines without keeping the body. */
function drain(ctx: RunContext, path: string): Promise<StreamStats> {
  const url = new URL(ctx.server.url);
  const t0 = process.hrtime.bigint();
  const ms = () => Number(process.hrtime.bigint() - t0) / 1e6;
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path, headers: { authorization: `Bearer ${ctx.token}` } }, (res) => {
      let bytes = 0;
      let lines = 0;
      let firstByteMs = -1;
      res.on('data', (chunk: Buffer) => {
        if (firstByteMs < 0) firstByteMs = ms();
        bytes += chunk.length;
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, lines, firstByteMs, totalMs: ms() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function exportCsv(ctx: RunContext): Promise<Measured> {
  ctx.server.resetPeak();
  const rss0 = ctx.server.rssMb();
  const s = await drain(ctx, '/api/v1/exports/contacts.csv');
  if (s.status !== 200) throw new Error(`GET /exports/contacts.csv → ${s.status}`);
  const expected = ctx.g.spec.contacts;
  const m: Measured = {
    seconds: s.totalMs / 1000,
    peakRssMb: ctx.server.peakRssMb(),
    figures: {
      rows: `${(s.lines - 1).toLocaleString('en')} data lines (${expected.toLocaleString('en')} contacts generated, ~0.5% in the trash)`,
      size: `${(s.bytes / 2 ** 20).toFixed(1)} MB, ${((s.bytes / 2 ** 20) / (s.totalMs / 1000)).toFixed(1)} MB/s`,
      'first byte': `${s.firstByteMs.toFixed(0)} ms`,
      'server RSS': `${rss0.toFixed(0)} MB before, peak ${ctx.server.peakRssMb().toFixed(0)} MB during`,
    },
  };
  m.targets = [
    { label: `export of ${expected.toLocaleString('en')} ≤ 30 s (${(s.totalMs / 1000).toFixed(1)} s)`, ok: s.totalMs <= 30_000 },
    { label: 'streamed (first byte < 1 s)', ok: s.firstByteMs < 1000 },
  ];
  return m;
}

/** A deterministic CSV of new contacts (same generator, its own tenant index). */
async function importFile(ctx: RunContext, rows: number): Promise<string> {
  const file = path.join(outDir, `import-contacts-${rows}.csv`);
  if (existsSync(file)) return file;
  const out = createWriteStream(`${file}.tmp`);
  out.write('First Name,Last Name,Email,Phone,Job Title,Tags\n');
  for (let i = 0; i < rows; i++) {
    const f = contactFacts(ctx.g, IMPORT_TENANT_INDEX, i);
    const line = `${f.first},${f.last},${f.email.replace('@', `.imp@`)},+4930${String(1_000_000 + i)},Buyer,imported\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  renameSync(`${file}.tmp`, file);
  return file;
}

function upload(ctx: RunContext, file: string): Promise<{ status: number; body: string }> {
  const url = new URL(ctx.server.url);
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: url.hostname, port: url.port, method: 'POST', path: '/api/v1/imports?entity=contacts&file_name=contacts.csv',
      headers: { authorization: `Bearer ${ctx.token}`, 'content-type': 'text/csv', 'content-length': statSync(file).size },
    }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    createReadStream(file).pipe(req);
  });
}

interface ImportState { status: string; rows_processed: number; created: number; failed: number; error: string | null }

async function importCsv(ctx: RunContext): Promise<Measured> {
  const file = await importFile(ctx, IMPORT_ROWS);
  ctx.server.resetPeak();
  const t0 = Date.now();
  const up = await upload(ctx, file);
  if (up.status !== 201) throw new Error(`upload → ${up.status}: ${up.body.slice(0, 300)}`);
  const id = (JSON.parse(up.body) as { id: string }).id;
  const uploaded = Date.now();
  const start = await ctx.api.send({ method: 'POST', path: `/api/v1/imports/${id}/start` });
  if (start.status >= 300) throw new Error(`start → ${start.status}: ${start.body.slice(0, 300)}`);
  let state: ImportState;
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    state = (await ctx.api.json<ImportState>({ path: `/api/v1/imports/${id}` })).data;
    if (!['queued', 'running', 'uploaded'].includes(state.status) || Date.now() > deadline) break;
  }
  const seconds = (Date.now() - t0) / 1000;
  const peak = ctx.server.peakRssMb();
  const removed = await removeImported(ctx, id);
  const m: Measured = {
    seconds,
    peakRssMb: peak,
    figures: {
      file: `${IMPORT_ROWS.toLocaleString('en')} rows, ${(statSync(file).size / 2 ** 20).toFixed(1)} MB`,
      upload: `${((uploaded - t0) / 1000).toFixed(1)} s`,
      outcome: `${state.status}: ${state.created.toLocaleString('en')} created, ${state.failed} failed${state.error ? `, ${state.error}` : ''}`,
      'rows/s': `${Math.round(state.rows_processed / seconds).toLocaleString('en')}`,
      cleanup: `${removed.toLocaleString('en')} imported contacts removed afterwards so the data set stays the same`,
    },
  };
  m.targets = [
    { label: `import of 1M ≤ 90 s (${seconds.toFixed(1)} s)`, ok: state.status === 'completed' && seconds <= 90 },
    { label: `server peak RSS ≤ 300 MB (${peak.toFixed(0)} MB)`, ok: peak <= 300 },
  ];
  return m;
}

/** The benchmark database is reused between runs: take the imported rows out again (superuser, outside the API). */
async function removeImported(ctx: RunContext, importId: string): Promise<number> {
  const url = ctx.databaseUrl;
  if (!url) return 0;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query('DELETE FROM contacts WHERE tenant_id = $1 AND import_id = $2', [ctx.g.ids.tenantId, importId]);
    await c.query('VACUUM (ANALYZE) contacts');
    return r.rowCount ?? 0;
  } finally {
    await c.end();
  }
}

export const dataScenarios: Scenario[] = [
  { name: 'export', title: 'CSV export of all contacts of the large tenant', engines: ['postgres', 'embedded'], requires: ['GET /api/v1/exports/contacts.csv'], run: exportCsv },
  {
    name: 'import',
    title: 'CSV import of 1,000,000 contacts',
    engines: ['postgres'],
    requires: ['POST /api/v1/imports', 'POST /api/v1/imports/{id}/start', 'GET /api/v1/imports/{id}'],
    run: importCsv,
  },
];

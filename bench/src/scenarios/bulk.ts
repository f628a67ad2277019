/** Data scenarios: CSV export of the whole large tenant (streamed), CSV import of 1,000,000 rows. */
import http from 'node:http';
import type { Measured, RunContext, Scenario } from './types.js';

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

export const dataScenarios: Scenario[] = [
  { name: 'export', title: 'CSV export of all contacts of the large tenant', engines: ['postgres', 'embedded'], requires: ['GET /api/v1/exports/contacts.csv'], run: exportCsv },
  {
    name: 'import',
    title: 'CSV import of 1,000,000 contacts',
    engines: ['postgres'],
    requires: ['POST /api/v1/imports'],
    run: () => Promise.reject(new Error('the import API landed after this scenario was written; see bench/src/scenarios/bulk.ts')),
  },
];

/**
 * Renders this harness's section of bench/RESULTS.md between its markers and
 * leaves everything else (other engineers' headings) untouched. The raw
 * results ride along in a comment, so running one scenario updates its row
 * and keeps the others.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Engine, ScenarioResult } from '../scenarios/types.js';
import { resultsFile } from './paths.js';

export const START = '<!-- harness:start -->';
export const END = '<!-- harness:end -->';
const DATA = /<!-- harness:data ([A-Za-z0-9+/=]+) -->/;

export interface RunMeta {
  engine: Engine;
  at: string;
  command: string;
  machine: Record<string, string>;
  dataset: string;
  load: string;
}

export interface Stored {
  runs: Partial<Record<Engine, RunMeta>>;
  results: Record<string, ScenarioResult>;
}

export function readStored(file = resultsFile): Stored {
  if (!existsSync(file)) return { runs: {}, results: {} };
  const m = DATA.exec(readFileSync(file, 'utf8'));
  if (!m?.[1]) return { runs: {}, results: {} };
  try {
    return JSON.parse(Buffer.from(m[1], 'base64').toString('utf8')) as Stored;
  } catch {
    return { runs: {}, results: {} };
  }
}

const ms = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '—' : v < 10 ? v.toFixed(2) : v.toFixed(1));
const num = (v: number | undefined, d = 0) => (v === undefined || Number.isNaN(v) ? '—' : v.toFixed(d));

function targetCell(r: ScenarioResult): string {
  if (!r.targets?.length) return '—';
  return r.targets.map((t) => `${t.ok === null ? '?' : t.ok ? '✅' : '❌'} ${t.label}`).join('<br>');
}

function row(r: ScenarioResult): string {
  const lat = r.latency;
  const cells = [
    `\`${r.name}\` ${r.title}`,
    r.status,
    ms(lat?.p50), ms(lat?.p95), ms(lat?.p99),
    r.throughput ? `${num(r.throughput.rps)}${r.throughput.errors ? ` (${r.throughput.errors} err)` : ''}` : r.seconds !== undefined ? `${r.seconds.toFixed(1)} s` : '—',
    r.baseline ? num(r.baseline.throughput.rps) : '—',
    r.ratio === undefined ? '—' : `${(r.ratio * 100).toFixed(0)}%`,
    num(r.peakRssMb),
    targetCell(r),
  ];
  return `| ${cells.join(' | ')} |`;
}

function details(r: ScenarioResult): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(r.figures ?? {})) out.push(`  - ${k}: ${v}`);
  for (const n of r.notes ?? []) out.push(`  - ${n}`);
  if (r.baseline) {
    const b = r.baseline;
    out.push(`  - baseline \`${b.route}\`: p50 ${ms(b.latency.p50)} / p95 ${ms(b.latency.p95)} / p99 ${ms(b.latency.p99)} ms, ${num(b.throughput.rps)} req/s`);
  }
  return out.length ? [`- \`${r.name}\` (${r.at.slice(0, 16).replace('T', ' ')} UTC)`, ...out] : [];
}

function engineSection(engine: Engine, meta: RunMeta | undefined, results: ScenarioResult[]): string[] {
  const title = engine === 'postgres' ? 'PostgreSQL' : 'Embedded (PGlite)';
  const lines = [`### ${title}`, ''];
  if (meta) {
    lines.push(`- Last run: ${meta.at.slice(0, 16).replace('T', ' ')} UTC — \`${meta.command}\``);
    for (const [k, v] of Object.entries(meta.machine)) lines.push(`- ${k}: ${v}`);
    lines.push(`- Data: ${meta.dataset}`, `- Load: ${meta.load}`, '');
  }
  lines.push(
    '| scenario | status | p50 ms | p95 ms | p99 ms | req/s @10 conn (or time) | baseline req/s | ratio | peak RSS MB | targets |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...results.map(row),
    '',
  );
  const notes = results.flatMap(details);
  if (notes.length) lines.push('Details:', '', ...notes, '');
  return lines;
}

export function render(stored: Stored, order: string[] = []): string {
  const rank = (r: ScenarioResult) => (order.indexOf(r.name) + 1 || 999);
  const lines = [
    START,
    '## Harness: the API at a million records',
    '',
    'Written by `npm run bench` (bench/src/run.ts); do not edit by hand between these markers.',
    'Latency: sequential requests on one keep-alive connection after a warm-up. Throughput: autocannon (or a small',
    'worker loop for requests that depend on the previous answer) at 10 connections. Ratio: throughput divided by the',
    "baseline's (a bare Fastify + node-postgres route running the same keyset query, no auth, no RLS), measured in the",
    'same run on the same data, in slices alternating with the API (A B A B …) so that load from other work on a shared',
    'machine falls on both alike. Peak RSS: VmHWM of the server process, reset before each scenario.',
    '',
  ];
  for (const engine of ['postgres', 'embedded'] as const) {
    const results = Object.values(stored.results).filter((r) => r.engine === engine).sort((a, b) => rank(a) - rank(b));
    if (results.length || stored.runs[engine]) lines.push(...engineSection(engine, stored.runs[engine], results));
  }
  const findings = path.join(path.dirname(fileURLToPath(import.meta.url)), 'findings.md');
  if (existsSync(findings)) lines.push(readFileSync(findings, 'utf8').trim(), '');
  lines.push(`<!-- harness:data ${Buffer.from(JSON.stringify(stored)).toString('base64')} -->`, END);
  return lines.join('\n');
}

export function writeResults(update: { meta: RunMeta; results: ScenarioResult[]; order: string[] }, file = resultsFile): void {
  const stored = readStored(file);
  stored.runs[update.meta.engine] = update.meta;
  for (const r of update.results) stored.results[`${r.engine}:${r.name}`] = JSON.parse(JSON.stringify(r, (k, v: unknown) => (k === 'samples' ? undefined : v))) as ScenarioResult;
  const section = render(stored, update.order);
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n\n';
  const s = text.indexOf(START);
  const e = text.indexOf(END);
  const next = s >= 0 && e > s ? text.slice(0, s) + section + text.slice(e + END.length) : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next);
}

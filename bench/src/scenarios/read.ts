/** The common shape of a read scenario: latency at 1 connection, throughput at N, ratio to the baseline, peak RSS. */
import type { Req, Res } from '../harness/http.js';
import { latency, percentiles, throughputCannon, type Latency, type Throughput } from '../harness/measure.js';
import type { Measured, RunContext, Target } from './types.js';

export interface ReadSpec {
  make: (i: number) => Req;
  baseline?: { make: (i: number) => Req };
  check?: (res: Res) => boolean;
  /** Skip the throughput part (slow endpoints). */
  latencyOnly?: boolean;
}

const SLICES = 4;

export function mergeThroughput(parts: Throughput[]): Throughput {
  const seconds = parts.reduce((s, p) => s + p.seconds, 0);
  return {
    rps: parts.reduce((s, p) => s + p.rps * p.seconds, 0) / seconds,
    connections: parts[0]!.connections,
    seconds,
    errors: parts.reduce((s, p) => s + p.errors, 0),
    tool: parts[0]!.tool,
  };
}

function mergeLatency(parts: Latency[], samples: number[][]): Latency {
  return percentiles(samples.flat(), parts.reduce((s, p) => s + p.errors, 0));
}

/**
 * With a baseline, the API and the baseline are measured in alternating
 * slices (A B A B …), so that load from other work on a shared machine hits
 * both alike and the ratio stays meaningful.
 */
export async function measureRead(ctx: RunContext, spec: ReadSpec): Promise<Measured> {
  const probe = await ctx.api.send(spec.make(0));
  if (probe.status >= 300) throw new Error(`${spec.make(0).path} → ${probe.status}: ${probe.body.slice(0, 300)}`);
  const base = spec.baseline ? await ctx.baseline(spec.baseline.make) : null;
  ctx.server.resetPeak();
  const slices = base ? SLICES : 1;
  const budget = { ...ctx.budget, maxRequests: Math.ceil(ctx.budget.maxRequests / slices), seconds: ctx.budget.seconds / slices };
  const api = { lat: [] as Latency[], thr: [] as Throughput[], samples: [] as number[][] };
  const ref = { lat: [] as Latency[], thr: [] as Throughput[], samples: [] as number[][] };
  const cpu = { api: 0, apiRequests: 0, ref: 0, refRequests: 0 };
  for (let k = 0; k < slices; k++) {
    const collect = (into: number[][]) => (l: Latency & { samples?: number[] }) => into.push(l.samples ?? []);
    const a = await latency(ctx.api, spec.make, { ...budget, warmup: k ? 10 : budget.warmup }, spec.check);
    api.lat.push(a);
    collect(api.samples)(a);
    if (base) {
      const b = await base.latency({ ...budget, warmup: k ? 10 : budget.warmup });
      ref.lat.push(b);
      collect(ref.samples)(b);
    }
    if (!spec.latencyOnly) {
      const c0 = ctx.server.cpuSeconds();
      const t = await throughputCannon(ctx.server.url, ctx.token, spec.make, ctx.connections, ctx.seconds / slices);
      cpu.api += ctx.server.cpuSeconds() - c0;
      cpu.apiRequests += t.rps * t.seconds;
      api.thr.push(t);
      if (base) {
        const b0 = base.cpuSeconds();
        const bt = await base.throughput(ctx.seconds / slices);
        cpu.ref += base.cpuSeconds() - b0;
        cpu.refRequests += bt.rps * bt.seconds;
        ref.thr.push(bt);
      }
    }
  }
  const m: Measured = { latency: slices === 1 ? api.lat[0]! : mergeLatency(api.lat, api.samples) };
  if (api.thr.length) m.throughput = mergeThroughput(api.thr);
  m.peakRssMb = ctx.server.peakRssMb();
  const perRequest = (s: number, n: number) => `${((s / Math.max(n, 1)) * 1e6).toFixed(0)} µs`;
  if (cpu.apiRequests) {
    m.figures = { 'server CPU per request (user+sys, under load)': perRequest(cpu.api, cpu.apiRequests) };
    if (cpu.refRequests) m.figures['baseline CPU per request'] = perRequest(cpu.ref, cpu.refRequests);
  }
  if (base && m.throughput && ref.thr.length) {
    m.baseline = { latency: mergeLatency(ref.lat, ref.samples), throughput: mergeThroughput(ref.thr), route: spec.baseline!.make(0).path.split('?')[0]! };
    m.ratio = m.throughput.rps / m.baseline.throughput.rps;
  }
  return m;
}

export const p95Within = (m: Measured, ms: number): Target => ({
  label: `p95 ≤ ${ms} ms`,
  ok: m.latency ? m.latency.p95 <= ms : null,
});

export const ratioAtLeast = (m: Measured, r: number): Target => ({
  label: `throughput ≥ ${Math.round(r * 100)}% of baseline`,
  ok: m.ratio === undefined ? null : m.ratio >= r,
});

export const rpsAtLeast = (m: Measured, rps: number): Target => ({
  label: `≥ ${rps} req/s at ${m.throughput?.connections ?? '?'} connections`,
  ok: m.throughput ? m.throughput.rps >= rps : null,
});

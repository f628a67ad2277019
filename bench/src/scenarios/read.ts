/** The common shape of a read scenario: latency at 1 connection, throughput at N, ratio to the baseline, peak RSS. */
import type { Req, Res } from '../harness/http.js';
import { latency, throughputCannon } from '../harness/measure.js';
import type { BaselineRoute, Measured, RunContext, Target } from './types.js';

export interface ReadSpec {
  make: (i: number) => Req;
  baseline?: { route: BaselineRoute; make: (i: number) => Req };
  check?: (res: Res) => boolean;
  /** Skip the throughput part (slow endpoints). */
  latencyOnly?: boolean;
}

export async function measureRead(ctx: RunContext, spec: ReadSpec): Promise<Measured> {
  const probe = await ctx.api.send(spec.make(0));
  if (probe.status >= 300) throw new Error(`${spec.make(0).path} → ${probe.status}: ${probe.body.slice(0, 300)}`);
  ctx.server.resetPeak();
  const lat = await latency(ctx.api, spec.make, ctx.budget, spec.check);
  const m: Measured = { latency: lat };
  if (!spec.latencyOnly) m.throughput = await throughputCannon(ctx.server.url, ctx.token, spec.make, ctx.connections, ctx.seconds);
  m.peakRssMb = ctx.server.peakRssMb();
  if (spec.baseline && m.throughput) {
    const base = await ctx.baseline(spec.baseline.route, spec.baseline.make);
    if (base) {
      m.baseline = base;
      m.ratio = m.throughput.rps / base.throughput.rps;
    }
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

/** Sales and analytics scenarios: move a deal to another stage; every analytics report. */
import { dealPath } from '../generate/deals.js';
import { dealId } from '../generate/rows.js';
import type { Client } from '../harness/http.js';
import { latency, percentiles, throughputLoop } from '../harness/measure.js';
import { p95Within } from './read.js';
import type { Measured, RunContext, Scenario } from './types.js';

/** Deals that are still open (stages 0–3), spread over the table. */
function openDeals(ctx: RunContext, n: number): { id: string; stage: number }[] {
  const out: { id: string; stage: number }[] = [];
  const total = ctx.g.spec.deals;
  for (let k = 0; out.length < n && k < total; k++) {
    const i = Math.floor((k * 104_729) % total);
    const path = dealPath(ctx.g, i);
    const stage = path.stages[path.stages.length - 1]!;
    if (stage <= 3) out.push({ id: dealId(ctx.g, i), stage });
  }
  return out;
}

async function stageMove(ctx: RunContext): Promise<Measured> {
  const deals = openDeals(ctx, 20 + ctx.connections * 10);
  const stages = ctx.g.ids.stages;
  const move = async (client: Client, d: { id: string; stage: number }) => {
    const next = d.stage === 3 ? 0 : d.stage + 1;
    const res = await client.send({ method: 'POST', path: `/api/v1/deals/${d.id}/stage`, body: { stage_id: stages[next]!.id } });
    if (res.status === 200) d.stage = next;
    return res;
  };
  const first = await move(ctx.api, deals[0]!);
  if (first.status !== 200) throw new Error(`POST /deals/{id}/stage → ${first.status}: ${first.body.slice(0, 300)}`);
  ctx.server.resetPeak();
  const samples: number[] = [];
  let errors = 0;
  const deadline = Date.now() + ctx.budget.seconds * 1000;
  for (let i = 0; i < ctx.budget.maxRequests && Date.now() < deadline; i++) {
    const t0 = process.hrtime.bigint();
    const res = await move(ctx.api, deals[i % 20]!);
    if (res.status === 200) samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
    else errors++;
  }
  const throughput = await throughputLoop(ctx.server.url, ctx.token, async (client, w, i) =>
    (await move(client, deals[20 + w * 10 + (i % 10)]!)).status === 200, ctx.connections, ctx.seconds);
  const m: Measured = { latency: percentiles(samples, errors), throughput, peakRssMb: ctx.server.peakRssMb() };
  m.targets = [p95Within(m, 10)];
  m.notes = ['Each move: deal row update, stage-history row, audit row and outbox event in one transaction.'];
  return m;
}

export const REPORTS = ['pipeline', 'forecast', 'conversion', 'win-loss', 'lead-sources', 'activities', 'income'];

async function reports(ctx: RunContext): Promise<Measured> {
  const figures: Record<string, string> = {};
  const targets = [];
  let worst: Measured['latency'];
  for (const name of REPORTS) {
    const path = `/api/v1/reports/${name}`;
    if (!ctx.routes.has(`GET ${path}`)) {
      figures[name] = 'not available';
      continue;
    }
    const probe = await ctx.api.send({ path });
    if (probe.status !== 200) {
      figures[name] = `error ${probe.status}: ${probe.body.slice(0, 200)}`;
      targets.push({ label: `${name} answers 200`, ok: false });
      continue;
    }
    const lat = await latency(ctx.api, () => ({ path }), { warmup: 3, maxRequests: 60, seconds: Math.min(ctx.budget.seconds, 8) });
    figures[name] = `p50 ${lat.p50.toFixed(1)} / p95 ${lat.p95.toFixed(1)} / p99 ${lat.p99.toFixed(1)} ms (n=${lat.n}, ${(probe.body.length / 1024).toFixed(1)} KB)`;
    targets.push({ label: `${name} p95 ≤ 150 ms`, ok: lat.p95 <= 150 });
    if (!worst || lat.p95 > worst.p95) worst = lat;
  }
  const m: Measured = { figures, targets, notes: ['Latency columns: the slowest report. Default filters (all pipelines, all owners, default period).'] };
  if (worst) m.latency = worst;
  m.peakRssMb = ctx.server.peakRssMb();
  return m;
}

export const salesScenarios: Scenario[] = [
  { name: 'stage-move', title: 'Move a deal to another stage', engines: ['postgres', 'embedded'], requires: ['POST /api/v1/deals/{id}/stage'], run: stageMove },
  { name: 'reports', title: 'Analytics reports (each)', engines: ['postgres', 'embedded'], requires: ['GET /api/v1/reports/pipeline'], run: reports },
];

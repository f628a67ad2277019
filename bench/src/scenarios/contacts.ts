/** CRM scenarios: contacts list (default and filtered/custom-sorted), get one, create, update with If-Match, global search. */
import { companyName, contactFacts, contactId, contactIsLive } from '../generate/rows.js';
import { latency, percentiles, throughputCannon, throughputLoop, type Throughput } from '../harness/measure.js';
import { measureRead, mergeThroughput, p95Within, ratioAtLeast, rpsAtLeast } from './read.js';
import type { Measured, RunContext, Scenario } from './types.js';

/** A fixed spread of live ids (deterministic), so gets and updates touch cold and warm pages alike. */
export function sampleIds(ctx: RunContext, n = 1000): string[] {
  const out: string[] = [];
  const total = ctx.g.spec.contacts;
  for (let k = 0; k < n; k++) {
    let i = Math.floor(((k * 7919) % n) * (total / n)) + (k % 7);
    while (!contactIsLive(ctx.g, i)) i++;
    out.push(contactId(ctx.g, i));
  }
  return out;
}

export const FILTERED_QUERY = `filter=${encodeURIComponent(JSON.stringify({ and: [
  { field: 'lead_source', op: 'eq', value: 'referral' },
  { field: 'custom.tier', op: 'eq', value: 'gold' },
] }))}&sort=-custom.score`;

export function searchTerms(ctx: RunContext): Record<string, string> {
  const f = contactFacts(ctx.g, 0, Math.floor(ctx.g.spec.contacts * 0.777));
  const company = companyName(ctx.g, Math.floor(ctx.g.spec.companies * 0.4321)).name;
  return {
    fragment: f.last.slice(1, 4).toLowerCase(),
    'full name': `${f.first} ${f.last}`,
    'email prefix': f.email.slice(0, f.email.indexOf('.') + 4),
    company: company.split(' ').slice(0, 2).join(' '),
  };
}

async function search(ctx: RunContext): Promise<Measured> {
  const figures: Record<string, string> = {};
  let worst: Measured['latency'];
  for (const [label, q] of Object.entries(searchTerms(ctx))) {
    const path = `/api/v1/search?q=${encodeURIComponent(q)}`;
    const probe = await ctx.api.json<{ data?: unknown[] }>({ path });
    const lat = await latency(ctx.api, () => ({ path }), { ...ctx.budget, maxRequests: Math.min(ctx.budget.maxRequests, 300) });
    const hits = Array.isArray(probe.data?.data) ? probe.data.data.length : '?';
    figures[`${label} "${q}"`] = `p50 ${lat.p50.toFixed(1)} / p95 ${lat.p95.toFixed(1)} / p99 ${lat.p99.toFixed(1)} ms, ${hits} hits`;
    if (!worst || lat.p95 > worst.p95) worst = lat;
  }
  const m: Measured = { figures, notes: ['Latency column: the slowest of the four terms.'] };
  if (worst) m.latency = worst;
  m.targets = [p95Within(m, 50)];
  return m;
}

async function create(ctx: RunContext): Promise<Measured> {
  const run = Date.now().toString(36);
  const body = (i: number) => ({ first_name: 'Bench', last_name: `Created ${i}`, email: `bench-${run}-${i}@created.example` });
  const lat = await latency(ctx.api, (i) => ({ method: 'POST', path: '/api/v1/contacts', body: body(i) }), { ...ctx.budget, warmup: 10 }, (r) => r.status === 201);
  ctx.server.resetPeak();
  const throughput = await throughputCannon(ctx.server.url, ctx.token, (i) => ({ method: 'POST', path: '/api/v1/contacts', body: body(1_000_000 + i) }), ctx.connections, ctx.seconds);
  const m: Measured = { latency: lat, throughput, peakRssMb: ctx.server.peakRssMb() };
  m.targets = [rpsAtLeast(m, 1000)];
  return m;
}

async function update(ctx: RunContext): Promise<Measured> {
  const ids = sampleIds(ctx, 200);
  const etags = new Map<string, string>();
  const step = async (client: RunContext['api'], id: string, i: number) => {
    const etag = etags.get(id) ?? (await client.send({ path: `/api/v1/contacts/${id}` })).headers.etag ?? '*';
    const res = await client.send({ method: 'PATCH', path: `/api/v1/contacts/${id}`, headers: { 'if-match': etag }, body: { title: `Title ${i % 5}` } });
    if (res.headers.etag) etags.set(id, res.headers.etag);
    return res.status === 200;
  };
  for (const id of ids.slice(0, 20)) await step(ctx.api, id, 0);
  ctx.server.resetPeak();
  const samples: number[] = [];
  const deadline = Date.now() + ctx.budget.seconds * 1000;
  let errors = 0;
  for (let i = 0; i < Math.min(ctx.budget.maxRequests, 1000) && Date.now() < deadline; i++) {
    const id = ids[i % 20]!;
    const t0 = process.hrtime.bigint();
    if (await step(ctx.api, id, i)) samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
    else errors++;
  }
  // Each worker updates its own records, so 412s would mean a real lost update.
  const throughput = await throughputLoop(ctx.server.url, ctx.token, (client, w, i) => step(client, ids[20 + w * 10 + (i % 10)]!, i), ctx.connections, ctx.seconds);
  return { latency: percentiles(samples, errors), throughput, peakRssMb: ctx.server.peakRssMb() };
}

/**
 * The ceiling of the tenancy design: the baseline's first page inside the per-request transaction (BEGIN with
 * the tenant settings, the query under row-level security, COMMIT) against the bare query, in alternating slices.
 */
async function listCeiling(ctx: RunContext): Promise<Measured> {
  const rls = await ctx.baseline(() => ({ path: '/contacts-rls?limit=50' }));
  const bare = await ctx.baseline(() => ({ path: '/contacts?limit=50' }));
  if (!rls || !bare) throw new Error('needs the baseline server (PostgreSQL)');
  const parts = { rls: [] as Throughput[], bare: [] as Throughput[] };
  for (let k = 0; k < 4; k++) {
    parts.rls.push(await rls.throughput(ctx.seconds / 4));
    parts.bare.push(await bare.throughput(ctx.seconds / 4));
  }
  const m: Measured = { latency: await rls.latency(ctx.budget), throughput: mergeThroughput(parts.rls) };
  m.baseline = { latency: await bare.latency(ctx.budget), throughput: mergeThroughput(parts.bare), route: '/contacts' };
  m.ratio = m.throughput!.rps / m.baseline.throughput.rps;
  m.notes = ['Not the API: the baseline route with the transaction shape of every API request (3 round trips instead of 1). Its ratio bounds what the API can reach.'];
  return m;
}

export const contactScenarios: Scenario[] = [
  {
    name: 'list-ceiling',
    title: 'Design ceiling: the baseline list inside the per-request RLS transaction',
    engines: ['postgres'],
    requires: [],
    run: listCeiling,
  },
  {
    name: 'list',
    title: 'Contacts, page of 50, default sort',
    engines: ['postgres', 'embedded'],
    requires: ['GET /api/v1/contacts'],
    run: async (ctx) => {
      const m = await measureRead(ctx, {
        make: () => ({ path: '/api/v1/contacts?limit=50' }),
        baseline: { make: () => ({ path: '/contacts?limit=50' }) },
      });
      m.targets = ctx.engine === 'postgres' ? [ratioAtLeast(m, 0.8), p95Within(m, 10)] : [rpsAtLeast(m, 300)];
      return m;
    },
  },
  {
    name: 'list-filtered',
    title: 'Contacts, page of 50, filtered (lead source, custom tier), sorted by a custom number field',
    engines: ['postgres', 'embedded'],
    requires: ['GET /api/v1/contacts'],
    run: async (ctx) => {
      const m = await measureRead(ctx, { make: () => ({ path: `/api/v1/contacts?limit=50&${FILTERED_QUERY}` }) });
      m.targets = [p95Within(m, 10)];
      return m;
    },
  },
  {
    name: 'get',
    title: 'Get one contact',
    engines: ['postgres', 'embedded'],
    requires: ['GET /api/v1/contacts/{id}'],
    run: async (ctx) => {
      const ids = sampleIds(ctx);
      const m = await measureRead(ctx, {
        make: (i) => ({ path: `/api/v1/contacts/${ids[i % ids.length]}` }),
        baseline: { make: (i) => ({ path: `/contacts/${ids[i % ids.length]}` }) },
      });
      m.targets = [p95Within(m, 5)];
      return m;
    },
  },
  {
    name: 'search',
    title: 'Global search (3-letter fragment, full name, email prefix, company name)',
    engines: ['postgres', 'embedded'],
    requires: ['GET /api/v1/search'],
    run: search,
  },
  { name: 'create', title: 'Create a contact', engines: ['postgres', 'embedded'], requires: ['POST /api/v1/contacts'], run: create },
  {
    name: 'update',
    title: 'Update a contact with If-Match',
    engines: ['postgres', 'embedded'],
    requires: ['PATCH /api/v1/contacts/{id}'],
    run: update,
  },
];

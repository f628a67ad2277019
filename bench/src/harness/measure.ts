/**
 * Latency at one connection (a sequential loop) and throughput at N
 * connections (autocannon for stateless requests, a small worker loop for
 * requests that depend on the previous answer, such as If-Match updates).
 */
import autocannon from 'autocannon';
import { Client, type Req, type Res } from './http.js';

export interface Latency {
  /** Raw samples (ms), kept in memory to merge slices; not written to the results. */
  samples?: number[];
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  errors: number;
}

export interface Throughput {
  rps: number;
  connections: number;
  seconds: number;
  errors: number;
  tool: 'autocannon' | 'loop';
}

export interface Budget {
  warmup: number;
  maxRequests: number;
  seconds: number;
}

export function percentiles(samples: number[], errors = 0): Latency {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => (s.length ? s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]! : NaN);
  const mean = s.reduce((x, y) => x + y, 0) / (s.length || 1);
  return { n: s.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), mean, errors };
}

/** `make(i)` builds request i; `check` decides success (default 2xx). Requests run one after another. */
export async function latency(
  client: Client,
  make: (i: number) => Req | Promise<Req>,
  budget: Budget,
  check: (res: Res, i: number) => boolean | Promise<boolean> = (r) => r.status < 300,
): Promise<Latency> {
  const samples: number[] = [];
  let errors = 0;
  let i = 0;
  // Warm-up is bounded in time too: a slow endpoint must not spend minutes warming up.
  const warmUntil = Date.now() + Math.max(1000, budget.seconds * 250);
  for (; i < budget.warmup && Date.now() < warmUntil; i++) await client.send(await make(i));
  const deadline = Date.now() + budget.seconds * 1000;
  for (let k = 0; k < budget.maxRequests && Date.now() < deadline; k++, i++) {
    const req = await make(i);
    const t0 = process.hrtime.bigint();
    const res = await client.send(req);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (await check(res, i)) samples.push(ms);
    else errors++;
  }
  return { ...percentiles(samples, errors), samples };
}

/** Stateless requests through autocannon; `make` is called per request. */
export async function throughputCannon(url: string, token: string | null, make: (i: number) => Req, connections: number, seconds: number): Promise<Throughput> {
  let i = 0;
  const first = make(0);
  const headers = (req: Req) => ({
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}),
    ...(req.headers ?? {}),
  });
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    requests: [
      {
        method: (first.method ?? 'GET') as 'GET',
        path: first.path,
        setupRequest: (req) => {
          const r = make(i++);
          return { ...req, method: (r.method ?? 'GET') as 'GET', path: r.path, headers: headers(r), body: r.body === undefined ? undefined : JSON.stringify(r.body) };
        },
      },
    ],
  });
  const errors = result.errors + result.timeouts + result.non2xx;
  return { rps: (result.requests.total - result.non2xx) / seconds, connections, seconds, errors, tool: 'autocannon' };
}

/** Requests that depend on earlier answers: `connections` workers, each a sequential loop. */
export async function throughputLoop(
  url: string,
  token: string | null,
  step: (client: Client, worker: number, i: number) => Promise<boolean>,
  connections: number,
  seconds: number,
): Promise<Throughput> {
  const deadline = Date.now() + seconds * 1000;
  let ok = 0;
  let errors = 0;
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: connections }, async (_, w) => {
      const client = new Client(url, token);
      try {
        for (let i = 0; Date.now() < deadline; i++) {
          if (await step(client, w, i)) ok++;
          else errors++;
        }
      } finally {
        client.close();
      }
    }),
  );
  const elapsed = (Date.now() - t0) / 1000;
  return { rps: ok / elapsed, connections, seconds: elapsed, errors, tool: 'loop' };
}

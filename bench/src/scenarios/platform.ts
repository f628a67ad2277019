/** Scenarios over the platform endpoints that exist from the start: auth, audit list, firm settings. */
import { latency, throughputLoop } from '../harness/measure.js';
import { measureRead, p95Within, ratioAtLeast } from './read.js';
import type { Scenario } from './types.js';

const auditPage = { path: '/api/v1/audit?limit=50' };

export const platformScenarios: Scenario[] = [
  {
    name: 'me',
    title: 'GET /auth/me (authentication overhead)',
    engines: ['postgres', 'embedded'],
    requires: ['GET /api/v1/auth/me'],
    run: (ctx) => measureRead(ctx, { make: () => ({ path: '/api/v1/auth/me' }) }),
  },
  {
    name: 'audit-list',
    title: 'Audit log, page of 50 (list-path proxy)',
    engines: ['postgres', 'embedded'],
    requires: ['GET /api/v1/audit'],
    run: async (ctx) => {
      const m = await measureRead(ctx, { make: () => auditPage, baseline: { make: () => ({ path: '/audit?limit=50' }) } });
      m.targets = ctx.engine === 'postgres' ? [ratioAtLeast(m, 0.8), p95Within(m, 10)] : [p95Within(m, 10)];
      m.notes = ['Same targets as the contacts list: it exercises auth, withTenant, validation and serialization the same way.'];
      return m;
    },
  },
  {
    name: 'tenant-get',
    title: 'GET /tenant (one row)',
    engines: ['postgres', 'embedded'],
    requires: ['GET /api/v1/tenant'],
    run: async (ctx) => {
      const m = await measureRead(ctx, { make: () => ({ path: '/api/v1/tenant' }) });
      m.targets = [p95Within(m, 5)];
      return m;
    },
  },
  {
    name: 'tenant-patch',
    title: 'PATCH /tenant with If-Match (audit + outbox in the same transaction)',
    engines: ['postgres', 'embedded'],
    requires: ['PATCH /api/v1/tenant'],
    run: async (ctx) => {
      let etag = (await ctx.api.send({ path: '/api/v1/tenant' })).headers.etag ?? '*';
      ctx.server.resetPeak();
      const make = (i: number) => ({ method: 'PATCH', path: '/api/v1/tenant', headers: { 'if-match': etag }, body: { name: `Bench Industries ${i % 2}` } });
      // No warm-up: each request needs the ETag of the previous answer.
      const lat = await latency(ctx.api, make, { ...ctx.budget, warmup: 0 }, (res) => {
        etag = res.headers.etag ?? etag;
        return res.status === 200;
      });
      // All writers contend for one row; a 412 is the expected answer for a loser, so retry with the new ETag.
      const shared = { etag };
      const throughput = await throughputLoop(ctx.server.url, ctx.token, async (client, w, i) => {
        const res = await client.send({ method: 'PATCH', path: '/api/v1/tenant', headers: { 'if-match': shared.etag }, body: { name: `Bench ${w}-${i % 2}` } });
        if (res.status === 412) {
          shared.etag = (await client.send({ path: '/api/v1/tenant' })).headers.etag ?? '*';
          return false;
        }
        shared.etag = res.headers.etag ?? shared.etag;
        return res.status === 200;
      }, ctx.connections, ctx.seconds);
      await ctx.api.send({ method: 'PATCH', path: '/api/v1/tenant', body: { name: 'Bench Industries' } });
      return {
        latency: lat,
        throughput,
        peakRssMb: ctx.server.peakRssMb(),
        notes: ['Throughput: 10 writers on one row; "errors" counts 412s (stale If-Match), the expected outcome of the race.'],
      };
    },
  },
];

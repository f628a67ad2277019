import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/app.js';
import { addMember, as, signUp, type Principal } from '../../../test/factories.js';
import { openStream } from '../../../test/sse.js';
import { startBackground, type Background } from '../background.js';

const ENV = { OUTBOX_POLL_MS: '100', SSE_HEARTBEAT_SECONDS: '1' };
let app: TestApp;
let bg: Background;
let base: string;
let owner: Principal;

async function listen(a: TestApp): Promise<string> {
  await a.server.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(a.server.server.address() as AddressInfo).port}/api/v1/stream`;
}

async function rename(p: Principal, name: string, on = app) {
  const res = await on.server.inject(as(p, { method: 'PATCH', url: '/api/v1/tenant', payload: { name } }));
  expect(res.statusCode, res.body).toBe(200);
}

beforeAll(async () => {
  app = await buildTestApp(ENV);
  bg = await startBackground(app.server.platform, { workers: false, dispatcher: true });
  base = await listen(app);
  owner = await signUp(app.server);
});

afterAll(async () => {
  await bg?.stop();
  await app?.close();
});

describe('GET /api/v1/stream', () => {
  it('needs a signed-in person', async () => {
    const res = await fetch(base);
    expect(res.status).toBe(401);
  });

  it('streams this firm\'s events as they commit, with heartbeats, filtered by role and tenant', async () => {
    const member = await addMember(app.server, owner, 'viewer');
    const other = await signUp(app.server);
    const own = await openStream(base, owner.token);
    const viewer = await openStream(base, member.token);
    const stranger = await openStream(base, other.token);
    try {
      expect(own.status).toBe(200);
      await rename(owner, 'Live Firm');
      const key = await app.server.inject(as(owner, { method: 'POST', url: '/api/v1/api-keys', payload: { name: 'k', role: 'viewer' } }));
      expect(key.statusCode).toBe(201);
      await own.waitFor((e) => e.some((x) => x.event === 'api_key.created') && e.some((x) => x.event === 'tenant.updated'));
      const live = own.events.find((e) => e.event === 'tenant.updated')!;
      expect(live.id).toBe(live.data.id);
      expect(live.data).toMatchObject({ type: 'tenant.updated', entity: 'tenant', entity_id: owner.tenantId, payload: { name: 'Live Firm' } });
      expect(Object.keys(live.data).sort()).toEqual(['entity', 'entity_id', 'id', 'occurred_at', 'payload', 'type']);
      await viewer.waitFor((e) => e.some((x) => x.event === 'tenant.updated'));
      await new Promise((r) => setTimeout(r, 1200));
      expect(viewer.events.map((e) => e.event)).not.toContain('api_key.created'); // viewers may not manage API keys
      // The other firm may see its own sign-up event if it is published late; never anything of this firm.
      expect(stranger.events.filter((e) => e.data.entity_id !== other.tenantId)).toEqual([]);
      expect(own.comments).toContain('ping');
    } finally {
      own.close();
      viewer.close();
      stranger.close();
    }
  });

  it('resumes after Last-Event-ID', async () => {
    const first = await openStream(base, owner.token);
    await rename(owner, 'Resume 1');
    await first.waitFor((e) => e.some((x) => x.data.payload && (x.data.payload as { name?: string }).name === 'Resume 1'));
    const lastId = first.events.at(-1)!.id;
    first.close();
    await rename(owner, 'Resume 2');
    await rename(owner, 'Resume 3');
    await new Promise((r) => setTimeout(r, 500));
    const again = await openStream(base, owner.token, lastId);
    try {
      await again.waitFor((e) => e.filter((x) => x.event === 'tenant.updated').length >= 2);
      expect(again.events.map((e) => (e.data.payload as { name: string }).name)).toEqual(['Resume 2', 'Resume 3']);
    } finally {
      again.close();
    }
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)('live updates across processes (PostgreSQL)', () => {
  let second: TestApp;
  let secondBase: string;
  beforeAll(async () => {
    // Another server on its own pool on the same database, with no dispatcher of its own.
    second = await buildTestApp(ENV);
    secondBase = await listen(second);
  });
  afterAll(async () => second?.close());

  it('a client on one server receives an event caused through the other', async () => {
    const client = await openStream(secondBase, owner.token);
    try {
      await rename(owner, 'Across Processes', app);
      await client.waitFor((e) => e.some((x) => (x.data.payload as { name?: string }).name === 'Across Processes'));
    } finally {
      client.close();
    }
  });
});

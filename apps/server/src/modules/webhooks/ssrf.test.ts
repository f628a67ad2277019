import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/app.js';
import { as, signUp, type Principal } from '../../../test/factories.js';
import { postJson } from './http-send.js';
import { assertSafeTarget, blockedReason, UnsafeTargetError } from './ssrf.js';

// Every notation here names an internal address; none may be accepted with WEBHOOKS_ALLOW_PRIVATE off.
// No test connects anywhere but 127.0.0.1.
const REFUSED = [
  'http://127.0.0.1/', 'http://127.1/', 'http://2130706433/', 'http://017700000001/', 'http://0x7f000001/', 'http://0x7f.0.0.1/',
  'http://0177.0.0.1/', 'http://127.0.0.1.:8080/', 'http://localhost/', 'http://api.localhost/', 'http://0.0.0.0/', 'http://0/',
  'http://10.1.2.3/', 'http://172.16.0.1/', 'http://172.31.255.255/', 'http://192.168.1.1/', 'http://100.64.0.1/', 'http://100.127.255.254/',
  'http://169.254.169.254/latest/meta-data/', 'http://2852039166/', 'http://0xa9.0xfe.0xa9.0xfe/', 'http://169.254.1.1/',
  'http://224.0.0.1/', 'http://239.255.255.250/', 'http://255.255.255.255/', 'http://240.0.0.1/',
  'http://[::1]/', 'http://[::]/', 'http://[0:0:0:0:0:0:0:1]/', 'http://[::ffff:127.0.0.1]/', 'http://[::ffff:7f00:1]/',
  'http://[::ffff:169.254.169.254]/', 'http://[::127.0.0.1]/', 'http://[::ffff:10.0.0.1]/', 'http://[64:ff9b::7f00:1]/',
  'http://[2002:7f00:1::]/', 'http://[fd00:ec2::254]/', 'http://[fc00::1]/', 'http://[fe80::1]/', 'http://[ff02::1]/',
  'http://[fec0::1]/', 'http://metadata.google.internal/', 'ftp://example.com/', 'http://user:pass@example.com/', 'file:///etc/passwd',
];

describe('SSRF guard (pure checks)', () => {
  it.each(REFUSED)('refuses %s', async (url) => {
    await expect(assertSafeTarget(url, { allowPrivate: false, resolve: async () => ['93.184.216.34'] })).rejects.toBeInstanceOf(UnsafeTargetError);
  });

  it('accepts public addresses and names that resolve to them only', async () => {
    expect(blockedReason('93.184.216.34')).toBeNull();
    expect(blockedReason('2606:2800:220:1:248:1893:25c8:1946')).toBeNull();
    expect(blockedReason('::ffff:93.184.216.34')).toBeNull();
    await expect(assertSafeTarget('https://hooks.example.com/x', { allowPrivate: false, resolve: async () => ['93.184.216.34'] })).resolves.toBeInstanceOf(URL);
    // One internal address among several is enough to refuse.
    await expect(assertSafeTarget('https://hooks.example.com/x', { allowPrivate: false, resolve: async () => ['93.184.216.34', '10.0.0.5'] })).rejects.toThrow(/resolves to/);
    await expect(assertSafeTarget('https://nowhere.example/x', { allowPrivate: false, resolve: async () => { throw new Error('ENOTFOUND'); } })).rejects.toThrow(/does not resolve/);
  });

  it('checks again at send time after resolution (DNS rebinding) and never connects', async () => {
    let hits = 0;
    const server = http.createServer((_req, res) => {
      hits++;
      res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      // The name passed the subscription-time check with a public answer; now it resolves to loopback.
      const result = await postJson(`http://rebind.example:${port}/`, '{}', {}, { policy: { allowPrivate: false, resolve: async () => ['127.0.0.1'] }, timeoutMs: 2000, secrets: [] });
      expect(result.ok).toBe(false);
      expect(result.error).toMatch(/^refused: .*resolves to/);
      const literal = await postJson(`http://[::ffff:127.0.0.1]:${port}/`, '{}', {}, { policy: { allowPrivate: false }, timeoutMs: 2000, secrets: [] });
      expect(literal.error).toMatch(/^refused/);
      expect(hits).toBe(0);
      // With the switch on (local development), the same target is reached.
      const allowed = await postJson(`http://127.0.0.1:${port}/`, '{}', {}, { policy: { allowPrivate: true }, timeoutMs: 2000, secrets: [] });
      expect(allowed).toMatchObject({ ok: true, statusCode: 200 });
      expect(hits).toBe(1);
    } finally {
      server.close();
    }
  });

  it('does not follow redirects', async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(302, { location: 'http://169.254.169.254/' });
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      const result = await postJson(`http://127.0.0.1:${port}/`, '{}', {}, { policy: { allowPrivate: true }, timeoutMs: 2000, secrets: [] });
      expect(result).toMatchObject({ ok: false, statusCode: 302 });
    } finally {
      server.close();
    }
  });
});

describe('SSRF guard (API, WEBHOOKS_ALLOW_PRIVATE off)', () => {
  let app: TestApp;
  let owner: Principal;
  beforeAll(async () => {
    app = await buildTestApp({ WEBHOOKS_ALLOW_PRIVATE: 'false' });
    owner = await signUp(app.server);
  });
  afterAll(async () => app?.close());

  it('refuses internal targets at subscription time and stores nothing', async () => {
    for (const url of ['http://127.0.0.1:9/hook', 'http://2130706433/', 'http://[::ffff:7f00:1]/', 'http://169.254.169.254/', 'http://[fd00:ec2::254]/', 'http://localhost/']) {
      const res = await app.server.inject(as(owner, { method: 'POST', url: '/api/v1/webhooks/subscriptions', payload: { url, event_types: ['*'] } }));
      expect(res.statusCode, url).toBe(400);
      expect(res.json().errors[0].path).toBe('url');
    }
    const rows = await app.db.query<{ n: number }>('SELECT count(*)::int AS n FROM webhook_subscriptions WHERE tenant_id = $1', [owner.tenantId]);
    expect(rows.rows[0]!.n).toBe(0);
  });
});

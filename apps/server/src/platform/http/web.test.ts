import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWeb } from './web.js';

let dir: string;
let app: FastifyInstance;
const script = 'console.log("hello");'.repeat(50);

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'pillar-web-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Pillar</title>');
  writeFileSync(path.join(dir, 'assets', 'app-abc.js'), script);
  writeFileSync(path.join(dir, 'assets', 'app-abc.js.gz'), gzipSync(script));
  writeFileSync(path.join(dir, 'assets', 'plain-abc.js'), script);
  app = Fastify();
  await registerWeb(app, dir);
  await app.ready();
});
afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('web app files', () => {
  it('sends the precompressed copy to a browser that accepts gzip, the file itself otherwise', async () => {
    const gz = await app.inject({ url: '/assets/app-abc.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.statusCode).toBe(200);
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['cache-control']).toContain('immutable');
    expect(gz.rawPayload.length).toBeLessThan(script.length / 5);
    const plain = await app.inject({ url: '/assets/app-abc.js' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(script);
    // No compressed copy: the file as it is.
    const missing = await app.inject({ url: '/assets/plain-abc.js', headers: { 'accept-encoding': 'br, gzip' } });
    expect(missing.statusCode).toBe(200);
    expect(missing.headers['content-encoding']).toBeUndefined();
    expect(missing.body).toBe(script);
  });

  it('falls back to index.html for app routes, never cached', async () => {
    const res = await app.inject({ url: '/contacts/123' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.body).toContain('<title>Pillar</title>');
  });
});

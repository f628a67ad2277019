/**
 * Serves the built web app. Hashed assets are cached for a year; index.html is
 * never cached, and any non-API path falls back to it (client-side routing).
 * The web build writes .br and .gz copies of its scripts and styles, sent to
 * browsers that accept them (a third of the bytes, no compression per request).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { webDistDir } from '../paths.js';
import { problem, sendProblem } from './problem.js';

const FALLBACK_HTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pillar</title></head>
<body><main><h1>Pillar</h1><p>The web app is not built. Run <code>npm run build</code>, or use the API at
<a href="/api/docs">/api/docs</a>.</p></main></body></html>`;

export async function registerWeb(app: FastifyInstance, dir = webDistDir) {
  const built = existsSync(path.join(dir, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, {
      root: dir,
      wildcard: false,
      index: false,
      preCompressed: true,
      setHeaders(res, file) {
        const immutable = file.includes(`${path.sep}assets${path.sep}`);
        void res.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  app.setNotFoundHandler((req, reply) => {
    const url = req.url.split('?')[0] ?? '/';
    if (url.startsWith('/api/') || req.method !== 'GET' || /\.[a-z0-9]+$/i.test(url)) {
      return sendProblem(reply, { ...problem('not_found', `No route for ${req.method} ${url}`), request_id: req.id });
    }
    void reply.header('cache-control', 'no-cache');
    return built ? reply.type('text/html').sendFile('index.html') : reply.type('text/html').send(FALLBACK_HTML);
  });
}

/**
 * GET /api/v1/stream — Server-Sent Events of this firm's domain events, for
 * the signed-in person's role. Authenticated like every route (Authorization
 * header; the web app reads it with fetch streaming). Resumes after the
 * `Last-Event-ID` header when that event is still in the outbox. A stream ends
 * after one access-token lifetime so a revoked sign-in stops receiving; the
 * client reconnects with a fresh token and its last event id.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { LiveEvent } from './hub.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function formatEvent(e: LiveEvent): string {
  const data = JSON.stringify({ id: e.id, type: e.type, entity: e.entity, entity_id: e.entity_id, payload: e.payload, occurred_at: e.occurred_at });
  return `event: ${e.type}\nid: ${e.id}\ndata: ${data}\n\n`;
}

export const streamRoutes: FastifyPluginAsync = async (app) => {
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of open) end();
  });

  app.get('/stream', {
    config: { permission: 'records:read' },
    schema: { tags: ['live'], summary: 'Live domain events (text/event-stream)', security: [{ bearer: [] }] },
  }, async (req, reply) => {
    const { live, config } = app.platform;
    const ctx = req.ctx;
    await live.ready();
    const lastHeader = req.headers['last-event-id'];
    const lastEventId = typeof lastHeader === 'string' && UUID.test(lastHeader.trim()) ? lastHeader.trim() : null;

    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-store, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-request-id': req.id,
    });
    res.write('retry: 3000\n\n');

    // Subscribe before replaying so nothing published meanwhile is missed; duplicates are dropped by id.
    const sent = new Set<string>();
    let buffer: LiveEvent[] | null = [];
    const write = (e: LiveEvent) => {
      if (sent.has(e.id)) return;
      sent.add(e.id);
      if (sent.size > 5000) sent.clear();
      res.write(formatEvent(e));
    };
    const unsubscribe = live.subscribe(ctx.tenantId, { role: ctx.role, send: (e) => (buffer ? buffer.push(e) : write(e)) });
    const heartbeat = setInterval(() => res.write(': ping\n\n'), config.sseHeartbeatSeconds * 1000);
    const expiry = setTimeout(() => end(), config.accessTokenTtl * 1000);
    const end = () => {
      clearInterval(heartbeat);
      clearTimeout(expiry);
      unsubscribe();
      open.delete(end);
      if (!res.writableEnded) res.end();
    };
    open.add(end);
    res.on('close', end);

    try {
      const backlog = lastEventId ? await live.replay(ctx, lastEventId) : null;
      for (const e of backlog ?? []) write(e);
    } catch (err) {
      req.log.warn({ err }, 'stream replay failed');
    }
    const pending = buffer;
    buffer = null;
    for (const e of pending) write(e);
  });
};

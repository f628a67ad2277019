import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database.js';

/** Liveness says the process answers; readiness says it can reach its database and is not draining. */
export function registerHealth(app: FastifyInstance, db: Database, state: { draining: boolean }) {
  const hide = { hide: true } as const;
  app.get('/healthz', { schema: hide }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: hide }, async (_req, reply) => {
    if (state.draining) return reply.status(503).send({ status: 'draining' });
    try {
      await db.query('SELECT 1');
      return { status: 'ready', database: db.kind };
    } catch {
      return reply.status(503).send({ status: 'database unavailable' });
    }
  });
}

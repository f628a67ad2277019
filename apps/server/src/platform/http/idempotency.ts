/**
 * `Idempotency-Key` on POST: the first request claims the key (a pending row,
 * committed at once); a retry with the same key and body replays the stored
 * response, with another body gets 422, and while the first is still running
 * gets 409. 5xx answers release the key so the client may retry. Keys live 24 h.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { withTenant } from '../db/tenant.js';
import { AppError } from '../errors.js';

const KEY = /^[\x21-\x7E]{1,255}$/;
const PENDING_STALE_SECONDS = 60;

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyKey: string | null;
  }
}

interface KeyRow {
  request_hash: string;
  status: 'pending' | 'done';
  response_status: number | null;
  response_body: string | null;
  stale: boolean;
}

function requestHash(req: FastifyRequest): string {
  return createHash('sha256').update(`${req.method} ${req.url}\n${JSON.stringify(req.body ?? null)}`).digest('hex');
}

async function claim(req: FastifyRequest, reply: FastifyReply, key: string) {
  const ctx = req.ctx;
  const principal = ctx.actor.id ?? ctx.tenantId;
  const hash = requestHash(req);
  const existing = await withTenant(ctx, async (tx) => {
    const inserted = await tx.query(
      `INSERT INTO idempotency_keys (tenant_id, principal_id, key, request_hash, status)
       VALUES ($1, $2, $3, $4, 'pending') ON CONFLICT DO NOTHING RETURNING 1`,
      [ctx.tenantId, principal, key, hash],
    );
    if (inserted.rows.length) return null;
    const r = await tx.query<KeyRow>(
      `SELECT request_hash, status, response_status, response_body,
              created_at < now() - make_interval(secs => $3) AS stale
         FROM idempotency_keys WHERE principal_id = $1 AND key = $2 FOR UPDATE`,
      [principal, key, PENDING_STALE_SECONDS],
    );
    const row = r.rows[0]!;
    if (row.status === 'pending' && row.stale && row.request_hash === hash) {
      await tx.query(`UPDATE idempotency_keys SET created_at = now() WHERE principal_id = $1 AND key = $2`, [principal, key]);
      return null;
    }
    return row;
  });
  if (!existing) {
    req.idempotencyKey = key;
    return;
  }
  if (existing.request_hash !== hash) {
    throw new AppError('idempotency_mismatch', { message: 'This Idempotency-Key was used with a different request' });
  }
  if (existing.status === 'pending') {
    throw new AppError('idempotency_in_progress', { message: 'The first request with this Idempotency-Key is still running', headers: { 'retry-after': '1' } });
  }
  void reply.header('idempotent-replayed', 'true');
  const body = existing.response_body ?? '';
  const type = body.startsWith('{"type":"https://pillar.dev/problems') ? 'application/problem+json' : 'application/json; charset=utf-8';
  return reply.status(existing.response_status ?? 200).type(type).send(body);
}

export function registerIdempotency(app: FastifyInstance) {
  app.decorateRequest('idempotencyKey', null);

  app.addHook('preHandler', async (req, reply) => {
    if (req.method !== 'POST' || !req.ctx) return;
    const key = req.headers['idempotency-key'];
    if (key === undefined) return;
    if (typeof key !== 'string' || !KEY.test(key)) {
      throw new AppError('bad_request', { message: 'Idempotency-Key must be 1–255 visible ASCII characters' });
    }
    return claim(req, reply, key);
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const key = req.idempotencyKey;
    if (!key) return payload;
    req.idempotencyKey = null;
    const principal = req.ctx.actor.id ?? req.ctx.tenantId;
    await withTenant(req.ctx, async (tx) => {
      if (reply.statusCode >= 500) {
        await tx.query('DELETE FROM idempotency_keys WHERE principal_id = $1 AND key = $2', [principal, key]);
        return;
      }
      await tx.query(
        `UPDATE idempotency_keys SET status = 'done', response_status = $3, response_body = $4
          WHERE principal_id = $1 AND key = $2`,
        [principal, key, reply.statusCode, typeof payload === 'string' ? payload : ''],
      );
    });
    return payload;
  });
}

/**
 * Security-critical: authentication and authorization for every route.
 *
 * Each /api route declares `config.permission` or `config.public`; a route
 * that declares neither fails at start-up. The check runs in `onRequest`,
 * before the body is even parsed, so a denied request cannot write anything.
 */
import { can, type Permission, type Role } from '@pillar/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Database } from '../db/database.js';
import type { TenantContext } from '../db/tenant.js';
import { AppError } from '../errors.js';
import { verifyApiKey } from './api-keys.service.js';
import type { TokenSigner } from './tokens.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    permission?: Permission;
    public?: boolean;
  }
  interface FastifyRequest {
    ctx: TenantContext;
    /** The sign-in (refresh family) of a user principal; null for API keys. */
    sessionId: string | null;
  }
}

export interface RouteInfo {
  method: string;
  url: string;
  permission: Permission | null;
}

function bearer(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  if (!m?.[1]) throw new AppError('unauthenticated', { message: 'Authorization must be "Bearer <token>"' });
  return m[1];
}

export function registerAuthentication(app: FastifyInstance, deps: { db: Database; signer: TokenSigner }, routes: RouteInfo[]) {
  app.decorateRequest('ctx', null as unknown as TenantContext);
  app.decorateRequest('sessionId', null);

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/v1')) return;
    const config = route.config;
    if (!config?.public && !config?.permission) {
      throw new Error(`route ${String(route.method)} ${route.url} declares neither a permission nor public`);
    }
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routes.push({ method, url: route.url, permission: config.public ? null : (config.permission ?? null) });
    }
  });

  app.addHook('onRequest', async (req) => {
    const config = req.routeOptions.config;
    if (!req.routeOptions.url?.startsWith('/api/v1') || config.public) return;
    const token = bearer(req);
    if (!token) throw new AppError('unauthenticated', { message: 'Sign in or send an API key', headers: { 'www-authenticate': 'Bearer' } });
    let tenantId: string;
    let role: Role;
    let userId: string | null = null;
    let actor: TenantContext['actor'];
    if (token.startsWith('pk_')) {
      const key = await verifyApiKey(deps.db, token);
      if (!key) throw new AppError('unauthenticated', { message: 'Invalid or revoked API key' });
      ({ tenantId, role } = key);
      actor = { type: 'api_key', id: key.keyId };
    } else {
      const claims = await deps.signer.verify(token);
      ({ tenantId, role, userId } = claims);
      actor = { type: 'user', id: userId };
      req.sessionId = claims.sessionId;
    }
    if (config.permission && !can(role, config.permission)) {
      throw new AppError('forbidden', { message: `Your role (${role}) may not do this (${config.permission})` });
    }
    req.ctx = { db: deps.db, tenantId, userId, role, actor, requestId: req.id, ip: req.ip };
  });
}

/** Public sign-up/sign-in/refresh/reset/invitation-accept endpoints and the signed-in user's session. */
import {
  AcceptInvitationSchema, ForgotPasswordSchema, MeSchema, RefreshSchema, ResetPasswordSchema, RolePermissions,
  SessionSchema, SignInSchema, SignUpSchema, SwitchTenantSchema,
} from '@pillar/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { withSystem } from '../db/system.js';
import { withTenant } from '../db/tenant.js';
import { AppError } from '../errors.js';
import * as q from './auth.queries.js';
import type { AuthDeps } from './deps.js';
import { acceptInvitation } from './invitations.service.js';
import { requestPasswordReset, resetPassword } from './recovery.service.js';
import * as sessions from './session.service.js';

export const REFRESH_COOKIE = 'pillar_rt';
const COOKIE_PATH = '/api/v1/auth';

const tags = ['auth'];
const publicRoute = { public: true } as const;

/** Browsers (header `X-Pillar-Client: web`) get the refresh token only as an httpOnly cookie. */
function deliver(req: FastifyRequest, reply: FastifyReply, deps: AuthDeps, session: sessions.Session) {
  void reply.setCookie(REFRESH_COOKIE, session.refresh_token, {
    httpOnly: true, secure: true, sameSite: 'strict', path: COOKIE_PATH, maxAge: deps.config.refreshTokenTtl,
  });
  void reply.header('cache-control', 'no-store');
  if (req.headers['x-pillar-client'] === 'web') return { ...session, refresh_token: undefined };
  return session;
}

function client(req: FastifyRequest): sessions.ClientInfo {
  return { ip: req.ip, requestId: req.id };
}

export const authRoutes: FastifyPluginAsyncZod<{ deps: AuthDeps }> = async (app, { deps }) => {
  const res = { 200: SessionSchema };
  app.post('/sign-up', { config: publicRoute, schema: { tags, summary: 'Create a firm and its owner', body: SignUpSchema, response: { 201: SessionSchema } } },
    async (req, reply) => reply.status(201).send(deliver(req, reply, deps, await sessions.signUp(deps, req.body, client(req)))));

  app.post('/sign-in', { config: publicRoute, schema: { tags, summary: 'Sign in with email and password', body: SignInSchema, response: res } },
    async (req, reply) => deliver(req, reply, deps, await sessions.signIn(deps, req.body, client(req))));

  app.post('/refresh', { config: publicRoute, schema: { tags, summary: 'Rotate the refresh token', body: RefreshSchema.nullish(), response: res } },
    async (req, reply) => {
      const token = req.body?.refresh_token ?? req.cookies[REFRESH_COOKIE];
      if (!token) throw new AppError('unauthenticated', { message: 'No refresh token' });
      try {
        return deliver(req, reply, deps, await sessions.refresh(deps, token));
      } catch (err) {
        void reply.clearCookie(REFRESH_COOKIE, { path: COOKIE_PATH });
        throw err;
      }
    });

  app.post('/sign-out', { config: publicRoute, schema: { tags, summary: 'End this sign-in', body: RefreshSchema.nullish(), response: { 204: z.null() } } },
    async (req, reply) => {
      let familyId: string | undefined;
      const auth = req.headers.authorization;
      if (auth?.startsWith('Bearer ') && !auth.includes('pk_')) {
        familyId = await deps.signer.verify(auth.slice(7).trim()).then((c) => c.sessionId, () => undefined);
      }
      await sessions.signOut(deps, { token: req.body?.refresh_token ?? req.cookies[REFRESH_COOKIE], familyId });
      void reply.clearCookie(REFRESH_COOKIE, { path: COOKIE_PATH });
      return reply.status(204).send(null);
    });

  registerRecoveryRoutes(app, deps);

  app.post('/accept-invitation', { config: publicRoute, schema: { tags, summary: 'Join a firm with an invitation token', body: AcceptInvitationSchema, response: res } },
    async (req, reply) => deliver(req, reply, deps, await acceptInvitation(deps, req.body, client(req))));

  app.post('/switch-tenant', { config: { permission: 'records:read' }, schema: { tags, summary: 'Switch to another firm you belong to', body: SwitchTenantSchema, response: res, security: [{ bearer: [] }] } },
    async (req, reply) => {
      if (!req.ctx.userId || !req.sessionId) throw new AppError('forbidden', { message: 'API keys belong to one firm' });
      return deliver(req, reply, deps, await sessions.switchTenant(deps, req.ctx.userId, req.sessionId, req.body.tenant_id));
    });

  app.get('/me', { config: { permission: 'records:read' }, schema: { tags, summary: 'The signed-in user, firm and permissions', response: { 200: MeSchema }, security: [{ bearer: [] }] } },
    async (req) => {
      const ctx = req.ctx;
      // Never nest transactions: PGlite has one connection and would wait on itself.
      const memberships = ctx.userId ? await listOwnMemberships(deps, ctx.userId) : [];
      return withTenant(ctx, async (tx) => {
        const tenant = (await tx.query<{ id: string; name: string }>('SELECT id, name FROM tenants')).rows[0];
        if (!tenant) throw new AppError('unauthenticated');
        const user = ctx.userId ? (await tx.query<{ id: string; email: string; name: string }>('SELECT id, email, name FROM users WHERE id = $1', [ctx.userId])).rows[0] : undefined;
        return {
          user: user ?? { id: ctx.actor.id ?? ctx.tenantId, email: '', name: 'API key' },
          tenant: { tenant_id: tenant.id, tenant_name: tenant.name, role: ctx.role },
          memberships,
          permissions: [...RolePermissions[ctx.role]],
        };
      });
    });
};

function listOwnMemberships(deps: AuthDeps, userId: string) {
  return withSystem(deps.db, (tx) => q.listMemberships(tx, userId));
}

/** Password reset: request a link, then use it. */
function registerRecoveryRoutes(app: Parameters<FastifyPluginAsyncZod>[0], deps: AuthDeps) {
  app.post('/forgot-password', { config: publicRoute, schema: { tags, summary: 'Email a password reset link', body: ForgotPasswordSchema, response: { 202: z.object({ status: z.literal('sent') }) } } },
    async (req, reply) => {
      await requestPasswordReset(deps, req.body.email, client(req));
      return reply.status(202).send({ status: 'sent' as const });
    });

  app.post('/reset-password', { config: publicRoute, schema: { tags, summary: 'Choose a new password with a reset token', body: ResetPasswordSchema, response: { 204: z.null() } } },
    async (req, reply) => {
      await resetPassword(deps, req.body.token, req.body.password, client(req));
      return reply.status(204).send(null);
    });
}

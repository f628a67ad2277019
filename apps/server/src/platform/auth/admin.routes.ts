/** Tenant administration: members, invitations, API keys. */
import {
  ApiKeySchema, CreateApiKeySchema, CreateInvitationSchema, CreatedApiKeySchema, CreatedInvitationSchema, IdParamsSchema,
  InvitationSchema, MemberSchema, UpdateMemberSchema, UuidSchema,
} from '@pillar/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { expectedVersion, withEtag } from '../http/etag.js';
import * as apiKeys from './api-keys.service.js';
import type { AuthDeps } from './deps.js';
import * as invitations from './invitations.service.js';
import * as members from './members.service.js';

const security = [{ bearer: [] }];
const UserParams = z.strictObject({ userId: UuidSchema });

export const adminRoutes: FastifyPluginAsyncZod<{ deps: AuthDeps }> = async (app, { deps }) => {
  app.get('/members', { config: { permission: 'users:read' }, schema: { tags: ['members'], summary: 'Members of this firm', security, response: { 200: z.object({ data: z.array(MemberSchema) }) } } },
    async (req) => ({ data: await members.listMembers(req.ctx) }));

  app.patch('/members/:userId', { config: { permission: 'users:manage' }, schema: { tags: ['members'], summary: 'Change a member\'s role', security, params: UserParams, body: UpdateMemberSchema, response: { 200: MemberSchema } } },
    async (req, reply) => withEtag(reply, await members.updateMemberRole(req.ctx, req.params.userId, req.body.role, expectedVersion(req))));

  app.delete('/members/:userId', { config: { permission: 'users:manage' }, schema: { tags: ['members'], summary: 'Remove a member from this firm', security, params: UserParams, response: { 204: z.null() } } },
    async (req, reply) => {
      await members.removeMember(req.ctx, req.params.userId, expectedVersion(req));
      return reply.status(204).send(null);
    });

  app.get('/invitations', { config: { permission: 'users:manage' }, schema: { tags: ['members'], summary: 'Pending and accepted invitations', security, response: { 200: z.object({ data: z.array(InvitationSchema) }) } } },
    async (req) => ({ data: await invitations.listInvitations(req.ctx) }));

  app.post('/invitations', { config: { permission: 'users:manage' }, schema: { tags: ['members'], summary: 'Invite someone by email', security, body: CreateInvitationSchema, response: { 201: CreatedInvitationSchema } } },
    async (req, reply) => reply.status(201).send(await invitations.createInvitation(deps, req.ctx, req.body)));

  app.delete('/invitations/:id', { config: { permission: 'users:manage' }, schema: { tags: ['members'], summary: 'Revoke an unaccepted invitation', security, params: IdParamsSchema, response: { 204: z.null() } } },
    async (req, reply) => {
      await invitations.revokeInvitation(req.ctx, req.params.id);
      return reply.status(204).send(null);
    });

  app.get('/api-keys', { config: { permission: 'apikeys:manage' }, schema: { tags: ['api keys'], summary: 'API keys of this firm', security, response: { 200: z.object({ data: z.array(ApiKeySchema) }) } } },
    async (req) => ({ data: await apiKeys.listApiKeys(req.ctx) }));

  app.post('/api-keys', { config: { permission: 'apikeys:manage' }, schema: { tags: ['api keys'], summary: 'Create an API key (the key is shown once)', security, body: CreateApiKeySchema, response: { 201: CreatedApiKeySchema } } },
    async (req, reply) => reply.status(201).send(await apiKeys.createApiKey(req.ctx, req.body)));

  app.delete('/api-keys/:id', { config: { permission: 'apikeys:manage' }, schema: { tags: ['api keys'], summary: 'Revoke an API key', security, params: IdParamsSchema, response: { 204: z.null() } } },
    async (req, reply) => {
      await apiKeys.revokeApiKey(req.ctx, req.params.id);
      return reply.status(204).send(null);
    });
};

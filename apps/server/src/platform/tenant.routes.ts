import { TenantSchema, UpdateTenantSchema } from '@pillar/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { recordChange } from './audit.js';
import { withTenant } from './db/tenant.js';
import { notFound, preconditionFailed } from './errors.js';
import { expectedVersion, withEtag } from './http/etag.js';

type TenantRow = { id: string; name: string; base_currency: string; timezone: string; created_at: string; updated_at: string; version: number };
const COLS = 'id, name, base_currency, timezone, created_at, updated_at, version';
const security = [{ bearer: [] }];

/** The current firm's settings. */
export const tenantRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/tenant', { config: { permission: 'records:read' }, schema: { tags: ['tenant'], summary: 'This firm', security, response: { 200: TenantSchema } } },
    async (req, reply) => {
      const row = await withTenant(req.ctx, async (tx) => (await tx.query<TenantRow>(`SELECT ${COLS} FROM tenants`)).rows[0]);
      if (!row) throw notFound('Firm');
      return withEtag(reply, row);
    });

  app.patch('/tenant', { config: { permission: 'settings:manage' }, schema: { tags: ['tenant'], summary: 'Change firm settings', security, body: UpdateTenantSchema, response: { 200: TenantSchema } } },
    async (req, reply) => {
      const expected = expectedVersion(req);
      const ctx = req.ctx;
      const row = await withTenant(ctx, async (tx) => {
        const before = (await tx.query<TenantRow>(`SELECT ${COLS} FROM tenants FOR UPDATE`)).rows[0];
        if (!before) throw notFound('Firm');
        if (expected !== undefined && expected !== before.version) throw preconditionFailed(before.version);
        const b = req.body;
        const after = (await tx.query<TenantRow>(
          `UPDATE tenants SET name = coalesce($1, name), base_currency = coalesce($2, base_currency),
                  timezone = coalesce($3, timezone), updated_at = now(), version = version + 1
           RETURNING ${COLS}`, [b.name ?? null, b.base_currency ?? null, b.timezone ?? null])).rows[0]!;
        await recordChange(tx, ctx, { action: 'tenant.update', entity: 'tenant', entityId: ctx.tenantId, before, after,
          event: { type: 'tenant.updated', payload: { id: ctx.tenantId, name: after.name } } });
        return after;
      });
      return withEtag(reply, row);
    });
};

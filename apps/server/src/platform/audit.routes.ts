import { AuditEntrySchema, ListAuditQuerySchema, pageOf } from '@pillar/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { withTenant } from './db/tenant.js';
import { decodeCursor, pageResult } from './http/cursor.js';

interface AuditRow {
  id: string;
  actor_type: string;
  actor_id: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  changes: Record<string, { before: unknown; after: unknown }> | null;
  request_id: string | null;
  ip: string | null;
  created_at: string;
}

/** Read-only audit trail for admins, newest first, keyset-paginated on the UUIDv7 id. */
export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/audit', {
    config: { permission: 'audit:read' },
    schema: { tags: ['audit'], summary: 'Audit log of this firm', security: [{ bearer: [] }], querystring: ListAuditQuerySchema, response: { 200: pageOf(AuditEntrySchema) } },
  }, async (req) => {
    const { limit, cursor, entity, entity_id } = req.query;
    const params: unknown[] = [limit + 1];
    const where: string[] = [];
    if (cursor) {
      const [id] = decodeCursor(cursor, ['uuid']);
      params.push(id);
      where.push(`id < $${params.length}`);
    }
    if (entity) {
      params.push(entity);
      where.push(`entity = $${params.length}`);
    }
    if (entity_id) {
      params.push(entity_id);
      where.push(`entity_id = $${params.length}`);
    }
    const rows = await withTenant(req.ctx, async (tx) => (await tx.query<AuditRow>(
      `SELECT id, actor_type, actor_id, action, entity, entity_id, changes, request_id, ip, created_at
         FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY id DESC LIMIT $1`, params)).rows);
    return pageResult(rows, limit, (r) => [r.id]);
  });
};

/** Timelines of contacts, companies, leads and deals (read-only; merges what the sales and crm modules record). */
import { withTenant, type TenantContext } from '../../platform/db/tenant.js';
import { notFound } from '../../platform/errors.js';
import { decodeCursor, pageResult } from '../../platform/http/cursor.js';
import * as q from './timeline.queries.js';

export function recordTimeline(ctx: TenantContext, entity: q.TimelineEntity, id: string, page: { limit: number; cursor?: string | undefined }) {
  const after = page.cursor ? (decodeCursor(page.cursor, ['number', 'uuid']) as [number, string]) : null;
  return withTenant(ctx, async (tx) => {
    if (!(await q.recordExists(tx, entity, id))) throw notFound();
    const rows = await q.timeline(tx, entity, id, { limit: page.limit, after });
    return pageResult(rows, page.limit, (r) => [r.occurred_us, r.id]);
  });
}

/**
 * Personal dashboards: each person arranges report widgets with saved
 * filters. A person with no dashboard gets the default one the first time
 * they list them. API keys act for no person, so they have no dashboards.
 */
import type { Dashboard, Widget } from '@pillar/shared';
import { uuidv7 } from 'uuidv7';
import { recordChange } from '../../platform/audit.js';
import { withTenant, type TenantContext, type Tx } from '../../platform/db/tenant.js';
import { AppError, notFound, preconditionFailed } from '../../platform/errors.js';
import { decodeCursor, pageResult } from '../../platform/http/cursor.js';
import * as q from './dashboards.queries.js';
import { autoLayout, defaultDashboard } from './default-dashboard.js';

const ENTITY = 'dashboard';

export interface WidgetInput {
  id?: string | undefined;
  report: Widget['report'];
  title?: string | undefined;
  filters: Record<string, string>;
  layout?: Widget['layout'] | undefined;
}

function personOf(ctx: TenantContext): string {
  if (!ctx.userId) throw new AppError('forbidden', { message: 'Dashboards belong to a person; sign in to use them' });
  return ctx.userId;
}

const TITLES: Record<Widget['report'], string> = {
  pipeline: 'Pipeline', forecast: 'Forecast', conversion: 'Conversion', 'win-loss': 'Wins and losses',
  'lead-sources': 'Lead sources', activities: 'Activities', income: 'Won revenue',
};

export function normaliseWidgets(input: WidgetInput[]): Widget[] {
  const seen = new Set<string>();
  return input.map((w, i) => {
    const id = w.id && !seen.has(w.id) ? w.id : uuidv7();
    seen.add(id);
    return { id, report: w.report, title: w.title ?? TITLES[w.report], filters: w.filters, layout: w.layout ?? autoLayout(i) };
  });
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === '23505';
}

async function provisionDefault(tx: Tx, ctx: TenantContext, userId: string) {
  if ((await q.countDashboards(tx)) > 0) return;
  const row = await q.insertDashboard(tx, ctx.tenantId, userId, defaultDashboard(userId), true);
  if (row) await recordChange(tx, ctx, { action: 'dashboard.provision', entity: ENTITY, entityId: row.id, after: { name: row.name, is_default: true } });
}

export function listDashboards(ctx: TenantContext, query: { limit: number; cursor?: string | undefined }) {
  const userId = personOf(ctx);
  const after = query.cursor ? (decodeCursor(query.cursor, ['string', 'uuid']) as [string, string]) : null;
  return withTenant(ctx, async (tx) => {
    if (!after) await provisionDefault(tx, ctx, userId);
    const rows = await q.listDashboards(tx, query.limit, after);
    return pageResult(rows, query.limit, (r) => [r.created_at, r.id]);
  });
}

export function getDashboard(ctx: TenantContext, id: string): Promise<Dashboard> {
  personOf(ctx);
  return withTenant(ctx, async (tx) => {
    const row = await q.findDashboard(tx, id);
    if (!row) throw notFound('Dashboard');
    return row;
  });
}

export async function createDashboard(ctx: TenantContext, input: { name: string; is_default: boolean; widgets: WidgetInput[] }): Promise<Dashboard> {
  const userId = personOf(ctx);
  const d = { id: uuidv7(), name: input.name, is_default: input.is_default, widgets: normaliseWidgets(input.widgets) };
  try {
    return await withTenant(ctx, async (tx) => {
      if (d.is_default) await q.clearDefault(tx, null);
      const row = (await q.insertDashboard(tx, ctx.tenantId, userId, d))!;
      await recordChange(tx, ctx, { action: 'dashboard.create', entity: ENTITY, entityId: row.id, after: { name: row.name, is_default: row.is_default, widgets: row.widgets.length } });
      return row;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('conflict', { message: 'Another default dashboard was set at the same time; try again' });
    throw err;
  }
}

async function lockDashboard(tx: Tx, id: string, expected: number | undefined) {
  const before = await q.findDashboard(tx, id, true);
  if (!before) throw notFound('Dashboard');
  if (expected !== undefined && expected !== before.version) throw preconditionFailed(before.version);
  return before;
}

export async function updateDashboard(
  ctx: TenantContext, id: string,
  input: { name?: string | undefined; is_default?: boolean | undefined; widgets?: WidgetInput[] | undefined },
  expected: number | undefined,
): Promise<Dashboard> {
  personOf(ctx);
  const widgets = input.widgets ? normaliseWidgets(input.widgets) : undefined;
  try {
    return await withTenant(ctx, async (tx) => {
      const before = await lockDashboard(tx, id, expected);
      if (input.is_default) await q.clearDefault(tx, id);
      const after = await q.updateDashboard(tx, id, { name: input.name, is_default: input.is_default, widgets });
      await recordChange(tx, ctx, { action: 'dashboard.update', entity: ENTITY, entityId: id, before: { ...before }, after: { ...after } });
      return after;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('conflict', { message: 'Another default dashboard was set at the same time; try again' });
    throw err;
  }
}

export function deleteDashboard(ctx: TenantContext, id: string, expected: number | undefined): Promise<void> {
  personOf(ctx);
  return withTenant(ctx, async (tx) => {
    const before = await lockDashboard(tx, id, expected);
    await q.deleteDashboard(tx, id);
    await recordChange(tx, ctx, { action: 'dashboard.delete', entity: ENTITY, entityId: id, before: { name: before.name, is_default: before.is_default } });
  });
}

/** Saved views: a user's named filter, sort and columns over one record list, optionally shared with the firm. */
import { can, type CreateSavedView, type RecordEntity, type SavedView, type UpdateSavedView } from '@pillar/shared';
import { uuidv7 } from 'uuidv7';
import { recordChange } from '../../platform/audit.js';
import { compileFilter, compileSort, SqlParams } from '../../platform/db/list-sql.js';
import { withTenant, type TenantContext, type Tx } from '../../platform/db/tenant.js';
import { AppError, notFound, preconditionFailed } from '../../platform/errors.js';
import { decodeCursor, pageResult } from '../../platform/http/cursor.js';
import { ENTITIES, fieldMapFor } from '../records/index.js';
import { deleteViewRow, insertView, selectView, selectViews, updateViewRow } from './views.queries.js';

function rethrowAt(path: string, err: unknown): never {
  if (err instanceof AppError && err.code === 'validation_failed') {
    throw new AppError('validation_failed', { message: err.message, errors: [{ path, message: err.message }] });
  }
  throw err;
}

/** The filter, sort and columns must name fields of the entity (standard or custom). */
async function checkDefinition(tx: Tx, entity: RecordEntity, v: Pick<SavedView, 'filter' | 'sort' | 'columns'>) {
  const fields = await fieldMapFor(tx, entity);
  try {
    if (v.filter) compileFilter(v.filter, fields, new SqlParams());
  } catch (err) {
    rethrowAt('body.filter', err);
  }
  try {
    if (v.sort) compileSort(v.sort, fields, 'created_at');
  } catch (err) {
    rethrowAt('body.sort', err);
  }
  const known = new Set([...Object.keys(fields), ...ENTITIES[entity].columns.map(([name]) => name)]);
  const unknown = v.columns.filter((c) => !known.has(c));
  if (unknown.length) {
    throw new AppError('validation_failed', { message: `unknown columns: ${unknown.join(', ')}`, errors: [{ path: 'body.columns', message: 'unknown field' }] });
  }
}

function assertMayShare(ctx: TenantContext) {
  if (!can(ctx.role, 'views:share')) throw new AppError('forbidden', { message: `Your role (${ctx.role}) may not share views (views:share)` });
}

/** The owner changes their view; someone who may share views also curates the shared ones. */
function assertMayChange(ctx: TenantContext, view: SavedView) {
  if (view.owner_id === ctx.userId) return;
  if (view.is_shared && can(ctx.role, 'views:share')) return;
  throw new AppError('forbidden', { message: 'Only the owner (or someone who may share views) can change this view' });
}

export async function listViews(ctx: TenantContext, q: { limit: number; cursor?: string | undefined; entity?: RecordEntity | undefined }) {
  const afterId = q.cursor ? (decodeCursor(q.cursor, ['uuid'])[0] as string) : undefined;
  const rows = await withTenant(ctx, (tx) => selectViews(tx, { limit: q.limit, ...(q.entity ? { entity: q.entity } : {}), ...(afterId ? { afterId } : {}) }));
  return pageResult(rows, q.limit, (last) => [last.id]);
}

export async function getViewOrThrow(ctx: TenantContext, id: string): Promise<SavedView> {
  const view = await withTenant(ctx, (tx) => selectView(tx, id));
  if (!view) throw notFound('View');
  return view;
}

export async function createView(ctx: TenantContext, input: CreateSavedView): Promise<SavedView> {
  if (!ctx.userId) throw new AppError('forbidden', { message: 'Saved views belong to a person; sign in to create one' });
  if (input.is_shared) assertMayShare(ctx);
  const def = { filter: input.filter ?? null, sort: input.sort ?? null, columns: input.columns ?? [] };
  return withTenant(ctx, async (tx) => {
    await checkDefinition(tx, input.entity, def);
    const view = await insertView(tx, { tenant_id: ctx.tenantId, id: uuidv7(), owner_id: ctx.userId!, entity: input.entity, name: input.name, is_shared: input.is_shared ?? false, ...def });
    await recordChange(tx, ctx, { action: 'view.create', entity: 'saved_view', entityId: view.id, after: view });
    return view;
  });
}

export async function updateView(ctx: TenantContext, id: string, input: UpdateSavedView, expected: number | undefined): Promise<SavedView> {
  return withTenant(ctx, async (tx) => {
    const before = await selectView(tx, id, true);
    if (!before) throw notFound('View');
    assertMayChange(ctx, before);
    if (input.is_shared === true && !before.is_shared) assertMayShare(ctx);
    if (expected !== undefined && expected !== before.version) throw preconditionFailed(before.version);
    const next = {
      name: input.name ?? before.name,
      filter: input.filter === undefined ? before.filter : input.filter,
      sort: input.sort === undefined ? before.sort : input.sort,
      columns: input.columns ?? before.columns,
      is_shared: input.is_shared ?? before.is_shared,
    };
    await checkDefinition(tx, before.entity, next);
    const after = await updateViewRow(tx, id, next);
    await recordChange(tx, ctx, { action: 'view.update', entity: 'saved_view', entityId: id, before, after });
    return after;
  });
}

export async function deleteView(ctx: TenantContext, id: string, expected: number | undefined): Promise<void> {
  await withTenant(ctx, async (tx) => {
    const before = await selectView(tx, id, true);
    if (!before) throw notFound('View');
    assertMayChange(ctx, before);
    if (expected !== undefined && expected !== before.version) throw preconditionFailed(before.version);
    await deleteViewRow(tx, id);
    await recordChange(tx, ctx, { action: 'view.delete', entity: 'saved_view', entityId: id, before });
  });
}

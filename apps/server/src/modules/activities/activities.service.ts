/** Activities: calls, emails, meetings, tasks and notes linked to contacts, companies, leads and deals. */
import type { Activity, CreateActivity, ListQuery, UpdateActivity } from '@pillar/shared';
import { uuidv7 } from 'uuidv7';
import { recordChange } from '../../platform/audit.js';
import { withTenant, type TenantContext, type Tx } from '../../platform/db/tenant.js';
import { AppError, notFound, preconditionFailed } from '../../platform/errors.js';
import { assertReferencesInTx } from '../deals/index.js';
import { rescoreLeadsInTx } from '../leads/index.js';
import * as q from './activities.queries.js';
import { sanitizeBody } from './sanitize.js';

const payload = (a: Activity) => ({ id: a.id, type: a.type, subject: a.subject, assignee_id: a.assignee_id, contact_id: a.contact_id, company_id: a.company_id, lead_id: a.lead_id, deal_id: a.deal_id, due_at: a.due_at });

export async function getActivityOrThrowInTx(tx: Tx, id: string, opts: { lock?: boolean; deleted?: boolean } = {}): Promise<Activity> {
  const a = await q.findActivity(tx, id, opts);
  if (!a) throw notFound('Activity');
  return a;
}

export const getActivity = (ctx: TenantContext, id: string) => withTenant(ctx, (tx) => getActivityOrThrowInTx(tx, id));
export const listActivities = (ctx: TenantContext, query: ListQuery) => withTenant(ctx, (tx) => q.listActivities(tx, query));
export const listMyTasks = (ctx: TenantContext, page: { limit: number; cursor?: string | undefined }) => {
  if (!ctx.userId) throw new AppError('bad_request', { message: 'My tasks needs a signed-in user, not an API key' });
  const userId = ctx.userId;
  return withTenant(ctx, (tx) => q.listOpenByDue(tx, { kind: 'my-tasks', userId }, page));
};
export const listOverdue = (ctx: TenantContext, page: { limit: number; cursor?: string | undefined; assignee_id?: string | undefined }) =>
  withTenant(ctx, (tx) => q.listOpenByDue(tx, { kind: 'overdue', assigneeId: page.assignee_id }, page));

function bodyValues(input: { body?: string | null | undefined; body_format?: 'text' | 'html' | undefined }, currentFormat: 'text' | 'html' = 'text'): q.ActivityValues {
  const values: q.ActivityValues = {};
  const format = input.body_format ?? currentFormat;
  if (input.body_format) values.body_format = format;
  if (input.body !== undefined) values.body = input.body !== null && format === 'html' ? sanitizeBody(input.body) : input.body;
  return values;
}

export async function createActivityInTx(tx: Tx, ctx: TenantContext, input: CreateActivity): Promise<Activity> {
  await assertReferencesInTx(tx, input);
  const id = uuidv7();
  const { completed, body: _b, body_format: _f, ...rest } = input;
  await q.insertActivity(tx, ctx.tenantId, id, ctx.userId, {
    ...rest, ...bodyValues(input), body_format: input.body_format ?? 'text',
    assignee_id: input.assignee_id === undefined ? ctx.userId : input.assignee_id, completed_at: completed ? new Date().toISOString() : null,
  });
  await rescoreLeadsInTx(tx, [input.lead_id]);
  const a = await getActivityOrThrowInTx(tx, id);
  await recordChange(tx, ctx, { action: 'activity.create', entity: 'activity', entityId: id, after: a, event: { type: 'activity.created', payload: payload(a) } });
  return a;
}

export const createActivity = (ctx: TenantContext, input: CreateActivity) => withTenant(ctx, (tx) => createActivityInTx(tx, ctx, input));

async function lock(tx: Tx, id: string, expected: number | undefined): Promise<Activity> {
  const before = await getActivityOrThrowInTx(tx, id, { lock: true });
  if (expected !== undefined && expected !== before.version) throw preconditionFailed(before.version);
  return before;
}

export function updateActivity(ctx: TenantContext, id: string, input: UpdateActivity, expected: number | undefined): Promise<Activity> {
  return withTenant(ctx, async (tx) => {
    const before = await lock(tx, id, expected);
    await assertReferencesInTx(tx, input);
    const dueAt = input.due_at === undefined ? before.due_at : input.due_at;
    const endsAt = input.ends_at === undefined ? before.ends_at : input.ends_at;
    if (dueAt && endsAt && Date.parse(endsAt) < Date.parse(dueAt)) {
      throw new AppError('validation_failed', { message: 'ends_at must not be before due_at', errors: [{ path: 'body.ends_at', message: 'before due_at' }] });
    }
    const { body: _b, body_format: _f, ...rest } = input;
    await q.updateActivity(tx, id, { ...rest, ...bodyValues(input, before.body_format) });
    await rescoreLeadsInTx(tx, [before.lead_id, input.lead_id]);
    const after = await getActivityOrThrowInTx(tx, id);
    await recordChange(tx, ctx, { action: 'activity.update', entity: 'activity', entityId: id, before, after,
      event: { type: 'activity.updated', payload: { ...payload(after), changed: Object.keys(input) } } });
    return after;
  });
}

export function setCompleted(ctx: TenantContext, id: string, completed: boolean, expected: number | undefined): Promise<Activity> {
  return withTenant(ctx, async (tx) => {
    const before = await lock(tx, id, expected);
    if (Boolean(before.completed_at) === completed) return before;
    await q.updateActivity(tx, id, { completed_at: completed ? new Date().toISOString() : null });
    const after = await getActivityOrThrowInTx(tx, id);
    await recordChange(tx, ctx, { action: completed ? 'activity.complete' : 'activity.reopen', entity: 'activity', entityId: id, before, after,
      event: { type: completed ? 'activity.completed' : 'activity.updated', payload: { ...payload(after), completed_at: after.completed_at } } });
    return after;
  });
}

export async function deleteActivityInTx(tx: Tx, ctx: TenantContext, id: string, expected?: number): Promise<void> {
  const before = await lock(tx, id, expected);
  await q.setDeleted(tx, id, true);
  await rescoreLeadsInTx(tx, [before.lead_id]);
  await recordChange(tx, ctx, { action: 'activity.delete', entity: 'activity', entityId: id, before: { deleted_at: null }, after: { deleted_at: 'now' },
    event: { type: 'activity.deleted', payload: payload(before) } });
}

export const deleteActivity = (ctx: TenantContext, id: string, expected: number | undefined) => withTenant(ctx, (tx) => deleteActivityInTx(tx, ctx, id, expected));

export async function restoreActivityInTx(tx: Tx, ctx: TenantContext, id: string): Promise<Activity> {
  const trashed = await getActivityOrThrowInTx(tx, id, { lock: true, deleted: true });
  await q.setDeleted(tx, id, false);
  await rescoreLeadsInTx(tx, [trashed.lead_id]);
  const a = await getActivityOrThrowInTx(tx, id);
  await recordChange(tx, ctx, { action: 'activity.restore', entity: 'activity', entityId: id, before: { deleted_at: trashed.deleted_at }, after: { deleted_at: null },
    event: { type: 'activity.restored', payload: payload(a) } });
  return a;
}

export const restoreActivity = (ctx: TenantContext, id: string) => withTenant(ctx, (tx) => restoreActivityInTx(tx, ctx, id));

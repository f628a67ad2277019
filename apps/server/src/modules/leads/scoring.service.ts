/** Lead scoring rules, and re-scoring when a lead, its activities or the rules change. */
import type { ActivityType, FilterCondition } from '@pillar/shared';
import { uuidv7 } from 'uuidv7';
import { recordChange } from '../../platform/audit.js';
import { SqlParams, compileFilter } from '../../platform/db/list-sql.js';
import { withTenant, type TenantContext, type Tx } from '../../platform/db/tenant.js';
import { AppError, notFound, preconditionFailed } from '../../platform/errors.js';
import { leadFields } from './leads.queries.js';
import * as q from './scoring.queries.js';

const BATCH = 500;

/** Re-scores some leads inside the caller's transaction (lead or activity writes). */
export async function rescoreLeadsInTx(tx: Tx, leadIds: (string | null | undefined)[]): Promise<void> {
  const ids = [...new Set(leadIds.filter((id): id is string => Boolean(id)))];
  if (!ids.length) return;
  const rules = await q.listRules(tx, true);
  if (!rules.length) return;
  await q.rescore(tx, rules, await leadFields(tx), { ids });
}

/** Re-scores every lead of the tenant, one short transaction per batch. */
export async function rescoreAllLeads(ctx: TenantContext): Promise<void> {
  let after: string | null = null;
  for (;;) {
    const last: string | null = await withTenant(ctx, async (tx) => q.rescore(tx, await q.listRules(tx, true), await leadFields(tx), { afterId: after, limit: BATCH }));
    if (!last) return;
    after = last;
  }
}

async function checkCondition(tx: Tx, condition: FilterCondition | null | undefined) {
  if (!condition) return;
  if (condition.field === 'score') {
    throw new AppError('validation_failed', { message: 'A scoring rule cannot depend on the score', errors: [{ path: 'body.condition.field', message: 'not allowed' }] });
  }
  try {
    compileFilter(condition, await leadFields(tx), new SqlParams());
  } catch (err) {
    if (err instanceof AppError) throw new AppError('validation_failed', { message: err.message, errors: [{ path: 'body.condition', message: err.message }] });
    throw err;
  }
}

interface RuleInput {
  name?: string | undefined;
  points?: number | undefined;
  condition?: FilterCondition | null | undefined;
  activity_type?: ActivityType | null | undefined;
  active?: boolean | undefined;
}

export function listScoringRules(ctx: TenantContext) {
  return withTenant(ctx, (tx) => q.listRules(tx));
}

export async function createScoringRule(ctx: TenantContext, input: RuleInput & { name: string; points: number }) {
  const row = await withTenant(ctx, async (tx) => {
    await checkCondition(tx, input.condition);
    const created = await q.insertRule(tx, ctx.tenantId, {
      id: uuidv7(), name: input.name, points: input.points, condition: input.condition ?? null, activity_type: input.activity_type ?? null, active: input.active ?? true,
    });
    await recordChange(tx, ctx, { action: 'lead_scoring_rule.create', entity: 'lead_scoring_rule', entityId: created.id, after: { ...created } });
    return created;
  });
  await rescoreAllLeads(ctx);
  return row;
}

export async function updateScoringRule(ctx: TenantContext, id: string, input: RuleInput, expected: number | undefined) {
  const row = await withTenant(ctx, async (tx) => {
    const before = await q.findRule(tx, id, true);
    if (!before) throw notFound('Scoring rule');
    if (expected !== undefined && expected !== before.version) throw preconditionFailed(before.version);
    const next = {
      name: input.name ?? before.name, points: input.points ?? before.points, active: input.active ?? before.active,
      condition: input.condition === undefined ? before.condition : input.condition,
      activity_type: input.activity_type === undefined ? before.activity_type : input.activity_type,
    };
    if ((next.condition === null) === (next.activity_type === null)) {
      throw new AppError('validation_failed', { message: 'give exactly one of condition and activity_type', errors: [{ path: 'body.condition', message: 'exactly one trigger' }] });
    }
    await checkCondition(tx, next.condition);
    const after = await q.updateRule(tx, id, next);
    await recordChange(tx, ctx, { action: 'lead_scoring_rule.update', entity: 'lead_scoring_rule', entityId: id, before: { ...before }, after: { ...after } });
    return after;
  });
  await rescoreAllLeads(ctx);
  return row;
}

export async function deleteScoringRule(ctx: TenantContext, id: string, expected: number | undefined): Promise<void> {
  await withTenant(ctx, async (tx) => {
    const before = await q.findRule(tx, id, true);
    if (!before) throw notFound('Scoring rule');
    if (expected !== undefined && expected !== before.version) throw preconditionFailed(before.version);
    await q.deleteRule(tx, id);
    await recordChange(tx, ctx, { action: 'lead_scoring_rule.delete', entity: 'lead_scoring_rule', entityId: id, before: { ...before } });
  });
  await rescoreAllLeads(ctx);
}

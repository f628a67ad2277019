/** Lead assignment rules: ordered; the first active rule whose source/territory lists match gives the lead to its members in turn. */
import { uuidv7 } from 'uuidv7';
import { recordChange } from '../../platform/audit.js';
import { withTenant, type TenantContext, type Tx } from '../../platform/db/tenant.js';
import { AppError, notFound, preconditionFailed, referenceNotFound } from '../../platform/errors.js';
import * as q from './assignment.queries.js';

const lower = (xs: string[] | undefined) => [...new Set((xs ?? []).map((x) => x.toLowerCase()))];

/** The owner for a new lead without one, or null when no rule applies. */
export async function chooseOwnerInTx(tx: Tx, lead: { source?: string | null | undefined; territory?: string | null | undefined }): Promise<string | null> {
  const source = lead.source?.toLowerCase() ?? null;
  const territory = lead.territory?.toLowerCase() ?? null;
  for (const rule of await q.listRules(tx, true)) {
    if (rule.sources.length && (!source || !rule.sources.includes(source))) continue;
    if (rule.territories.length && (!territory || !rule.territories.includes(territory))) continue;
    const members = await q.memberIds(tx, rule.user_ids);
    const pool = rule.user_ids.filter((u) => members.has(u));
    if (!pool.length) continue;
    const turn = await q.takeTurn(tx, rule.id);
    return pool[(turn - 1) % pool.length]!;
  }
  return null;
}

async function checkMembers(tx: Tx, ids: string[] | undefined) {
  if (!ids) return;
  const members = await q.memberIds(tx, ids);
  if (ids.some((id) => !members.has(id))) throw referenceNotFound('user_ids');
}

interface RuleInput {
  name?: string | undefined;
  sources?: string[] | undefined;
  territories?: string[] | undefined;
  user_ids?: string[] | undefined;
  active?: boolean | undefined;
}

export function listAssignmentRules(ctx: TenantContext) {
  return withTenant(ctx, (tx) => q.listRules(tx));
}

export function createAssignmentRule(ctx: TenantContext, input: RuleInput & { name: string; user_ids: string[] }) {
  return withTenant(ctx, async (tx) => {
    await checkMembers(tx, input.user_ids);
    const row = await q.insertRule(tx, ctx.tenantId, {
      id: uuidv7(), name: input.name, active: input.active ?? true, sources: lower(input.sources), territories: lower(input.territories), user_ids: [...new Set(input.user_ids)],
    });
    await recordChange(tx, ctx, { action: 'lead_assignment_rule.create', entity: 'lead_assignment_rule', entityId: row.id, after: { ...row } });
    return row;
  });
}

async function lockRule(tx: Tx, id: string, expected: number | undefined) {
  const before = await q.findRule(tx, id, true);
  if (!before) throw notFound('Assignment rule');
  if (expected !== undefined && expected !== before.version) throw preconditionFailed(before.version);
  return before;
}

export function updateAssignmentRule(ctx: TenantContext, id: string, input: RuleInput, expected: number | undefined) {
  return withTenant(ctx, async (tx) => {
    const before = await lockRule(tx, id, expected);
    await checkMembers(tx, input.user_ids);
    const after = await q.updateRule(tx, id, {
      name: input.name ?? before.name, active: input.active ?? before.active,
      sources: input.sources ? lower(input.sources) : before.sources, territories: input.territories ? lower(input.territories) : before.territories,
      user_ids: input.user_ids ? [...new Set(input.user_ids)] : before.user_ids,
    });
    await recordChange(tx, ctx, { action: 'lead_assignment_rule.update', entity: 'lead_assignment_rule', entityId: id, before: { ...before }, after: { ...after } });
    return after;
  });
}

export function deleteAssignmentRule(ctx: TenantContext, id: string, expected: number | undefined) {
  return withTenant(ctx, async (tx) => {
    const before = await lockRule(tx, id, expected);
    await q.deleteRule(tx, id);
    await recordChange(tx, ctx, { action: 'lead_assignment_rule.delete', entity: 'lead_assignment_rule', entityId: id, before: { ...before } });
  });
}

export function reorderAssignmentRules(ctx: TenantContext, ids: string[]) {
  return withTenant(ctx, async (tx) => {
    const current = (await q.listRules(tx)).map((r) => r.id);
    if (ids.length !== current.length || new Set(ids).size !== ids.length || !current.every((id) => ids.includes(id))) {
      throw new AppError('validation_failed', { message: 'rule_ids must list every assignment rule exactly once', errors: [{ path: 'body.rule_ids', message: 'not the tenant\'s rules' }] });
    }
    await q.reorderRules(tx, ids);
    await recordChange(tx, ctx, { action: 'lead_assignment_rule.reorder', entity: 'lead_assignment_rule', entityId: null, before: { order: current }, after: { order: ids } });
    return q.listRules(tx);
  });
}

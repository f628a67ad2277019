/** Custom field definitions per tenant, and validation of the values records carry. */
import type { CustomFieldEntity, CustomFieldTypeName, FilterNode, ListQuery } from '@pillar/shared';
import type { z } from 'zod';
import type { CreateCustomFieldSchema, UpdateCustomFieldSchema } from '@pillar/shared';
import { uuidv7 } from 'uuidv7';
import { recordChange } from '../../platform/audit.js';
import { customFieldSpec, customFieldSpecs, sortKey, type FieldMap } from '../../platform/db/list-sql.js';
import { withTenant, type TenantContext, type Tx } from '../../platform/db/tenant.js';
import { AppError, notFound, preconditionFailed, referenceNotFound } from '../../platform/errors.js';
import * as q from './custom-fields.queries.js';
import { checkValues } from './custom-values.js';

export type { DefinitionRow } from './custom-fields.queries.js';
type CreateInput = z.infer<typeof CreateCustomFieldSchema>;
type UpdateInput = z.infer<typeof UpdateCustomFieldSchema>;

const SELECTS: readonly CustomFieldTypeName[] = ['select', 'multi_select'];

export function listCustomFields(ctx: TenantContext, entity: CustomFieldEntity | null, includeArchived: boolean) {
  return withTenant(ctx, (tx) => q.listDefinitions(tx, entity, includeArchived));
}

export async function getCustomFieldOrThrow(ctx: TenantContext, id: string) {
  const row = await withTenant(ctx, (tx) => q.findDefinition(tx, id));
  if (!row) throw notFound('Custom field');
  return row;
}

/** The expression list queries sort by; the index created for a field uses exactly this text. */
export function customSortExpression(type: CustomFieldTypeName, key: string): string {
  return sortKey(customFieldSpec('custom', key, type));
}

export async function createCustomFieldInTx(tx: Tx, ctx: TenantContext, input: CreateInput) {
  if (!SELECTS.includes(input.type) && input.options?.length) {
    throw new AppError('validation_failed', { message: 'only select fields have options', errors: [{ path: 'body.options', message: 'only select fields have options' }] });
  }
  const existing = await q.findDefinitionByKey(tx, input.entity, input.key);
  if (existing) {
    throw new AppError('duplicate', { message: `A ${input.entity} field with key "${input.key}" already exists`, details: { existing_id: existing.id } });
  }
  const row = await q.insertDefinition(tx, ctx.tenantId, {
    id: uuidv7(), entity: input.entity, key: input.key, label: input.label, type: input.type,
    options: input.options ?? [], required: input.required ?? false, position: input.position ?? 0,
  });
  // Sorting and filtering on the field stay index-backed (see ARCHITECTURE.md, "Custom fields").
  await q.ensureSortIndex(tx, input.entity, input.key, input.type, customSortExpression(input.type, input.key));
  await recordChange(tx, ctx, { action: 'custom_field.create', entity: 'custom_field', entityId: row.id, after: { ...row } });
  return row;
}

export function createCustomField(ctx: TenantContext, input: CreateInput) {
  return withTenant(ctx, (tx) => createCustomFieldInTx(tx, ctx, input));
}

async function lockOrThrow(tx: Tx, id: string, expected: number | undefined) {
  const before = await q.findDefinition(tx, id, true);
  if (!before) throw notFound('Custom field');
  if (expected !== undefined && expected !== before.version) throw preconditionFailed(before.version);
  return before;
}

export async function updateCustomField(ctx: TenantContext, id: string, patch: UpdateInput, expected?: number) {
  return withTenant(ctx, async (tx) => {
    const before = await lockOrThrow(tx, id, expected);
    if (patch.options && !SELECTS.includes(before.type)) {
      throw new AppError('validation_failed', { message: 'only select fields have options', errors: [{ path: 'body.options', message: 'only select fields have options' }] });
    }
    if (patch.options && patch.options.length === 0) {
      throw new AppError('validation_failed', { message: 'select fields need at least one option', errors: [{ path: 'body.options', message: 'must not be empty' }] });
    }
    const after = await q.updateDefinition(tx, id, patch);
    await recordChange(tx, ctx, { action: 'custom_field.update', entity: 'custom_field', entityId: id, before: { ...before }, after: { ...after } });
    return after;
  });
}

/** Definitions are archived, never deleted: stored values stay and come back on restore. */
export async function setCustomFieldArchived(ctx: TenantContext, id: string, archived: boolean, expected?: number) {
  return withTenant(ctx, async (tx) => {
    const before = await lockOrThrow(tx, id, expected);
    if (Boolean(before.archived_at) === archived) return before;
    const after = await q.setArchived(tx, id, archived);
    await recordChange(tx, ctx, {
      action: archived ? 'custom_field.archive' : 'custom_field.restore', entity: 'custom_field', entityId: id,
      before: { archived_at: before.archived_at }, after: { archived_at: after.archived_at },
    });
    return after;
  });
}

/**
 * Checks `values` against the tenant's definitions for `entity` and returns
 * the custom object to store. `existing` is the record's current values on
 * update (only sent keys are checked, null clears) or null/absent on create
 * (required fields must be present). Bad values → 400, unknown members → 422.
 */
export async function validateCustomFields(
  tx: Tx, entity: CustomFieldEntity, values: Record<string, unknown> | undefined, existing: Record<string, unknown> | null = null,
): Promise<Record<string, unknown>> {
  const defs = await q.listDefinitions(tx, entity, true);
  const checked = checkValues(defs, values ?? {}, existing, 'body.custom');
  if (checked.errors.length) throw new AppError('validation_failed', { message: 'Some custom field values are invalid', errors: checked.errors });
  const members = await q.memberIds(tx, checked.userRefs.map((r) => r.id));
  const missing = checked.userRefs.find((r) => !members.has(r.id));
  if (missing) throw referenceNotFound(`custom.${missing.key}`);
  return checked.merged;
}

/** Same as validateCustomFields, for services working inside their own transaction. */
export function validateCustomFieldsInTx(
  tx: Tx, _ctx: TenantContext, entity: CustomFieldEntity, values: Record<string, unknown> | undefined,
  existing: Record<string, unknown> | null = null,
) {
  return validateCustomFields(tx, entity, values, existing);
}

/** Whether a list query's filter or sort names a `custom.<key>` field. */
export function namesCustomField(query: Pick<ListQuery, 'filter' | 'sort'>): boolean {
  const inFilter = (node: FilterNode): boolean =>
    'field' in node ? node.field.startsWith('custom.') : ('and' in node ? node.and : node.or).some(inFilter);
  return (query.sort?.replace(/^-/, '').startsWith('custom.') ?? false) || (query.filter ? inFilter(query.filter) : false);
}

/**
 * `custom.<key>` filter/sort fields of the entity's active definitions. Given the list query, the definitions
 * are read only when it names a custom field: the common page (default sort, no custom filter) saves a query.
 */
export async function customFieldMap(tx: Tx, entity: CustomFieldEntity, query?: Pick<ListQuery, 'filter' | 'sort'>): Promise<FieldMap> {
  if (query && !namesCustomField(query)) return {};
  const defs = await q.listDefinitions(tx, entity, false);
  return customFieldSpecs(defs, 'custom');
}

/**
 * Checks that ids given in a request body point at live records of the
 * current tenant. Row-level security hides other tenants' rows, so another
 * tenant's id and an unknown id look the same: both answer 422.
 */
import type { TenantContext, Tx } from '../../platform/db/tenant.js';
import { referenceNotFound } from '../../platform/errors.js';
import { validateCustomFieldsInTx } from '../custom-fields/index.js';

export interface References {
  contact_id?: string | null | undefined;
  company_id?: string | null | undefined;
  lead_id?: string | null | undefined;
  deal_id?: string | null | undefined;
  owner_id?: string | null | undefined;
  assignee_id?: string | null | undefined;
}

const RECORDS: Record<string, string> = {
  contact_id: 'SELECT 1 FROM contacts WHERE id = $1 AND deleted_at IS NULL',
  company_id: 'SELECT 1 FROM companies WHERE id = $1 AND deleted_at IS NULL',
  lead_id: 'SELECT 1 FROM leads WHERE id = $1 AND deleted_at IS NULL',
  deal_id: 'SELECT 1 FROM deals WHERE id = $1 AND deleted_at IS NULL',
  owner_id: 'SELECT 1 FROM memberships WHERE user_id = $1',
  assignee_id: 'SELECT 1 FROM memberships WHERE user_id = $1',
};

export async function assertReferencesInTx(tx: Tx, refs: References): Promise<void> {
  for (const [field, sql] of Object.entries(RECORDS)) {
    const id = refs[field as keyof References];
    if (!id) continue;
    if (!(await tx.query(sql, [id])).rows.length) throw referenceNotFound(field);
  }
}

/** Custom field values of a record, checked against the crm module's definitions; returns the object to store. */
export function validateCustomInTx(
  tx: Tx, ctx: TenantContext, entity: 'deal' | 'lead', values: Record<string, unknown> | undefined, existing: Record<string, unknown> | null = null,
): Promise<Record<string, unknown>> {
  return validateCustomFieldsInTx(tx, ctx, entity, values, existing);
}

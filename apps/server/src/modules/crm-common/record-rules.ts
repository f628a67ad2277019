/** Reference checks shared by the record services: body references to unknown ids are 422. */
import type { Tx } from '../../platform/db/tenant.js';
import { referenceNotFound } from '../../platform/errors.js';

/** `owner_id` must be a member of this tenant (RLS hides other tenants' memberships). */
export async function assertMember(tx: Tx, userId: string | null | undefined, field = 'owner_id'): Promise<void> {
  if (!userId) return;
  const r = await tx.query('SELECT 1 FROM memberships WHERE user_id = $1', [userId]);
  if (!r.rows.length) throw referenceNotFound(field);
}

/** A company reference must be a live (not trashed) company of this tenant. */
export async function assertCompany(tx: Tx, companyId: string | null | undefined, field = 'company_id'): Promise<void> {
  if (!companyId) return;
  const r = await tx.query('SELECT 1 FROM companies WHERE id = $1 AND deleted_at IS NULL', [companyId]);
  if (!r.rows.length) throw referenceNotFound(field);
}

/**
 * Security-critical (personal data): export everything held about one
 * contact, and erase a contact. Erasure hard-deletes the contact (its
 * activities cascade; leads and deals keep the deal but lose the link), then
 * scrubs what the request role may not change — audit `changes`, outbox
 * event payloads and webhook delivery bodies about the erased records —
 * through the unrestricted connection. The audit keeps a `contact.erase` row
 * saying that an erasure happened, by whom and when, with no personal data.
 *
 * Two transactions, never nested: the erase under RLS, then the scrub. The
 * scrub is idempotent; if it fails after the erase, repeating the erase
 * request answers 404 but `scrubErasedEntities` can be run again safely.
 */
import { recordChange } from '../audit.js';
import { withTenant, type TenantContext, type Tx } from '../db/tenant.js';
import { notFound } from '../errors.js';
import { scrubErasedEntities } from './scrub.js';

const IDENT = /^[a-z_][a-z0-9_]*$/;

/** Tenant tables (other than contacts) with a `contact_id` column, visible to the request role. */
async function tablesReferencingContacts(tx: Tx): Promise<string[]> {
  const r = await tx.query<{ table_name: string }>(
    `SELECT c.relname AS table_name FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
      WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> 'contacts'
        AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'contact_id' AND NOT a.attisdropped)
        AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
        AND has_table_privilege(c.oid, 'SELECT')
      ORDER BY 1`);
  return r.rows.map((x) => x.table_name).filter((t) => IDENT.test(t));
}

export async function exportContactData(ctx: TenantContext, contactId: string) {
  return withTenant(ctx, async (tx) => {
    const contact = await tx.query<{ r: Record<string, unknown> }>('SELECT to_jsonb(c) AS r FROM contacts c WHERE id = $1', [contactId]);
    if (!contact.rows[0]) throw notFound('Contact');
    const records: Record<string, Record<string, unknown>[]> = { contacts: contact.rows.map((x) => x.r) };
    for (const table of await tablesReferencingContacts(tx)) {
      const rows = await tx.query<{ r: Record<string, unknown> }>(`SELECT to_jsonb(t) AS r FROM "${table}" t WHERE contact_id = $1 ORDER BY 1`, [contactId]);
      records[table] = rows.rows.map((x) => x.r);
    }
    const audit = await tx.query<{ r: Record<string, unknown> }>(
      `SELECT to_jsonb(a) AS r FROM audit_log a WHERE entity = 'contact' AND entity_id = $1 ORDER BY id`, [contactId]);
    return { contact_id: contactId, exported_at: new Date().toISOString(), records, audit: audit.rows.map((x) => x.r) };
  });
}

export async function eraseContact(ctx: TenantContext, contactId: string) {
  const { activityIds, scrubbed } = await withTenant(ctx, async (tx) => {
    const found = await tx.query('SELECT 1 FROM contacts WHERE id = $1 FOR UPDATE', [contactId]);
    if (!found.rows[0]) throw notFound('Contact');
    const activities = await tx.query<{ id: string }>('SELECT id FROM activities WHERE contact_id = $1', [contactId]);
    let count = 0;
    // Undo snapshots of imports hold earlier values of the contact.
    if ((await tx.query(`SELECT to_regclass('import_snapshots') IS NOT NULL AS ok`)).rows[0]?.ok) {
      count += (await tx.query('DELETE FROM import_snapshots WHERE record_id = $1', [contactId])).rowCount;
    }
    count += (await tx.query('DELETE FROM contacts WHERE id = $1', [contactId])).rowCount;
    await recordChange(tx, ctx, {
      action: 'contact.erase', entity: 'contact', entityId: contactId,
      after: { erased: true, activities_erased: activities.rows.length },
      event: { type: 'contact.deleted', payload: { id: contactId } },
    });
    return { activityIds: activities.rows.map((a) => a.id), scrubbed: count + activities.rows.length };
  });
  const audit = await scrubErasedEntities(ctx.db, ctx.tenantId, [
    { entity: 'contact', ids: [contactId] },
    { entity: 'activity', ids: activityIds },
  ]);
  return { id: contactId, erased_at: new Date().toISOString(), records_scrubbed: scrubbed, audit_entries_scrubbed: audit };
}

/**
 * What the API would have done besides inserting rows, applied after the
 * server's migrations: creating a custom field through the API also builds
 * its per-tenant sort index (crm_ensure_custom_field_index, migration 0100).
 */
import type pg from 'pg';
import type { Identities } from './spec.js';

const SORT_EXPRESSIONS: { key: string; type: string; expr: string }[] = [
  { key: 'score', type: 'number', expr: `coalesce(((custom->>'score')::numeric), '-Infinity'::numeric)` },
  { key: 'tier', type: 'select', expr: `coalesce(lower((custom->>'tier')), '')` },
];

export async function applyApiState(client: pg.Client, ids: Identities, log: (m: string) => void): Promise<void> {
  const fn = await client.query(`SELECT 1 FROM pg_proc WHERE proname = 'crm_ensure_custom_field_index'`);
  if (!fn.rowCount) return;
  for (const f of SORT_EXPRESSIONS) {
    await client.query('BEGIN');
    try {
      await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [ids.tenantId]);
      const t0 = Date.now();
      const r = await client.query<{ ok: boolean }>('SELECT crm_ensure_custom_field_index($1, $2, $3, $4) AS ok', ['contact', f.key, f.type, f.expr]);
      await client.query('COMMIT');
      if (Date.now() - t0 > 1000) log(`  custom field sort index contact.${f.key}: ${r.rows[0]?.ok ? 'built' : 'refused'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    } catch (err) {
      await client.query('ROLLBACK');
      log(`  custom field sort index contact.${f.key}: ${(err as Error).message}`);
    }
  }
}

/** SQL of the import batches: lookups by key, multi-row inserts from one JSON parameter, snapshot + update. */
import type { RecordEntity } from '@pillar/shared';
import type { Tx } from '../../platform/db/tenant.js';

type Col = readonly [name: string, type: string, fallback: string | null];

const OWNED: readonly Col[] = [['owner_id', 'uuid', null], ['tags', 'text[]', `'{}'`], ['custom', 'jsonb', `'{}'`]];

export const COLUMNS: Record<RecordEntity, readonly Col[]> = {
  contacts: [['first_name', 'text', `''`], ['last_name', 'text', `''`], ['email', 'text', null], ['emails', 'jsonb', `'[]'`], ['phone', 'text', null],
    ['phones', 'jsonb', `'[]'`], ['title', 'text', null], ['department', 'text', null], ['notes', 'text', null], ['lead_source', 'text', null],
    ['company_id', 'uuid', null], ['address', 'jsonb', `'{}'`], ['social', 'jsonb', `'{}'`], ...OWNED],
  companies: [['name', 'text', null], ['domain', 'text', null], ['website', 'text', null], ['industry', 'text', null], ['size', 'text', null],
    ['phone', 'text', null], ['description', 'text', null], ['address', 'jsonb', `'{}'`], ...OWNED],
  leads: [['title', 'text', null], ['status', 'text', `'new'`], ['source', 'text', null], ['territory', 'text', null], ['score', 'integer', '0'],
    ['value', 'numeric', null], ['currency', 'text', null], ['expected_close_date', 'date', null], ['contact_id', 'uuid', null], ['company_id', 'uuid', null], ...OWNED],
  deals: [['name', 'text', null], ['value', 'numeric', '0'], ['currency', 'text', '(SELECT base_currency FROM tenants)'], ['probability', 'integer', null],
    ['pipeline_id', 'uuid', null], ['stage_id', 'uuid', null], ['position', 'text', null], ['status', 'text', `'open'`], ['expected_close_date', 'date', null],
    ['source', 'text', null], ['contact_id', 'uuid', null], ['company_id', 'uuid', null], ...OWNED],
};

/**
 * Values of new rows derived in SQL from other columns when the row leaves them out, so the batch parameter
 * carries each email and phone once: a contact's primary email and phone lists, as the contacts API stores them.
 */
const DERIVED: Partial<Record<RecordEntity, Record<string, string>>> = {
  contacts: {
    emails: `CASE WHEN r.email IS NULL THEN '[]'::jsonb ELSE jsonb_build_array(jsonb_build_object('email', r.email, 'label', NULL, 'primary', true)) END`,
    phones: `CASE WHEN r.phone IS NULL THEN '[]'::jsonb ELSE jsonb_build_array(jsonb_build_object('phone', r.phone, 'e164', CASE WHEN left(r.phone, 1) = '+' THEN r.phone END, 'label', NULL, 'primary', true)) END`,
  },
};

const recordset = (cols: readonly Col[]) => `jsonb_to_recordset($4::jsonb) AS r(id uuid, ${cols.map(([n, t]) => `${n} ${t}`).join(', ')})`;

/**
 * Inserts new rows and returns the ids written. By default a plain INSERT: the keys were looked up just
 * before, and ON CONFLICT would make PostgreSQL descend every unique index (primary key, email) once more
 * per row to pre-check it. A conflict then means a concurrent writer took a key meanwhile, and the error
 * (23505) aborts the transaction: the caller runs the batch again with `skipConflicts`, where rows that hit
 * a unique index are left out of the returned ids.
 */
export async function insertRows(
  tx: Tx, entity: RecordEntity, meta: { tenantId: string; importId: string; userId: string | null }, rows: Array<{ id: string }>, skipConflicts = false,
): Promise<Set<string>> {
  if (!rows.length) return new Set();
  const cols = COLUMNS[entity];
  const extra = entity === 'deals' ? ', closed_at' : '';
  const extraValue = entity === 'deals' ? `, CASE WHEN coalesce(r.status, 'open') <> 'open' THEN now() END` : '';
  const sql = `INSERT INTO ${entity} (tenant_id, id, import_id, created_by, ${cols.map(([n]) => n).join(', ')}${extra})
     SELECT $1, r.id, $2, $3, ${cols.map(([n, , d]) => {
    const fallback = DERIVED[entity]?.[n] ?? d;
    return fallback ? `coalesce(r.${n}, ${fallback})` : `r.${n}`;
  }).join(', ')}${extraValue}
       FROM ${recordset(cols)}`;
  const params = [meta.tenantId, meta.importId, meta.userId, JSON.stringify(rows)];
  if (!skipConflicts) {
    await tx.query(sql, params);
    return new Set(rows.map((r) => r.id));
  }
  const r = await tx.query<{ id: string }>(`${sql} ON CONFLICT DO NOTHING RETURNING id`, params);
  return new Set(r.rows.map((x) => x.id));
}

/**
 * Locks the rows an import is about to overwrite, then keeps their values (once per record and import; not
 * for its own records). The lock comes first so that no edit can commit between the snapshot and the
 * update: undo must put back exactly what the import replaced.
 */
export async function snapshotRows(tx: Tx, entity: 'contacts' | 'companies', importId: string, ids: string[]): Promise<void> {
  await tx.query(`SELECT id FROM ${entity} WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [ids]);
  await tx.query(
    `INSERT INTO import_snapshots (tenant_id, import_id, record_id, before)
     SELECT t.tenant_id, $1, t.id, to_jsonb(t) FROM ${entity} t
      WHERE t.id = ANY($2::uuid[]) AND t.import_id IS DISTINCT FROM $1
     ON CONFLICT DO NOTHING`, [importId, ids]);
}

/** Overwrites mapped, non-empty fields; tags are added, custom values merged. */
export async function updateRows(tx: Tx, entity: 'contacts' | 'companies', rows: object[]): Promise<number> {
  if (!rows.length) return 0;
  const cols = COLUMNS[entity].filter(([n]) => !['tags', 'custom', 'email', 'emails', 'domain'].includes(n));
  const sets = cols.map(([n, t]) => (t === 'jsonb' && n !== 'phones' ? `${n} = t.${n} || coalesce(r.${n}, '{}')` : `${n} = coalesce(r.${n}, t.${n})`));
  const r = await tx.query(
    `UPDATE ${entity} t SET ${sets.join(', ')},
            tags = ARRAY(SELECT DISTINCT unnest(t.tags || coalesce(r.tags, '{}'))),
            custom = t.custom || coalesce(r.custom, '{}'), version = t.version + 1, updated_at = now()
       FROM ${recordset([...cols, ['tags', 'text[]', null], ['custom', 'jsonb', null]]).replace('$4', '$1')}
      WHERE t.id = r.id`, [JSON.stringify(rows)]);
  return r.rowCount;
}

/** Live records holding any of the keys (lower-case email or domain). */
export async function findByKeys(tx: Tx, entity: 'contacts' | 'companies', keys: string[]): Promise<Map<string, string>> {
  if (!keys.length) return new Map();
  const col = entity === 'contacts' ? 'email' : 'domain';
  const r = await tx.query<{ id: string; k: string }>(
    `SELECT DISTINCT ON (${col}) id, ${col} AS k FROM ${entity} WHERE deleted_at IS NULL AND ${col} = ANY($1::text[]) ORDER BY ${col}, id`, [keys]);
  return new Map(r.rows.map((x) => [x.k, x.id]));
}

export async function findCompaniesByName(tx: Tx, lowerNames: string[]): Promise<Map<string, string>> {
  if (!lowerNames.length) return new Map();
  const r = await tx.query<{ id: string; k: string }>(
    `SELECT DISTINCT ON (lower(name)) id, lower(name) AS k FROM companies WHERE deleted_at IS NULL AND lower(name) = ANY($1::text[]) ORDER BY lower(name), id`, [lowerNames]);
  return new Map(r.rows.map((x) => [x.k, x.id]));
}

export async function lastPositions(tx: Tx, stageIds: string[]): Promise<Map<string, string | null>> {
  const r = await tx.query<{ stage_id: string; last: string | null }>(
    `SELECT s.id AS stage_id, (SELECT max(d.position) FROM deals d WHERE d.stage_id = s.id AND d.deleted_at IS NULL) AS last
       FROM stages s WHERE s.id = ANY($1::uuid[])`, [stageIds]);
  return new Map(r.rows.map((x) => [x.stage_id, x.last]));
}

export async function insertFirstStages(tx: Tx, tenantId: string, userId: string | null, rows: Array<{ id: string; deal_id: string; pipeline_id: string; stage_id: string }>) {
  if (!rows.length) return;
  await tx.query(
    `INSERT INTO deal_stage_history (tenant_id, id, deal_id, pipeline_id, from_stage_id, to_stage_id, moved_by)
     SELECT $1, r.id, r.deal_id, r.pipeline_id, NULL, r.stage_id, $2
       FROM jsonb_to_recordset($3::jsonb) AS r(id uuid, deal_id uuid, pipeline_id uuid, stage_id uuid)`,
    [tenantId, userId, JSON.stringify(rows)]);
}

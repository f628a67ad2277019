/** SQL of custom field definitions. */
import type { CustomFieldEntity, CustomFieldTypeName } from '@pillar/shared';
import type { Tx } from '../../platform/db/tenant.js';

export interface DefinitionRow {
  id: string;
  entity: CustomFieldEntity;
  key: string;
  label: string;
  type: CustomFieldTypeName;
  options: { value: string; label?: string; color?: string }[];
  required: boolean;
  position: number;
  archived_at: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

const COLS = 'id, entity, key, label, type, options, required, position, archived_at, created_at, updated_at, version';

export async function listDefinitions(tx: Tx, entity: CustomFieldEntity | null, includeArchived: boolean): Promise<DefinitionRow[]> {
  const r = await tx.query<DefinitionRow>(
    `SELECT ${COLS} FROM custom_field_definitions
      WHERE ($1::text IS NULL OR entity = $1) AND ($2 OR archived_at IS NULL)
      ORDER BY entity, position, key LIMIT 1000`, [entity, includeArchived]);
  return r.rows;
}

export async function findDefinition(tx: Tx, id: string, forUpdate = false): Promise<DefinitionRow | null> {
  const r = await tx.query<DefinitionRow>(`SELECT ${COLS} FROM custom_field_definitions WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return r.rows[0] ?? null;
}

export async function findDefinitionByKey(tx: Tx, entity: CustomFieldEntity, key: string): Promise<DefinitionRow | null> {
  const r = await tx.query<DefinitionRow>(`SELECT ${COLS} FROM custom_field_definitions WHERE entity = $1 AND key = $2`, [entity, key]);
  return r.rows[0] ?? null;
}

export interface NewDefinition {
  id: string;
  entity: CustomFieldEntity;
  key: string;
  label: string;
  type: CustomFieldTypeName;
  options: unknown[];
  required: boolean;
  position: number;
}

export async function insertDefinition(tx: Tx, tenantId: string, d: NewDefinition): Promise<DefinitionRow> {
  const r = await tx.query<DefinitionRow>(
    `INSERT INTO custom_field_definitions (tenant_id, id, entity, key, label, type, options, required, position)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLS}`,
    [tenantId, d.id, d.entity, d.key, d.label, d.type, JSON.stringify(d.options), d.required, d.position]);
  return r.rows[0]!;
}

export async function updateDefinition(
  tx: Tx, id: string, patch: { label?: string; options?: unknown[]; required?: boolean; position?: number },
): Promise<DefinitionRow> {
  const r = await tx.query<DefinitionRow>(
    `UPDATE custom_field_definitions
        SET label = coalesce($2, label), options = coalesce($3::jsonb, options), required = coalesce($4, required),
            position = coalesce($5, position), updated_at = now(), version = version + 1
      WHERE id = $1 RETURNING ${COLS}`,
    [id, patch.label ?? null, patch.options ? JSON.stringify(patch.options) : null, patch.required ?? null, patch.position ?? null]);
  return r.rows[0]!;
}

export async function setArchived(tx: Tx, id: string, archived: boolean): Promise<DefinitionRow> {
  const r = await tx.query<DefinitionRow>(
    `UPDATE custom_field_definitions SET archived_at = CASE WHEN $2 THEN now() END, updated_at = now(), version = version + 1
      WHERE id = $1 RETURNING ${COLS}`, [id, archived]);
  return r.rows[0]!;
}

/** Creates (once, shared by all tenants) the expression index that serves sorts and filters on the field. */
export async function ensureSortIndex(tx: Tx, entity: CustomFieldEntity, key: string, type: CustomFieldTypeName, expr: string) {
  await tx.query('SELECT crm_ensure_custom_field_index($1, $2, $3, $4)', [entity, key, type, expr]);
}

export async function memberIds(tx: Tx, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const r = await tx.query<{ user_id: string }>('SELECT user_id FROM memberships WHERE user_id = ANY($1::uuid[])', [ids]);
  return new Set(r.rows.map((x) => x.user_id));
}

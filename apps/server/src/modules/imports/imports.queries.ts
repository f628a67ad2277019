import type { Import, ImportRowError, RecordEntity } from '@pillar/shared';
import type { Tx } from '../../platform/db/tenant.js';

export interface ImportRow {
  id: string;
  entity: RecordEntity;
  status: Import['status'];
  file_name: string | null;
  size_bytes: number;
  delimiter: string;
  headers: string[];
  mapping: Array<string | null>;
  duplicate_policy: 'skip' | 'update' | 'create';
  rows_processed: number;
  last_line: number;
  bytes_processed: number;
  created_count: number;
  updated_count: number;
  skipped_count: number;
  failed_count: number;
  errors: ImportRowError[];
  error: string | null;
  created_by: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  version: number;
}

const COLS = `id, entity, status, file_name, size_bytes, delimiter, headers, mapping, duplicate_policy, rows_processed, last_line,
  bytes_processed, created_count, updated_count, skipped_count, failed_count, errors, error, created_by, created_at, started_at, finished_at, version`;

export async function insertImport(tx: Tx, r: Pick<ImportRow, 'id' | 'entity' | 'file_name' | 'size_bytes' | 'delimiter' | 'headers' | 'mapping' | 'duplicate_policy' | 'created_by'> & { tenant_id: string }): Promise<ImportRow> {
  const res = await tx.query<ImportRow>(
    `INSERT INTO imports (tenant_id, id, entity, file_name, size_bytes, delimiter, headers, mapping, duplicate_policy, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${COLS}`,
    [r.tenant_id, r.id, r.entity, r.file_name, r.size_bytes, r.delimiter, JSON.stringify(r.headers), JSON.stringify(r.mapping), r.duplicate_policy, r.created_by]);
  return res.rows[0]!;
}

export async function selectImport(tx: Tx, id: string, lock = false): Promise<ImportRow | undefined> {
  return (await tx.query<ImportRow>(`SELECT ${COLS} FROM imports WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id])).rows[0];
}

export async function selectImports(tx: Tx, beforeId: string | null, limit: number): Promise<ImportRow[]> {
  const r = await tx.query<ImportRow>(
    `SELECT ${COLS} FROM imports WHERE ($1::uuid IS NULL OR id < $1::uuid) ORDER BY id DESC LIMIT $2`, [beforeId, limit + 1]);
  return r.rows;
}

export async function updateImport(tx: Tx, id: string, set: Partial<Pick<ImportRow, 'status' | 'mapping' | 'duplicate_policy' | 'error'>> & { started?: boolean; finished?: boolean }): Promise<ImportRow> {
  const r = await tx.query<ImportRow>(
    `UPDATE imports SET status = coalesce($2, status), mapping = coalesce($3, mapping), duplicate_policy = coalesce($4, duplicate_policy),
            error = CASE WHEN $5::boolean THEN $6 ELSE error END,
            started_at = CASE WHEN $7 THEN coalesce(started_at, now()) ELSE started_at END,
            finished_at = CASE WHEN $8 THEN now() ELSE finished_at END,
            version = version + 1, updated_at = now()
      WHERE id = $1 RETURNING ${COLS}`,
    [id, set.status ?? null, set.mapping ? JSON.stringify(set.mapping) : null, set.duplicate_policy ?? null,
      set.error !== undefined, set.error ?? null, set.started ?? false, set.finished ?? false]);
  return r.rows[0]!;
}

export interface Progress {
  rows: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  lastLine: number;
  bytes: number;
  errors: ImportRowError[];
}

/** Committed with the batch it describes: after a crash the import resumes after exactly these rows. */
export async function saveProgress(tx: Tx, id: string, p: Progress, maxErrors: number): Promise<void> {
  await tx.query(
    `UPDATE imports SET rows_processed = rows_processed + $2, created_count = created_count + $3, updated_count = updated_count + $4,
            skipped_count = skipped_count + $5, failed_count = failed_count + $6, last_line = $7, bytes_processed = $8,
            errors = CASE WHEN jsonb_array_length(errors) >= $10 THEN errors
                          ELSE jsonb_path_query_array(errors || $9::jsonb, ('$[0 to ' || ($10 - 1) || ']')::jsonpath) END,
            updated_at = now()
      WHERE id = $1`,
    [id, p.rows, p.created, p.updated, p.skipped, p.failed, p.lastLine, p.bytes, JSON.stringify(p.errors), maxErrors]);
}

/** A run that stopped reporting (its process died) becomes resumable. */
export async function markStale(tx: Tx, id: string, staleSeconds: number): Promise<boolean> {
  const r = await tx.query(
    `UPDATE imports SET status = 'interrupted', error = 'The server stopped during the import; resume or undo it', version = version + 1
      WHERE id = $1 AND status IN ('queued', 'running', 'undoing') AND updated_at < now() - make_interval(secs => $2) RETURNING id`, [id, staleSeconds]);
  return r.rows.length > 0;
}

export async function deleteCreated(tx: Tx, table: RecordEntity, importId: string, limit: number): Promise<number> {
  const r = await tx.query(`DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} WHERE import_id = $1 LIMIT $2)`, [importId, limit]);
  return r.rowCount;
}

export async function snapshotChunk(tx: Tx, importId: string, afterId: string | null, limit: number): Promise<string[]> {
  const r = await tx.query<{ record_id: string }>(
    `SELECT record_id FROM import_snapshots WHERE import_id = $1 AND ($2::uuid IS NULL OR record_id > $2::uuid) ORDER BY record_id LIMIT $3`,
    [importId, afterId, limit]);
  return r.rows.map((x) => x.record_id);
}

/**
 * Puts back the fields an import overwrote, from its snapshots — only on records nobody has changed since
 * the import's update (version = snapshot + 1): a later edit is never reverted. Returns how many were restored.
 * Joined on the snapshot's `record_id` column: a join on the populated record's id is not indexable, and made
 * undo quadratic (8 s for 1,500 records on PostgreSQL).
 */
export async function restoreSnapshots(tx: Tx, table: 'contacts' | 'companies', importId: string, ids: string[], columns: string[]): Promise<number> {
  const r = await tx.query(
    `UPDATE ${table} t SET ${columns.map((c) => `${c} = o.${c}`).join(', ')}, version = t.version + 1, updated_at = now()
       FROM (SELECT s.record_id, (jsonb_populate_record(NULL::${table}, s.before)).* FROM import_snapshots s
              WHERE s.import_id = $1 AND s.record_id = ANY($2::uuid[])) o
      WHERE t.id = o.record_id AND t.version = o.version + 1`, [importId, ids]);
  return r.rowCount;
}

export async function loadMembers(tx: Tx): Promise<Map<string, string>> {
  const r = await tx.query<{ user_id: string; email: string; name: string | null }>(
    `SELECT m.user_id, u.email, u.name FROM memberships m JOIN users u ON u.id = m.user_id`);
  const map = new Map<string, string>();
  for (const m of r.rows) {
    map.set(m.email.toLowerCase(), m.user_id);
    if (m.name) map.set(m.name.toLowerCase(), m.user_id);
  }
  return map;
}

export async function loadPipelines(tx: Tx) {
  const r = await tx.query<{ pipeline_id: string; pipeline: string; is_default: boolean; stage_id: string; stage: string; kind: string }>(
    `SELECT p.id AS pipeline_id, p.name AS pipeline, p.is_default, s.id AS stage_id, s.name AS stage, s.kind
       FROM pipelines p JOIN stages s ON s.pipeline_id = p.id AND s.archived_at IS NULL
      WHERE p.archived_at IS NULL ORDER BY p.is_default DESC, p.position, p.id, s.position`);
  return r.rows;
}

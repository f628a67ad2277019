/** SQL of pipelines and stages. */
import type { Pipeline, Stage, StageKind } from '@pillar/shared';
import type { Tx } from '../../platform/db/tenant.js';

export type StageRow = Stage;
export type PipelineRow = Omit<Pipeline, 'stages'>;

export const STAGE_COLS = 'id, pipeline_id, name, position, probability, kind, archived_at, created_at, updated_at, version';
const PIPELINE_COLS = 'id, name, position, is_default, archived_at, created_at, updated_at, version';

export interface NewStage {
  id: string;
  name: string;
  probability: number;
  kind: StageKind;
}

/** Inserts the default pipeline unless the tenant has one; null when it already existed. */
export async function insertDefaultPipeline(tx: Tx, tenantId: string, id: string, name: string): Promise<string | null> {
  const r = await tx.query<{ id: string }>(
    `INSERT INTO pipelines (tenant_id, id, name, position, is_default) VALUES ($1, $2, $3, 0, true)
     ON CONFLICT (tenant_id) WHERE is_default DO NOTHING RETURNING id`, [tenantId, id, name]);
  return r.rows[0]?.id ?? null;
}

export async function insertPipeline(tx: Tx, tenantId: string, p: { id: string; name: string; isDefault: boolean }): Promise<void> {
  await tx.query(
    `INSERT INTO pipelines (tenant_id, id, name, position, is_default)
     VALUES ($1, $2, $3, (SELECT coalesce(max(position) + 1, 0) FROM pipelines), $4)`,
    [tenantId, p.id, p.name, p.isDefault]);
}

/** Appends stages after the pipeline's last position. */
export async function insertStages(tx: Tx, tenantId: string, pipelineId: string, stages: NewStage[]): Promise<void> {
  await tx.query(
    `INSERT INTO stages (tenant_id, id, pipeline_id, name, position, probability, kind)
     SELECT $1, s.id, $2, s.name, base.p + s.ord, s.probability, s.kind
       FROM unnest($3::uuid[], $4::text[], $5::int[], $6::text[]) WITH ORDINALITY AS s (id, name, probability, kind, ord),
            (SELECT coalesce(max(position), -1) AS p FROM stages WHERE pipeline_id = $2) AS base`,
    [tenantId, pipelineId, stages.map((s) => s.id), stages.map((s) => s.name), stages.map((s) => s.probability), stages.map((s) => s.kind)]);
}

export async function findDefaultPipelineId(tx: Tx): Promise<string | null> {
  const r = await tx.query<{ id: string }>('SELECT id FROM pipelines WHERE is_default LIMIT 1');
  return r.rows[0]?.id ?? null;
}

export async function listPipelines(tx: Tx, includeArchived: boolean): Promise<PipelineRow[]> {
  const r = await tx.query<PipelineRow>(
    `SELECT ${PIPELINE_COLS} FROM pipelines ${includeArchived ? '' : 'WHERE archived_at IS NULL'} ORDER BY position, created_at, id`);
  return r.rows;
}

export async function listStages(tx: Tx, pipelineIds: string[], includeArchived: boolean): Promise<StageRow[]> {
  const r = await tx.query<StageRow>(
    `SELECT ${STAGE_COLS} FROM stages WHERE pipeline_id = ANY($1::uuid[]) ${includeArchived ? '' : 'AND archived_at IS NULL'}
      ORDER BY pipeline_id, position, id`, [pipelineIds]);
  return r.rows;
}

export async function findPipeline(tx: Tx, id: string, lock = false): Promise<PipelineRow | null> {
  const r = await tx.query<PipelineRow>(`SELECT ${PIPELINE_COLS} FROM pipelines WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id]);
  return r.rows[0] ?? null;
}

export async function findStage(tx: Tx, id: string, lock = false): Promise<StageRow | null> {
  const r = await tx.query<StageRow>(`SELECT ${STAGE_COLS} FROM stages WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id]);
  return r.rows[0] ?? null;
}

/** A stage that can take deals: neither it nor its pipeline is archived (one round trip). */
export async function findLiveStage(tx: Tx, id: string): Promise<StageRow | null> {
  const r = await tx.query<StageRow>(
    `SELECT ${STAGE_COLS.split(', ').map((c) => `s.${c}`).join(', ')} FROM stages s JOIN pipelines p ON p.id = s.pipeline_id
      WHERE s.id = $1 AND s.archived_at IS NULL AND p.archived_at IS NULL`, [id]);
  return r.rows[0] ?? null;
}

export async function firstStageOfKind(tx: Tx, pipelineId: string, kind: StageKind): Promise<StageRow | null> {
  const r = await tx.query<StageRow>(
    `SELECT ${STAGE_COLS} FROM stages WHERE pipeline_id = $1 AND kind = $2 AND archived_at IS NULL ORDER BY position, id LIMIT 1`,
    [pipelineId, kind]);
  return r.rows[0] ?? null;
}

export async function updatePipeline(tx: Tx, id: string, p: { name?: string; position?: number; archived?: boolean }): Promise<PipelineRow> {
  const r = await tx.query<PipelineRow>(
    `UPDATE pipelines SET name = coalesce($2, name), position = coalesce($3, position),
            archived_at = CASE WHEN $4::boolean IS NULL THEN archived_at WHEN $4 THEN now() ELSE NULL END,
            updated_at = now(), version = version + 1
      WHERE id = $1 RETURNING ${PIPELINE_COLS}`,
    [id, p.name ?? null, p.position ?? null, p.archived ?? null]);
  return r.rows[0]!;
}

/** Moves the default flag to `id` (clears the old one first: the unique index allows one). */
export async function setDefaultPipeline(tx: Tx, id: string): Promise<void> {
  await tx.query('UPDATE pipelines SET is_default = false, updated_at = now(), version = version + 1 WHERE is_default AND id <> $1', [id]);
  await tx.query('UPDATE pipelines SET is_default = true WHERE id = $1', [id]);
}

export async function updateStage(tx: Tx, id: string, s: { name?: string; probability?: number; kind?: StageKind; archived?: boolean }): Promise<StageRow> {
  const r = await tx.query<StageRow>(
    `UPDATE stages SET name = coalesce($2, name), probability = coalesce($3, probability), kind = coalesce($4, kind),
            archived_at = CASE WHEN $5::boolean IS NULL THEN archived_at WHEN $5 THEN now() ELSE NULL END,
            updated_at = now(), version = version + 1
      WHERE id = $1 RETURNING ${STAGE_COLS}`,
    [id, s.name ?? null, s.probability ?? null, s.kind ?? null, s.archived ?? null]);
  return r.rows[0]!;
}

/** Renumbers the given stages 0..n-1 in the given order. */
export async function reorderStages(tx: Tx, pipelineId: string, ids: string[]): Promise<void> {
  await tx.query(
    `UPDATE stages s SET position = o.ord - 1, updated_at = now(), version = version + 1
       FROM unnest($2::uuid[]) WITH ORDINALITY AS o (id, ord)
      WHERE s.id = o.id AND s.pipeline_id = $1 AND s.position IS DISTINCT FROM o.ord - 1`,
    [pipelineId, ids]);
  // Archived stages keep their relative order after the live ones.
  await tx.query(
    `UPDATE stages s SET position = $3 + r.rn
       FROM (SELECT id, row_number() OVER (ORDER BY position, id) AS rn FROM stages
              WHERE pipeline_id = $1 AND NOT (id = ANY($2::uuid[]))) r
      WHERE s.id = r.id`,
    [pipelineId, ids, ids.length - 1]);
}

export async function countLiveDeals(tx: Tx, where: { stageId?: string; pipelineId?: string }): Promise<number> {
  const [col, val] = where.stageId ? ['stage_id', where.stageId] : ['pipeline_id', where.pipelineId];
  const r = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM deals WHERE ${col} = $1 AND deleted_at IS NULL`, [val]);
  return r.rows[0]!.n;
}

/** SQL of deal lists: filtered/sorted keyset pages, the board and one stage's cards. */
import { DealStatuses, type Deal, type ListQuery } from '@pillar/shared';
import type { Tx } from '../../platform/db/tenant.js';
import { decodeCursor, pageResult } from '../../platform/http/cursor.js';
import { SqlParams, compileFilter, compileSort, keyset, type CompiledSort, type FieldMap } from '../../platform/db/list-sql.js';
import { customFieldMap } from '../custom-fields/index.js';
import { DEAL_COLS, DEAL_FROM } from './deals.queries.js';

const FIELDS: FieldMap = {
  name: { sql: 'd.name', type: 'text' },
  value: { sql: 'd.value', type: 'number' },
  currency: { sql: 'd.currency::text', type: 'text', exact: true },
  probability: { sql: 'coalesce(d.probability, s.probability)', type: 'number' },
  status: { sql: 'd.status', type: 'enum', values: DealStatuses },
  lost_reason: { sql: 'd.lost_reason', type: 'text', nullable: true },
  pipeline_id: { sql: 'd.pipeline_id', type: 'uuid', sortable: false },
  stage_id: { sql: 'd.stage_id', type: 'uuid', sortable: false },
  contact_id: { sql: 'd.contact_id', type: 'uuid', nullable: true, sortable: false },
  company_id: { sql: 'd.company_id', type: 'uuid', nullable: true, sortable: false },
  lead_id: { sql: 'd.lead_id', type: 'uuid', nullable: true, sortable: false },
  owner_id: { sql: 'd.owner_id', type: 'uuid', nullable: true, sortable: false },
  source: { sql: 'd.source', type: 'text', nullable: true },
  expected_close_date: { sql: 'd.expected_close_date', type: 'date', nullable: true },
  closed_at: { sql: 'd.closed_at', type: 'timestamp', nullable: true },
  stage_entered_at: { sql: 'd.stage_entered_at', type: 'timestamp' },
  created_at: { sql: 'd.created_at', type: 'timestamp' },
  updated_at: { sql: 'd.updated_at', type: 'timestamp' },
  tags: { sql: 'd.tags', type: 'tags' },
};

/**
 * The sort key as it goes into a cursor. Timestamps travel as PostgreSQL text
 * (microseconds), not as parsed JS dates (milliseconds): a millisecond cursor
 * would skip rows created within the same millisecond as the page's last row.
 */
export function cursorKey(sort: CompiledSort): string {
  return sort.cast === 'timestamptz' ? `(${sort.key})::text` : sort.key;
}

export function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export async function listDeals(tx: Tx, query: ListQuery) {
  const fields = { ...FIELDS, ...(await customFieldMap(tx, 'deal', query)) };
  const p = new SqlParams();
  const where = ['d.deleted_at IS NULL'];
  if (query.filter) where.push(compileFilter(query.filter, fields, p));
  if (query.q) where.push(`d.name ILIKE ${p.add(likePattern(query.q))}`);
  const sort = compileSort(query.sort, fields, '-created_at');
  const cursor = query.cursor ? (decodeCursor(query.cursor, ['scalar', 'uuid']) as [unknown, unknown]) : null;
  const ks = keyset(sort, 'd.id', cursor, p);
  if (ks.after) where.push(ks.after);
  const rows = (await tx.query<Deal & { sort_key: unknown }>(
    `SELECT ${DEAL_COLS}, ${cursorKey(sort)} AS sort_key FROM ${DEAL_FROM} WHERE ${where.join(' AND ')} ORDER BY ${ks.orderBy} LIMIT ${p.add(query.limit + 1)}`,
    p.values)).rows;
  return pageResult(rows, query.limit, (r) => [r.sort_key, r.id]);
}

export interface StageTotals {
  stage_id: string;
  count: number;
  total_value: string;
  weighted_value: string;
}

export async function boardTotals(tx: Tx, pipelineId: string, ownerId: string | undefined): Promise<StageTotals[]> {
  return (await tx.query<StageTotals>(
    `SELECT s.id AS stage_id, count(d.id)::int AS count, coalesce(sum(d.value), 0)::numeric(18, 2)::text AS total_value,
            coalesce(sum(d.value * coalesce(d.probability, s.probability) / 100), 0)::numeric(18, 2)::text AS weighted_value
       FROM stages s LEFT JOIN deals d ON d.stage_id = s.id AND d.deleted_at IS NULL AND ($2::uuid IS NULL OR d.owner_id = $2)
      WHERE s.pipeline_id = $1 AND s.archived_at IS NULL GROUP BY s.id`, [pipelineId, ownerId ?? null])).rows;
}

/** The first `limit + 1` cards of every live stage of a pipeline, in board order. */
export async function boardCards(tx: Tx, pipelineId: string, ownerId: string | undefined, limit: number): Promise<Deal[]> {
  return (await tx.query<Deal>(
    `SELECT c.* FROM stages st CROSS JOIN LATERAL (
        SELECT ${DEAL_COLS} FROM ${DEAL_FROM}
         WHERE d.stage_id = st.id AND d.deleted_at IS NULL AND ($2::uuid IS NULL OR d.owner_id = $2)
         ORDER BY d.position, d.id LIMIT $3) c
      WHERE st.pipeline_id = $1 AND st.archived_at IS NULL`, [pipelineId, ownerId ?? null, limit + 1])).rows;
}

export async function stageCards(tx: Tx, stageId: string, opts: { ownerId?: string | undefined; limit: number; cursor?: string | undefined }) {
  const after = opts.cursor ? (decodeCursor(opts.cursor, ['string', 'uuid']) as [string, string]) : null;
  const rows = (await tx.query<Deal>(
    `SELECT ${DEAL_COLS} FROM ${DEAL_FROM}
      WHERE d.stage_id = $1 AND d.deleted_at IS NULL AND ($2::uuid IS NULL OR d.owner_id = $2)
        AND ($3::text IS NULL OR (d.position, d.id) > ($3::text COLLATE "C", $4::uuid))
      ORDER BY d.position, d.id LIMIT $5`,
    [stageId, opts.ownerId ?? null, after?.[0] ?? null, after?.[1] ?? null, opts.limit + 1])).rows;
  return pageResult(rows, opts.limit, (r) => [r.position, r.id]);
}

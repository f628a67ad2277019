import type { Tx } from '../../platform/db/tenant.js';

export interface PageSpec {
  table: string;
  columns: string;
  where: string;
  orderBy: string;
  key: string;
  params: unknown[];
  limit: number;
}

/** One keyset page; `_k` is the sort key as text (exact, whatever its type) for the next page's cursor. */
export async function selectPage(tx: Tx, s: PageSpec): Promise<Array<Record<string, unknown> & { _k: string; _id: string }>> {
  const r = await tx.query<Record<string, unknown> & { _k: string; _id: string }>(
    `SELECT ${s.columns}, (${s.key})::text AS _k, id AS _id FROM ${s.table}
      WHERE deleted_at IS NULL AND ${s.where} ORDER BY ${s.orderBy} LIMIT ${s.limit}`, s.params);
  return r.rows;
}

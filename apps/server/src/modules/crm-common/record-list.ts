/**
 * The list query of record tables (companies, contacts): filter, sort, keyset
 * cursor and `q` search, compiled by platform/db/list-sql over a whitelist of
 * fields. `q` goes through the tenant-confined SECURITY DEFINER search
 * functions (migration 0100); matches are ranked by relevance unless a sort
 * is given, and a list with `q` covers the best 500 matches.
 */
import type { ListQuery } from '@pillar/shared';
import type { Tx } from '../../platform/db/tenant.js';
import { compileFilter, compileSort, keyset, SqlParams, type FieldMap } from '../../platform/db/list-sql.js';
import { AppError } from '../../platform/errors.js';
import { decodeCursor, encodeCursor } from '../../platform/http/cursor.js';

export interface ListSpec {
  table: 'contacts' | 'companies';
  /** Repeated as a constant so per-tenant partial indexes (custom-field sorts) qualify. */
  tenantId: string;
  /** Select list over the unaliased table. */
  columns: string;
  fields: FieldMap;
  defaultSort: string;
  searchFunction: 'crm_search_contacts' | 'crm_search_companies';
}

export const SEARCH_LIST_LIMIT = 500;

function badCursor() {
  return new AppError('invalid_cursor', { message: 'The cursor is malformed or belongs to another list' });
}

function readCursor(cursor: string | undefined, sortRaw: string): [unknown, unknown] | null {
  if (!cursor) return null;
  const [field, key, id] = decodeCursor(cursor, ['string', 'string', 'uuid']);
  if (field !== sortRaw) throw badCursor();
  return [key, id];
}

export async function listRecords<T extends { id: string }>(
  tx: Tx, spec: ListSpec, query: ListQuery, extraWhere?: (p: SqlParams) => string,
): Promise<{ data: T[]; next_cursor: string | null }> {
  const p = new SqlParams();
  let from: string = spec.table;
  let fields = spec.fields;
  if (query.q) {
    from = `${spec.table} JOIN ${spec.searchFunction}(${p.add(query.q)}, ${SEARCH_LIST_LIMIT}) AS m (match_id, match_score) ON m.match_id = ${spec.table}.id`;
    fields = { ...fields, relevance: { sql: 'm.match_score', type: 'number', sortable: true } };
  }
  const sortRaw = query.sort ?? (query.q ? '-relevance' : spec.defaultSort);
  const sort = compileSort(sortRaw, fields, spec.defaultSort);
  const where = ['deleted_at IS NULL', `${spec.table}.tenant_id = ${p.add(spec.tenantId)}::uuid`];
  if (extraWhere) where.push(extraWhere(p));
  if (query.filter) where.push(compileFilter(query.filter, fields, p));
  const { orderBy, after } = keyset(sort, `${spec.table}.id`, readCursor(query.cursor, sortRaw), p);
  if (after) where.push(after);
  const sql = `SELECT ${spec.columns}, (${sort.key})::text AS sort_key__ FROM ${from}
                WHERE ${where.join(' AND ')} ORDER BY ${orderBy} LIMIT ${query.limit + 1}`;
  let rows: (T & { sort_key__: string })[];
  try {
    rows = (await tx.query<T & { sort_key__: string }>(sql, p.values)).rows;
  } catch (err) {
    // A cursor value that does not cast to the sort's type was forged.
    if ((err as { code?: string }).code === '22P02' || (err as { code?: string }).code === '22007') throw badCursor();
    throw err;
  }
  const hasMore = rows.length > query.limit;
  const page = hasMore ? rows.slice(0, query.limit) : rows;
  const last = page[page.length - 1];
  const data = page.map(({ sort_key__: _k, ...row }) => row as unknown as T);
  return { data, next_cursor: hasMore && last ? encodeCursor([sortRaw, last.sort_key__, last.id]) : null };
}

/** SQL of activities. */
import { ActivityTypes, type Activity, type ListQuery } from '@pillar/shared';
import type { Tx } from '../../platform/db/tenant.js';
import { SqlParams, compileFilter, compileSort, keyset, type FieldMap } from '../../platform/db/list-sql.js';
import { decodeCursor, pageResult } from '../../platform/http/cursor.js';
import { cursorKey, likePattern } from '../deals/index.js';

export const ACTIVITY_COLS = `a.id, a.type, a.subject, a.body, a.body_format, a.due_at, a.ends_at, a.completed_at,
  (a.completed_at IS NULL AND a.due_at IS NOT NULL AND a.due_at < now()) AS is_overdue,
  a.assignee_id, a.contact_id, a.company_id, a.lead_id, a.deal_id, a.created_by, a.created_at, a.updated_at, a.version, a.deleted_at`;

const FIELDS: FieldMap = {
  type: { sql: 'a.type', type: 'enum', values: ActivityTypes },
  subject: { sql: 'a.subject', type: 'text' },
  assignee_id: { sql: 'a.assignee_id', type: 'uuid', nullable: true, sortable: false },
  contact_id: { sql: 'a.contact_id', type: 'uuid', nullable: true, sortable: false },
  company_id: { sql: 'a.company_id', type: 'uuid', nullable: true, sortable: false },
  lead_id: { sql: 'a.lead_id', type: 'uuid', nullable: true, sortable: false },
  deal_id: { sql: 'a.deal_id', type: 'uuid', nullable: true, sortable: false },
  due_at: { sql: 'a.due_at', type: 'timestamp', nullable: true },
  ends_at: { sql: 'a.ends_at', type: 'timestamp', nullable: true },
  completed_at: { sql: 'a.completed_at', type: 'timestamp', nullable: true },
  created_by: { sql: 'a.created_by', type: 'uuid', nullable: true, sortable: false },
  created_at: { sql: 'a.created_at', type: 'timestamp' },
  updated_at: { sql: 'a.updated_at', type: 'timestamp' },
};

export async function findActivity(tx: Tx, id: string, opts: { lock?: boolean; deleted?: boolean } = {}): Promise<Activity | null> {
  const r = await tx.query<Activity>(
    `SELECT ${ACTIVITY_COLS} FROM activities a WHERE a.id = $1 AND a.deleted_at IS ${opts.deleted ? 'NOT ' : ''}NULL ${opts.lock ? 'FOR UPDATE' : ''}`, [id]);
  return r.rows[0] ?? null;
}

const COLUMNS = ['type', 'subject', 'body', 'body_format', 'due_at', 'ends_at', 'completed_at', 'assignee_id', 'contact_id', 'company_id', 'lead_id', 'deal_id'] as const;
export type ActivityValues = Partial<Record<(typeof COLUMNS)[number], unknown>>;

export async function insertActivity(tx: Tx, tenantId: string, id: string, createdBy: string | null, values: ActivityValues): Promise<void> {
  const keys = COLUMNS.filter((k) => k in values);
  await tx.query(
    `INSERT INTO activities (tenant_id, id, created_by, ${keys.join(', ')}) VALUES ($1, $2, $3, ${keys.map((_, i) => `$${i + 4}`).join(', ')})`,
    [tenantId, id, createdBy, ...keys.map((k) => values[k] ?? null)]);
}

export async function updateActivity(tx: Tx, id: string, values: ActivityValues): Promise<void> {
  const keys = COLUMNS.filter((k) => k in values);
  const sets = keys.map((k, i) => `${k} = $${i + 2}`);
  await tx.query(`UPDATE activities SET ${[...sets, 'updated_at = now()', 'version = version + 1'].join(', ')} WHERE id = $1`,
    [id, ...keys.map((k) => values[k] ?? null)]);
}

export async function setDeleted(tx: Tx, id: string, deleted: boolean): Promise<void> {
  await tx.query(`UPDATE activities SET deleted_at = ${deleted ? 'now()' : 'NULL'}, updated_at = now(), version = version + 1 WHERE id = $1`, [id]);
}

export async function listActivities(tx: Tx, query: ListQuery) {
  const p = new SqlParams();
  const where = ['a.deleted_at IS NULL'];
  if (query.filter) where.push(compileFilter(query.filter, FIELDS, p));
  if (query.q) where.push(`a.subject ILIKE ${p.add(likePattern(query.q))}`);
  const sort = compileSort(query.sort, FIELDS, '-created_at');
  const cursor = query.cursor ? (decodeCursor(query.cursor, ['scalar', 'uuid']) as [unknown, unknown]) : null;
  const ks = keyset(sort, 'a.id', cursor, p);
  if (ks.after) where.push(ks.after);
  const rows = (await tx.query<Activity & { sort_key: unknown }>(
    `SELECT ${ACTIVITY_COLS}, ${cursorKey(sort)} AS sort_key FROM activities a WHERE ${where.join(' AND ')} ORDER BY ${ks.orderBy} LIMIT ${p.add(query.limit + 1)}`,
    p.values)).rows;
  return pageResult(rows, query.limit, (r) => [r.sort_key, r.id]);
}

/**
 * Open activities by due date (undated last): the current user's open tasks,
 * or everything overdue (optionally for one assignee).
 */
export async function listOpenByDue(tx: Tx, scope: { kind: 'my-tasks'; userId: string } | { kind: 'overdue'; assigneeId?: string | undefined },
  page: { limit: number; cursor?: string | undefined }) {
  const p = new SqlParams();
  const key = `coalesce(a.due_at, 'infinity'::timestamptz)`;
  const where = ['a.deleted_at IS NULL', 'a.completed_at IS NULL'];
  if (scope.kind === 'my-tasks') where.push(`a.type = 'task'`, `a.assignee_id = ${p.add(scope.userId)}::uuid`);
  else {
    where.push('a.due_at < now()');
    if (scope.assigneeId) where.push(`a.assignee_id = ${p.add(scope.assigneeId)}::uuid`);
  }
  if (page.cursor) {
    const [due, id] = decodeCursor(page.cursor, ['string', 'uuid']);
    where.push(`(${key}, a.id) > (${p.add(due)}::timestamptz, ${p.add(id)}::uuid)`);
  }
  const rows = (await tx.query<Activity & { due_key: string }>(
    `SELECT ${ACTIVITY_COLS}, ${key} AS due_key FROM activities a WHERE ${where.join(' AND ')} ORDER BY ${key}, a.id LIMIT ${p.add(page.limit + 1)}`,
    p.values)).rows;
  return pageResult(rows, page.limit, (r) => [r.due_key, r.id]);
}

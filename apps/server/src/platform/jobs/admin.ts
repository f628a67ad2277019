/**
 * Security-critical: the jobs admin API reads pg-boss's tables, which are not
 * tenant tables (no row-level security), so every statement here filters on
 * the job envelope's `tenantId`. Another tenant's job is "not found".
 */
import type { Database } from '../db/database.js';
import { AppError, notFound } from '../errors.js';
import { decodeCursor, pageResult } from '../http/cursor.js';
import type { JobRunner } from './runner.js';
import { BOSS_SCHEMA } from './runner.js';

export interface JobRow {
  id: string;
  queue: string;
  state: string;
  data: Record<string, unknown>;
  retry_count: number;
  error: unknown;
  created_at: string;
  completed_at: string | null;
  source_name: string | null;
}

const SELECT = `SELECT id, name AS queue, state, coalesce(data->'data', '{}'::jsonb) AS data, retry_count,
                       output->>'message' AS error, created_on AS created_at, completed_on AS completed_at, source_name
                  FROM ${BOSS_SCHEMA}.job`;
const DEAD = `name LIKE '%.dead' AND state IN ('created', 'retry')`;
const FAILED = `state = 'failed' AND name NOT LIKE '%.dead'`;

export async function listJobs(db: Database, jobs: JobRunner, tenantId: string, q: { state: 'failed' | 'dead'; limit: number; cursor?: string | undefined }) {
  await jobs.boss();
  const params: unknown[] = [tenantId, q.limit + 1];
  let after = '';
  if (q.cursor) {
    const [createdAt, id] = decodeCursor(q.cursor, ['string', 'uuid']);
    if (Number.isNaN(Date.parse(String(createdAt)))) throw new AppError('invalid_cursor');
    params.push(createdAt, id);
    after = `AND (created_on, id) < ($3::timestamptz, $4::uuid)`;
  }
  const rows = await db.query<JobRow>(
    `${SELECT} WHERE data->>'tenantId' = $1 AND ${q.state === 'dead' ? DEAD : FAILED} ${after}
      ORDER BY created_on DESC, id DESC LIMIT $2`, params);
  return pageResult(rows.rows.map(({ source_name: _s, ...r }) => r), q.limit, (r) => [r.created_at, r.id]);
}

async function findJob(db: Database, tenantId: string, id: string): Promise<JobRow> {
  const r = await db.query<JobRow>(`${SELECT} WHERE id = $1 AND data->>'tenantId' = $2 AND (${DEAD} OR ${FAILED})`, [id, tenantId]);
  if (!r.rows[0]) throw notFound('Job');
  return r.rows[0];
}

/** Failed job: retried in place. Dead-lettered job: sent back to the queue it failed on. */
export async function retryJob(db: Database, jobs: JobRunner, tenantId: string, id: string): Promise<void> {
  const boss = await jobs.boss();
  const job = await findJob(db, tenantId, id);
  if (job.state === 'failed') {
    await boss.retry(job.queue, id);
    return;
  }
  const source = job.source_name ?? job.queue.replace(/\.dead$/, '');
  await jobs.enqueue(source, tenantId, job.data);
  await boss.deleteJob(job.queue, id);
}

export async function discardJob(db: Database, jobs: JobRunner, tenantId: string, id: string): Promise<void> {
  const boss = await jobs.boss();
  const job = await findJob(db, tenantId, id);
  await boss.deleteJob(job.queue, id);
}

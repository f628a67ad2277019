/**
 * Platform housekeeping on a schedule: expired or long-used sign-in tokens,
 * password-reset tokens and idempotency keys older than 24 h; report rollup
 * compaction; planner statistics for custom fields. These tables are
 * global (or read across tenants), so the task runs on the unrestricted path.
 */
import type { Database } from '../db/database.js';
import { withSystem } from '../db/system.js';

export interface SystemTask {
  name: string;
  cron: string;
  run(): Promise<void>;
}

export interface ExpiredCounts {
  refreshTokens: number;
  passwordResets: number;
  idempotencyKeys: number;
}

/** Deletes what can no longer be used. Refresh tokens stay a day past expiry so reuse detection still sees them. */
export function expireTokens(db: Database): Promise<ExpiredCounts> {
  return withSystem(db, async (tx) => {
    const refresh = await tx.query(`DELETE FROM refresh_tokens WHERE expires_at < now() - interval '1 day'`);
    const resets = await tx.query(`DELETE FROM password_resets WHERE expires_at < now() OR used_at IS NOT NULL`);
    const keys = await tx.query(`DELETE FROM idempotency_keys WHERE created_at < now() - interval '24 hours'`);
    return { refreshTokens: refresh.rowCount, passwordResets: resets.rowCount, idempotencyKeys: keys.rowCount };
  });
}

/** Folds the report rollups' pending delta rows into one row per group (migration 0501); sums do not change. */
export function compactReportRollups(db: Database): Promise<number> {
  return withSystem(db, async (tx) => (await tx.query<{ n: number }>('SELECT report_compact() AS n')).rows[0]!.n);
}

const RECORD_TABLES = ['contacts', 'companies', 'leads', 'deals'] as const;

/**
 * Planner statistics for the custom text fields filters compare (migration 0503): creates the missing objects and
 * analyses the tables that got one, one table per transaction. Returns how many objects were created.
 */
export async function refreshCustomFieldStatistics(db: Database): Promise<number> {
  let created = 0;
  for (const table of RECORD_TABLES) {
    created += await withSystem(db, async (tx) =>
      (await tx.query<{ n: number }>('SELECT crm_refresh_custom_field_statistics($1) AS n', [table])).rows[0]!.n);
  }
  return created;
}

export function systemTasks(db: Database): SystemTask[] {
  return [
    { name: 'platform.expire-tokens', cron: '17 * * * *', run: async () => void (await expireTokens(db)) },
    { name: 'reports.compact-rollups', cron: '* * * * *', run: async () => void (await compactReportRollups(db)) },
    { name: 'records.custom-field-statistics', cron: '*/5 * * * *', run: async () => void (await refreshCustomFieldStatistics(db)) },
  ];
}

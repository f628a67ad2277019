/**
 * Security-critical: a whole firm's data. Export streams every tenant table
 * the request role can read, page by page under RLS, leaving out secrets
 * (hashes, sealed keys, tokens) and the idempotency cache. Deletion removes
 * the firm and, through ON DELETE CASCADE, every row it owns, plus its
 * background jobs and the accounts of people who belonged to no other firm.
 */
import { Readable } from 'node:stream';
import type { Database, QueryResult } from '../db/database.js';
import { withSystem } from '../db/system.js';
import { withTenant, type TenantContext } from '../db/tenant.js';
import { AppError, notFound } from '../errors.js';

const IDENT = /^[a-z_][a-z0-9_]*$/;
const SECRET_COLUMN = /(hash|secret|sealed|token)/;
const NOT_EXPORTED = new Set(['idempotency_keys']);
const PAGE = 500;

interface TableInfo {
  name: string;
  columns: string[];
  hasId: boolean;
}

async function exportableTables(ctx: TenantContext): Promise<TableInfo[]> {
  // pg_catalog rather than information_schema: the request role cannot read the latter on every engine.
  const r = await withTenant(ctx, (tx) => tx.query<{ table_name: string; columns: string[] }>(
    `SELECT c.relname AS table_name, array_agg(a.attname::text ORDER BY a.attnum) AS columns
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND EXISTS (SELECT 1 FROM pg_attribute t WHERE t.attrelid = c.oid AND t.attname = 'tenant_id' AND NOT t.attisdropped)
        AND has_table_privilege(c.oid, 'SELECT') AND has_column_privilege(c.oid, a.attnum, 'SELECT')
      GROUP BY c.relname ORDER BY c.relname`));
  return r.rows
    .filter((t) => IDENT.test(t.table_name) && !NOT_EXPORTED.has(t.table_name))
    .map((t) => {
      const columns = t.columns.filter((c) => IDENT.test(c) && !SECRET_COLUMN.test(c));
      return { name: t.table_name, columns, hasId: columns.includes('id') };
    });
}

async function* tableRows(ctx: TenantContext, table: TableInfo): AsyncGenerator<string> {
  let after: string | null = null;
  for (;;) {
    const where: string = table.hasId && after ? 'WHERE t.id > $1' : '';
    const order = table.hasId ? 'ORDER BY t.id' : 'ORDER BY 1';
    const limit = table.hasId ? `LIMIT ${PAGE}` : '';
    const params: string[] = table.hasId && after ? [after] : [];
    const rows: QueryResult<{ id: string | null; r: string }> = await withTenant(ctx, (tx) => tx.query<{ id: string | null; r: string }>(
      `SELECT ${table.hasId ? 't.id::text' : 'NULL'} AS id, (${jsonObject(table.columns)})::text AS r FROM "${table.name}" t ${where} ${order} ${limit}`, params));
    for (const row of rows.rows) yield row.r;
    if (!table.hasId || rows.rows.length < PAGE) return;
    after = rows.rows[rows.rows.length - 1]!.id;
  }
}

/** jsonb_build_object takes at most 100 arguments: wide tables are built in chunks and concatenated. */
function jsonObject(columns: string[]): string {
  const chunks: string[] = [];
  for (let i = 0; i < columns.length; i += 40) {
    chunks.push(`jsonb_build_object(${columns.slice(i, i + 40).map((c) => `'${c}', t."${c}"`).join(', ')})`);
  }
  return chunks.length ? chunks.join(' || ') : `'{}'::jsonb`;
}

async function* tenantExport(ctx: TenantContext): AsyncGenerator<string> {
  const tables = await exportableTables(ctx);
  const tenant = await withTenant(ctx, (tx) => tx.query<{ r: string }>('SELECT to_jsonb(t)::text AS r FROM tenants t'));
  yield `{"format":"pillar-tenant-export","version":1,"exported_at":${JSON.stringify(new Date().toISOString())},"tenant":${tenant.rows[0]?.r ?? 'null'},"tables":{`;
  let firstTable = true;
  for (const table of tables) {
    yield `${firstTable ? '' : ','}${JSON.stringify(table.name)}:[`;
    firstTable = false;
    let first = true;
    for await (const row of tableRows(ctx, table)) {
      yield `${first ? '' : ','}${row}`;
      first = false;
    }
    yield ']';
  }
  yield '}}';
}

/** The whole firm as one JSON document, streamed. */
export function streamTenantExport(ctx: TenantContext): Readable {
  return Readable.from(tenantExport(ctx));
}

/** Deletes the firm after the owner confirmed its exact name. */
export async function deleteTenant(ctx: TenantContext, confirmName: string): Promise<void> {
  const tenant = await withTenant(ctx, async (tx) => (await tx.query<{ name: string }>('SELECT name FROM tenants')).rows[0]);
  if (!tenant) throw notFound('Firm');
  if (tenant.name !== confirmName) {
    throw new AppError('unprocessable', { message: 'Type the firm\'s exact name to confirm', errors: [{ path: 'body.confirm_name', message: 'does not match the firm\'s name' }] });
  }
  await purgeTenant(ctx.db, ctx.tenantId);
}

async function purgeTenant(db: Database, tenantId: string): Promise<void> {
  await withSystem(db, async (tx) => {
    const members = await tx.query<{ user_id: string }>('SELECT user_id FROM memberships WHERE tenant_id = $1', [tenantId]);
    await tx.query('DELETE FROM tenants WHERE id = $1', [tenantId]);
    await tx.query(
      `DELETE FROM users u WHERE u.id = ANY($1::uuid[]) AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id)`,
      [members.rows.map((m) => m.user_id)]);
    if ((await tx.query<{ ok: boolean }>(`SELECT to_regclass('pgboss.job') IS NOT NULL AS ok`)).rows[0]?.ok) {
      await tx.query(`DELETE FROM pgboss.job WHERE data->>'tenantId' = $1`, [tenantId]);
    }
  });
}

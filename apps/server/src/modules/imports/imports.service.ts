/** CSV imports: upload, mapping, dry run, background run with progress, resume, undo. */
import type { Readable } from 'node:stream';
import type { DryRunResult, Import, ImportMapping, RecordEntity } from '@pillar/shared';
import { uuidv7 } from 'uuidv7';
import { recordChange } from '../../platform/audit.js';
import { withTenant, type TenantContext } from '../../platform/db/tenant.js';
import { AppError, notFound, preconditionFailed } from '../../platform/errors.js';
import { decodeCursor, pageResult } from '../../platform/http/cursor.js';
import { loadCustomFields } from '../records/index.js';
import { autoMap, targetFields } from './headers.js';
import { dryRunImport, runImport } from './import-run.js';
import { insertImport, markStale, selectImport, selectImports, updateImport, type ImportRow } from './imports.queries.js';
import { isRunning, launch, settle } from './runner.js';
import { importFile, removeFile, saveUpload, sniff } from './source.js';
import { runUndo } from './undo-run.js';

/** A run that has not written progress for this long is taken as dead (its process stopped). */
const STALE_SECONDS = Number(process.env.IMPORT_STALE_SECONDS ?? 120);

export function toImport(r: ImportRow): Import {
  const done = r.status === 'completed' || r.status === 'undone';
  const percentage = done ? 100 : r.size_bytes > 0 ? Math.min(100, Math.floor((r.bytes_processed / r.size_bytes) * 1000) / 10) : 0;
  return {
    id: r.id, entity: r.entity, status: r.status, file_name: r.file_name, size_bytes: r.size_bytes, delimiter: r.delimiter, headers: r.headers,
    mapping: r.mapping, duplicate_policy: r.duplicate_policy, rows_processed: r.rows_processed, created: r.created_count, updated: r.updated_count,
    skipped: r.skipped_count, failed: r.failed_count, percentage, errors: r.errors, error: r.error, created_at: r.created_at,
    started_at: r.started_at, finished_at: r.finished_at, version: r.version,
  };
}

export async function createImport(ctx: TenantContext, dataDir: string, q: { entity: RecordEntity; file_name?: string | undefined; duplicate_policy?: ImportRow['duplicate_policy'] | undefined }, body: Readable): Promise<Import> {
  const id = uuidv7();
  const file = importFile(dataDir, ctx.tenantId, id);
  const size = await saveUpload(body, file);
  try {
    const { delimiter, headers } = await sniff(file);
    return await withTenant(ctx, async (tx) => {
      const mapping = autoMap(q.entity, headers, await loadCustomFields(tx, q.entity));
      const row = await insertImport(tx, {
        tenant_id: ctx.tenantId, id, entity: q.entity, file_name: q.file_name ?? null, size_bytes: size, delimiter, headers, mapping,
        duplicate_policy: q.duplicate_policy ?? 'skip', created_by: ctx.userId,
      });
      await recordChange(tx, ctx, { action: 'import.upload', entity: 'import', entityId: id, after: { entity: q.entity, file_name: row.file_name, size_bytes: size } });
      return toImport(row);
    });
  } catch (err) {
    await removeFile(file);
    throw err;
  }
}

export async function listImports(ctx: TenantContext, q: { limit: number; cursor?: string | undefined }) {
  const before = q.cursor ? (decodeCursor(q.cursor, ['uuid'])[0] as string) : null;
  const rows = await withTenant(ctx, (tx) => selectImports(tx, before, q.limit));
  const page = pageResult(rows, q.limit, (last) => [last.id]);
  return { ...page, data: page.data.map(toImport) };
}

async function findImportOrThrow(ctx: TenantContext, id: string): Promise<ImportRow> {
  const row = await withTenant(ctx, async (tx) => {
    if (!isRunning(id)) await markStale(tx, id, STALE_SECONDS);
    return selectImport(tx, id);
  });
  if (!row) throw notFound('Import');
  return row;
}

export async function getImportOrThrow(ctx: TenantContext, id: string): Promise<Import> {
  return toImport(await findImportOrThrow(ctx, id));
}

export async function importFields(ctx: TenantContext, entity: RecordEntity) {
  return targetFields(entity, await withTenant(ctx, (tx) => loadCustomFields(tx, entity)));
}

function conflict(message: string): AppError {
  return new AppError('conflict', { message });
}

const REQUIRED: Record<RecordEntity, string[][]> = {
  contacts: [['first_name', 'last_name', 'full_name', 'email']],
  companies: [['name', 'domain', 'website']],
  leads: [['title']],
  deals: [['name']],
};

function checkMapping(entity: RecordEntity, headers: string[], mapping: Array<string | null>, known: Set<string>) {
  const bad = (message: string) => new AppError('validation_failed', { message, errors: [{ path: 'body.mapping', message }] });
  if (mapping.length !== headers.length) throw bad(`give one entry per column (${headers.length})`);
  const used = mapping.filter((m): m is string => m !== null);
  const unknown = used.filter((m) => !known.has(m));
  if (unknown.length) throw bad(`unknown fields: ${unknown.join(', ')}`);
  if (new Set(used).size !== used.length) throw bad('a field may be mapped from one column only');
  for (const anyOf of REQUIRED[entity]) if (!anyOf.some((f) => used.includes(f))) throw bad(`map at least one of ${anyOf.join(', ')}`);
}

export async function setMapping(ctx: TenantContext, id: string, input: ImportMapping, expected: number | undefined): Promise<Import> {
  return withTenant(ctx, async (tx) => {
    const before = await selectImport(tx, id, true);
    if (!before) throw notFound('Import');
    if (expected !== undefined && expected !== before.version) throw preconditionFailed(before.version);
    if (before.status !== 'uploaded') throw conflict(`The import is ${before.status}; the mapping can no longer change`);
    const known = new Set(targetFields(before.entity, await loadCustomFields(tx, before.entity)).map((t) => t.field));
    checkMapping(before.entity, before.headers, input.mapping, known);
    const after = await updateImport(tx, id, { mapping: input.mapping, ...(input.duplicate_policy ? { duplicate_policy: input.duplicate_policy } : {}) });
    await recordChange(tx, ctx, { action: 'import.map', entity: 'import', entityId: id, before: { mapping: before.mapping, duplicate_policy: before.duplicate_policy }, after: { mapping: after.mapping, duplicate_policy: after.duplicate_policy } });
    return toImport(after);
  });
}

export async function dryRun(ctx: TenantContext, dataDir: string, id: string): Promise<DryRunResult> {
  const imp = await findImportOrThrow(ctx, id);
  if (imp.status !== 'uploaded') throw conflict(`The import is ${imp.status}; a dry run checks a file before it runs`);
  const known = new Set(targetFields(imp.entity, await withTenant(ctx, (tx) => loadCustomFields(tx, imp.entity))).map((t) => t.field));
  checkMapping(imp.entity, imp.headers, imp.mapping, known);
  return dryRunImport(ctx, imp, importFile(dataDir, ctx.tenantId, id));
}

function startRun(ctx: TenantContext, dataDir: string, id: string, log: (err: unknown) => void) {
  const file = importFile(dataDir, ctx.tenantId, id);
  launch(id, (signal) => runImport(ctx, id, file, signal), log);
}

/** Starts (status `uploaded`) or resumes (`interrupted`, or `failed` part-way) the background run. */
export async function startImport(ctx: TenantContext, dataDir: string, id: string, log: (err: unknown) => void): Promise<Import> {
  const imp = await findImportOrThrow(ctx, id);
  if (['completed', 'failed', 'interrupted'].includes(imp.status)) await settle(id);
  if (isRunning(id)) throw conflict('The import is already running');
  const resumable = imp.status === 'interrupted' || (imp.status === 'failed' && imp.finished_at !== null && imp.rows_processed > 0);
  if (imp.status !== 'uploaded' && !resumable) throw conflict(`The import is ${imp.status}`);
  const known = new Set(targetFields(imp.entity, await withTenant(ctx, (tx) => loadCustomFields(tx, imp.entity))).map((t) => t.field));
  checkMapping(imp.entity, imp.headers, imp.mapping, known);
  const queued = await withTenant(ctx, async (tx) => {
    const row = await updateImport(tx, id, { status: 'queued', error: null });
    await recordChange(tx, ctx, { action: imp.status === 'uploaded' ? 'import.start' : 'import.resume', entity: 'import', entityId: id, after: { status: 'queued', from_row: imp.rows_processed } });
    return row;
  });
  startRun(ctx, dataDir, id, log);
  return toImport(queued);
}

export async function undoImport(ctx: TenantContext, dataDir: string, id: string, log: (err: unknown) => void): Promise<Import> {
  const imp = await findImportOrThrow(ctx, id);
  if (['completed', 'failed', 'interrupted'].includes(imp.status)) await settle(id);
  if (isRunning(id) || !['completed', 'failed', 'interrupted'].includes(imp.status)) throw conflict(`The import is ${imp.status}; only a finished or stopped import can be undone`);
  const row = await withTenant(ctx, (tx) => updateImport(tx, id, { status: 'undoing', error: null }));
  launch(id, () => runUndo(ctx, row, importFile(dataDir, ctx.tenantId, id)), log);
  return toImport(row);
}

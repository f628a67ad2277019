/**
 * Runs an import: streams the file, checks rows in JS, writes batches of
 * BATCH_SIZE rows — each batch, its progress (rows done, last line) and a
 * batch audit row in one transaction — so a crash loses at most the batches in
 * flight and a resume continues after the last committed row.
 *
 * On PostgreSQL two batches are written at once, on two connections (index
 * maintenance is CPU work in the backend, one core per batch), while the next
 * one is parsed and checked. Commits stay in file order: a batch writes its
 * progress only after the batch before it has committed, and rolls back if
 * that one failed, so the committed rows are always a prefix of the file.
 * The embedded engine has one connection and writes one batch at a time.
 */
import type { DryRunResult, ImportRowError } from '@pillar/shared';
import { recordChange } from '../../platform/audit.js';
import { withTenant, type TenantContext, type Tx } from '../../platform/db/tenant.js';
import { loadCustomFields } from '../records/index.js';
import { loadMembers, loadPipelines, saveProgress, updateImport, type ImportRow } from './imports.queries.js';
import { toCandidate, type Candidate, type Prep } from './rows.js';
import type { RunSignal } from './runner.js';
import { readRecords, removeFile, type SourceRecord } from './source.js';
import { writeBatch, type BatchContext, type PreviousBatch } from './writer.js';

export const MAX_ERRORS = 100;
export const BATCH_SIZE = Number(process.env.IMPORT_BATCH_SIZE ?? 1000);
/** Batches written at the same time on PostgreSQL. */
export const WRITERS = Number(process.env.IMPORT_WRITERS ?? 2);

export async function loadPrep(tx: Tx, imp: ImportRow): Promise<Prep> {
  const defs = new Map((await loadCustomFields(tx, imp.entity)).map((d) => [d.key, d]));
  const pipelines: Prep['pipelines'] = new Map();
  if (imp.entity === 'deals') {
    for (const row of await loadPipelines(tx)) {
      const key = row.pipeline.toLowerCase();
      let p = pipelines.get(key);
      if (!p) {
        p = { id: row.pipeline_id, stages: new Map(), first: { id: row.stage_id, kind: row.kind } };
        pipelines.set(key, p);
        if (!pipelines.has(null)) pipelines.set(null, p);
      }
      if (!p.stages.has(row.stage.toLowerCase())) p.stages.set(row.stage.toLowerCase(), { id: row.stage_id, kind: row.kind });
    }
  }
  return { entity: imp.entity, mapping: imp.mapping, defs, members: await loadMembers(tx), pipelines };
}

interface Checked { candidates: Candidate[]; errors: ImportRowError[]; failed: number; last: SourceRecord; count: number }

function check(records: SourceRecord[], prep: Prep): Checked {
  const candidates: Candidate[] = [];
  const errors: ImportRowError[] = [];
  let failed = 0;
  for (const r of records) {
    const res = toCandidate(r.record, r.line, prep);
    if (res.ok) candidates.push(res.candidate);
    else {
      failed++;
      if (errors.length < MAX_ERRORS) errors.push(...res.errors.slice(0, 3));
    }
  }
  return { candidates, errors, failed, last: records[records.length - 1]!, count: records.length };
}

function batchContext(ctx: TenantContext, imp: ImportRow, dryRun: boolean): BatchContext {
  return { entity: imp.entity, tenantId: ctx.tenantId, importId: imp.id, userId: ctx.userId, policy: imp.duplicate_policy, dryRun, companies: new Map() };
}

/** Row counts after which the planner statistics are refreshed (see migration 0301). */
const STATS_AT = [2_000, 20_000, 100_000, 400_000];

/** Row estimates of the tables an import writes, at its start. */
async function tableSizes(tx: Tx, imp: ImportRow): Promise<Map<string, number>> {
  const tables = imp.entity === 'companies' ? ['companies'] : [imp.entity, 'companies'];
  const r = await tx.query<{ t: string; n: number }>(
    `SELECT relname AS t, greatest(reltuples, 0)::float8 AS n FROM pg_class WHERE oid = ANY($1::regclass[])`, [tables]);
  return new Map(tables.map((t) => [t, r.rows.find((x) => x.t === t)?.n ?? 0]));
}

/**
 * Refreshes statistics that the import has made wrong: only once it has written at least as many rows as
 * the table held (an empty table "grows" at the first threshold). ANALYZE reads a sample of the whole
 * table; on a table of millions it costs seconds, and an import that adds a fraction of that changes no plan.
 */
async function refreshStats(ctx: TenantContext, sizes: Map<string, number>, before: number, after: number) {
  if (!STATS_AT.some((n) => before < n && after >= n)) return;
  for (const [table, size] of sizes) {
    if (after >= size) await withTenant(ctx, (tx) => tx.query('SELECT data_refresh_stats($1)', [table]));
  }
}

interface Written { committed: Promise<void>; done: Promise<void> }

/**
 * Writes one checked batch in its own transaction. Its progress and audit row are written only after the
 * previous batch has committed, so batches commit in file order; if the previous one failed, this one
 * rolls back. Companies it created join the shared map once committed.
 */
function commitBatch(ctx: TenantContext, imp: ImportRow, b: BatchContext, c: Checked, previous: PreviousBatch | null): Promise<void> {
  const attempt = (bc: BatchContext) => withTenant(ctx, async (tx) => {
    // Trigram and tag indexes take new entries in bulk from the GIN pending list.
    await tx.query(`SELECT set_config('gin_pending_list_limit', '16384', true)`);
    const res = await writeBatch(tx, bc, c.candidates, previous);
    if (previous) await previous.committed;
    const summary = { created: res.created, updated: res.updated, skipped: res.skipped, failed: res.failed + c.failed };
    await saveProgress(tx, imp.id, { rows: c.count, ...summary, lastLine: c.last.line, bytes: c.last.bytes, errors: [...c.errors, ...res.errors] }, MAX_ERRORS);
    await recordChange(tx, ctx, { action: 'import.batch', entity: 'import', entityId: imp.id, after: { ...summary, rows: c.count, to_line: c.last.line } });
    return res.newCompanies;
  });
  return attempt(b)
    // A concurrent writer took one of the keys after the lookup: once more, skipping such rows.
    .catch((err: unknown) => {
      if ((err as { code?: string }).code !== '23505') throw err;
      return attempt({ ...b, skipConflicts: true });
    })
    .then((created) => {
      for (const [k, id] of created) b.companies.set(k, id);
    });
}

function keysOf(c: Checked): { keys: Set<string>; companyNames: Set<string> } {
  const keys = new Set<string>();
  const companyNames = new Set<string>();
  for (const x of c.candidates) {
    if (x.key) keys.add(x.key);
    if (x.companyName) companyNames.add(x.companyName.toLowerCase());
  }
  return { keys, companyNames };
}

async function finish(ctx: TenantContext, imp: ImportRow, file: string): Promise<void> {
  await withTenant(ctx, async (tx) => {
    const done = await updateImport(tx, imp.id, { status: 'completed', finished: true, error: null });
    const counts = { created: done.created_count, updated: done.updated_count, skipped: done.skipped_count, failed: done.failed_count };
    await recordChange(tx, ctx, {
      action: 'import.complete', entity: 'import', entityId: imp.id, after: { entity: imp.entity, rows: done.rows_processed, ...counts },
      event: { type: 'import.completed', payload: { id: imp.id, entity: imp.entity, ...counts } },
    });
  });
  await removeFile(file);
}

/** The background run (also a resume: it skips the rows already committed). */
export async function runImport(ctx: TenantContext, importId: string, file: string, signal: RunSignal): Promise<void> {
  const { imp, prep, sizes } = await withTenant(ctx, async (tx) => {
    const row = await updateImport(tx, importId, { status: 'running', started: true, error: null });
    return { imp: row, prep: await loadPrep(tx, row), sizes: await tableSizes(tx, row) };
  });
  const b = batchContext(ctx, imp, false);
  const writers = ctx.db.kind === 'postgres' ? Math.max(1, WRITERS) : 1;
  let queued = imp.rows_processed;
  const inflight: Written[] = [];
  let previous: PreviousBatch | null = null;
  let failure: unknown = null;
  let batch: SourceRecord[] = [];
  const flush = async () => {
    const checked = check(batch, prep);
    batch = [];
    while (inflight.length >= writers) await inflight.shift()!.done;
    if (failure) throw failure as Error;
    // Let waiting requests in between batches: on the embedded engine queries settle as microtasks and the
    // file arrives in 256 KB chunks, so without this turn of the event loop no request is read until the run ends.
    await new Promise((resolve) => setImmediate(resolve));
    const committed = commitBatch(ctx, imp, b, checked, writers > 1 ? previous : null);
    const before = queued;
    queued += checked.count;
    const done = committed.then(() => refreshStats(ctx, sizes, before, before + checked.count)).catch((err: unknown) => { failure ??= err; });
    inflight.push({ committed, done });
    previous = { committed, ...keysOf(checked) };
  };
  try {
    for await (const rec of readRecords(file, imp.delimiter, imp.rows_processed)) {
      if (signal.stopped || failure) break;
      batch.push(rec);
      if (batch.length >= BATCH_SIZE) await flush();
    }
    if (batch.length && !signal.stopped && !failure) await flush();
    for (const w of inflight.splice(0)) await w.done;
    if (failure) throw failure as Error;
  } catch (err) {
    for (const w of inflight.splice(0)) await w.done;
    await withTenant(ctx, (tx) => updateImport(tx, importId, { status: 'failed', finished: true, error: err instanceof Error ? err.message.slice(0, 500) : 'import failed' }));
    return;
  }
  if (signal.stopped) {
    await withTenant(ctx, (tx) => updateImport(tx, importId, { status: 'interrupted', error: 'The server stopped during the import; resume or undo it' }));
    return;
  }
  await finish(ctx, imp, file);
}

/** Checks every row and plans the duplicate policy against the database without writing anything. */
export async function dryRunImport(ctx: TenantContext, imp: ImportRow, file: string): Promise<DryRunResult> {
  const prep = await withTenant(ctx, (tx) => loadPrep(tx, imp));
  const b = batchContext(ctx, imp, true);
  const out: DryRunResult = { rows: 0, valid: 0, failed: 0, would_create: 0, would_update: 0, would_skip: 0, errors: [] };
  let batch: SourceRecord[] = [];
  const flush = async () => {
    const c = check(batch, prep);
    batch = [];
    const res = await withTenant(ctx, (tx) => writeBatch(tx, b, c.candidates));
    out.rows += c.count;
    out.failed += c.failed + res.failed;
    out.valid += c.candidates.length - res.failed;
    out.would_create += res.created;
    out.would_update += res.updated;
    out.would_skip += res.skipped;
    out.errors.push(...[...c.errors, ...res.errors].slice(0, MAX_ERRORS - out.errors.length));
  };
  for await (const rec of readRecords(file, imp.delimiter)) {
    batch.push(rec);
    if (batch.length >= BATCH_SIZE) await flush();
  }
  if (batch.length) await flush();
  return out;
}

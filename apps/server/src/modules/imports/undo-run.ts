/**
 * Undo of a whole import, in short transactions of CHUNK rows: deletes the
 * records it created (import_id) — including companies it created for
 * company names — then restores the fields it overwrote from its snapshots,
 * on the records nobody has changed since (those are kept, and counted).
 */
import { recordChange } from '../../platform/audit.js';
import { withTenant, type TenantContext } from '../../platform/db/tenant.js';
import { deleteCreated, restoreSnapshots, snapshotChunk, updateImport, type ImportRow } from './imports.queries.js';
import { removeFile } from './source.js';
import { COLUMNS } from './writer.queries.js';

const CHUNK = 5000;

async function deleteAll(ctx: TenantContext, imp: ImportRow): Promise<number> {
  const tables = imp.entity === 'companies' ? (['companies'] as const) : ([imp.entity, 'companies'] as const);
  let removed = 0;
  for (const table of tables) {
    for (;;) {
      const n = await withTenant(ctx, (tx) => deleteCreated(tx, table, imp.id, CHUNK));
      removed += n;
      if (n < CHUNK) break;
    }
  }
  return removed;
}

/** Restores what the import overwrote; records changed since (by anyone) are kept as they are, and counted. */
async function restoreAll(ctx: TenantContext, imp: ImportRow): Promise<{ restored: number; kept: number }> {
  const out = { restored: 0, kept: 0 };
  if (imp.entity !== 'contacts' && imp.entity !== 'companies') return out;
  const table = imp.entity;
  const columns = [...COLUMNS[table].map(([c]) => c).filter((c) => c !== 'email' && c !== 'domain')];
  let after: string | null = null;
  for (;;) {
    const ids = await withTenant(ctx, async (tx) => {
      const chunk = await snapshotChunk(tx, imp.id, after, CHUNK);
      const restored = chunk.length ? await restoreSnapshots(tx, table, imp.id, chunk, columns) : 0;
      out.restored += restored;
      out.kept += chunk.length - restored;
      return chunk;
    });
    if (ids.length < CHUNK) return out;
    after = ids[ids.length - 1]!;
  }
}

export async function runUndo(ctx: TenantContext, imp: ImportRow, file: string): Promise<void> {
  try {
    const removed = await deleteAll(ctx, imp);
    const { restored, kept } = await restoreAll(ctx, imp);
    await withTenant(ctx, async (tx) => {
      await updateImport(tx, imp.id, { status: 'undone', finished: true, error: null });
      await recordChange(tx, ctx, { action: 'import.undo', entity: 'import', entityId: imp.id, after: { removed, restored, kept } });
    });
    await removeFile(file);
  } catch (err) {
    await withTenant(ctx, (tx) => updateImport(tx, imp.id, { status: 'failed', error: `Undo failed: ${err instanceof Error ? err.message.slice(0, 400) : 'unknown error'}; try again` }));
  }
}

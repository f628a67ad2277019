/**
 * Streams a whole list (filter + sort, as the list endpoints take them) as
 * CSV or vCard. Memory stays flat: keyset pages of 2,000 rows, each read in
 * its own short transaction, written out before the next is read.
 */
import type { FilterNode, RecordEntity } from '@pillar/shared';
import { compileFilter, compileSort, customFieldSpecs, keyset, SqlParams, type CompiledSort, type FieldMap } from '../../platform/db/list-sql.js';
import { withTenant, type TenantContext } from '../../platform/db/tenant.js';
import { AppError } from '../../platform/errors.js';
import { ENTITIES, loadCustomFields, type CustomFieldDef } from '../records/index.js';
import { csvLine } from './csv.js';
import { selectPage, type PageSpec } from './exports.queries.js';
import { vcardOf, type VCardContact } from './vcard.js';

export const PAGE_SIZE = 2000;

interface Plan {
  entity: RecordEntity;
  fields: FieldMap;
  defs: CustomFieldDef[];
  sort: CompiledSort;
  filter: FilterNode | undefined;
}

function asQueryError(path: string, err: unknown): never {
  if (err instanceof AppError && err.code === 'validation_failed') {
    throw new AppError('validation_failed', { message: err.message, errors: [{ path, message: err.message }] });
  }
  throw err;
}

/** Checks filter and sort up front, so a bad query is a 400 before any byte is streamed. */
async function plan(ctx: TenantContext, entity: RecordEntity, q: { filter?: FilterNode | undefined; sort?: string | undefined }): Promise<Plan> {
  const defs = await withTenant(ctx, (tx) => loadCustomFields(tx, entity));
  const fields = { ...ENTITIES[entity].fields, ...customFieldSpecs(defs, 'custom') };
  try {
    if (q.filter) compileFilter(q.filter, fields, new SqlParams());
  } catch (err) {
    asQueryError('query.filter', err);
  }
  let sort: CompiledSort;
  try {
    sort = compileSort(q.sort, fields, 'id');
  } catch (err) {
    asQueryError('query.sort', err);
  }
  return { entity, fields, defs, sort, filter: q.filter };
}

async function* pages(ctx: TenantContext, p: Plan, columns: string): AsyncGenerator<Array<Record<string, unknown>>> {
  let cursor: [unknown, unknown] | null = null;
  for (;;) {
    const params = new SqlParams();
    const where = p.filter ? compileFilter(p.filter, p.fields, params) : 'true';
    const ks = keyset(p.sort, 'id', cursor, params);
    const spec: PageSpec = {
      table: ENTITIES[p.entity].table, columns, where: ks.after ? `${where} AND ${ks.after}` : where,
      orderBy: ks.orderBy, key: p.sort.key, params: params.values, limit: PAGE_SIZE,
    };
    const rows = await withTenant(ctx, (tx) => selectPage(tx, spec));
    if (rows.length) yield rows;
    if (rows.length < PAGE_SIZE) return;
    const last = rows[rows.length - 1]!;
    cursor = [last._k, last._id];
  }
}

export async function exportCsv(ctx: TenantContext, entity: RecordEntity, q: { filter?: FilterNode | undefined; sort?: string | undefined }): Promise<AsyncIterable<string>> {
  const p = await plan(ctx, entity, q);
  const std = ENTITIES[entity].columns;
  const columns = [
    ...std.map(([name, sql]) => `${sql} AS "${name}"`),
    ...p.defs.map((d, i) => `custom->'${d.key}' AS "_c${i}"`),
  ].join(', ');
  const header = [...std.map(([name]) => name), ...p.defs.map((d) => d.label || `custom.${d.key}`)];
  const keys = [...std.map(([name]) => name), ...p.defs.map((_, i) => `_c${i}`)];
  return (async function* () {
    yield `\uFEFF${csvLine(header)}`;
    for await (const rows of pages(ctx, p, columns)) {
      yield rows.map((row) => csvLine(keys.map((k) => row[k]))).join('');
    }
  })();
}

const VCARD_COLUMNS = `id, first_name, last_name, email, emails, phone, title, department, notes, tags, updated_at,
  (SELECT co.name FROM companies co WHERE co.id = contacts.company_id AND co.deleted_at IS NULL) AS org`;

export async function exportVCards(ctx: TenantContext, q: { filter?: FilterNode | undefined; sort?: string | undefined }): Promise<AsyncIterable<string>> {
  const p = await plan(ctx, 'contacts', q);
  return (async function* () {
    for await (const rows of pages(ctx, p, VCARD_COLUMNS)) {
      yield rows.map((row) => vcardOf(row as unknown as VCardContact)).join('');
    }
  })();
}

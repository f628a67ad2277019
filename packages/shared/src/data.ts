import { z } from 'zod';
import { NameSchema, PageQuerySchema, TimestampSchema, UuidSchema } from './common.js';
import { FilterParamSchema, FilterSchema, SortParamSchema, type FilterNode } from './filters.js';

/**
 * Data handling across the four record types: saved views, bulk changes,
 * the trash, CSV import and CSV/vCard export. Entities are named as in URLs.
 */
export const RecordEntities = ['contacts', 'companies', 'leads', 'deals'] as const;
export const RecordEntitySchema = z.enum(RecordEntities);
export type RecordEntity = z.infer<typeof RecordEntitySchema>;

const FieldName = z.string().max(81).regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$/, 'must be a field name');

function conditions(node: FilterNode, depth = 1): { depth: number; count: number } {
  if ('field' in node) return { depth, count: 1 };
  const children = 'and' in node ? node.and : node.or;
  return children.reduce((acc, c) => {
    const r = conditions(c, depth + 1);
    return { depth: Math.max(acc.depth, r.depth), count: acc.count + r.count };
  }, { depth, count: 0 });
}

/** A filter in a JSON body: same format and limits as the `filter` query parameter of lists. */
export const FilterBodySchema = FilterSchema.refine((f) => {
  const { depth, count } = conditions(f);
  return depth <= 5 && count <= 50;
}, 'filter is nested too deeply or has too many conditions');

// ── Saved views ────────────────────────────────────────────────────────────

export const SavedViewSchema = z.object({
  id: UuidSchema,
  owner_id: UuidSchema,
  entity: RecordEntitySchema,
  name: z.string(),
  filter: FilterSchema.nullable(),
  sort: z.string().nullable(),
  columns: z.array(z.string()),
  is_shared: z.boolean(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
  version: z.number().int(),
});
export type SavedView = z.infer<typeof SavedViewSchema>;

export const CreateSavedViewSchema = z.strictObject({
  name: NameSchema,
  entity: RecordEntitySchema,
  filter: FilterBodySchema.nullable().optional(),
  sort: SortParamSchema.nullable().optional(),
  columns: z.array(FieldName).max(100).optional(),
  /** Visible to everyone in the firm (needs `views:share`). */
  is_shared: z.boolean().optional(),
});
export type CreateSavedView = z.infer<typeof CreateSavedViewSchema>;

export const UpdateSavedViewSchema = CreateSavedViewSchema.omit({ entity: true }).partial().strict();
export type UpdateSavedView = z.infer<typeof UpdateSavedViewSchema>;

export const ListSavedViewsQuerySchema = PageQuerySchema.extend({ entity: RecordEntitySchema.optional() }).strict();

// ── Bulk changes ───────────────────────────────────────────────────────────

export const BULK_MAX = 10_000;
const Tag = z.string().trim().min(1).max(100);

const Selection = {
  /** Explicit selection (at most 10,000 ids). */
  ids: z.array(UuidSchema).min(1).max(BULK_MAX).optional(),
  /** Or every record matching a list filter (at most 10,000 may match). */
  filter: FilterBodySchema.optional(),
};
const oneSelection = (b: { ids?: unknown; filter?: unknown }) => (b.ids === undefined) !== (b.filter === undefined);
const oneSelectionMessage = { message: 'give either ids or filter', path: ['ids'] };

export const BulkChangesSchema = z.strictObject({
  owner_id: UuidSchema.nullable().optional(),
  add_tags: z.array(Tag).min(1).max(50).optional(),
  remove_tags: z.array(Tag).min(1).max(50).optional(),
  /** Deals only: moves to this stage (stage history is written). */
  stage_id: UuidSchema.optional(),
  /** Leads: new/contacted/qualified/unqualified; deals: open/won/lost. */
  status: z.string().max(40).optional(),
  /** Custom field values by key; null clears. */
  custom: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,62}$/), z.unknown()).optional(),
}).refine((c) => Object.values(c).some((v) => v !== undefined), 'give at least one change');
export type BulkChanges = z.infer<typeof BulkChangesSchema>;

export const BulkUpdateSchema = z.strictObject({ ...Selection, changes: BulkChangesSchema }).refine(oneSelection, oneSelectionMessage);
export type BulkUpdate = z.infer<typeof BulkUpdateSchema>;
export const BulkDeleteSchema = z.strictObject(Selection).refine(oneSelection, oneSelectionMessage);
export type BulkDelete = z.infer<typeof BulkDeleteSchema>;

export const BulkResultSchema = z.object({
  matched: z.number().int(),
  /** Rows changed (updated or moved to trash). */
  changed: z.number().int(),
});
export type BulkResult = z.infer<typeof BulkResultSchema>;

// ── Trash ──────────────────────────────────────────────────────────────────

export const TRASH_RETENTION_DAYS = 30;

export const TrashItemSchema = z.object({
  entity: RecordEntitySchema,
  id: UuidSchema,
  name: z.string(),
  deleted_at: TimestampSchema,
  /** When the purge job removes it for good. */
  purge_after: TimestampSchema,
  version: z.number().int(),
});
export type TrashItem = z.infer<typeof TrashItemSchema>;
export const ListTrashQuerySchema = PageQuerySchema.extend({ entity: RecordEntitySchema.optional() }).strict();
export const TrashParamsSchema = z.strictObject({ entity: RecordEntitySchema, id: UuidSchema });

// ── CSV import ─────────────────────────────────────────────────────────────

export const ImportStatuses = ['uploaded', 'queued', 'running', 'completed', 'failed', 'interrupted', 'undoing', 'undone'] as const;
export const DuplicatePolicies = ['skip', 'update', 'create'] as const;
export const DuplicatePolicySchema = z.enum(DuplicatePolicies);

export const ImportErrorSchema = z.object({ line: z.number().int(), field: z.string().nullable(), message: z.string() });
export type ImportRowError = z.infer<typeof ImportErrorSchema>;

export const ImportSchema = z.object({
  id: UuidSchema,
  entity: RecordEntitySchema,
  status: z.enum(ImportStatuses),
  file_name: z.string().nullable(),
  size_bytes: z.number().int(),
  delimiter: z.string(),
  headers: z.array(z.string()),
  /** Target field of each column, by position; null ignores the column. */
  mapping: z.array(z.string().nullable()),
  duplicate_policy: DuplicatePolicySchema,
  rows_processed: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
  /** Share of the file's bytes processed, 0–100. */
  percentage: z.number(),
  /** The first row errors, with their CSV line numbers. */
  errors: z.array(ImportErrorSchema),
  error: z.string().nullable(),
  created_at: TimestampSchema,
  started_at: TimestampSchema.nullable(),
  finished_at: TimestampSchema.nullable(),
  version: z.number().int(),
});
export type Import = z.infer<typeof ImportSchema>;

export const CreateImportQuerySchema = z.strictObject({
  entity: RecordEntitySchema,
  file_name: z.string().max(255).optional(),
  duplicate_policy: DuplicatePolicySchema.optional(),
});
export const ListImportsQuerySchema = PageQuerySchema.strict();

export const ImportMappingSchema = z.strictObject({
  mapping: z.array(FieldName.nullable()).max(500),
  duplicate_policy: DuplicatePolicySchema.optional(),
});
export type ImportMapping = z.infer<typeof ImportMappingSchema>;

export const DryRunResultSchema = z.object({
  rows: z.number().int(),
  valid: z.number().int(),
  failed: z.number().int(),
  would_create: z.number().int(),
  would_update: z.number().int(),
  would_skip: z.number().int(),
  errors: z.array(ImportErrorSchema),
});
export type DryRunResult = z.infer<typeof DryRunResultSchema>;

export const ImportFieldSchema = z.object({ field: z.string(), label: z.string(), required: z.boolean() });
export const ImportFieldsQuerySchema = z.strictObject({ entity: RecordEntitySchema });

// ── Export ─────────────────────────────────────────────────────────────────

export const ExportQuerySchema = z.strictObject({
  filter: FilterParamSchema.optional(),
  sort: SortParamSchema.optional(),
});

export const RestoredRecordSchema = z.object({ entity: RecordEntitySchema, id: UuidSchema, name: z.string(), version: z.number().int() });
export type RestoredRecord = z.infer<typeof RestoredRecordSchema>;

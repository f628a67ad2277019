/** Contracts of custom field definitions, tags and search. */
import { z } from 'zod';
import { TimestampSchema, UuidSchema, text } from './common.js';

export const CustomFieldEntities = ['contact', 'company', 'lead', 'deal'] as const;
export type CustomFieldEntity = (typeof CustomFieldEntities)[number];

export const CustomFieldTypes = [
  'text', 'long_text', 'number', 'currency', 'date', 'boolean', 'select', 'multi_select', 'url', 'email', 'user',
] as const;
export type CustomFieldTypeName = (typeof CustomFieldTypes)[number];

export const CustomFieldOptionSchema = z.strictObject({
  value: text(100).trim().min(1),
  label: text(100).trim().min(1).optional(),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1a2b3c').optional(),
});

export const CustomFieldSchema = z.object({
  id: UuidSchema,
  entity: z.enum(CustomFieldEntities),
  key: z.string(),
  label: z.string(),
  type: z.enum(CustomFieldTypes),
  options: z.array(z.object({ value: z.string(), label: z.string().optional(), color: z.string().optional() })),
  required: z.boolean(),
  position: z.number().int(),
  archived_at: TimestampSchema.nullable(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
  version: z.number().int(),
});
export type CustomField = z.infer<typeof CustomFieldSchema>;

const options = z.array(CustomFieldOptionSchema).max(200)
  .refine((os) => new Set(os.map((o) => o.value)).size === os.length, 'option values must be unique');

export const CreateCustomFieldSchema = z.strictObject({
  entity: z.enum(CustomFieldEntities),
  key: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'must start with a letter and use a-z, 0-9 and _ (at most 63)'),
  label: text(100).trim().min(1),
  type: z.enum(CustomFieldTypes),
  options: options.optional(),
  required: z.boolean().optional(),
  position: z.number().int().min(0).max(10_000).optional(),
}).refine((d) => !['select', 'multi_select'].includes(d.type) || (d.options?.length ?? 0) > 0, {
  message: 'select fields need at least one option', path: ['options'],
});

export const UpdateCustomFieldSchema = z.strictObject({
  label: text(100).trim().min(1).optional(),
  options: options.optional(),
  required: z.boolean().optional(),
  position: z.number().int().min(0).max(10_000).optional(),
});

export const ListCustomFieldsQuerySchema = z.strictObject({
  entity: z.enum(CustomFieldEntities).optional(),
  include_archived: z.enum(['true', 'false']).optional(),
});

export const TagEntities = ['contact', 'company', 'lead', 'deal'] as const;

export const TagCountSchema = z.object({
  tag: z.string(),
  total: z.number().int(),
  counts: z.object({ contact: z.number().int(), company: z.number().int(), lead: z.number().int(), deal: z.number().int() }),
});
export const TagListSchema = z.object({ data: z.array(TagCountSchema) });
export const TagQuerySchema = z.strictObject({ entity: z.enum(TagEntities).optional() });
export const RenameTagSchema = z.strictObject({
  from: text(50).trim().min(1),
  to: text(50).trim().min(1),
  entity: z.enum(TagEntities).optional(),
});
export const TagChangeResultSchema = z.object({ updated: z.number().int() });

export const SearchTypes = ['contact', 'company', 'lead', 'deal'] as const;
export type SearchType = (typeof SearchTypes)[number];

export const SearchQuerySchema = z.strictObject({
  q: z.string().trim().min(1).max(200),
  types: z.string().max(100).regex(/^(contact|company|lead|deal)(,(contact|company|lead|deal))*$/, 'types must be a comma-separated list of contact, company, lead, deal').optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

export const SearchHitSchema = z.object({
  type: z.enum(SearchTypes),
  id: UuidSchema,
  title: z.string(),
  subtitle: z.string().nullable(),
  url: z.string().describe('Path of the record in the web app'),
  score: z.number().describe('Relevance between 0 and 1; results are ordered by it'),
});
export type SearchHit = z.infer<typeof SearchHitSchema>;
export const SearchResultSchema = z.object({ data: z.array(SearchHitSchema) });

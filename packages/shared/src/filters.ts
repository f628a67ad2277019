import { z } from 'zod';

/**
 * Filter expressions for list endpoints: a condition `{ field, op, value }`
 * or a group `{ and: [...] }` / `{ or: [...] }`, nested at most 4 deep with
 * at most 50 conditions. Lists take it as `filter=<JSON>` in the query
 * string, and a sort as `sort=field` or `sort=-field` (descending).
 * Custom fields are addressed as `custom.<key>`.
 */
export const FilterOperators = [
  'eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'between',
  'contains', 'starts_with', 'in', 'not_in', 'is_empty', 'is_not_empty',
  'has_any', 'has_all',
] as const;
export type FilterOperator = (typeof FilterOperators)[number];

const Scalar = z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]);

export const FilterConditionSchema = z.strictObject({
  field: z.string().min(1).max(80).regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$/, 'unknown field'),
  op: z.enum(FilterOperators),
  value: z.union([Scalar, z.array(Scalar).max(500)]).optional(),
});
export type FilterCondition = z.infer<typeof FilterConditionSchema>;

export type FilterNode = FilterCondition | { and: FilterNode[] } | { or: FilterNode[] };

export const FilterSchema: z.ZodType<FilterNode> = z.lazy(() =>
  z.union([
    FilterConditionSchema,
    z.strictObject({ and: z.array(FilterSchema).min(1).max(50) }),
    z.strictObject({ or: z.array(FilterSchema).min(1).max(50) }),
  ]),
);

function depthAndCount(node: FilterNode, depth = 1): { depth: number; count: number } {
  if ('field' in node) return { depth, count: 1 };
  const children = 'and' in node ? node.and : node.or;
  return children.reduce(
    (acc, child) => {
      const r = depthAndCount(child, depth + 1);
      return { depth: Math.max(acc.depth, r.depth), count: acc.count + r.count };
    },
    { depth, count: 0 },
  );
}

/** A filter passed as a JSON string in a query parameter. */
export const FilterParamSchema = z
  .string()
  .max(8000)
  .transform((s, ctx) => {
    try {
      return JSON.parse(s) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'filter must be JSON' });
      return z.NEVER;
    }
  })
  .pipe(FilterSchema)
  .refine((f) => {
    const { depth, count } = depthAndCount(f);
    return depth <= 5 && count <= 50;
  }, 'filter is nested too deeply or has too many conditions');

export const SortParamSchema = z.string().max(81).regex(/^-?[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$/, 'sort must be a field name, optionally prefixed by -');

/** Query of every record list: paging, filter, sort, free-text search. */
export const ListQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(1024).optional(),
  filter: FilterParamSchema.optional(),
  sort: SortParamSchema.optional(),
  q: z.string().trim().min(1).max(200).optional(),
});
export type ListQuery = z.infer<typeof ListQuerySchema>;

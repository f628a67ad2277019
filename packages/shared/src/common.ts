import { z } from 'zod';

export const UuidSchema = z.uuid({ message: 'must be a UUID' });
export const IdParamsSchema = z.strictObject({ id: UuidSchema });

export const TimestampSchema = z.string().describe('ISO 8601 timestamp');

/** Opaque keyset cursor; the server validates its contents. */
export const CursorSchema = z.string().max(512);

export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: CursorSchema.optional(),
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), next_cursor: z.string().nullable() });
}

export const EmailSchema = z
  .email({ message: 'must be an email address' })
  .max(254)
  .transform((s) => s.trim().toLowerCase());

export const PasswordSchema = z
  .string()
  .min(10, 'must be at least 10 characters')
  .max(256, 'must be at most 256 characters');

/** Free text with a sane bound; control characters other than tab/newline are refused. */
export function text(max: number) {
  return z
    .string()
    .max(max)
    // eslint-disable-next-line no-control-regex
    .refine((s) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(s), 'must not contain control characters');
}

export const NameSchema = text(200).trim().min(1, 'must not be empty');

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    code: z.string(),
    request_id: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .describe('RFC 9457 problem details');

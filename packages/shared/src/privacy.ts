import { z } from 'zod';
import { UuidSchema } from './common.js';

/** Everything held about one contact: its row and every row that points at it, by table. */
export const ContactPrivacyExportSchema = z.object({
  contact_id: UuidSchema,
  exported_at: z.string(),
  records: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))),
  audit: z.array(z.record(z.string(), z.unknown())),
});

export const ErasedContactSchema = z.object({
  id: UuidSchema,
  erased_at: z.string(),
  records_scrubbed: z.number().int(),
  audit_entries_scrubbed: z.number().int(),
});

/** Deleting a whole firm: the owner types its name to confirm. */
export const DeleteTenantSchema = z.strictObject({ confirm_name: z.string().min(1).max(200) });

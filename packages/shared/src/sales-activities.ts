import { z } from 'zod';
import { TimestampSchema, UuidSchema, text } from './common.js';
import { InstantSchema } from './sales-common.js';

export const ActivityTypes = ['call', 'email', 'meeting', 'task', 'note'] as const;
export const ActivityTypeSchema = z.enum(ActivityTypes);
export type ActivityType = z.infer<typeof ActivityTypeSchema>;

export const ActivitySchema = z.object({
  id: UuidSchema,
  type: ActivityTypeSchema,
  subject: z.string(),
  body: z.string().nullable().describe('Plain text, or sanitised HTML when body_format is html'),
  body_format: z.enum(['text', 'html']),
  due_at: TimestampSchema.nullable(),
  ends_at: TimestampSchema.nullable(),
  completed_at: TimestampSchema.nullable(),
  is_overdue: z.boolean(),
  assignee_id: UuidSchema.nullable(),
  contact_id: UuidSchema.nullable(),
  company_id: UuidSchema.nullable(),
  lead_id: UuidSchema.nullable(),
  deal_id: UuidSchema.nullable(),
  created_by: UuidSchema.nullable(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
  version: z.number().int(),
  deleted_at: TimestampSchema.nullable(),
});
export type Activity = z.infer<typeof ActivitySchema>;

const activityFields = {
  body: text(100_000).nullable().optional(),
  body_format: z.enum(['text', 'html']).optional(),
  due_at: InstantSchema.nullable().optional(),
  ends_at: InstantSchema.nullable().optional(),
  assignee_id: UuidSchema.nullable().optional(),
  contact_id: UuidSchema.nullable().optional(),
  company_id: UuidSchema.nullable().optional(),
  lead_id: UuidSchema.nullable().optional(),
  deal_id: UuidSchema.nullable().optional(),
};
const endsAfterStart = (a: { due_at?: string | null; ends_at?: string | null }) =>
  !a.due_at || !a.ends_at || Date.parse(a.ends_at) >= Date.parse(a.due_at);

export const CreateActivitySchema = z.strictObject({
  type: ActivityTypeSchema,
  subject: text(500).trim().min(1, 'must not be empty'),
  completed: z.boolean().optional().describe('Log an activity that already happened'),
  ...activityFields,
}).refine(endsAfterStart, { message: 'must not be before due_at', path: ['ends_at'] });
export type CreateActivity = z.infer<typeof CreateActivitySchema>;

export const UpdateActivitySchema = z.strictObject({
  type: ActivityTypeSchema.optional(),
  subject: text(500).trim().min(1, 'must not be empty').optional(),
  ...activityFields,
}).refine(endsAfterStart, { message: 'must not be before due_at', path: ['ends_at'] });
export type UpdateActivity = z.infer<typeof UpdateActivitySchema>;

export const TaskListQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(1024).optional(),
  assignee_id: UuidSchema.optional().describe('Overdue list only: one assignee'),
});

export const TimelineKinds = ['activity', 'stage_change', 'change', 'conversion'] as const;
export const TimelineItemSchema = z.object({
  id: UuidSchema,
  kind: z.enum(TimelineKinds),
  occurred_at: TimestampSchema,
  actor_id: UuidSchema.nullable(),
  entity: z.string().describe('The record the item belongs to (a lead\'s items stay "lead" on its deal)'),
  entity_id: z.string().nullable(),
  summary: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export const TimelineQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(1024).optional(),
});

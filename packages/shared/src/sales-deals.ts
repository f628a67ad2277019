import { z } from 'zod';
import { NameSchema, TimestampSchema, UuidSchema, text } from './common.js';
import { CurrencySchema, SalesCustomValuesSchema, DateOnlySchema, MoneySchema, OptionalText, SalesTagsSchema } from './sales-common.js';
import { PipelineSchema, StageSchema } from './sales-pipelines.js';

export const DealStatuses = ['open', 'won', 'lost'] as const;
export const DealStatusSchema = z.enum(DealStatuses);

export const DealSchema = z.object({
  id: UuidSchema,
  name: z.string(),
  value: z.string().describe('Numeric string, two decimals'),
  currency: z.string(),
  probability: z.number().int().describe('Effective probability: the override, else the stage default'),
  probability_override: z.number().int().nullable(),
  pipeline_id: UuidSchema,
  stage_id: UuidSchema,
  position: z.string().describe('Fractional index of the card within its stage'),
  status: DealStatusSchema,
  lost_reason: z.string().nullable(),
  expected_close_date: z.string().nullable(),
  closed_at: TimestampSchema.nullable(),
  stage_entered_at: TimestampSchema,
  contact_id: UuidSchema.nullable(),
  company_id: UuidSchema.nullable(),
  lead_id: UuidSchema.nullable(),
  source: z.string().nullable(),
  owner_id: UuidSchema.nullable(),
  tags: z.array(z.string()),
  custom: z.record(z.string(), z.unknown()),
  created_by: UuidSchema.nullable(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
  version: z.number().int(),
  deleted_at: TimestampSchema.nullable(),
});
export type Deal = z.infer<typeof DealSchema>;

const Probability = z.number().int().min(0).max(100).nullable();

const dealFields = {
  value: MoneySchema.optional(),
  currency: CurrencySchema.optional(),
  probability: Probability.optional().describe('Override of the stage probability; null to follow the stage'),
  expected_close_date: DateOnlySchema.nullable().optional(),
  contact_id: UuidSchema.nullable().optional(),
  company_id: UuidSchema.nullable().optional(),
  lead_id: UuidSchema.nullable().optional(),
  source: OptionalText(100),
  owner_id: UuidSchema.nullable().optional(),
  tags: SalesTagsSchema.optional(),
  custom: SalesCustomValuesSchema.optional(),
};

export const CreateDealSchema = z.strictObject({
  name: NameSchema,
  pipeline_id: UuidSchema.optional().describe('Defaults to the pipeline of stage_id, else the default pipeline'),
  stage_id: UuidSchema.optional().describe('Defaults to the first open stage of the pipeline'),
  ...dealFields,
});
export type CreateDeal = z.infer<typeof CreateDealSchema>;

export const UpdateDealSchema = z.strictObject({ name: NameSchema.optional(), ...dealFields });
export type UpdateDeal = z.infer<typeof UpdateDealSchema>;

export const MoveDealSchema = z.strictObject({
  stage_id: UuidSchema,
  before_id: UuidSchema.optional().describe('Place the card just before (above) this deal of the target stage'),
  after_id: UuidSchema.optional().describe('Place the card just after (below) this deal of the target stage'),
  note: text(2000).optional(),
  lost_reason: text(500).optional().describe('When the target is a lost stage'),
});
export type MoveDeal = z.infer<typeof MoveDealSchema>;

export const WinDealSchema = z.strictObject({ note: text(2000).optional() });
export const LoseDealSchema = z.strictObject({ reason: text(500).optional(), note: text(2000).optional() });

export const DealStageHistorySchema = z.object({
  id: UuidSchema,
  deal_id: UuidSchema,
  pipeline_id: UuidSchema,
  from_stage_id: UuidSchema.nullable(),
  to_stage_id: UuidSchema,
  moved_by: UuidSchema.nullable(),
  moved_at: TimestampSchema,
  seconds_in_from_stage: z.number().int().nullable(),
  note: z.string().nullable(),
});

export const BoardStageSchema = StageSchema.extend({
  count: z.number().int(),
  total_value: z.string(),
  weighted_value: z.string().describe('Sum of value × effective probability / 100'),
  deals: z.array(DealSchema),
  next_cursor: z.string().nullable().describe('For GET /stages/{id}/deals'),
});

export const BoardSchema = z.object({
  pipeline: PipelineSchema,
  stages: z.array(BoardStageSchema),
});

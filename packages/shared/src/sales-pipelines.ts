import { z } from 'zod';
import { NameSchema, TimestampSchema, UuidSchema } from './common.js';

export const StageKinds = ['open', 'won', 'lost'] as const;
export const StageKindSchema = z.enum(StageKinds);
export type StageKind = z.infer<typeof StageKindSchema>;

const Probability = z.number().int().min(0).max(100);

export const StageSchema = z.object({
  id: UuidSchema,
  pipeline_id: UuidSchema,
  name: z.string(),
  position: z.number().int(),
  probability: z.number().int(),
  kind: StageKindSchema,
  archived_at: TimestampSchema.nullable(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
  version: z.number().int(),
});
export type Stage = z.infer<typeof StageSchema>;

export const PipelineSchema = z.object({
  id: UuidSchema,
  name: z.string(),
  position: z.number().int(),
  is_default: z.boolean(),
  archived_at: TimestampSchema.nullable(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
  version: z.number().int(),
  stages: z.array(StageSchema).describe('Ordered by position; archived stages only when asked for'),
});
export type Pipeline = z.infer<typeof PipelineSchema>;

export const CreateStageSchema = z.strictObject({
  name: NameSchema,
  probability: Probability.optional().describe('Default probability of deals in this stage; 100 for won, 0 for lost'),
  kind: StageKindSchema.default('open'),
});
export type CreateStage = z.infer<typeof CreateStageSchema>;

export const UpdateStageSchema = z.strictObject({
  name: NameSchema.optional(),
  probability: Probability.optional(),
  kind: StageKindSchema.optional(),
});

export const CreatePipelineSchema = z.strictObject({
  name: NameSchema,
  is_default: z.boolean().optional(),
  stages: z.array(CreateStageSchema).min(1).max(30).optional().describe('Defaults to the standard sales stages'),
});

export const UpdatePipelineSchema = z.strictObject({
  name: NameSchema.optional(),
  is_default: z.literal(true).optional().describe('Make this the default pipeline (the previous default stops being one)'),
  position: z.number().int().min(0).max(10_000).optional(),
});

export const ReorderStagesSchema = z.strictObject({
  stage_ids: z.array(UuidSchema).min(1).max(50).describe('Every non-archived stage of the pipeline, in the new order'),
});

export const ArchiveWithMoveSchema = z.strictObject({
  move_to_stage_id: UuidSchema.optional().describe('Where the deals of the archived stage or pipeline go; required when it has deals'),
});

export const ListPipelinesQuerySchema = z.strictObject({
  include_archived: z.enum(['true', 'false']).optional(),
});

export const BoardQuerySchema = z.strictObject({
  owner_id: UuidSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20).describe('Cards per stage'),
});

export const StageDealsQuerySchema = z.strictObject({
  owner_id: UuidSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(1024).optional(),
});

import { z } from 'zod';
import { EmailSchema, NameSchema, TimestampSchema, UuidSchema, text } from './common.js';
import { FilterConditionSchema } from './filters.js';
import { CurrencySchema, SalesCustomValuesSchema, DateOnlySchema, MoneySchema, OptionalText, SalesTagsSchema } from './sales-common.js';
import { ActivityTypeSchema } from './sales-activities.js';

export const LeadStatuses = ['new', 'contacted', 'qualified', 'unqualified', 'converted'] as const;
export const LeadStatusSchema = z.enum(LeadStatuses);

export const LeadSchema = z.object({
  id: UuidSchema,
  title: z.string(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  company_name: z.string().nullable(),
  contact_id: UuidSchema.nullable(),
  company_id: UuidSchema.nullable(),
  source: z.string().nullable(),
  territory: z.string().nullable(),
  status: LeadStatusSchema,
  score: z.number().int(),
  value: z.string().nullable(),
  currency: z.string().nullable(),
  expected_close_date: z.string().nullable(),
  owner_id: UuidSchema.nullable(),
  converted_at: TimestampSchema.nullable(),
  converted_deal_id: UuidSchema.nullable(),
  tags: z.array(z.string()),
  custom: z.record(z.string(), z.unknown()),
  created_by: UuidSchema.nullable(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
  version: z.number().int(),
  deleted_at: TimestampSchema.nullable(),
});
export type Lead = z.infer<typeof LeadSchema>;

const leadFields = {
  first_name: OptionalText(100),
  last_name: OptionalText(100),
  email: EmailSchema.nullable().optional(),
  phone: OptionalText(50),
  company_name: OptionalText(200),
  contact_id: UuidSchema.nullable().optional(),
  company_id: UuidSchema.nullable().optional(),
  source: OptionalText(100),
  territory: OptionalText(100),
  value: MoneySchema.nullable().optional(),
  currency: CurrencySchema.nullable().optional(),
  expected_close_date: DateOnlySchema.nullable().optional(),
  owner_id: UuidSchema.nullable().optional().describe('When omitted on create, the assignment rules choose'),
  tags: SalesTagsSchema.optional(),
  custom: SalesCustomValuesSchema.optional(),
};

const OpenLeadStatus = LeadStatusSchema.exclude(['converted']).describe('"converted" is set only by POST /leads/{id}/convert');

export const CreateLeadSchema = z.strictObject({ title: NameSchema, status: OpenLeadStatus.optional(), ...leadFields });
export type CreateLead = z.infer<typeof CreateLeadSchema>;
export const UpdateLeadSchema = z.strictObject({ title: NameSchema.optional(), status: OpenLeadStatus.optional(), ...leadFields });
export type UpdateLead = z.infer<typeof UpdateLeadSchema>;

export const ConvertLeadSchema = z.strictObject({
  contact_id: UuidSchema.optional().describe('Link an existing contact'),
  create_contact: z.boolean().optional().describe('Create a contact from the lead (or link the one with its email)'),
  company_id: UuidSchema.optional(),
  create_company: z.boolean().optional().describe('Create a company from the lead\'s company_name'),
  deal: z.strictObject({
    name: NameSchema.optional(),
    value: MoneySchema.optional(),
    currency: CurrencySchema.optional(),
    pipeline_id: UuidSchema.optional(),
    stage_id: UuidSchema.optional(),
    owner_id: UuidSchema.optional(),
  }).optional().describe('Create a deal; omit to convert without one'),
}).refine((b) => !(b.contact_id && b.create_contact), { message: 'give contact_id or create_contact, not both', path: ['create_contact'] })
  .refine((b) => !(b.company_id && b.create_company), { message: 'give company_id or create_company, not both', path: ['create_company'] });
export type ConvertLead = z.infer<typeof ConvertLeadSchema>;

export const LeadConversionSchema = z.object({
  lead: LeadSchema,
  contact_id: UuidSchema.nullable(),
  company_id: UuidSchema.nullable(),
  deal_id: UuidSchema.nullable(),
  already_converted: z.boolean().describe('True when this answer repeats an earlier conversion'),
});

export const ScoringRuleSchema = z.object({
  id: UuidSchema,
  name: z.string(),
  points: z.number().int(),
  condition: FilterConditionSchema.nullable(),
  activity_type: ActivityTypeSchema.nullable(),
  active: z.boolean(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
  version: z.number().int(),
});
const Points = z.number().int().min(-1000).max(1000);
const oneTrigger = (r: { condition?: unknown; activity_type?: unknown }) => (r.condition == null) !== (r.activity_type == null);

export const CreateScoringRuleSchema = z.strictObject({
  name: NameSchema,
  points: Points.describe('Added once when the condition holds, or once per activity of the type'),
  condition: FilterConditionSchema.optional().describe('A condition on a lead field, as in list filters'),
  activity_type: ActivityTypeSchema.optional(),
  active: z.boolean().optional(),
}).refine(oneTrigger, { message: 'give exactly one of condition and activity_type', path: ['condition'] });

export const UpdateScoringRuleSchema = z.strictObject({
  name: NameSchema.optional(),
  points: Points.optional(),
  condition: FilterConditionSchema.nullable().optional(),
  activity_type: ActivityTypeSchema.nullable().optional(),
  active: z.boolean().optional(),
});

export const AssignmentRuleSchema = z.object({
  id: UuidSchema,
  name: z.string(),
  position: z.number().int(),
  active: z.boolean(),
  sources: z.array(z.string()),
  territories: z.array(z.string()),
  user_ids: z.array(UuidSchema),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
  version: z.number().int(),
});
const Matches = z.array(text(100).trim().min(1)).max(50);
export const CreateAssignmentRuleSchema = z.strictObject({
  name: NameSchema,
  sources: Matches.optional().describe('Matches leads whose source is one of these (case-insensitive); empty = any'),
  territories: Matches.optional().describe('Matches leads whose territory is one of these; empty = any'),
  user_ids: z.array(UuidSchema).min(1).max(100).describe('Members who take turns (round-robin)'),
  active: z.boolean().optional(),
});
export const UpdateAssignmentRuleSchema = z.strictObject({
  name: NameSchema.optional(),
  sources: Matches.optional(),
  territories: Matches.optional(),
  user_ids: z.array(UuidSchema).min(1).max(100).optional(),
  active: z.boolean().optional(),
});
export const ReorderAssignmentRulesSchema = z.strictObject({ rule_ids: z.array(UuidSchema).min(1).max(200) });

/** A web-form submission routed into a lead (inbound endpoints). */
export const LeadFormInputSchema = z.object({
  email: EmailSchema,
  first_name: text(100).optional(),
  last_name: text(100).optional(),
  name: text(200).optional(),
  phone: text(50).optional(),
  company: text(200).optional(),
  title: text(200).optional(),
  message: text(10_000).optional(),
  source: text(100).optional(),
  territory: text(100).optional(),
});
export type LeadFormInput = z.infer<typeof LeadFormInputSchema>;

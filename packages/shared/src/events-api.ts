/** Contracts of the event consumers' APIs: webhook subscriptions and deliveries, inbound forms, background jobs. */
import { z } from 'zod';
import { NameSchema, PageQuerySchema, TimestampSchema, UuidSchema, text } from './common.js';
import { EventPatternSchema } from './event-catalogue.js';

const UrlSchema = z
  .string()
  .max(2048)
  .refine((s) => {
    try {
      const u = new URL(s);
      return u.protocol === 'https:' || u.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');

export const CreateWebhookSubscriptionSchema = z.strictObject({
  url: UrlSchema,
  event_types: z.array(EventPatternSchema).min(1).max(100),
  description: text(500).optional(),
  active: z.boolean().default(true),
});

export const UpdateWebhookSubscriptionSchema = z.strictObject({
  url: UrlSchema.optional(),
  event_types: z.array(EventPatternSchema).min(1).max(100).optional(),
  description: text(500).nullable().optional(),
  active: z.boolean().optional(),
});

export const WebhookSubscriptionSchema = z.object({
  id: UuidSchema,
  url: z.string(),
  event_types: z.array(z.string()),
  description: z.string().nullable(),
  active: z.boolean(),
  secret_hint: z.string().describe('First characters of the signing secret, to tell secrets apart'),
  consecutive_failures: z.number().int(),
  disabled_reason: z.string().nullable(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
  version: z.number().int(),
});

export const CreatedWebhookSubscriptionSchema = WebhookSubscriptionSchema.extend({
  secret: z.string().describe('Signing secret (whsec_…), shown only once'),
});

export const WebhookDeliveryStatuses = ['pending', 'succeeded', 'retrying', 'dead', 'cancelled'] as const;

export const WebhookDeliverySchema = z.object({
  id: UuidSchema,
  subscription_id: UuidSchema,
  event_id: UuidSchema,
  event_type: z.string(),
  status: z.enum(WebhookDeliveryStatuses),
  attempts: z.number().int(),
  last_status_code: z.number().int().nullable(),
  last_latency_ms: z.number().int().nullable(),
  last_error: z.string().nullable(),
  last_response_excerpt: z.string().nullable(),
  redelivery_of: UuidSchema.nullable(),
  created_at: TimestampSchema,
  last_attempt_at: TimestampSchema.nullable(),
  delivered_at: TimestampSchema.nullable(),
});

export const WebhookAttemptSchema = z.object({
  attempt: z.number().int(),
  status_code: z.number().int().nullable(),
  latency_ms: z.number().int().nullable(),
  error: z.string().nullable(),
  response_excerpt: z.string().nullable(),
  attempted_at: TimestampSchema,
});

export const WebhookDeliveryDetailSchema = WebhookDeliverySchema.extend({ attempt_log: z.array(WebhookAttemptSchema) });

export const ListWebhookDeliveriesQuerySchema = PageQuerySchema.extend({
  subscription_id: UuidSchema.optional(),
  status: z.enum(WebhookDeliveryStatuses).optional(),
  event_id: UuidSchema.optional(),
});

export const ReplayWebhookEventsSchema = z.strictObject({
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }),
  subscription_id: UuidSchema.optional(),
});
export const ReplayResultSchema = z.object({ deliveries: z.number().int() });

export const CreateInboundEndpointSchema = z.strictObject({
  name: NameSchema,
  lead_source: text(100).optional(),
});

export const InboundEndpointSchema = z.object({
  id: UuidSchema,
  name: z.string(),
  lead_source: z.string().nullable(),
  active: z.boolean(),
  created_at: TimestampSchema,
});
export const CreatedInboundEndpointSchema = InboundEndpointSchema.extend({
  token: z.string().describe('Secret form token, shown only once; post forms to /api/v1/inbound/forms/<token>'),
  url: z.string(),
});

export const InboundSubmissionSchema = z.object({
  id: UuidSchema,
  endpoint_id: UuidSchema,
  email: z.string().nullable(),
  fields: z.record(z.string(), z.unknown()),
  status: z.enum(['stored', 'lead_created', 'lead_updated', 'failed']),
  lead_id: UuidSchema.nullable(),
  error: z.string().nullable(),
  created_at: TimestampSchema,
});

/** A web-form submission: flat string fields (form-encoded or JSON). */
export const InboundFormBodySchema = z.record(z.string().max(100), z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]))
  .refine((o) => Object.keys(o).length <= 100, 'at most 100 fields');

export const JobStates = ['failed', 'dead'] as const;
export const ListJobsQuerySchema = PageQuerySchema.extend({ state: z.enum(JobStates).default('failed') });
export const JobSchema = z.object({
  id: UuidSchema,
  queue: z.string(),
  state: z.string(),
  data: z.record(z.string(), z.unknown()),
  retry_count: z.number().int(),
  error: z.unknown().nullable(),
  created_at: TimestampSchema,
  completed_at: TimestampSchema.nullable(),
});

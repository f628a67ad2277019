/**
 * The domain-event catalogue: every event type the outbox may carry, with its
 * payload schema, version and the permission a person needs to see it live.
 *
 * Payload schemas are deliberately loose (`looseObject`: known keys checked,
 * extra keys kept) so a module can add fields without a coordinated release;
 * a breaking change bumps `version`. The server validates payloads against
 * this catalogue in development and tests, and an unknown type fails tests.
 */
import { z } from 'zod';
import { UuidSchema } from './common.js';
import type { Permission } from './permissions.js';

export interface EventDefinition {
  version: number;
  payload: z.ZodType<Record<string, unknown>>;
  /** Who may receive it on the live stream (webhooks are per tenant, configured by admins). */
  permission: Permission;
  description: string;
}

const Id = UuidSchema;
const record = z.looseObject({ id: Id });
const merged = z.looseObject({ id: Id, merged_ids: z.array(Id).optional(), merged_id: Id.optional() });
const member = z.looseObject({ user_id: Id });

function def(payload: z.ZodType<Record<string, unknown>>, description: string, permission: Permission = 'records:read', version = 1): EventDefinition {
  return { version, payload, permission, description };
}

function crud(entity: string, label: string, extra: Record<string, EventDefinition> = {}): Record<string, EventDefinition> {
  return {
    [`${entity}.created`]: def(record, `A ${label} was created`),
    [`${entity}.updated`]: def(record, `A ${label} was changed`),
    [`${entity}.deleted`]: def(record, `A ${label} was deleted (moved to trash)`),
    [`${entity}.restored`]: def(record, `A ${label} was restored from trash`),
    ...extra,
  };
}

export const EventCatalogue = {
  'tenant.created': def(z.looseObject({ tenant_id: Id }), 'A firm was created'),
  'tenant.updated': def(record, 'Firm settings changed'),
  'member.joined': def(member, 'Someone joined the firm', 'users:read'),
  'member.role_changed': def(member, 'A member\'s role changed', 'users:read'),
  'member.removed': def(member, 'A member was removed', 'users:read'),
  'api_key.created': def(record, 'An API key was created', 'apikeys:manage'),
  'api_key.revoked': def(record, 'An API key was revoked', 'apikeys:manage'),
  'invitation.created': def(record, 'An invitation was sent', 'users:manage'),
  'invitation.revoked': def(record, 'An invitation was revoked', 'users:manage'),
  'invitation.accepted': def(record, 'An invitation was accepted', 'users:manage'),
  ...crud('contact', 'contact', { 'contact.merged': def(merged, 'Contacts were merged into this one') }),
  ...crud('company', 'company', { 'company.merged': def(merged, 'Companies were merged into this one') }),
  ...crud('lead', 'lead', {
    'lead.converted': def(z.looseObject({ id: Id, contact_id: Id.nullish(), company_id: Id.nullish(), deal_id: Id.nullish() }), 'A lead was converted'),
  }),
  ...crud('deal', 'deal', {
    'deal.stage_changed': def(z.looseObject({ id: Id, from_stage_id: Id.nullish(), to_stage_id: Id.nullish() }), 'A deal moved to another stage'),
    'deal.won': def(record, 'A deal was won'),
    'deal.lost': def(record, 'A deal was lost'),
  }),
  ...crud('activity', 'activity', { 'activity.completed': def(record, 'An activity was completed') }),
  ...crud('pipeline', 'pipeline', {
    'pipeline.stage_created': def(record, 'A stage was added to a pipeline'),
    'pipeline.stage_updated': def(record, 'A pipeline stage was changed'),
    'pipeline.stage_deleted': def(record, 'A pipeline stage was removed'),
    'pipeline.stages_reordered': def(record, 'A pipeline\'s stages were reordered'),
  }),
  'import.completed': def(z.looseObject({ id: Id, entity: z.string().optional(), created: z.number().int().optional(), updated: z.number().int().optional(), failed: z.number().int().optional() }), 'A CSV import finished', 'records:read'),
  'form.submitted': def(z.looseObject({ id: Id, endpoint_id: Id, email: z.string().nullish() }), 'A web form was submitted to an inbound endpoint'),
  'webhook.subscription_disabled': def(z.looseObject({ id: Id, consecutive_failures: z.number().int() }), 'A webhook subscription was disabled after repeated failures', 'webhooks:manage'),
  'webhook.ping': def(z.looseObject({ id: Id, subscription_id: Id }), 'A test ping sent to one webhook subscription', 'webhooks:manage'),
} satisfies Record<string, EventDefinition>;

export type EventType = keyof typeof EventCatalogue;
export const EventTypes = Object.keys(EventCatalogue) as EventType[];

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(EventCatalogue, type);
}

export function findEventDefinition(type: string): EventDefinition | undefined {
  return isEventType(type) ? EventCatalogue[type] : undefined;
}

/** Event type patterns in subscriptions: an exact type, `entity.*`, or `*`. */
export const EventPatternSchema = z
  .string()
  .max(100)
  .refine((p) => p === '*' || isEventType(p) || (p.endsWith('.*') && EventTypes.some((t) => t.startsWith(p.slice(0, -1)))), 'must be a known event type, "<entity>.*" or "*"');

export function matchesEventPattern(patterns: readonly string[], type: string): boolean {
  return patterns.some((p) => p === '*' || p === type || (p.endsWith('.*') && type.startsWith(p.slice(0, -1))));
}

/** What the live stream and webhooks carry for one event. */
export const DomainEventSchema = z.object({
  id: UuidSchema,
  type: z.string(),
  version: z.number().int().optional(),
  entity: z.string(),
  entity_id: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
  occurred_at: z.string(),
});
export type DomainEvent = z.infer<typeof DomainEventSchema>;

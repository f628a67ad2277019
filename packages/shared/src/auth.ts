import { z } from 'zod';
import { EmailSchema, NameSchema, PasswordSchema, TimestampSchema, UuidSchema, text } from './common.js';
import { Roles } from './permissions.js';

export const RoleSchema = z.enum(Roles);

export const SignUpSchema = z.strictObject({
  email: EmailSchema,
  password: PasswordSchema,
  name: NameSchema,
  firm_name: NameSchema,
});

export const SignInSchema = z.strictObject({
  email: EmailSchema,
  password: z.string().min(1).max(256),
  tenant_id: UuidSchema.optional(),
});

export const RefreshSchema = z.strictObject({ refresh_token: z.string().min(1).max(200).optional() });
export const SwitchTenantSchema = z.strictObject({ tenant_id: UuidSchema });

export const MembershipSummarySchema = z.object({
  tenant_id: UuidSchema,
  tenant_name: z.string(),
  role: RoleSchema,
});

export const UserSchema = z.object({
  id: UuidSchema,
  email: z.string(),
  name: z.string(),
});

export const SessionSchema = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
  refresh_token: z.string().optional().describe('Also set as an httpOnly cookie; omitted for browsers (X-Pillar-Client: web)'),
  user: UserSchema,
  tenant: MembershipSummarySchema,
  memberships: z.array(MembershipSummarySchema),
});

export const MeSchema = z.object({
  user: UserSchema,
  tenant: MembershipSummarySchema,
  memberships: z.array(MembershipSummarySchema),
  permissions: z.array(z.string()),
});

export const ForgotPasswordSchema = z.strictObject({ email: EmailSchema });
export const ResetPasswordSchema = z.strictObject({ token: z.string().min(1).max(200), password: PasswordSchema });

export const CreateInvitationSchema = z.strictObject({ email: EmailSchema, role: RoleSchema.exclude(['owner']) });
export const InvitationSchema = z.object({
  id: UuidSchema,
  email: z.string(),
  role: RoleSchema,
  expires_at: TimestampSchema,
  accepted_at: TimestampSchema.nullable(),
  created_at: TimestampSchema,
});
export const CreatedInvitationSchema = InvitationSchema.extend({
  token: z.string().describe('Shown once; also sent by email'),
});
export const AcceptInvitationSchema = z.strictObject({
  token: z.string().min(1).max(200),
  name: NameSchema.optional(),
  password: PasswordSchema.optional(),
});

export const MemberSchema = z.object({
  user_id: UuidSchema,
  email: z.string(),
  name: z.string(),
  role: RoleSchema,
  created_at: TimestampSchema,
  version: z.number().int(),
});
export const UpdateMemberSchema = z.strictObject({ role: RoleSchema });

export const CreateApiKeySchema = z.strictObject({ name: text(100).trim().min(1), role: RoleSchema.exclude(['owner']) });
export const ApiKeySchema = z.object({
  id: UuidSchema,
  name: z.string(),
  role: RoleSchema,
  prefix: z.string(),
  created_at: TimestampSchema,
  last_used_at: TimestampSchema.nullable(),
  revoked_at: TimestampSchema.nullable(),
});
export const CreatedApiKeySchema = ApiKeySchema.extend({ key: z.string().describe('Shown once') });

export const AuditEntrySchema = z.object({
  id: UuidSchema,
  actor_type: z.string(),
  actor_id: UuidSchema.nullable(),
  action: z.string(),
  entity: z.string(),
  entity_id: z.string().nullable(),
  changes: z.record(z.string(), z.object({ before: z.unknown(), after: z.unknown() })).nullable(),
  request_id: z.string().nullable(),
  ip: z.string().nullable(),
  created_at: TimestampSchema,
});
export const ListAuditQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional(),
  entity: z.string().max(64).optional(),
  entity_id: z.string().max(64).optional(),
});

export const TenantSchema = z.object({
  id: UuidSchema,
  name: z.string(),
  base_currency: z.string(),
  timezone: z.string(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
  version: z.number().int(),
});
const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};
export const UpdateTenantSchema = z.strictObject({
  name: NameSchema.optional(),
  base_currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD').optional(),
  timezone: z.string().max(64).refine(isTimeZone, 'must be an IANA time zone such as Europe/Paris').optional(),
});

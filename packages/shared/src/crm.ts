/**
 * Contracts of the core CRM records: companies and contacts. Normalisation
 * (emails lower-cased, phones to E.164, domains to a bare host) happens on the
 * server; these schemas bound sizes and shapes.
 */
import { z } from 'zod';
import { EmailSchema, NameSchema, TimestampSchema, UuidSchema, text } from './common.js';

const optionalText = (max: number) => text(max).trim().nullable().optional();
/** Emails as people paste them: surrounding blanks are dropped before the check. */
const LooseEmailSchema = z.string().trim().max(254).pipe(EmailSchema);

export const AddressSchema = z.strictObject({
  street: optionalText(300),
  city: optionalText(120),
  region: optionalText(120),
  postal_code: optionalText(30),
  country: optionalText(120),
});
export type Address = z.infer<typeof AddressSchema>;

export const TagSchema = text(50).trim().min(1, 'must not be empty');
export const TagsSchema = z.array(TagSchema).max(50);

/** Values of per-tenant custom fields, keyed by the definition's key; null removes a value. */
export const CustomValuesSchema = z.record(z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'unknown field'), z.unknown());

export const CompanySizes = ['1-10', '11-50', '51-200', '201-500', '501-1000', '1001-5000', '5001+'] as const;

export const CompanySchema = z.object({
  id: UuidSchema,
  name: z.string(),
  domain: z.string().nullable(),
  industry: z.string().nullable(),
  size: z.string().nullable(),
  website: z.string().nullable(),
  phone: z.string().nullable(),
  address: AddressSchema,
  description: z.string().nullable(),
  parent_id: UuidSchema.nullable(),
  owner_id: UuidSchema.nullable(),
  tags: z.array(z.string()),
  custom: z.record(z.string(), z.unknown()),
  created_by: UuidSchema.nullable(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
  deleted_at: TimestampSchema.nullable(),
  version: z.number().int(),
});
export type Company = z.infer<typeof CompanySchema>;

const companyFields = {
  domain: text(253).trim().nullable().optional().describe('A host or URL; stored as the lower-case host without "www."'),
  industry: optionalText(120),
  size: z.enum(CompanySizes).nullable().optional(),
  website: text(2000).trim().nullable().optional(),
  phone: text(40).trim().nullable().optional(),
  address: AddressSchema.optional(),
  description: optionalText(10_000),
  parent_id: UuidSchema.nullable().optional(),
  owner_id: UuidSchema.nullable().optional(),
  tags: TagsSchema.optional(),
  custom: CustomValuesSchema.optional(),
};

export const CreateCompanySchema = z.strictObject({ name: NameSchema, ...companyFields });
export const UpdateCompanySchema = z.strictObject({ name: NameSchema.optional(), ...companyFields });
export type CreateCompany = z.infer<typeof CreateCompanySchema>;
export type UpdateCompany = z.infer<typeof UpdateCompanySchema>;

export const ContactEmailSchema = z.strictObject({
  email: LooseEmailSchema,
  label: optionalText(40),
  primary: z.boolean().optional(),
});
export const ContactPhoneSchema = z.strictObject({
  phone: text(40).trim().min(3, 'must be a phone number'),
  label: optionalText(40),
  primary: z.boolean().optional(),
});

export const SocialSchema = z.strictObject({
  linkedin: optionalText(300),
  twitter: optionalText(300),
  github: optionalText(300),
  facebook: optionalText(300),
  instagram: optionalText(300),
  website: optionalText(2000),
});

export const ContactSchema = z.object({
  id: UuidSchema,
  first_name: z.string(),
  last_name: z.string(),
  name: z.string().describe('Display name: first and last name, or the email when both are empty'),
  email: z.string().nullable().describe('The primary email, normalised'),
  emails: z.array(z.object({ email: z.string(), label: z.string().nullable().optional(), primary: z.boolean() })),
  phone: z.string().nullable().describe('The primary phone, E.164 when it could be parsed'),
  phones: z.array(z.object({ phone: z.string(), e164: z.string().nullable(), label: z.string().nullable().optional(), primary: z.boolean() })),
  title: z.string().nullable(),
  department: z.string().nullable(),
  address: AddressSchema,
  social: SocialSchema,
  notes: z.string().nullable(),
  lead_source: z.string().nullable(),
  company_id: UuidSchema.nullable(),
  owner_id: UuidSchema.nullable(),
  tags: z.array(z.string()),
  custom: z.record(z.string(), z.unknown()),
  created_by: UuidSchema.nullable(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
  deleted_at: TimestampSchema.nullable(),
  version: z.number().int(),
});
export type Contact = z.infer<typeof ContactSchema>;

const contactFields = {
  first_name: text(100).trim().optional(),
  last_name: text(100).trim().optional(),
  email: LooseEmailSchema.nullable().optional().describe('Shorthand for a single primary email'),
  emails: z.array(ContactEmailSchema).max(20).optional(),
  phone: text(40).trim().nullable().optional().describe('Shorthand for a single primary phone'),
  phones: z.array(ContactPhoneSchema).max(20).optional(),
  title: optionalText(200),
  department: optionalText(200),
  address: AddressSchema.optional(),
  social: SocialSchema.optional(),
  notes: optionalText(20_000),
  lead_source: optionalText(100),
  company_id: UuidSchema.nullable().optional(),
  owner_id: UuidSchema.nullable().optional(),
  tags: TagsSchema.optional(),
  custom: CustomValuesSchema.optional(),
};

export const CreateContactSchema = z.strictObject(contactFields).refine(
  (c) => Boolean(c.first_name || c.last_name || c.email || c.emails?.length),
  { message: 'a contact needs a name or an email', path: ['first_name'] },
);
export const UpdateContactSchema = z.strictObject(contactFields);
export type CreateContact = z.infer<typeof CreateContactSchema>;
export type UpdateContact = z.infer<typeof UpdateContactSchema>;

/** What the company page shows besides the company itself. */
export const CompanyRelatedSchema = z.object({
  contacts: z.array(z.object({ id: UuidSchema, name: z.string(), email: z.string().nullable(), title: z.string().nullable() })),
  children: z.array(z.object({ id: UuidSchema, name: z.string(), domain: z.string().nullable() })),
  deals: z.array(z.object({
    id: UuidSchema, name: z.string(), value: z.string(), currency: z.string(), status: z.string(),
    stage_id: UuidSchema, expected_close_date: z.string().nullable(),
  })),
  activities: z.array(z.object({
    id: UuidSchema, type: z.string(), subject: z.string(), due_at: TimestampSchema.nullable(),
    completed_at: TimestampSchema.nullable(), created_at: TimestampSchema,
  })),
  counts: z.object({ contacts: z.number().int(), children: z.number().int(), deals: z.number().int(), open_deals: z.number().int(), activities: z.number().int() }),
});
export type CompanyRelated = z.infer<typeof CompanyRelatedSchema>;

export const MergeSchema = z.strictObject({ other_id: UuidSchema });

/** Fields of a merge where the person may pick the other record's value over the survivor's. */
export const ContactMergeFields = ['first_name', 'last_name', 'email', 'phone', 'title', 'department', 'notes', 'lead_source', 'company_id', 'owner_id', 'address'] as const;
export const CompanyMergeFields = ['name', 'domain', 'industry', 'size', 'website', 'phone', 'description', 'owner_id', 'address'] as const;
const CustomMergeField = z.string().max(80).regex(/^custom\.[a-z][a-z0-9_]*$/, 'must be a standard field or custom.<key>');
const preferOther = <T extends readonly [string, ...string[]]>(fields: T) => z.array(z.union([z.enum(fields), CustomMergeField])).max(100).optional()
  .describe('Fields (or custom.<key>) whose value comes from the other record even where the survivor has one; a blank value on the other record is ignored');
export const MergeContactSchema = MergeSchema.extend({ prefer_other: preferOther(ContactMergeFields) });
export const MergeCompanySchema = MergeSchema.extend({ prefer_other: preferOther(CompanyMergeFields) });
export type MergeContact = z.infer<typeof MergeContactSchema>;
export type MergeCompany = z.infer<typeof MergeCompanySchema>;

export const DuplicateSuggestionSchema = z.object({
  id: UuidSchema,
  title: z.string(),
  subtitle: z.string().nullable(),
  reasons: z.array(z.enum(['same_email', 'same_phone', 'same_domain', 'similar_name'])),
  score: z.number(),
});
export const DuplicatesSchema = z.object({ data: z.array(DuplicateSuggestionSchema) });

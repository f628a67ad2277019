/** Exchange rates a firm maintains, and personal dashboards made of report widgets. */
import { z } from 'zod';
import { NameSchema, TimestampSchema, UuidSchema, text } from './common.js';
import { ReportFilterSchemas, ReportNameSchema } from './analytics-reports.js';

const CurrencySchema = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as "EUR"');
const RateValueSchema = z
  .string()
  .regex(/^\d{1,12}(\.\d{1,12})?$/, 'must be a positive decimal string such as "1.0825" (at most 12 decimals)')
  .refine((s) => /[1-9]/.test(s), 'must be greater than zero')
  .describe('units of the base currency one unit of `currency` is worth');
const EffectiveFromSchema = z.iso.date({ message: 'must be a date (YYYY-MM-DD)' });

export const ExchangeRateSchema = z.object({
  id: UuidSchema,
  currency: z.string(),
  rate: z.string(),
  effective_from: z.string(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
  version: z.number().int(),
});
export type ExchangeRate = z.infer<typeof ExchangeRateSchema>;

export const CreateExchangeRateSchema = z.strictObject({
  currency: CurrencySchema,
  rate: RateValueSchema,
  effective_from: EffectiveFromSchema,
});
export const UpdateExchangeRateSchema = z
  .strictObject({ rate: RateValueSchema.optional(), effective_from: EffectiveFromSchema.optional() })
  .refine((b) => b.rate !== undefined || b.effective_from !== undefined, 'give rate or effective_from');
export const ListExchangeRatesQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional(),
  currency: CurrencySchema.optional(),
});

export const WidgetLayoutSchema = z.strictObject({
  x: z.number().int().min(0).max(47),
  y: z.number().int().min(0).max(999),
  w: z.number().int().min(1).max(48),
  h: z.number().int().min(1).max(48),
});

/** A widget shows one report with saved filters (query-string values, as the report endpoint takes them). */
export const WidgetInputSchema = z
  .strictObject({
    id: UuidSchema.optional(),
    report: ReportNameSchema,
    title: text(120).trim().min(1).optional(),
    filters: z.record(z.string().max(40), z.string().max(8000)).default({}),
    layout: WidgetLayoutSchema.optional(),
  })
  .superRefine((w, ctx) => {
    const parsed = ReportFilterSchemas[w.report].safeParse(w.filters);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        ctx.addIssue({ code: 'custom', path: ['filters', ...issue.path.map(String)], message: issue.message });
      }
    }
  });

export const WidgetSchema = z.object({
  id: UuidSchema,
  report: ReportNameSchema,
  title: z.string(),
  filters: z.record(z.string(), z.string()),
  layout: WidgetLayoutSchema,
});
export type Widget = z.infer<typeof WidgetSchema>;

export const DashboardSchema = z.object({
  id: UuidSchema,
  name: z.string(),
  is_default: z.boolean(),
  widgets: z.array(WidgetSchema),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
  version: z.number().int(),
});
export type Dashboard = z.infer<typeof DashboardSchema>;

const WidgetsSchema = z.array(WidgetInputSchema).max(24, 'a dashboard holds at most 24 widgets');
export const CreateDashboardSchema = z.strictObject({
  name: NameSchema,
  is_default: z.boolean().default(false),
  widgets: WidgetsSchema.default([]),
});
export const UpdateDashboardSchema = z
  .strictObject({ name: NameSchema.optional(), is_default: z.boolean().optional(), widgets: WidgetsSchema.optional() })
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'change at least one field');
export type DashboardInput = z.infer<typeof CreateDashboardSchema>;

import { z } from 'zod';
import { text } from './common.js';

/** Money travels as a numeric string with at most two decimals, never as a float. */
export const MoneySchema = z
  .string()
  .regex(/^\d{1,16}(\.\d{1,2})?$/, 'must be a non-negative amount such as "1234.50"');

export const CurrencySchema = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as "EUR"');

export const DateOnlySchema = z.iso.date({ message: 'must be a date (YYYY-MM-DD)' });

export const InstantSchema = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 timestamp' });

export const SalesTagsSchema = z.array(text(50).trim().min(1)).max(50);

export const SalesCustomValuesSchema = z.record(z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'unknown field'), z.unknown());

export const OptionalText = (max: number) => text(max).nullable().optional();

/**
 * Exchange rates: "one unit of `currency` is worth `rate` units of the base
 * currency from `effective_from` on" (until the currency's next rate).
 * One rate per currency and day. Reports convert with the rate in effect on
 * a won deal's close date, or today for open deals.
 */
import type { ExchangeRate } from '@pillar/shared';
import { uuidv7 } from 'uuidv7';
import { recordChange } from '../../platform/audit.js';
import { withTenant, type TenantContext, type Tx } from '../../platform/db/tenant.js';
import { AppError, notFound, preconditionFailed } from '../../platform/errors.js';
import { decodeCursor, pageResult } from '../../platform/http/cursor.js';
import * as q from './rates.queries.js';

const ENTITY = 'exchange_rate';

function duplicate(currency: string, effectiveFrom: string) {
  return new AppError('duplicate', {
    message: `${currency} already has a rate effective from ${effectiveFrom}`,
    errors: [{ path: 'body.effective_from', message: 'already has a rate' }],
  });
}

async function checkCurrency(tx: Tx, currency: string) {
  if (currency === (await q.baseCurrency(tx))) {
    throw new AppError('unprocessable', {
      message: `${currency} is the base currency; it always converts at 1`,
      errors: [{ path: 'body.currency', message: 'is the base currency' }],
    });
  }
}

export function listRates(ctx: TenantContext, query: { limit: number; cursor?: string | undefined; currency?: string | undefined }) {
  const after = query.cursor ? (decodeCursor(query.cursor, ['string', 'string', 'uuid']) as [string, string, string]) : undefined;
  return withTenant(ctx, async (tx) => {
    const rows = await q.listRates(tx, { limit: query.limit, currency: query.currency, ...(after ? { after } : {}) });
    return pageResult(rows, query.limit, (r) => [r.currency, r.effective_from, r.id]);
  });
}

export function getRate(ctx: TenantContext, id: string): Promise<ExchangeRate> {
  return withTenant(ctx, async (tx) => {
    const row = await q.findRate(tx, id);
    if (!row) throw notFound('Exchange rate');
    return row;
  });
}

export function createRate(ctx: TenantContext, input: { currency: string; rate: string; effective_from: string }): Promise<ExchangeRate> {
  return withTenant(ctx, async (tx) => {
    await checkCurrency(tx, input.currency);
    if (await q.findRateAt(tx, input.currency, input.effective_from)) throw duplicate(input.currency, input.effective_from);
    const row = await q.insertRate(tx, ctx.tenantId, { id: uuidv7(), ...input, created_by: ctx.userId });
    await recordChange(tx, ctx, { action: 'exchange_rate.create', entity: ENTITY, entityId: row.id, after: { ...row } });
    return row;
  });
}

export function updateRate(ctx: TenantContext, id: string, input: { rate?: string | undefined; effective_from?: string | undefined }, expected: number | undefined): Promise<ExchangeRate> {
  return withTenant(ctx, async (tx) => {
    const before = await q.findRate(tx, id, true);
    if (!before) throw notFound('Exchange rate');
    if (expected !== undefined && expected !== before.version) throw preconditionFailed(before.version);
    if (input.effective_from && input.effective_from !== before.effective_from) {
      const clash = await q.findRateAt(tx, before.currency, input.effective_from);
      if (clash) throw duplicate(before.currency, input.effective_from);
    }
    const after = await q.updateRate(tx, id, input);
    await recordChange(tx, ctx, { action: 'exchange_rate.update', entity: ENTITY, entityId: id, before: { ...before }, after: { ...after } });
    return after;
  });
}

export function deleteRate(ctx: TenantContext, id: string, expected: number | undefined): Promise<void> {
  return withTenant(ctx, async (tx) => {
    const before = await q.findRate(tx, id, true);
    if (!before) throw notFound('Exchange rate');
    if (expected !== undefined && expected !== before.version) throw preconditionFailed(before.version);
    await q.deleteRate(tx, id);
    await recordChange(tx, ctx, { action: 'exchange_rate.delete', entity: ENTITY, entityId: id, before: { ...before } });
  });
}

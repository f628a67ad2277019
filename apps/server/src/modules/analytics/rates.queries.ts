/** SQL for the firm's exchange rates. */
import type { Tx } from '../../platform/db/tenant.js';

export interface RateRow {
  id: string;
  currency: string;
  rate: string;
  effective_from: string;
  created_at: string;
  updated_at: string;
  version: number;
}

const COLS = `id, currency::text AS currency, trim_scale(rate)::text AS rate, to_char(effective_from, 'YYYY-MM-DD') AS effective_from,
              created_at, updated_at, version`;

export async function listRates(tx: Tx, opts: { limit: number; currency?: string | undefined; after?: [string, string, string] }) {
  const params: unknown[] = [opts.limit + 1];
  const where: string[] = [];
  if (opts.currency) {
    params.push(opts.currency);
    where.push(`currency = $${params.length}`);
  }
  if (opts.after) {
    params.push(...opts.after);
    const n = params.length;
    // Keyset on (currency ASC, effective_from DESC, id ASC).
    where.push(`(currency > $${n - 2} OR (currency = $${n - 2} AND (effective_from < $${n - 1}::date
                 OR (effective_from = $${n - 1}::date AND id > $${n}::uuid))))`);
  }
  return (await tx.query<RateRow>(
    `SELECT ${COLS} FROM exchange_rates ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY currency, effective_from DESC, id LIMIT $1`, params)).rows;
}

export async function findRate(tx: Tx, id: string, lock = false) {
  return (await tx.query<RateRow>(`SELECT ${COLS} FROM exchange_rates WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id])).rows[0];
}

export async function findRateAt(tx: Tx, currency: string, effectiveFrom: string) {
  return (await tx.query<{ id: string }>('SELECT id FROM exchange_rates WHERE currency = $1 AND effective_from = $2::date', [currency, effectiveFrom])).rows[0];
}

export async function insertRate(tx: Tx, tenantId: string, row: { id: string; currency: string; rate: string; effective_from: string; created_by: string | null }) {
  return (await tx.query<RateRow>(
    `INSERT INTO exchange_rates (tenant_id, id, currency, rate, effective_from, created_by)
     VALUES ($1, $2, $3, $4::numeric, $5::date, $6) RETURNING ${COLS}`,
    [tenantId, row.id, row.currency, row.rate, row.effective_from, row.created_by])).rows[0]!;
}

export async function updateRate(tx: Tx, id: string, change: { rate?: string | undefined; effective_from?: string | undefined }) {
  return (await tx.query<RateRow>(
    `UPDATE exchange_rates SET rate = coalesce($2::numeric, rate), effective_from = coalesce($3::date, effective_from),
            updated_at = now(), version = version + 1
      WHERE id = $1 RETURNING ${COLS}`,
    [id, change.rate ?? null, change.effective_from ?? null])).rows[0]!;
}

export async function deleteRate(tx: Tx, id: string) {
  await tx.query('DELETE FROM exchange_rates WHERE id = $1', [id]);
}

export async function baseCurrency(tx: Tx): Promise<string> {
  return (await tx.query<{ c: string }>('SELECT base_currency::text AS c FROM tenants')).rows[0]!.c;
}

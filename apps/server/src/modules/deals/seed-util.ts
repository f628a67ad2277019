/** Helpers of the sales demo seeders: a seeded generator and one batched INSERT per table. */
import type { Tx } from '../../platform/db/tenant.js';

export function seededRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
    uuid: () => {
      const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16));
      hex[12] = '4';
      hex[16] = '89ab'[Math.floor(next() * 4)]!;
      const s = hex.join('');
      return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
    },
  };
}
export type SeededRandom = ReturnType<typeof seededRandom>;

export const DAY = 86_400_000;

/** One INSERT … SELECT FROM jsonb_to_recordset for all rows; the tenant comes from the transaction. */
export async function insertRows(tx: Tx, table: string, columns: Record<string, string>, rows: Record<string, unknown>[]): Promise<void> {
  if (!rows.length) return;
  const names = Object.keys(columns);
  await tx.query(
    `INSERT INTO ${table} (tenant_id, ${names.join(', ')})
     SELECT nullif(current_setting('app.tenant_id', true), '')::uuid, ${names.join(', ')}
       FROM jsonb_to_recordset($1::jsonb) AS x (${names.map((n) => `${n} ${columns[n]}`).join(', ')})`,
    [JSON.stringify(rows)]);
}

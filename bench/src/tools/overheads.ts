/**
 * CPU cost of the per-request pieces of the API path, measured in-process
 * (robust on a busy machine, unlike end-to-end latency):
 *   npx tsx bench/src/tools/overheads.ts
 * - access-token verification: full (jose HS256) vs a repeat of the same token (cache hit)
 * - response serialization of a page of 50 contacts: the Zod serializer the app uses vs JSON.stringify
 */
import { ContactSchema, pageOf } from '@pillar/shared';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { TokenSigner } from '../../../apps/server/src/platform/auth/tokens.js';

async function cpuPerOp(n: number, fn: (i: number) => unknown): Promise<number> {
  for (let i = 0; i < Math.min(n, 200); i++) await fn(i);
  const t0 = process.cpuUsage();
  for (let i = 0; i < n; i++) await fn(i);
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / n;
}

function contact(i: number) {
  const id = '01a192ff-0160-7aba-adf9-77f64c3916ba';
  return {
    id, first_name: 'Oscar', last_name: 'Wang', name: 'Oscar Wang', email: `oscar.wang.${i}@silver-media-370.example`,
    emails: [{ email: `oscar.wang.${i}@silver-media-370.example`, label: 'work', primary: true }], phone: '+4915012345678',
    phones: [{ phone: '+4915012345678', e164: '+4915012345678', label: 'work', primary: true }], title: 'CEO', department: 'Sales',
    address: { city: 'Berlin' }, social: {}, notes: null, lead_source: 'referral', company_id: id, owner_id: id, tags: ['vip'],
    custom: { tier: 'gold', score: 12 }, created_by: id, created_at: '2026-10-31T17:25:48.000Z', updated_at: '2026-10-31T17:25:48.000Z',
    deleted_at: null, version: 1,
  };
}

export async function measureOverheads(): Promise<Record<string, string>> {
  const us = (v: number) => `${v.toFixed(1)} µs`;
  const out: Record<string, string> = {};
  const claims = { userId: '01a192ff-0160-7aba-adf9-77f64c3916ba', tenantId: '01a192ff-0160-7aba-adf9-77f64c3916bb', role: 'owner' as const, sessionId: '01a192ff-0160-7aba-adf9-77f64c3916bc' };
  const secret = 'bench-only-jwt-secret-0123456789abcdef';
  const tokens: string[] = [];
  const signer = new TokenSigner(secret, 900);
  for (let i = 0; i < 3000; i++) tokens.push(await signer.sign({ ...claims, sessionId: claims.sessionId.slice(0, -4) + String(1000 + i) }));
  const fresh = new TokenSigner(secret, 900);
  out["token verify, first use (jose HS256)"] = us(await cpuPerOp(2500, (i) => fresh.verify(tokens[(i % 2500) + 500] ?? "")));
  out['token verify, repeat (cache hit)'] = us(await cpuPerOp(20_000, (i) => fresh.verify(tokens[500 + (i % 100)]!)));
  const page = { data: Array.from({ length: 50 }, (_, i) => contact(i)), next_cursor: 'abc' };
  const zod = serializerCompiler({ schema: pageOf(ContactSchema), method: 'GET', url: '/contacts' }) as (d: unknown) => string;
  out['serialize 50 contacts, Zod serializer (as the app does)'] = us(await cpuPerOp(2000, () => zod(page)));
  out['serialize 50 contacts, JSON.stringify'] = us(await cpuPerOp(2000, () => JSON.stringify(page)));
  return out;
}

if (process.argv[1]?.endsWith('overheads.ts')) {
  for (const [k, v] of Object.entries(await measureOverheads())) console.log(`${k.padEnd(58)} ${v}`);
}

/**
 * Security-critical: inbound form tokens. A token names its tenant and
 * endpoint (so the public route can open that tenant's transaction without
 * any cross-tenant lookup) plus 192 random bits; only its SHA-256 is stored
 * and it is compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const PREFIX = 'frm_';

const uuidBytes = (id: string) => Buffer.from(id.replace(/-/g, ''), 'hex');
const bytesUuid = (b: Buffer) => b.toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

export function newFormToken(tenantId: string, endpointId: string): string {
  return PREFIX + Buffer.concat([uuidBytes(tenantId), uuidBytes(endpointId), randomBytes(24)]).toString('base64url');
}

export function parseFormToken(token: string): { tenantId: string; endpointId: string } | null {
  if (!token.startsWith(PREFIX) || token.length !== PREFIX.length + 75) return null;
  const raw = Buffer.from(token.slice(PREFIX.length), 'base64url');
  if (raw.length !== 56) return null;
  return { tenantId: bytesUuid(raw.subarray(0, 16)), endpointId: bytesUuid(raw.subarray(16, 32)) };
}

export function hashFormToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function tokenMatches(token: string, storedHash: string): boolean {
  const a = Buffer.from(hashFormToken(token), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

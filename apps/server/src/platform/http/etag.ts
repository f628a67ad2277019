import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';

/** Strong ETag derived from the row version. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

export function withEtag<T extends { version: number }>(reply: FastifyReply, row: T): T {
  void reply.header('etag', etagOf(row.version));
  return row;
}

/**
 * The version a client expects from `If-Match`, or undefined when it sent none
 * (or `*`). A malformed header is a 400 rather than a silent overwrite.
 */
export function expectedVersion(req: FastifyRequest): number | undefined {
  const header = req.headers['if-match'];
  if (header === undefined || header.trim() === '*') return undefined;
  const m = /^\s*(?:W\/)?"(\d{1,9})"\s*$/.exec(header);
  if (!m?.[1]) {
    throw new AppError('bad_request', {
      message: 'If-Match must be an ETag from a previous response, such as "3"',
      errors: [{ path: 'headers.if-match', message: 'malformed ETag' }],
    });
  }
  return Number(m[1]);
}

/**
 * Board order with fractional indexing: a card's `position` is a string key
 * that sorts between its neighbours (COLLATE "C"), so a move rewrites one row.
 *
 * Two moves into the same gap at the same time compute the same key; the
 * unique index (tenant_id, stage_id, position) makes the second one fail, and
 * it retries from a savepoint against the neighbours the first one committed.
 * A retry takes a random key among several in the gap: with many writers
 * aimed at one gap (a burst of cards dropped at the end of a stage) each
 * round would otherwise let only one through, and the rest would run out of
 * attempts.
 */
import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing';
import type { Tx } from '../../platform/db/tenant.js';
import { AppError, referenceNotFound } from '../../platform/errors.js';
import * as q from './deals.queries.js';

const MAX_ATTEMPTS = 8;

export function isPositionCollision(err: unknown): boolean {
  const e = err as { code?: string; constraint?: string; message?: string };
  return e.code === '23505' && (e.constraint === 'deals_stage_position_unique' || (e.message ?? '').includes('deals_stage_position_unique'));
}

export async function withPositionRetry<T>(tx: Tx, fn: (attempt: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    await tx.query('SAVEPOINT deal_position');
    try {
      const result = await fn(attempt);
      await tx.query('RELEASE SAVEPOINT deal_position');
      return result;
    } catch (err) {
      if (!isPositionCollision(err) || attempt >= MAX_ATTEMPTS) throw err;
      await tx.query('ROLLBACK TO SAVEPOINT deal_position');
    }
  }
}

/**
 * The same retry for work that owns its whole transaction: a collision rolls
 * the transaction back and `run` starts it again with the next attempt. No
 * savepoint round trips on the way (a move places the card before it writes
 * anything else, so nothing is lost but the reads).
 */
export async function retryTransactionOnPositionCollision<T>(run: (attempt: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run(attempt);
    } catch (err) {
      if (!isPositionCollision(err) || attempt >= MAX_ATTEMPTS) throw err;
    }
  }
}

/**
 * The key for `dealId` in `stageId`: just below `after_id`, just above
 * `before_id`, between both, or at the end of the stage. From the second
 * attempt on, a random one of up to 64 keys of that gap.
 */
export async function positionFor(tx: Tx, stageId: string, dealId: string, at: { before_id?: string | undefined; after_id?: string | undefined }, attempt = 1): Promise<string> {
  if (at.before_id === dealId || at.after_id === dealId) {
    throw new AppError('validation_failed', { message: 'A deal cannot be placed next to itself', errors: [{ path: 'body', message: 'before_id/after_id is the deal itself' }] });
  }
  const after = at.after_id ? await q.positionIn(tx, stageId, at.after_id) : null;
  if (at.after_id && after === null) throw referenceNotFound('after_id');
  const before = at.before_id ? await q.positionIn(tx, stageId, at.before_id) : null;
  if (at.before_id && before === null) throw referenceNotFound('before_id');
  let lo: string | null;
  let hi: string | null;
  if (at.after_id) {
    lo = after;
    hi = at.before_id ? before : await q.neighbour(tx, stageId, after, 'next', dealId);
  } else if (at.before_id) {
    hi = before;
    lo = await q.neighbour(tx, stageId, before, 'prev', dealId);
  } else {
    lo = await q.neighbour(tx, stageId, null, 'prev', dealId);
    hi = null;
  }
  if (lo !== null && hi !== null && lo >= hi) {
    throw new AppError('validation_failed', { message: 'after_id must be directly above before_id', errors: [{ path: 'body.before_id', message: 'not adjacent to after_id' }] });
  }
  if (attempt <= 1) return generateKeyBetween(lo, hi);
  const keys = generateNKeysBetween(lo, hi, Math.min(64, 2 ** (attempt + 2)));
  return keys[Math.floor(Math.random() * keys.length)]!;
}

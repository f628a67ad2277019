/**
 * Brute-force limits for sign-in, sign-up and password reset, per client IP
 * and per account. In-process memory: each server process counts on its own
 * (see ARCHITECTURE.md for the multi-process note).
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';

export interface RateLimits {
  perIp: RateLimiterMemory;
  perAccount: RateLimiterMemory;
}

export function createRateLimits(config: Config): RateLimits {
  const duration = config.rateLimit.windowSeconds;
  return {
    perIp: new RateLimiterMemory({ keyPrefix: 'ip', points: config.rateLimit.authPerIp, duration }),
    perAccount: new RateLimiterMemory({ keyPrefix: 'acct', points: config.rateLimit.authPerAccount, duration }),
  };
}

export async function consume(limiter: RateLimiterMemory, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (res) {
    if (!(res instanceof RateLimiterRes)) throw res;
    const retryAfter = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    throw new AppError('rate_limited', {
      message: `Too many attempts; try again in ${retryAfter} seconds`,
      headers: { 'retry-after': String(retryAfter) },
    });
  }
}

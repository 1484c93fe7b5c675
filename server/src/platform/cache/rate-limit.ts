import { RateLimitedError } from '../http/errors.js';
import type { Cache } from './cache.js';

export interface LimitRule {
  key: string;
  limit: number;
  windowSeconds: number;
}

/**
 * Counts one attempt against every rule and refuses when any is over its limit. When the cache is
 * unreachable the attempt is let through (fail open): a cache outage must not lock everyone out.
 */
export async function enforceLimits(cache: Cache, rules: LimitRule[], message?: string): Promise<void> {
  const results = await Promise.all(
    rules.map((rule) => cache.hit(`rl:${rule.key}`, rule.limit, rule.windowSeconds).catch(() => ({ allowed: true, count: 0, retryAfterSeconds: 0 }))),
  );
  const refused = results.filter((result) => !result.allowed);
  if (refused.length > 0) {
    throw new RateLimitedError(Math.max(...refused.map((result) => result.retryAfterSeconds)), message);
  }
}

/**
 * Whether a rule's window is already full, without counting an attempt: for limits on failures,
 * checked before trying and counted (enforceLimits) only when the attempt fails. Fails open.
 */
export async function limitReached(cache: Cache, rule: LimitRule): Promise<boolean> {
  const count = Number((await cache.get(`rl:${rule.key}`).catch(() => undefined)) ?? 0);
  return Number.isFinite(count) && count >= rule.limit;
}

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
    rules.map((rule) =>
      cache.hit(`rl:${rule.key}`, rule.limit, rule.windowSeconds).catch(() => ({ allowed: true, count: 0, retryAfterSeconds: 0 })),
    ),
  );
  const refused = results.filter((result) => !result.allowed);
  if (refused.length > 0) {
    throw new RateLimitedError(Math.max(...refused.map((result) => result.retryAfterSeconds)), message);
  }
}

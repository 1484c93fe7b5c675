// Redis connections for the cache and the bus. One place decides how a connection behaves when
// Redis goes away, so every user of Redis fails (and recovers) the same way.
import { Redis } from 'ioredis';

const RETRY_BASE_MS = 50;
const RETRY_CAP_MS = 2_000;

export function createRedis(url: string): Redis {
  return new Redis(url, {
    lazyConnect: false,
    // A command waits through two reconnect attempts at most, then fails: the cache is optional,
    // so callers are better served by a quick error than by a request hanging on a dead Redis.
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    // Keep reconnecting forever (Redis may come back), doubling the pause up to RETRY_CAP_MS.
    retryStrategy: (attempt) => Math.min(RETRY_BASE_MS * 2 ** (attempt - 1), RETRY_CAP_MS),
  });
}

/** Quits gracefully; safe to call on a connection that is down or already closed (shared clients). */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}

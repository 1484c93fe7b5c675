// The cache at scale: shared by every server instance through Redis. Every operation is one
// atomic Redis command or script, so parallel instances never lose an increment or share a lock.
// The cache owns the client it is given: close() quits it (tolerating a client already quit).
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Cache, RateLimitResult } from './cache.js';
import { closeRedis } from '../redis.js';

/** INCRBY that starts the TTL only when the counter starts, so a busy key's window never slides */
const INCREMENT_IN_WINDOW = `
local count = redis.call('INCRBY', KEYS[1], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
return {count, ttl}
`;

/** deletes the key only while it still holds the value (a lock's token: after its TTL it may be someone else's) */
const DELETE_IF_VALUE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

/**
 * Once Redis has been unreachable this long, cache calls fail at once instead of each waiting
 * through the client's reconnect attempts: the cache is optional (callers fall back to the
 * database or fail open), and a request that makes ten cache calls should not wait ten times.
 */
export const FAIL_FAST_AFTER_MS = 1_000;

function ttlToMs(ttlSeconds: number): number {
  return Math.max(1, Math.ceil(ttlSeconds * 1000));
}

export class RedisCache implements Cache {
  /** when the connection was lost (undefined while it is up or still opening for the first time) */
  private unreachableSince: number | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    const lost = () => {
      this.unreachableSince ??= Date.now();
    };
    redis.on('close', lost);
    redis.on('error', lost);
    redis.on('ready', () => {
      this.unreachableSince = undefined;
    });
  }

  async get(key: string): Promise<string | undefined> {
    this.failFastWhileDown();
    return (await this.redis.get(this.prefix + key)) ?? undefined;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.failFastWhileDown();
    await this.redis.set(this.prefix + key, value, 'PX', ttlToMs(ttlSeconds));
  }

  async setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    this.failFastWhileDown();
    return (await this.redis.set(this.prefix + key, value, 'PX', ttlToMs(ttlSeconds), 'NX')) === 'OK';
  }

  async delete(key: string): Promise<void> {
    this.failFastWhileDown();
    await this.redis.del(this.prefix + key);
  }

  async deleteIfValue(key: string, value: string): Promise<boolean> {
    this.failFastWhileDown();
    return (await this.redis.eval(DELETE_IF_VALUE, 1, this.prefix + key, value)) === 1;
  }

  async increment(key: string, by: number, ttlSeconds: number): Promise<number> {
    return (await this.incrementInWindow(key, by, ttlSeconds)).count;
  }

  async hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
    const { count, ttlMs } = await this.incrementInWindow(key, 1, windowSeconds);
    return { allowed: count <= limit, count, retryAfterSeconds: Math.max(1, Math.ceil(ttlMs / 1000)) };
  }

  async withLock<T>(key: string, ttlSeconds: number, work: () => Promise<T>): Promise<T | undefined> {
    const lockKey = `${this.prefix}lock:${key}`;
    const token = randomUUID();
    this.failFastWhileDown();
    const acquired = await this.redis.set(lockKey, token, 'PX', ttlToMs(ttlSeconds), 'NX');
    if (acquired !== 'OK') return undefined;
    try {
      return await work();
    } finally {
      // A failed release must not hide the work's outcome: the lock still expires with its TTL.
      await this.redis.eval(DELETE_IF_VALUE, 1, lockKey, token).catch(() => undefined);
    }
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    await closeRedis(this.redis);
  }

  private failFastWhileDown(): void {
    if (this.unreachableSince !== undefined && Date.now() - this.unreachableSince > FAIL_FAST_AFTER_MS) {
      throw new Error(`Redis has been unreachable for ${Math.round((Date.now() - this.unreachableSince) / 1000)} s; the cache is skipped until it is back`);
    }
  }

  private async incrementInWindow(key: string, by: number, ttlSeconds: number): Promise<{ count: number; ttlMs: number }> {
    this.failFastWhileDown();
    const [count, ttlMs] = (await this.redis.eval(INCREMENT_IN_WINDOW, 1, this.prefix + key, by, ttlToMs(ttlSeconds))) as [number, number];
    return { count, ttlMs };
  }
}

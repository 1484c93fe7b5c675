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

/** deletes the lock only while it still holds our token: after its TTL it may be someone else's */
const RELEASE_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

function ttlToMs(ttlSeconds: number): number {
  return Math.max(1, Math.ceil(ttlSeconds * 1000));
}

export class RedisCache implements Cache {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(this.prefix + key)) ?? undefined;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.prefix + key, value, 'PX', ttlToMs(ttlSeconds));
  }

  async setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    return (await this.redis.set(this.prefix + key, value, 'PX', ttlToMs(ttlSeconds), 'NX')) === 'OK';
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
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
    const acquired = await this.redis.set(lockKey, token, 'PX', ttlToMs(ttlSeconds), 'NX');
    if (acquired !== 'OK') return undefined;
    try {
      return await work();
    } finally {
      // A failed release must not hide the work's outcome: the lock still expires with its TTL.
      await this.redis.eval(RELEASE_LOCK, 1, lockKey, token).catch(() => undefined);
    }
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    await closeRedis(this.redis);
  }

  private async incrementInWindow(key: string, by: number, ttlSeconds: number): Promise<{ count: number; ttlMs: number }> {
    const [count, ttlMs] = (await this.redis.eval(INCREMENT_IN_WINDOW, 1, this.prefix + key, by, ttlToMs(ttlSeconds))) as [number, number];
    return { count, ttlMs };
  }
}

// The embedded cache: one process, one Map. Same contract as RedisCache, so code tested here
// behaves the same at scale. TTLs may be fractions of a second (millisecond precision).
import { randomUUID } from 'node:crypto';
import type { Cache, RateLimitResult } from './cache.js';

interface Entry {
  value: string;
  expiresAt: number;
}

const SWEEP_INTERVAL_MS = 60_000;

function ttlToMs(ttlSeconds: number): number {
  return Math.max(1, Math.ceil(ttlSeconds * 1000));
}

export class MemoryCache implements Cache {
  private readonly entries = new Map<string, Entry>();
  // Reads drop expired entries they meet; the sweep catches the keys nobody reads again.
  private readonly sweepTimer = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS).unref();

  async get(key: string): Promise<string | undefined> {
    return this.live(key)?.value;
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.entries.set(key, { value, expiresAt: Date.now() + ttlToMs(ttlSeconds) });
  }

  async setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean> {
    if (this.live(key)) return false;
    this.entries.set(key, { value, expiresAt: Date.now() + ttlToMs(ttlSeconds) });
    return true;
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async deleteIfValue(key: string, value: string): Promise<boolean> {
    if (this.live(key)?.value !== value) return false;
    return this.entries.delete(key);
  }

  async increment(key: string, by: number, ttlSeconds: number): Promise<number> {
    return this.incrementEntry(key, by, ttlSeconds).count;
  }

  async hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
    const { count, expiresAt } = this.incrementEntry(key, 1, windowSeconds);
    return {
      allowed: count <= limit,
      count,
      retryAfterSeconds: Math.max(1, Math.ceil((expiresAt - Date.now()) / 1000)),
    };
  }

  async withLock<T>(key: string, ttlSeconds: number, work: () => Promise<T>): Promise<T | undefined> {
    const lockKey = `lock:${key}`;
    const token = randomUUID();
    if (!(await this.setIfAbsent(lockKey, token, ttlSeconds))) return undefined;
    try {
      return await work();
    } finally {
      // The lock may have expired and been taken by someone else meanwhile: release only our own.
      if (this.live(lockKey)?.value === token) this.entries.delete(lockKey);
    }
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    clearInterval(this.sweepTimer);
    this.entries.clear();
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /** like Redis INCRBY: the TTL is set when the counter starts and never extended */
  private incrementEntry(key: string, by: number, ttlSeconds: number): { count: number; expiresAt: number } {
    if (!Number.isSafeInteger(by)) throw new Error(`cache increment must be an integer (got ${by})`);
    const entry = this.live(key);
    if (!entry) {
      const expiresAt = Date.now() + ttlToMs(ttlSeconds);
      this.entries.set(key, { value: String(by), expiresAt });
      return { count: by, expiresAt };
    }
    const current = Number(entry.value);
    if (!Number.isSafeInteger(current)) throw new Error(`cache value at "${key}" is not an integer`);
    entry.value = String(current + by);
    return { count: current + by, expiresAt: entry.expiresAt };
  }

  private sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) this.entries.delete(key);
    }
  }
}

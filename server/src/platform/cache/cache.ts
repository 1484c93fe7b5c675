// The cache: look-aside values with a time to live, atomic counters, rate limits and locks.
// It may vanish at any time (Redis flushed or down): callers must stay correct without it.

export interface RateLimitResult {
  allowed: boolean;
  /** hits counted in the current window, this one included */
  count: number;
  /** seconds until the window resets */
  retryAfterSeconds: number;
}

export interface Cache {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** sets only when the key is absent; true when it was set */
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** deletes only while the key holds `value` (nobody replaced it meanwhile); true when it was deleted */
  deleteIfValue(key: string, value: string): Promise<boolean>;
  /** adds `by` and returns the new value; the window starts with the first increment */
  increment(key: string, by: number, ttlSeconds: number): Promise<number>;
  /** a fixed-window rate limit: at most `limit` hits per `windowSeconds` for this key */
  hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitResult>;
  /** runs `work` while holding a lock; returns undefined without running when another holder has it */
  withLock<T>(key: string, ttlSeconds: number, work: () => Promise<T>): Promise<T | undefined>;
  /** health check for /readyz */
  ping(): Promise<void>;
  close(): Promise<void>;
}

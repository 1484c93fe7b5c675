// Where each kiosk's presence state lives between readings: in the cache (Redis when configured),
// changed under a per-kiosk lock, so the decision does not depend on which instance a balancer
// hands each ReportDistance to. When the cache is unreachable, each instance falls back to a copy
// in its own memory: presence is then decided where the readings arrive (right for a device whose
// calls share one connection) until the cache answers again.
import type { Cache } from '../../platform/cache/cache.js';
import type { PresenceState } from './presence-detector.js';

export interface StoredPresence {
  detector: PresenceState;
  /** the arrival rules the run under way was counted with; other rules start the run again */
  rulesKey: string;
  /** customers who have left this kiosk so far: an analysis that outlives its customer is not shown */
  departures: number;
}

// refreshed by every reading; a kiosk silent for this long starts again from "nobody there"
const STATE_TTL_SECONDS = 3_600;
const LOCK_TTL_SECONDS = 2;
const LOCK_ATTEMPTS = 200;
const LOCK_RETRY_MS = 5;

function key(kioskId: string): string {
  return `presence:${kioskId}`;
}

export class PresenceStore {
  private readonly local = new Map<string, StoredPresence>();
  // one change at a time per kiosk on this instance: they wait here, not on the cache's lock
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(
    private readonly cache: Cache,
    private readonly onCacheError: (error: unknown) => void,
  ) {}

  /**
   * Runs `change` (which must not throw) on the kiosk's state with no other instance changing it meanwhile, and keeps what
   * it returns as the new state (`next` undefined: unchanged). `change` may await (the screen's events go out before the next
   * change can start, so they stay in order across instances).
   */
  update<T>(kioskId: string, change: (current: StoredPresence | undefined) => Promise<{ next: StoredPresence | undefined; result: T }>): Promise<T> {
    const previous = this.chains.get(kioskId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.updateNow(kioskId, change));
    this.chains.set(kioskId, next);
    void next
      .finally(() => {
        if (this.chains.get(kioskId) === next) this.chains.delete(kioskId);
      })
      .catch(() => undefined);
    return next;
  }

  async read(kioskId: string): Promise<StoredPresence | undefined> {
    try {
      const text = await this.cache.get(key(kioskId));
      return text ? (JSON.parse(text) as StoredPresence) : undefined;
    } catch (error) {
      this.onCacheError(error);
      return this.local.get(kioskId);
    }
  }

  async forget(kioskId: string): Promise<void> {
    this.local.delete(kioskId);
    await this.cache.delete(key(kioskId)).catch((error: unknown) => this.onCacheError(error));
  }

  private async updateNow<T>(
    kioskId: string,
    change: (current: StoredPresence | undefined) => Promise<{ next: StoredPresence | undefined; result: T }>,
  ): Promise<T> {
    let cacheFailed: unknown;
    try {
      for (let attempt = 0; attempt < LOCK_ATTEMPTS; attempt++) {
        const done = await this.cache.withLock(key(kioskId), LOCK_TTL_SECONDS, async () => {
          const text = await this.cache.get(key(kioskId));
          const { next, result } = await change(text ? (JSON.parse(text) as StoredPresence) : undefined);
          if (next === undefined) return { result };
          try {
            await this.cache.set(key(kioskId), JSON.stringify(next), STATE_TTL_SECONDS);
            this.local.delete(kioskId); // the cache holds the truth again
          } catch (error) {
            // the change has happened (its events are out): keep it here rather than run it twice
            this.onCacheError(error);
            this.local.set(kioskId, next);
          }
          return { result };
        });
        if (done) return done.result;
        await new Promise((resolve) => setTimeout(resolve, LOCK_RETRY_MS));
      }
      cacheFailed = new Error(`presence lock of kiosk ${kioskId} not acquired`);
    } catch (error) {
      cacheFailed = error;
    }
    this.onCacheError(cacheFailed);
    const { next, result } = await change(this.local.get(kioskId));
    if (next !== undefined) this.local.set(kioskId, next);
    return result;
  }
}

// Events a screen must not miss across a reconnection (the kiosk's own screen, the POS's live
// orders): each gets an id that increases per stream, is kept in a short log in the cache (so
// Last-Event-ID replay works whichever instance the screen reconnects to), and travels through the
// bus (so the screen may be connected to any instance).
import type { Bus } from './bus.js';
import type { Cache } from '../cache/cache.js';

export interface ReplayOptions {
  /** events kept for replay per stream */
  replayEvents: number;
  /** how long the log lives after its last event */
  replayTtlSeconds: number;
}

/** an event as logged and delivered: ids increase per stream */
export type Logged<E> = E & { id: number };

const LOCK_ATTEMPTS = 100;
const LOCK_RETRY_MS = 5;

/** a Last-Event-ID (header or `?lastEventId=`) as a number, or undefined when absent or not an id */
export function parseLastEventId(raw: string | string[] | undefined): number | undefined {
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || !/^\d{1,16}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

export class ReplayableEvents<E extends object> {
  // events of one stream leave this instance in the order they were published
  private readonly chains = new Map<string, Promise<unknown>>();

  /** `name` prefixes the bus channel (`name:stream`) and the cache key of the log (`name:log:stream`) */
  constructor(
    private readonly name: string,
    private readonly cache: Cache,
    private readonly bus: Bus,
    private readonly options: ReplayOptions,
    private readonly onError: (error: unknown) => void,
  ) {}

  channel(stream: string): string {
    return `${this.name}:${stream}`;
  }

  private logKey(stream: string): string {
    return `${this.name}:log:${stream}`;
  }

  publish(stream: string, event: E): Promise<Logged<E>> {
    const previous = this.chains.get(stream) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(async () => {
        const logged = await this.append(stream, event);
        await this.bus.publish(this.channel(stream), logged);
        return logged;
      });
    this.chains.set(stream, next);
    void next.finally(() => {
      if (this.chains.get(stream) === next) this.chains.delete(stream);
    }).catch(() => undefined);
    return next;
  }

  /**
   * Follows a stream's events: first those logged after `lastEventId` (when given), then new ones,
   * each once and in order. Returns the function that stops following.
   */
  async follow(stream: string, lastEventId: number | undefined, deliver: (event: Logged<E>) => void): Promise<() => Promise<void>> {
    let lastDelivered = lastEventId ?? 0;
    let replaying = true;
    const held: Array<Logged<E>> = [];
    const pass = (event: Logged<E>) => {
      if (event.id <= lastDelivered) return;
      lastDelivered = event.id;
      deliver(event);
    };
    // subscribe before reading the log, so nothing published in between is lost
    const unsubscribe = await this.bus.subscribe(this.channel(stream), (message) => {
      const event = message as Logged<E>;
      if (replaying) held.push(event);
      else pass(event);
    });
    if (lastEventId !== undefined) {
      for (const event of await this.readLog(stream)) pass(event);
    }
    replaying = false;
    for (const event of held.sort((a, b) => a.id - b.id)) pass(event);
    return unsubscribe;
  }

  private async readLog(stream: string): Promise<Array<Logged<E>>> {
    try {
      const text = await this.cache.get(this.logKey(stream));
      return text ? (JSON.parse(text) as Array<Logged<E>>) : [];
    } catch (error) {
      this.onError(error);
      return [];
    }
  }

  /**
   * Gives the event the next id and adds it to the log, under a lock so that two instances never
   * hand out one id twice. Ids never go back, even when the log expired: they are at least the
   * clock's milliseconds. Without the cache the event still goes out, just not replayable.
   */
  private async append(stream: string, event: E): Promise<Logged<E>> {
    const key = this.logKey(stream);
    try {
      for (let attempt = 0; attempt < LOCK_ATTEMPTS; attempt++) {
        const logged = await this.cache.withLock(key, 2, async () => {
          const log = await this.readLog(stream);
          const lastId = log.at(-1)?.id ?? 0;
          const entry = { ...event, id: Math.max(lastId + 1, Date.now()) } as Logged<E>;
          log.push(entry);
          await this.cache.set(key, JSON.stringify(log.slice(-this.options.replayEvents)), this.options.replayTtlSeconds);
          return entry;
        });
        if (logged) return logged;
        await new Promise((resolve) => setTimeout(resolve, LOCK_RETRY_MS));
      }
    } catch (error) {
      this.onError(error);
    }
    return { ...event, id: Date.now() } as Logged<E>;
  }
}

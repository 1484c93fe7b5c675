// The live stream of one kiosk's screen: events get an id that increases per kiosk, are kept in a
// short log in the cache (so Last-Event-ID replay works whichever instance the screen reconnects
// to), and travel through the bus (so the screen may be connected to any instance).
import type { Bus } from '../../platform/bus/bus.js';
import type { Cache } from '../../platform/cache/cache.js';
import type { LiveEvent, LoggedEvent } from './kiosk-live.events.js';

export interface KioskLiveOptions {
  /** events kept for replay per kiosk */
  replayEvents: number;
  /** how long the log lives after its last event */
  replayTtlSeconds: number;
}

const LOCK_ATTEMPTS = 100;
const LOCK_RETRY_MS = 5;

export function kioskLiveChannel(kioskId: string): string {
  return `kiosk-live:${kioskId}`;
}

function logKey(kioskId: string): string {
  return `kiosk-live:log:${kioskId}`;
}

export class KioskLiveService {
  // events of one kiosk leave this instance in the order they were published
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(
    private readonly cache: Cache,
    private readonly bus: Bus,
    private readonly options: KioskLiveOptions,
    private readonly onError: (error: unknown) => void,
  ) {}

  publish(kioskId: string, event: LiveEvent): Promise<LoggedEvent> {
    const previous = this.chains.get(kioskId) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(async () => {
        const logged = await this.append(kioskId, event);
        await this.bus.publish(kioskLiveChannel(kioskId), logged);
        return logged;
      });
    this.chains.set(kioskId, next);
    void next.finally(() => {
      if (this.chains.get(kioskId) === next) this.chains.delete(kioskId);
    }).catch(() => undefined);
    return next;
  }

  /**
   * Follows a kiosk's events: first those logged after `lastEventId` (when given), then new ones,
   * each once and in order. Returns the function that stops following.
   */
  async follow(kioskId: string, lastEventId: number | undefined, deliver: (event: LoggedEvent) => void): Promise<() => Promise<void>> {
    let lastDelivered = lastEventId ?? 0;
    let replaying = true;
    const held: LoggedEvent[] = [];
    const pass = (event: LoggedEvent) => {
      if (event.id <= lastDelivered) return;
      lastDelivered = event.id;
      deliver(event);
    };
    // subscribe before reading the log, so nothing published in between is lost
    const unsubscribe = await this.bus.subscribe(kioskLiveChannel(kioskId), (message) => {
      const event = message as LoggedEvent;
      if (replaying) held.push(event);
      else pass(event);
    });
    if (lastEventId !== undefined) {
      for (const event of await this.readLog(kioskId)) pass(event);
    }
    replaying = false;
    for (const event of held.sort((a, b) => a.id - b.id)) pass(event);
    return unsubscribe;
  }

  private async readLog(kioskId: string): Promise<LoggedEvent[]> {
    try {
      const text = await this.cache.get(logKey(kioskId));
      return text ? (JSON.parse(text) as LoggedEvent[]) : [];
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
  private async append(kioskId: string, event: LiveEvent): Promise<LoggedEvent> {
    const key = logKey(kioskId);
    try {
      for (let attempt = 0; attempt < LOCK_ATTEMPTS; attempt++) {
        const logged = await this.cache.withLock(key, 2, async () => {
          const log = await this.readLog(kioskId);
          const lastId = log.at(-1)?.id ?? 0;
          const entry: LoggedEvent = { ...event, id: Math.max(lastId + 1, Date.now()) };
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
    return { ...event, id: Date.now() };
  }
}

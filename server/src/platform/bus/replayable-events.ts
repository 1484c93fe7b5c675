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
  /**
   * When the cache cannot log an event (Redis away), keep trying in the background for this long and
   * deliver it late, after the stream's events before it, rather than send it once unlogged where the
   * bus is likely down too (a follower on another instance would never hear of it). 0 (the default):
   * sent once unlogged.
   */
  deliverLateForSeconds?: number;
}

/**
 * An event as logged and delivered: ids increase per stream. `previousId` is the id logged just
 * before it (absent when the log was empty), so a follower can tell that it missed one.
 */
export type Logged<E> = E & { id: number; previousId?: number };

/** how often a follower checks the log for events the bus lost (the bus is at most once) */
const CATCH_UP_INTERVAL_MS = 3_000;

const LOCK_ATTEMPTS = 100;
const LOCK_RETRY_MS = 5;
/** the longest pause between tries to log late events */
const LATE_RETRY_MAX_MS = 1_000;

/** a Last-Event-ID (header or `?lastEventId=`) as a number, or undefined when absent or not an id */
export function parseLastEventId(raw: string | string[] | undefined): number | undefined {
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || !/^\d{1,16}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

export class ReplayableEvents<E extends object> {
  // events of one stream leave this instance in the order they were published
  private readonly chains = new Map<string, Promise<unknown>>();
  /** per stream, events the cache could not log yet, oldest first (deliverLateForSeconds) */
  private readonly late = new Map<string, Array<{ event: E; deadline: number }>>();

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
    const next = previous.catch(() => undefined).then(() => this.appendAndPublish(stream, event));
    this.chains.set(stream, next);
    void next
      .finally(() => {
        if (this.chains.get(stream) === next) this.chains.delete(stream);
      })
      .catch(() => undefined);
    return next;
  }

  /**
   * Follows a stream's events: first those logged after `lastEventId` (when given), then new ones,
   * each once and in order. Returns the function that stops following.
   */
  async follow(stream: string, lastEventId: number | undefined, deliver: (event: Logged<E>) => void): Promise<() => Promise<void>> {
    let lastDelivered = lastEventId ?? 0;
    let replaying = true;
    let following = true;
    const held: Array<Logged<E>> = [];
    const pass = (event: Logged<E>) => {
      if (!following || event.id <= lastDelivered) return;
      lastDelivered = event.id;
      deliver(event);
    };
    // The bus may drop a message (a Redis reconnect, a subscriber that was briefly away): the log
    // still has it. Reading the log is chained, so events still leave in order.
    let catchingUp: Promise<void> = Promise.resolve();
    const catchUp = (then?: Logged<E>) => {
      catchingUp = catchingUp.then(async () => {
        for (const logged of await this.readLog(stream)) pass(logged);
        if (then) pass(then);
      });
      return catchingUp;
    };
    // subscribe before reading the log, so nothing published in between is lost
    const unsubscribe = await this.bus.subscribe(this.channel(stream), (message) => {
      const event = message as Logged<E>;
      if (replaying) held.push(event);
      else if (event.previousId !== undefined && event.previousId > lastDelivered && lastDelivered > 0) void catchUp(event);
      else catchingUp = catchingUp.then(() => pass(event));
    });
    if (lastEventId !== undefined) {
      for (const event of await this.readLog(stream)) pass(event);
    } else {
      // a new follower starts from what is current: later events only (those that arrived while the
      // log was read are later, whatever the log says)
      const lastLogged = (await this.readLog(stream)).at(-1)?.id ?? 0;
      lastDelivered = Math.min(lastLogged, ...held.map((event) => event.id - 1));
    }
    replaying = false;
    for (const event of held.sort((a, b) => a.id - b.id)) pass(event);
    const timer = setInterval(() => void catchUp(), CATCH_UP_INTERVAL_MS);
    timer.unref();
    return async () => {
      following = false;
      clearInterval(timer);
      await unsubscribe();
    };
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
   * Gives the event the next id, adds it to the log and publishes it, all under a lock: two
   * instances never hand out one id twice, and events reach the bus in the order of their ids (were
   * the publish outside the lock, id N+1 from one instance could overtake N from another, and a
   * follower would skip N). Ids never go back, even when the log expired: they are at least the
   * clock's milliseconds. Without the cache the event goes out unlogged, or late (deliverLateForSeconds).
   */
  private async appendAndPublish(stream: string, event: E): Promise<Logged<E>> {
    const lateFor = this.options.deliverLateForSeconds ?? 0;
    const waiting = this.late.get(stream);
    // events of this stream already waiting for the cache go first: this one queues behind them
    if (waiting) {
      waiting.push({ event, deadline: Date.now() + lateFor * 1_000 });
      return { ...event, id: Date.now() } as Logged<E>;
    }
    const logged = await this.tryLogAndPublish(stream, event);
    if (logged) return logged;
    if (lateFor > 0) {
      this.late.set(stream, [{ event, deadline: Date.now() + lateFor * 1_000 }]);
      void this.deliverLate(stream);
      return { ...event, id: Date.now() } as Logged<E>;
    }
    const unlogged = { ...event, id: Date.now() } as Logged<E>;
    await this.bus.publish(this.channel(stream), unlogged);
    return unlogged;
  }

  /** the event logged and published, or undefined when the cache could not log it; a failed publish throws */
  private async tryLogAndPublish(stream: string, event: E): Promise<Logged<E> | undefined> {
    const key = this.logKey(stream);
    let logged: Logged<E> | undefined;
    let publishError: unknown;
    try {
      for (let attempt = 0; attempt < LOCK_ATTEMPTS && !logged; attempt++) {
        logged = await this.cache.withLock(key, 2, async () => {
          const log = await this.readLog(stream);
          const previousId = log.at(-1)?.id;
          const entry = { ...event, id: Math.max((previousId ?? 0) + 1, Date.now()), ...(previousId ? { previousId } : {}) } as Logged<E>;
          log.push(entry);
          await this.cache.set(key, JSON.stringify(log.slice(-this.options.replayEvents)), this.options.replayTtlSeconds);
          // logged already: a follower's catch-up finds it even if this publish fails
          await this.bus.publish(this.channel(stream), entry).catch((error: unknown) => {
            publishError = error;
          });
          return entry;
        });
        if (!logged) await new Promise((resolve) => setTimeout(resolve, LOCK_RETRY_MS));
      }
    } catch (error) {
      this.onError(error); // the cache is unreachable
    }
    if (publishError !== undefined) throw publishError;
    return logged;
  }

  /**
   * Logs and publishes a stream's waiting events once the cache is back, in the order they were
   * published, retrying every second at most (a screen should hear soon after Redis returns); an
   * event still waiting at its deadline is dropped.
   */
  private async deliverLate(stream: string): Promise<void> {
    const waiting = this.late.get(stream)!;
    let pauseMs = 250;
    while (waiting.length > 0) {
      const head = waiting[0]!;
      if (Date.now() >= head.deadline) {
        waiting.shift();
        this.onError(new Error(`${this.name}: an event for ${stream} could not be logged before its deadline and was dropped`));
        continue;
      }
      // logged but not published counts as delivered: followers catch up from the log
      const logged = await this.tryLogAndPublish(stream, head.event).then(
        (entry) => entry !== undefined,
        () => true,
      );
      if (logged) {
        waiting.shift();
        pauseMs = 250;
        continue;
      }
      await new Promise((resolve) => setTimeout(resolve, pauseMs).unref());
      pauseMs = Math.min(pauseMs * 2, LATE_RETRY_MAX_MS);
    }
    this.late.delete(stream);
  }
}

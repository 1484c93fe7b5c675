// The live stream of one kiosk's screen: events with ids that increase per kiosk, a short replay
// log in the cache and delivery through the bus (platform/bus/replayable-events.ts), so the screen
// may be connected, and reconnect, to any instance.
import type { Bus } from '../../platform/bus/bus.js';
import { ReplayableEvents, type ReplayOptions } from '../../platform/bus/replayable-events.js';
import type { Cache } from '../../platform/cache/cache.js';
import type { LiveEvent, LoggedEvent } from './kiosk-live.events.js';

export type KioskLiveOptions = ReplayOptions;

export class KioskLiveService {
  private readonly events: ReplayableEvents<LiveEvent>;

  constructor(cache: Cache, bus: Bus, options: KioskLiveOptions, onError: (error: unknown) => void) {
    this.events = new ReplayableEvents<LiveEvent>('kiosk-live', cache, bus, options, onError);
  }

  publish(kioskId: string, event: LiveEvent): Promise<LoggedEvent> {
    return this.events.publish(kioskId, event);
  }

  /**
   * Follows a kiosk's events: first those logged after `lastEventId` (when given), then new ones,
   * each once and in order. Returns the function that stops following.
   */
  follow(kioskId: string, lastEventId: number | undefined, deliver: (event: LoggedEvent) => void): Promise<() => Promise<void>> {
    return this.events.follow(kioskId, lastEventId, deliver);
  }
}

// Presence from distance readings, as a pure rule: no timers, no I/O. The caller feeds readings
// with the time it received them and asks when the customer counts as gone; devices.service.ts
// owns the timer that asks, and keeps the state between readings (presence-store.ts).
//
// Arrival: `consecutive` readings in a row under `belowCm`, each within ±`toleranceCm` of the first
// of the run (a person standing still, not a hand waved past the sensor).
// Departure: once present, no reading under `belowCm` for `leaveAfterMs`.

export interface PresenceRules {
  arriveBelowCm: number;
  arriveConsecutive: number;
  arriveToleranceCm: number;
  leaveAfterMs: number;
}

export type PresenceChange = 'arrived' | undefined;

/** what the detector remembers between readings, as plain data (kept in the cache per kiosk) */
export interface PresenceState {
  runStartCm?: number;
  runLength: number;
  presentSince?: number;
  lastNearAt: number;
}

export class PresenceDetector {
  private runStartCm: number | undefined;
  private runLength = 0;
  private presentSince: number | undefined;
  private lastNearAt = 0;

  constructor(
    private rules: PresenceRules,
    state?: PresenceState,
  ) {
    if (state) {
      this.runStartCm = state.runStartCm;
      this.runLength = state.runLength;
      this.presentSince = state.presentSince;
      this.lastNearAt = state.lastNearAt;
    }
  }

  get state(): PresenceState {
    return { runStartCm: this.runStartCm, runLength: this.runLength, presentSince: this.presentSince, lastNearAt: this.lastNearAt };
  }

  get present(): boolean {
    return this.presentSince !== undefined;
  }

  /** new thresholds apply from the next reading; a run under way starts again */
  updateRules(rules: PresenceRules): void {
    this.rules = rules;
    this.runStartCm = undefined;
    this.runLength = 0;
  }

  /** one reading, in the order measured; `now` is when the server received it (epoch ms) */
  add(centimetres: number, now: number): PresenceChange {
    const near = centimetres < this.rules.arriveBelowCm;
    if (!near) {
      this.runStartCm = undefined;
      this.runLength = 0;
      return undefined;
    }
    this.lastNearAt = now;
    if (this.present) return undefined;
    if (this.runStartCm === undefined || Math.abs(centimetres - this.runStartCm) > this.rules.arriveToleranceCm) {
      this.runStartCm = centimetres;
      this.runLength = 1;
    } else {
      this.runLength += 1;
    }
    if (this.runLength < this.rules.arriveConsecutive) return undefined;
    this.presentSince = now;
    this.runStartCm = undefined;
    this.runLength = 0;
    return 'arrived';
  }

  /** epoch ms at which the customer counts as gone if nothing near is read before; undefined when nobody is present */
  leavesAt(): number | undefined {
    return this.present ? this.lastNearAt + this.rules.leaveAfterMs : undefined;
  }

  /** true (and the detector back to "nobody") when the customer has gone by `now` */
  checkDeparture(now: number): boolean {
    const leavesAt = this.leavesAt();
    if (leavesAt === undefined || now < leavesAt) return false;
    this.presentSince = undefined;
    this.runStartCm = undefined;
    this.runLength = 0;
    return true;
  }
}

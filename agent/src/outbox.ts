// What the agent has to deliver while the server may be unreachable: a bounded queue per kind
// (the oldest entries go first when it is full; entries past their useful age expire) and a
// sender that drains it one call at a time, retrying with backoff.
import { Backoff, type BackoffPolicy } from './backoff.js';
import type { Logger } from './log.js';

interface Entry<T> {
  item: T;
  queuedAt: number;
}

export interface OutboxLimits {
  capacity: number;
  /** entries older than this are worthless (a capture for a customer long gone); none when unset */
  maxAgeMs?: number;
}

export class Outbox<T> {
  private entries: Entry<T>[] = [];
  /** entries thrown away unsent: overflow or expiry */
  dropped = 0;

  constructor(private readonly limits: OutboxLimits) {}

  get size(): number {
    return this.entries.length;
  }

  /** adds an entry; returns how many old ones it pushed out */
  push(item: T, now = Date.now()): number {
    this.entries.push({ item, queuedAt: now });
    const overflow = Math.max(0, this.entries.length - this.limits.capacity);
    if (overflow > 0) this.entries.splice(0, overflow);
    this.dropped += overflow;
    return overflow;
  }

  /** removes the entries past their age; returns how many */
  expire(now = Date.now()): number {
    if (this.limits.maxAgeMs === undefined) return 0;
    const oldest = now - this.limits.maxAgeMs;
    const before = this.entries.length;
    this.entries = this.entries.filter((entry) => entry.queuedAt >= oldest);
    const expired = before - this.entries.length;
    this.dropped += expired;
    return expired;
  }

  peek(count: number): T[] {
    return this.entries.slice(0, count).map((entry) => entry.item);
  }

  /** removes these entries (the first ones) once delivered or refused; entries pushed out meanwhile are not removed twice */
  remove(items: readonly T[]): void {
    const delivered = new Set(items);
    this.entries = this.entries.filter((entry) => !delivered.has(entry.item));
  }

  clear(): number {
    const cleared = this.entries.length;
    this.entries = [];
    return cleared;
  }
}

/** how a failed delivery is handled */
export type FailureVerdict =
  /** the server refused these entries for good (bad input): drop them and go on */
  | 'drop'
  /** the server refused this kiosk's credentials: wait the long credentials retry */
  | 'unauthenticated'
  /** the server is unreachable or busy: retry with backoff */
  | 'retry';

export interface OutboxSenderOptions<T> {
  name: string;
  outbox: Outbox<T>;
  batchSize: number;
  send(batch: T[]): Promise<void>;
  judge(error: unknown): FailureVerdict;
  retry: BackoffPolicy;
  credentialsRetryMs: number;
  log: Logger;
}

export class OutboxSender<T> {
  private sending = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** set while deliveries must wait (for the readings: until the command stream is open) */
  private heldFor: string | undefined;
  private readonly backoff: Backoff;

  constructor(private readonly options: OutboxSenderOptions<T>) {
    this.backoff = new Backoff(options.retry);
  }

  /** something was queued: send it unless a call is in flight or a retry is already scheduled */
  kick(): void {
    if (this.sending || this.retryTimer || this.stopped || this.heldFor) return;
    void this.drain();
  }

  /** stop delivering (entries keep queueing) until release() */
  hold(reason: string): void {
    if (this.heldFor) return;
    this.heldFor = reason;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.options.log.info('outbox.held', { outbox: this.options.name, reason, queued: this.options.outbox.size });
  }

  release(): void {
    if (!this.heldFor) {
      this.retryNow();
      return;
    }
    this.heldFor = undefined;
    this.options.log.info('outbox.released', { outbox: this.options.name, queued: this.options.outbox.size });
    this.kick();
  }

  /** the server is back (the command stream reopened): do not wait out the backoff */
  retryNow(): void {
    if (!this.retryTimer) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.kick();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private async drain(): Promise<void> {
    const { outbox, log, name } = this.options;
    this.sending = true;
    try {
      while (!this.stopped && !this.heldFor) {
        const expired = outbox.expire();
        if (expired > 0) log.warn('outbox.expired', { outbox: name, expired, dropped: outbox.dropped });
        const batch = outbox.peek(this.options.batchSize);
        if (batch.length === 0) return;
        try {
          await this.options.send(batch);
          outbox.remove(batch);
          if (this.backoff.attempts > 0) log.info('outbox.delivered_after_retry', { outbox: name, attempts: this.backoff.attempts });
          this.backoff.reset();
        } catch (error) {
          const verdict = this.options.judge(error);
          if (verdict === 'drop') {
            outbox.remove(batch);
            outbox.dropped += batch.length;
            log.error('outbox.refused', { outbox: name, entries: batch.length, error });
            continue;
          }
          if (this.heldFor) return; // release() sends again
          const retryInMs = verdict === 'unauthenticated' ? this.options.credentialsRetryMs : this.backoff.next();
          log.warn('outbox.retry', { outbox: name, queued: outbox.size, error, retryInMs });
          this.retryTimer = setTimeout(() => {
            this.retryTimer = undefined;
            this.kick();
          }, retryInMs);
          return;
        }
      }
    } finally {
      this.sending = false;
    }
  }
}

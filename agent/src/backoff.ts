// Exponential backoff with jitter, for everything the agent retries: reopening the serial port,
// reopening the command stream, resending queued readings and frames. The jitter keeps a fleet of
// kiosks that lost the server together from all coming back in the same millisecond.

export interface BackoffPolicy {
  minMs: number;
  maxMs: number;
}

export class Backoff {
  private failures = 0;

  constructor(private readonly policy: BackoffPolicy) {}

  /** the wait before the next attempt; each call doubles it, up to maxMs */
  next(): number {
    const ceiling = Math.min(this.policy.maxMs, this.policy.minMs * 2 ** Math.min(this.failures, 30));
    this.failures += 1;
    // "equal jitter": at least half the ceiling, so the wait still grows
    return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
  }

  /** after a success: the next failure starts from minMs again */
  reset(): void {
    this.failures = 0;
  }

  get attempts(): number {
    return this.failures;
  }
}

// The embedded bus: one process, so publishing reaches this process's handlers only.
// It mirrors RedisBus on purpose: messages go through JSON (a Date arrives as a string here too)
// and handlers run later, never inside publish().
import type { Bus, BusHandler } from './bus.js';

interface Subscription {
  handler: BusHandler;
}

export class MemoryBus implements Bus {
  private readonly channels = new Map<string, Set<Subscription>>();

  constructor(
    private readonly onHandlerError: (error: unknown, channel: string) => void = (error, channel) =>
      console.error(`bus handler for "${channel}" failed:`, error),
  ) {}

  async publish(channel: string, message: unknown): Promise<void> {
    const payload = JSON.stringify(message);
    if (payload === undefined) throw new TypeError(`bus message for "${channel}" is not JSON-serializable`);
    const subscriptions = this.channels.get(channel);
    if (!subscriptions) return;
    const decoded: unknown = JSON.parse(payload);
    for (const subscription of subscriptions) {
      queueMicrotask(() => {
        // Unsubscribed between publish and delivery: the handler asked not to hear more.
        if (!this.channels.get(channel)?.has(subscription)) return;
        this.deliver(channel, subscription.handler, decoded);
      });
    }
  }

  async subscribe(channel: string, handler: BusHandler): Promise<() => Promise<void>> {
    // An object per subscription, so subscribing the same function twice needs two unsubscribes.
    const subscription: Subscription = { handler };
    let subscriptions = this.channels.get(channel);
    if (!subscriptions) {
      subscriptions = new Set();
      this.channels.set(channel, subscriptions);
    }
    subscriptions.add(subscription);
    return async () => {
      const current = this.channels.get(channel);
      if (!current?.delete(subscription)) return;
      if (current.size === 0) this.channels.delete(channel);
    };
  }

  async close(): Promise<void> {
    this.channels.clear();
  }

  /** one failing handler (throwing or rejecting) is reported and never reaches the others */
  private deliver(channel: string, handler: BusHandler, message: unknown): void {
    try {
      const result: unknown = handler(message);
      if (result instanceof Promise) result.catch((error: unknown) => this.onHandlerError(error, channel));
    } catch (error) {
      this.onHandlerError(error, channel);
    }
  }
}

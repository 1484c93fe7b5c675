// The bus at scale: Redis pub/sub between server instances. One Redis subscription per channel,
// however many local handlers listen; local fan-out happens here.
// The bus owns both clients: close() quits them. The subscriber must be a dedicated connection
// (Redis allows only pub/sub commands on it); the publisher may be shared, e.g. with RedisCache.
import type { Redis } from 'ioredis';
import type { Bus, BusHandler } from './bus.js';
import { closeRedis } from '../redis.js';

interface Subscription {
  handler: BusHandler;
}

interface ChannelState {
  subscriptions: Set<Subscription>;
  /** settles when Redis has answered our SUBSCRIBE */
  confirmed: Promise<unknown>;
}

export class RedisBus implements Bus {
  private readonly channels = new Map<string, ChannelState>();
  private readonly onMessage = (redisChannel: string, payload: string): void => {
    if (!redisChannel.startsWith(this.prefix)) return;
    const channel = redisChannel.slice(this.prefix.length);
    const state = this.channels.get(channel);
    if (!state) return;
    let message: unknown;
    try {
      message = JSON.parse(payload);
    } catch (error) {
      this.onHandlerError(error, channel);
      return;
    }
    for (const subscription of [...state.subscriptions]) this.deliver(channel, subscription.handler, message);
  };

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly prefix: string,
    private readonly onHandlerError: (error: unknown, channel: string) => void = (error, channel) =>
      console.error(`bus handler for "${channel}" failed:`, error),
  ) {
    subscriber.on('message', this.onMessage);
  }

  async publish(channel: string, message: unknown): Promise<void> {
    const payload = JSON.stringify(message);
    if (payload === undefined) throw new TypeError(`bus message for "${channel}" is not JSON-serializable`);
    await this.publisher.publish(this.prefix + channel, payload);
  }

  async subscribe(channel: string, handler: BusHandler): Promise<() => Promise<void>> {
    await this.handshakeDone();
    let state = this.channels.get(channel);
    if (!state) {
      // Commands on one connection run in order, so a SUBSCRIBE racing an earlier UNSUBSCRIBE
      // of the same channel still leaves Redis subscribed.
      state = { subscriptions: new Set(), confirmed: this.subscriber.subscribe(this.prefix + channel) };
      this.channels.set(channel, state);
    }
    const subscription: Subscription = { handler };
    state.subscriptions.add(subscription);
    const unsubscribe = async (): Promise<void> => {
      const current = this.channels.get(channel);
      if (!current?.subscriptions.delete(subscription)) return;
      if (current.subscriptions.size > 0) return;
      this.channels.delete(channel);
      await this.subscriber.unsubscribe(this.prefix + channel);
    };
    try {
      // Later subscribers wait on the same confirmation: a publish right after subscribe() arrives.
      await state.confirmed;
    } catch (error) {
      await unsubscribe().catch(() => undefined);
      throw error;
    }
    return unsubscribe;
  }

  /**
   * While the connection is in its handshake (status 'connect') ioredis writes a SUBSCRIBE at once,
   * and its own ready check (INFO) then fails in subscriber mode and drops the connection. Wait for
   * the handshake to end; in any other state the command waits in ioredis' offline queue as usual.
   */
  private async handshakeDone(): Promise<void> {
    if (this.subscriber.status !== 'connect') return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.subscriber.off('ready', done);
        this.subscriber.off('close', done);
        resolve();
      };
      this.subscriber.on('ready', done);
      this.subscriber.on('close', done);
    });
  }

  async close(): Promise<void> {
    this.subscriber.off('message', this.onMessage);
    this.channels.clear();
    await Promise.all([closeRedis(this.subscriber), closeRedis(this.publisher)]);
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

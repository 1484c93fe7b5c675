// One contract for every Bus: the embedded one always, Redis when the CI provides servers.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Redis } from 'ioredis';
import type { Bus } from '../../src/platform/bus/bus.js';
import { MemoryBus } from '../../src/platform/bus/memory-bus.js';
import { RedisBus } from '../../src/platform/bus/redis-bus.js';
import { createRedis } from '../../src/platform/redis.js';

const withServers = process.env.PINOKIO_TEST_SERVERS === '1';
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const redisSkip = withServers ? false : 'PINOKIO_TEST_SERVERS not set';

type ErrorReporter = (error: unknown, channel: string) => void;

/** a handler that records messages and lets a test wait for the n-th one */
class Inbox {
  readonly messages: unknown[] = [];
  private waiters: Array<{ count: number; resolve: () => void }> = [];

  readonly handler = (message: unknown): void => {
    this.messages.push(message);
    this.waiters = this.waiters.filter((waiter) => {
      if (this.messages.length < waiter.count) return true;
      waiter.resolve();
      return false;
    });
  };

  async waitFor(count: number, timeoutMs = 2_000): Promise<unknown[]> {
    if (this.messages.length < count) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`got ${this.messages.length} of ${count} messages`)), timeoutMs);
        this.waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
      });
    }
    return this.messages;
  }
}

function busContract(name: string, open: (onHandlerError: ErrorReporter) => Promise<Bus>, skip: string | false = false): void {
  describe(name, { skip }, () => {
    let bus: Bus;
    const handlerErrors: Array<{ error: unknown; channel: string }> = [];
    const channel = (label: string) => `${label}:${randomUUID()}`;

    before(async () => {
      bus = await open((error, channel) => handlerErrors.push({ error, channel }));
    });
    after(() => bus.close());

    it('delivers a message to every handler, decoded from JSON', async () => {
      const ch = channel('fanout');
      const inboxes = [new Inbox(), new Inbox(), new Inbox()];
      for (const inbox of inboxes) await bus.subscribe(ch, inbox.handler);
      await bus.publish(ch, { screen: 7, at: new Date('2024-01-02T03:04:05Z') });
      for (const inbox of inboxes) {
        assert.deepEqual(await inbox.waitFor(1), [{ screen: 7, at: '2024-01-02T03:04:05.000Z' }]);
      }
    });

    it('never runs handlers inside publish()', async () => {
      const ch = channel('async');
      const inbox = new Inbox();
      await bus.subscribe(ch, inbox.handler);
      const published = bus.publish(ch, 'hi');
      assert.equal(inbox.messages.length, 0);
      await published;
      assert.deepEqual(await inbox.waitFor(1), ['hi']);
    });

    it('stops delivering to a handler that unsubscribed, and only to it', async () => {
      const ch = channel('unsubscribe');
      const leaving = new Inbox();
      const staying = new Inbox();
      const unsubscribe = await bus.subscribe(ch, leaving.handler);
      await bus.subscribe(ch, staying.handler);
      await bus.publish(ch, 1);
      await leaving.waitFor(1);
      await unsubscribe();
      await unsubscribe(); // a second call is harmless
      await bus.publish(ch, 2);
      // Messages on a channel arrive in order: once 2 reached `staying`, it would have reached `leaving`.
      assert.deepEqual(await staying.waitFor(2), [1, 2]);
      assert.deepEqual(leaving.messages, [1]);
    });

    it('keeps delivering when a handler throws or rejects, and reports the failure', async () => {
      const ch = channel('throwing');
      const inbox = new Inbox();
      await bus.subscribe(ch, () => {
        throw new Error('handler broke');
      });
      await bus.subscribe(ch, async () => {
        throw new Error('async handler broke');
      });
      await bus.subscribe(ch, inbox.handler);
      await bus.publish(ch, 'first');
      await bus.publish(ch, 'second');
      assert.deepEqual(await inbox.waitFor(2), ['first', 'second']);
      await new Promise((resolve) => setImmediate(resolve)); // let the rejections be reported
      const reported = handlerErrors.filter((e) => e.channel === ch).map((e) => (e.error as Error).message);
      assert.deepEqual(reported.sort(), ['async handler broke', 'async handler broke', 'handler broke', 'handler broke']);
    });

    it('refuses a message JSON cannot carry', async () => {
      await assert.rejects(bus.publish(channel('bad'), undefined), TypeError);
    });
  });
}

busContract('MemoryBus', async (onHandlerError) => new MemoryBus(onHandlerError));

const prefix = `pinokio-test:${randomUUID()}:`;

function openRedisBus(onHandlerError?: ErrorReporter): RedisBus {
  return new RedisBus(createRedis(redisUrl), createRedis(redisUrl), prefix, onHandlerError);
}

busContract('RedisBus', async (onHandlerError) => openRedisBus(onHandlerError), redisSkip);

describe('RedisBus between server instances', { skip: redisSkip }, () => {
  let instanceA: RedisBus;
  let instanceB: RedisBus;
  let observer: Redis;

  before(() => {
    instanceA = openRedisBus();
    instanceB = openRedisBus();
    observer = createRedis(redisUrl);
  });
  after(async () => {
    await Promise.all([instanceA.close(), instanceB.close(), observer.quit()]);
  });

  it('carries a message published on one instance to a subscriber on another', async () => {
    const ch = `screens:${randomUUID()}`;
    const onB = new Inbox();
    await instanceB.subscribe(ch, onB.handler);
    // No wait after subscribe(): it resolved only once Redis confirmed the subscription.
    await instanceA.publish(ch, { event: 'item.updated', id: 'abc' });
    assert.deepEqual(await onB.waitFor(1), [{ event: 'item.updated', id: 'abc' }]);
  });

  it('holds one Redis subscription per channel and drops it with the last handler', async () => {
    const ch = `screens:${randomUUID()}`;
    const subscribers = async () => {
      const [, count] = (await observer.pubsub('NUMSUB', prefix + ch)) as [string, number];
      return count;
    };
    const unsubscribes = await Promise.all([1, 2, 3].map(() => instanceB.subscribe(ch, () => {})));
    assert.equal(await subscribers(), 1);
    await unsubscribes[0]!();
    await unsubscribes[1]!();
    assert.equal(await subscribers(), 1);
    await unsubscribes[2]!();
    assert.equal(await subscribers(), 0);
  });
});

// One contract for every Cache: the embedded one always, Redis when the CI provides servers.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Cache } from '../../src/platform/cache/cache.js';
import { MemoryCache } from '../../src/platform/cache/memory-cache.js';
import { RedisCache } from '../../src/platform/cache/redis-cache.js';
import { createRedis } from '../../src/platform/redis.js';

const withServers = process.env.PINOKIO_TEST_SERVERS === '1';
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

interface CacheFixture {
  cache: Cache;
  dispose(): Promise<void>;
}

function cacheContract(name: string, open: () => Promise<CacheFixture>, skip: string | false = false): void {
  describe(name, { skip }, () => {
    let fixture: CacheFixture;
    let cache: Cache;
    // Fresh keys per test, so tests (and reruns against the same Redis) never see each other's data.
    const key = (label: string) => `${label}:${randomUUID()}`;

    before(async () => {
      fixture = await open();
      cache = fixture.cache;
    });
    after(() => fixture.dispose());

    it('answers ping', async () => {
      await cache.ping();
    });

    it('gets what was set until the TTL passes', async () => {
      const k = key('value');
      assert.equal(await cache.get(k), undefined);
      await cache.set(k, 'hello', 0.2);
      assert.equal(await cache.get(k), 'hello');
      await cache.set(k, 'replaced', 0.2);
      assert.equal(await cache.get(k), 'replaced');
      await sleep(300);
      assert.equal(await cache.get(k), undefined);
    });

    it('sets if absent only', async () => {
      const k = key('once');
      assert.equal(await cache.setIfAbsent(k, 'first', 0.2), true);
      assert.equal(await cache.setIfAbsent(k, 'second', 0.2), false);
      assert.equal(await cache.get(k), 'first');
      await sleep(300);
      assert.equal(await cache.setIfAbsent(k, 'after expiry', 10), true);
      assert.equal(await cache.get(k), 'after expiry');
      await cache.delete(k);
    });

    it('deletes, and deleting a missing key is fine', async () => {
      const k = key('gone');
      await cache.set(k, 'x', 10);
      await cache.delete(k);
      assert.equal(await cache.get(k), undefined);
      await cache.delete(k);
    });

    it('deletes only while the key still holds the value it was given', async () => {
      const k = key('held');
      await cache.set(k, 'mine', 10);
      assert.equal(await cache.deleteIfValue(k, 'theirs'), false);
      assert.equal(await cache.get(k), 'mine');
      assert.equal(await cache.deleteIfValue(k, 'mine'), true);
      assert.equal(await cache.get(k), undefined);
      assert.equal(await cache.deleteIfValue(k, 'mine'), false);
    });

    it('counts 200 parallel increments without losing one', async () => {
      const k = key('counter');
      const results = await Promise.all(Array.from({ length: 200 }, () => cache.increment(k, 1, 10)));
      assert.deepEqual(
        results.sort((a, b) => a - b),
        Array.from({ length: 200 }, (_, i) => i + 1),
      );
      assert.equal(await cache.increment(k, 5, 10), 205);
      await cache.delete(k);
    });

    it('starts the increment TTL with the first increment and never extends it', async () => {
      const k = key('window');
      assert.equal(await cache.increment(k, 1, 0.3), 1);
      await sleep(150);
      assert.equal(await cache.increment(k, 1, 0.3), 2);
      await sleep(250); // 400 ms after the first increment: the window is over
      assert.equal(await cache.increment(k, 1, 0.3), 1);
      await cache.delete(k);
    });

    it('allows exactly `limit` of 50 parallel hits and says when to retry', async () => {
      const k = key('rate');
      const results = await Promise.all(Array.from({ length: 50 }, () => cache.hit(k, 10, 60)));
      assert.equal(results.filter((r) => r.allowed).length, 10);
      assert.deepEqual(
        results.map((r) => r.count).sort((a, b) => a - b),
        Array.from({ length: 50 }, (_, i) => i + 1),
      );
      for (const result of results) {
        assert.equal(result.allowed, result.count <= 10);
        assert.ok(result.retryAfterSeconds >= 59 && result.retryAfterSeconds <= 60, `${result.retryAfterSeconds}`);
      }
      await cache.delete(k);
    });

    it('opens a new rate-limit window once the last one is over', async () => {
      const k = key('rate-window');
      assert.equal((await cache.hit(k, 1, 0.3)).allowed, true);
      const denied = await cache.hit(k, 1, 0.3);
      assert.equal(denied.allowed, false);
      assert.equal(denied.retryAfterSeconds, 1);
      await sleep(400);
      assert.deepEqual(await cache.hit(k, 1, 0.3), { allowed: true, count: 1, retryAfterSeconds: 1 });
      await cache.delete(k);
    });

    it('lets one of many parallel callers hold a lock', async () => {
      const k = key('lock');
      let holders = 0;
      let maxHolders = 0;
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          cache.withLock(k, 10, async () => {
            holders++;
            maxHolders = Math.max(maxHolders, holders);
            await sleep(50);
            holders--;
            return i;
          }),
        ),
      );
      assert.equal(results.filter((r) => r !== undefined).length, 1);
      assert.equal(maxHolders, 1);
      // Released on return: the next caller gets it.
      assert.equal(await cache.withLock(k, 10, async () => 'again'), 'again');
    });

    it('releases a lock when the work throws', async () => {
      const k = key('lock-throw');
      await assert.rejects(
        cache.withLock(k, 10, async () => {
          throw new Error('work failed');
        }),
        /work failed/,
      );
      assert.equal(await cache.withLock(k, 10, async () => 'free'), 'free');
    });

    it('frees a lock after its TTL, and a late holder does not release the next one', async () => {
      const k = key('lock-ttl');
      const slowHolder = cache.withLock(k, 0.2, () => sleep(600, 'slow'));
      await sleep(300);
      const nextHolder = cache.withLock(k, 10, () => sleep(600, 'next'));
      await sleep(400); // the slow holder finished at ~600 ms and tried to release
      assert.equal(await cache.withLock(k, 10, async () => 'intruder'), undefined);
      assert.equal(await slowHolder, 'slow');
      assert.equal(await nextHolder, 'next');
    });
  });
}

cacheContract('MemoryCache', async () => {
  const cache = new MemoryCache();
  return { cache, dispose: () => cache.close() };
});

cacheContract(
  'RedisCache',
  async () => {
    const prefix = `pinokio-test:${randomUUID()}:`;
    const redis = createRedis(redisUrl);
    const cache = new RedisCache(redis, prefix);
    return {
      cache,
      async dispose() {
        const leftovers = await redis.keys(`${prefix}*`);
        if (leftovers.length > 0) await redis.del(...leftovers);
        await cache.close();
      },
    };
  },
  withServers ? false : 'PINOKIO_TEST_SERVERS not set',
);

// Needs no server: it checks that a dead Redis makes cache calls fail quickly instead of hanging.
describe('RedisCache with Redis unreachable', () => {
  it('rejects within a second and closes cleanly', async () => {
    const redis = createRedis('redis://127.0.0.1:1');
    redis.on('error', () => {}); // connection refusals are expected here
    const cache = new RedisCache(redis, `pinokio-test:${randomUUID()}:`);
    const started = Date.now();
    await assert.rejects(cache.get('anything'));
    assert.ok(Date.now() - started < 1_000, `took ${Date.now() - started} ms`);
    await cache.close();
  });
});

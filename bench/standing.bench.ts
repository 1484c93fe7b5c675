// Brand standing: a store's last-30-days sales among its brand's stores (total, average, store
// count, rank), for a brand of 100 stores with 400 orders a day each for 30 days (1.2 million
// orders). Ours, SalesService.standing(storeId), reads the per-day aggregates (daily_sales: 3,000
// rows for the brand) and is served look-aside through the cache; measured uncached (a cache that
// always misses), and cached in the in-process cache and in Redis. Beside it, in the same run on
// the same orders, the original's method: one Redis hash per store, `pos:{storeId}:sales`, one
// field per order (its epoch ms) holding its total; every request HGETALLs every store's hash (one
// pipeline) and sums the last 30 days.
//
// The data is generated with SQL straight into a fresh PostgreSQL database (after the server's
// migrations): the brand, its 100 stores, and daily_sales exactly as the live path leaves it (one
// row per store and local day: order count and the sum of the order totals). Each order's total is
// a fixed function of (store, day, order), so the Redis hashes hold the very same 1.2 million
// orders, and both methods must answer the same figures (checked). No orders rows are generated:
// the standing query does not read them.
//
// Calls are made one at a time from this process (PostgreSQL and Redis on 127.0.0.1). Settings
// (environment): BENCH_STANDING_CALLS calls per row (200), BENCH_ORIGINAL_BUDGET seconds at most
// for the original's row (15; it stops early, after at least 3 calls and 1 unmeasured), TEST_DATABASE_URL /
// TEST_REDIS_URL as for the server tests. Its Redis keys carry a unique prefix, expire within the
// hour whatever happens, and are deleted at the end.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Redis } from 'ioredis';
import { sql } from 'kysely';
import { SalesRepository } from '../server/src/modules/sales/sales.repository.js';
import { SalesService, STANDING_DAYS, type Standing } from '../server/src/modules/sales/sales.service.js';
import { MemoryCache } from '../server/src/platform/cache/memory-cache.js';
import { RedisCache } from '../server/src/platform/cache/redis-cache.js';
import { openDatabase, type DatabaseHandle } from '../server/src/platform/db/database.js';
import { migrateToLatest } from '../server/src/platform/db/migrate.js';
import { closeRedis, createRedis } from '../server/src/platform/redis.js';
import { addDays, localDate } from '../server/src/platform/time/local-date.js';
import { createPostgresDatabase } from '../server/test/support/test-server.js';
import { busy, dropWhenIdle, explainAnalyze, fmt, machine, redisReachable, redisUrl, timeCalls, withTimeout, type Timings } from './support/measure.js';
import { printTable, type Cell } from './support/table.js';

const STORES = 100;
const ORDERS_PER_DAY = 400;
const DAYS = STANDING_DAYS; // 30
const TIME_ZONE = 'Asia/Seoul'; // the stores' default; UTC+9 all year
const CALLS = Number(process.env.BENCH_STANDING_CALLS ?? 200);
const ORIGINAL_BUDGET_MS = Number(process.env.BENCH_ORIGINAL_BUDGET ?? 15) * 1000;
const HSET_FIELDS_PER_COMMAND = 1000;
const HSET_COMMANDS_PER_PIPELINE = 50;

const log = (message: string) => process.stderr.write(`[standing.bench] ${message}\n`);
const startMachine = machine();
const startBusy = busy();

// the total of order n (0..399) on day d (0 = today, back to 29) of store s (1..100), in won:
// 3,000 to 19,000 won, a little more at higher-numbered stores so that ranks differ
const totalSql = sql`(1000 * (3 + ((st.idx * 37 + d * 11 + n * 7) % 17)) + st.idx * 10)`;
const totalOf = (s: number, d: number, n: number) => 1000 * (3 + ((s * 37 + d * 11 + n * 7) % 17)) + s * 10;
// when order n of a local day was placed: from 08:00, one every 126 s (to 21:59)
const orderTime = (day: string, n: number) => Date.parse(`${day}T08:00:00+09:00`) + n * 126_000;

/** a cache that never has the value: every standing() call runs the query */
class MissingCache extends MemoryCache {
  override async get(): Promise<string | undefined> {
    return undefined;
  }
}

const header = ['method', 'p50', 'p99', 'mean', 'calls', 'original p50 ÷ this p50', 'notes'];
const rows: Cell[][] = [];
const noteRow = (label: string, notes: string) => rows.push([label, '', '', '', '', '', notes]);
const timingRow = (label: string, t: Timings, speedUp: string, notes: string) =>
  rows.push([label, fmt.ms(t.p50), fmt.ms(t.p99), fmt.ms(t.mean), String(t.calls), speedUp, notes]);

let database: { url: string; drop: () => Promise<void> } | undefined;
let handle: DatabaseHandle | undefined;
let redis: Redis | undefined;
const prefix = `pinokio-bench-${randomBytes(4).toString('hex')}:`;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pinokio-bench-standing-'));
const hashKey = (storeId: string) => `${prefix}pos:${storeId}:sales`;
let storeIds: string[] = [];

try {
  let skipped: string | undefined;
  try {
    database = await withTimeout(createPostgresDatabase(), 5000, 'PostgreSQL');
  } catch (error) {
    skipped = `skipped: PostgreSQL unreachable (${error instanceof Error ? error.message : String(error)})`;
  }
  if (!skipped && !(await redisReachable(redisUrl))) skipped = `skipped: Redis unreachable at ${redisUrl}`;
  if (skipped || !database) {
    noteRow('brand standing', skipped ?? 'skipped');
  } else {
    handle = await openDatabase(database.url, dataDir);
    const db = handle.db;
    await migrateToLatest(db);

    // 1. the data, in PostgreSQL
    log('generating the brand, its stores and 30 days of daily_sales');
    const generateStarted = performance.now();
    const today = localDate(TIME_ZONE, new Date());
    const brand = await db
      .insertInto('brands')
      .values({ name: 'Bench standing', code: `BENCH-${randomBytes(4).toString('hex').toUpperCase()}` })
      .returning('id')
      .executeTakeFirstOrThrow();
    await sql`
      insert into stores (brand_id, name, time_zone)
      select ${brand.id}, 'Bench store ' || i, ${TIME_ZONE} from generate_series(1, ${STORES}) i`.execute(db);
    storeIds = (await db.selectFrom('stores').select('id').where('brand_id', '=', brand.id).orderBy('id').execute()).map((row) => row.id);
    // the same aggregates the live path writes: per store and local day, the order count and the sum of totals
    await sql`
      insert into daily_sales (store_id, brand_id, local_date, order_count, total)
      select st.id, ${brand.id}, ${today}::date - d, count(*), sum(${totalSql})
      from (select id, row_number() over (order by id) as idx from stores where brand_id = ${brand.id}) st
      cross join generate_series(0, ${DAYS - 1}) d
      cross join generate_series(0, ${ORDERS_PER_DAY - 1}) n
      group by st.id, d`.execute(db);
    await sql`analyze stores; analyze daily_sales`.execute(db);
    const sqlMs = performance.now() - generateStarted;

    // 2. the same orders in the original's Redis hashes
    log('loading 1.2 million hash fields into Redis');
    redis = createRedis(redisUrl);
    const loadStarted = performance.now();
    let fields = 0;
    let pipeline = redis.pipeline();
    let queued = 0;
    for (const [index, storeId] of storeIds.entries()) {
      const s = index + 1;
      let args: string[] = [];
      const flush = () => {
        if (args.length === 0) return;
        pipeline.hset(hashKey(storeId), ...args);
        fields += args.length / 2;
        args = [];
        queued += 1;
      };
      for (let d = 0; d < DAYS; d++) {
        const day = addDays(today, -d);
        for (let n = 0; n < ORDERS_PER_DAY; n++) {
          args.push(String(orderTime(day, n)), String(totalOf(s, d, n)));
          if (args.length >= HSET_FIELDS_PER_COMMAND * 2) flush();
          if (queued >= HSET_COMMANDS_PER_PIPELINE) {
            await pipeline.exec();
            pipeline = redis.pipeline();
            queued = 0;
          }
        }
      }
      flush();
      pipeline.expire(hashKey(storeId), 3600); // gone within the hour even if this process dies
    }
    await pipeline.exec();
    const loadMs = performance.now() - loadStarted;
    const stored = await redis.pipeline(storeIds.map((id) => ['hlen', hashKey(id)])).exec();
    const storedFields = (stored ?? []).reduce((sum, [, count]) => sum + Number(count), 0);
    if (storedFields !== STORES * DAYS * ORDERS_PER_DAY) throw new Error(`Redis holds ${storedFields} fields, expected ${STORES * DAYS * ORDERS_PER_DAY}`);
    const memory = (await redis.info('memory')).match(/used_memory_human:(\S+)/)?.[1] ?? '?';

    // the original: every store's hash, one pipeline, the last 30 local days summed in JavaScript
    const redisClient = redis;
    async function originalStanding(storeId: string): Promise<Standing> {
      const to = localDate(TIME_ZONE, new Date());
      const from = addDays(to, -(DAYS - 1));
      const since = Date.parse(`${from}T00:00:00+09:00`);
      const until = Date.parse(`${addDays(to, 1)}T00:00:00+09:00`);
      const hashes = (await redisClient.pipeline(storeIds.map((id) => ['hgetall', hashKey(id)])).exec()) ?? [];
      const totals = hashes.map(([error, hash], i) => {
        if (error) throw error;
        let total = 0;
        for (const [field, value] of Object.entries(hash as Record<string, string>)) {
          const at = Number(field);
          if (at >= since && at < until) total += Number(value);
        }
        return { storeId: storeIds[i]!, total };
      });
      const storeTotal = totals.find((entry) => entry.storeId === storeId)?.total ?? 0;
      const brandTotal = totals.reduce((sum, entry) => sum + entry.total, 0);
      return {
        days: DAYS,
        from,
        to,
        storeTotal,
        brandTotal,
        brandAverage: Math.round(brandTotal / totals.length),
        storeCount: totals.length,
        rank: 1 + totals.filter((entry) => entry.total > storeTotal).length,
      };
    }

    // 3. the same answer from both
    const uncached = new SalesService(db, new MissingCache());
    const probe = storeIds[49]!;
    const ours = await uncached.standing(probe);
    const theirs = await originalStanding(probe);
    const same = JSON.stringify(ours) === JSON.stringify(theirs);
    if (!same) process.exitCode = 1;
    const answer = same
      ? `both answer the same for store 50 (rank ${ours.rank} of ${ours.storeCount}, store ${fmt.int(ours.storeTotal)} won, brand average ${fmt.int(ours.brandAverage)} won)`
      : `**the answers differ**: ours ${JSON.stringify(ours)}, original ${JSON.stringify(theirs)}`;

    // 4. the measured calls, each for the next store of the brand in turn
    let next = 0;
    const nextStore = () => storeIds[next++ % storeIds.length]!;
    log('ours, uncached');
    const oursUncached = await timeCalls(() => uncached.standing(nextStore()), { calls: CALLS, warmup: 20 });
    log('ours, cached in memory');
    const memoryCache = new MemoryCache();
    const inMemory = new SalesService(db, memoryCache);
    const oursMemory = await timeCalls(() => inMemory.standing(nextStore()), { calls: CALLS, warmup: 20 });
    await memoryCache.close();
    log('ours, cached in Redis');
    const redisCache = new RedisCache(createRedis(redisUrl), prefix);
    const inRedis = new SalesService(db, redisCache);
    const oursRedis = await timeCalls(() => inRedis.standing(nextStore()), { calls: CALLS, warmup: 20 });
    const cacheKeys = await redisClient.keys(`${prefix}sales:standing:*`);
    if (cacheKeys.length > 0) await redisClient.unlink(...cacheKeys);
    await redisCache.close();
    log('the original (HGETALL every store)');
    const original = await timeCalls(() => originalStanding(nextStore()), { calls: CALLS, warmup: 1, budgetMs: ORIGINAL_BUDGET_MS, minCalls: 3 });

    // where the uncached time goes: the brand-totals query's own execution time in PostgreSQL
    const explained = await explainAnalyze(db, (spy) => new SalesRepository(spy).brandTotals(brand.id, addDays(today, -(DAYS - 1)), today));
    const plan = `EXPLAIN ANALYZE of its brandTotals query, fastest of 5: planned in ${fmt.ms(explained.planning)}, ran in ${fmt.ms(explained.execution)} (${explained.nodes})`;

    const speedUp = (t: Timings) => fmt.ratio(original.p50 / t.p50);
    const uncachedRatio = original.p50 / oursUncached.p50;
    timingRow(
      '**ours, uncached**: SalesService.standing(), a cache that always misses',
      oursUncached,
      `**${speedUp(oursUncached)}**`,
      `every call: the store's time zone and brand (1 query), then brandTotals: stores ⟕ daily_sales over 30 days, grouped by store (1 query, 3,000 aggregate rows); PostgreSQL, pg pool; ${plan}; goal ≥ 100× and p50 < 5 ms: ${uncachedRatio >= 100 ? 'met' : '**not met**'} (${speedUp(oursUncached)}), ${oursUncached.p50 < 5 ? 'met' : '**not met**'} (${fmt.ms(oursUncached.p50)})`,
    );
    timingRow(
      'ours, cached in memory (MemoryCache)',
      oursMemory,
      speedUp(oursMemory),
      "the time-zone query, then the brand's totals from the in-process cache (60 s TTL) as JSON",
    );
    timingRow(
      'ours, cached in Redis (RedisCache)',
      oursRedis,
      speedUp(oursRedis),
      "the time-zone query, then one Redis GET of the brand's totals (JSON, 100 entries)",
    );
    timingRow(
      'the original: HGETALL of every store’s hash',
      original,
      '1×',
      `one pipeline of ${STORES} HGETALLs (ioredis, 12,000 fields each), sum of the fields within the last 30 local days, average, count, rank; the store list given to it for free; ${original.calls < CALLS ? `stopped after ${original.calls} calls in ${fmt.s(original.wallMs)} (BENCH_ORIGINAL_BUDGET), so its p99 is the slowest of those` : ''}; a flat-array HGETALL (no object per hash) saves about 30 %`,
    );
    noteRow(
      'data',
      `${STORES} stores × ${ORDERS_PER_DAY} orders/day × ${DAYS} days = ${fmt.int(STORES * ORDERS_PER_DAY * DAYS)} orders; PostgreSQL: brand, stores and ${fmt.int(STORES * DAYS)} daily_sales rows generated by SQL in ${fmt.s(sqlMs)} (aggregates only, no orders rows); Redis: ${fmt.int(storedFields)} hash fields over ${STORES} keys loaded with pipelined HSET (${HSET_FIELDS_PER_COMMAND} fields per command) in ${fmt.s(loadMs)}, Redis used_memory ${memory}; ${answer}`,
    );
  }
} catch (error) {
  process.exitCode = 1;
  console.error(error);
  noteRow('brand standing', `**failed**: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  if (redis) {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.unlink(...keys);
    await closeRedis(redis);
  }
  await handle?.close();
  if (database) await dropWhenIdle(database);
  fs.rmSync(dataDir, { recursive: true, force: true });
}

rows.push(['machine at the start', '', '', '', '', '', `${startMachine}${startBusy ? '; **busy with other work: latencies are noisy**' : ''}`]);
console.log(
  `\nBrand standing benchmark, ${new Date().toISOString().slice(0, 10)}: calls one at a time from this process; PostgreSQL and Redis on 127.0.0.1.\n`,
);
printTable(header, rows);
process.exit();

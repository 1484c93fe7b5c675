// Orders: how many kiosk orders per second POST /api/stores/:storeId/orders takes, and at what
// latency, on PostgreSQL + Redis and on the embedded defaults (PGlite, in-process cache and bus),
// against pgbench's TPC-B on the same PostgreSQL at the same concurrency as the ceiling.
//
// Every order is the same three lines (three different items whose stock is not counted, so
// nothing sells out) from one kiosk of one store, with a distinct Idempotency-Key, as a kiosk
// sends it: the whole live path runs (replay lookup, items locked FOR UPDATE, the day's order
// number, order and lines, stock, the day's aggregates in daily_sales / daily_item_sales, the
// re-read, the bus message). A diagnostic row spreads the same load over 32 stores, one kiosk
// each, to tell lock waits on one store's rows from the cost of the work itself.
//
// The server runs in a child process (support/serve-app.ts) and autocannon here, so the load
// generator does not share its event loop. Everything listens on 127.0.0.1 and stops by itself.
// Settings (environment): BENCH_DURATION seconds per measured run (10), BENCH_WARMUP seconds of
// unmeasured load first (2), BENCH_CPU_PROF_DIR to CPU-profile the server during each measured run
// (support/profile-summary.ts reads the files), TEST_DATABASE_URL / TEST_REDIS_URL as for the tests.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { createPostgresDatabase } from '../server/test/support/test-server.js';
import { serveApp, type ServedApp } from './support/child.js';
import { busy, fmt, loadAverage, machine, postgresUrl, quantile, redisReachable, redisUrl, withTimeout } from './support/measure.js';
import { ordersCounted, ordersStored, payAllUnpaid, placeOne, storeWithKiosk, type BenchStore } from './support/store.js';
import { printTable, type Cell } from './support/table.js';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const CONNECTIONS = 32;
// autocannon's default is 10 s; on a busy machine PGlite's queue of 32 can take longer than that
const TIMEOUT_S = 30;
const SPREAD_STORES = 32;
const POOL_SIZE = 20; // server/src/platform/db/database.ts: new pg.Pool({ max: 20 })
const profileDir = process.env.BENCH_CPU_PROF_DIR ? path.resolve(process.env.BENCH_CPU_PROF_DIR) : undefined;
if (profileDir) fs.mkdirSync(profileDir, { recursive: true });

const log = (message: string) => process.stderr.write(`[orders.bench] ${message}\n`);
const startMachine = machine();
const startBusy = busy();

interface Load {
  rps: number;
  ok: number;
  cpuPerRequest: number;
  p50: number;
  p99: number;
  problems: string;
}

const header = ['benchmark', 'orders/s', 'p50', 'p99', 'of pgbench TPS', 'server CPU / order', 'notes'];
const slots = ['machine', 'pgbench', 'servers', 'spread', 'embedded', 'ratio'] as const;
type Slot = (typeof slots)[number];
const rows = new Map<Slot, Cell[]>();
let pgbench: { tps: number; p50: number; p99: number } | undefined;
let serversLoad: Load | undefined;
const loadNote = `${CONNECTIONS} connections, ${DURATION} s after ${WARMUP} s warm-up`;

function noteRow(slot: Slot, label: string, notes: string): void {
  rows.set(slot, [label, '', '', '', '', '', notes]);
}

async function part(slot: Slot, label: string, work: () => Promise<void>): Promise<void> {
  log(label);
  try {
    await work();
  } catch (error) {
    process.exitCode = 1;
    console.error(error);
    noteRow(slot, label, `**failed**: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function appEnv(extra: Record<string, string>): Record<string, string> {
  return {
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    // setting up stores signs owners up and logs them in; none of it is measured
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_TIME_COST: '1',
    LIMIT_LOGIN_PER_ACCOUNT_PER_MINUTE: '1000000',
    LIMIT_LOGIN_PER_IP_PER_MINUTE: '1000000',
    LIMIT_CODE_REQUESTS_PER_IP_PER_HOUR: '1000000',
    ...extra,
  };
}

/** autocannon options for orders spread round-robin over `stores`, each request with its own Idempotency-Key */
function orderLoad(server: ServedApp, stores: BenchStore[]): autocannon.Options {
  const run = randomBytes(4).toString('hex');
  let n = 0;
  const first = stores[0]!;
  return {
    url: `${server.url}/api/stores/${first.storeId}/orders`,
    method: 'POST',
    connections: CONNECTIONS,
    timeout: TIMEOUT_S,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${first.kioskToken}` },
    body: first.orderBody,
    requests: [
      {
        setupRequest: (request) => {
          const store = stores[n % stores.length]!;
          n += 1;
          return {
            ...request,
            method: 'POST',
            path: `/api/stores/${store.storeId}/orders`,
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${store.kioskToken}`,
              'idempotency-key': `bench-${run}-${n}`,
            },
            body: store.orderBody,
          };
        },
      },
    ],
  };
}

/**
 * warm-up, then (once the orders the warm-up left in flight are done) the measured run; counts
 * every 2xx answer (warm-up included) in `placed`
 */
async function load(server: ServedApp, name: string, stores: BenchStore[], placed: { count: number }): Promise<Load> {
  const options = orderLoad(server, stores);
  if (WARMUP > 0) {
    const warm = await autocannon({ ...options, duration: WARMUP });
    placed.count += warm['2xx'];
    await settle(server, stores);
  }
  const run = () => autocannon({ ...options, duration: DURATION });
  const cpuBefore = await server.cpuMicros();
  const result = profileDir ? await server.profile(path.join(profileDir, `${name}.cpuprofile`), run) : await run();
  const cpu = (await server.cpuMicros()) - cpuBefore;
  placed.count += result['2xx'];
  const problems = [
    result.non2xx ? `${result.non2xx} non-2xx` : '',
    result.errors ? `${result.errors} errors` : '',
    result.timeouts ? `${result.timeouts} timeouts` : '',
  ].filter(Boolean);
  return {
    rps: result.requests.average,
    ok: result['2xx'],
    cpuPerRequest: cpu / Math.max(1, result.requests.total),
    p50: result.latency.p50,
    p99: result.latency.p99,
    problems: problems.length ? `**${problems.join(', ')}**` : 'all 201',
  };
}

function loadRow(slot: Slot, label: string, result: Load, notes: string): void {
  const ratio = pgbench ? fmt.pct(result.rps / pgbench.tps) : '';
  rows.set(slot, [label, fmt.int(result.rps), fmt.ms(result.p50), fmt.ms(result.p99), ratio, fmt.us(result.cpuPerRequest), `${notes}; ${result.problems}`]);
}

function storedNow(server: ServedApp, stores: BenchStore[]): Promise<number> {
  const now = Date.now();
  const from = new Date(now - 86_400_000).toISOString().slice(0, 10);
  const to = new Date(now + 86_400_000).toISOString().slice(0, 10);
  return stores.reduce(async (sum, store) => (await sum) + (await ordersStored(server.url, store, from, to)), Promise.resolve(0));
}

/**
 * autocannon stops with requests in flight, which the server still completes: waits until the
 * stores' order count has stood still for half a second (30 s at most); answers that count
 */
async function settle(server: ServedApp, stores: BenchStore[]): Promise<number> {
  let stored = await storedNow(server, stores);
  for (let waited = 0; waited < 30_000; waited += 500) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const again = await storedNow(server, stores);
    if (again === stored) break;
    stored = again;
  }
  return stored;
}

/**
 * The aggregates written with each order must count exactly the orders stored: every order in
 * daily_sales, at its total, none twice. (More orders are stored than were answered 201 in time
 * to be counted: see settle().)
 */
async function checkAggregates(server: ServedApp, stores: BenchStore[], answered: number): Promise<string> {
  const now = Date.now();
  const from = new Date(now - 86_400_000).toISOString().slice(0, 10);
  const to = new Date(now + 86_400_000).toISOString().slice(0, 10);
  const stored = await settle(server, stores);
  let counted = 0;
  let off = 0;
  for (const store of stores) {
    const orders = await ordersStored(server.url, store, from, to);
    await payAllUnpaid(server.url, store, from, to);
    const sums = await ordersCounted(server.url, store, from, to);
    counted += sums.orderCount;
    off += sums.total - orders * store.orderTotal;
  }
  const inFlight = `${fmt.int(stored)} orders stored (${fmt.int(answered)} answered 201 before autocannon stopped, the rest were in flight)`;
  if (counted === stored && off === 0) return `${inFlight}, all of them in daily_sales at their totals`;
  process.exitCode = 1;
  return `**${inFlight}, but daily_sales counts ${fmt.int(counted)}${off ? `, totals off by ${fmt.int(off)} won` : ''}**`;
}

/**
 * What the server's PostgreSQL connections do during `work`, sampled from pg_stat_activity every
 * 100 ms: on average how many run a statement, wait on a lock (another order's rows), or sit idle
 * inside a transaction (waiting for the Node side to send the next statement).
 */
async function sessionStates<T>(databaseUrl: string, work: () => Promise<T>): Promise<{ result: T; states: string }> {
  const name = new URL(databaseUrl).pathname.slice(1);
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  const sums = { running: 0, lockWait: 0, idleInTransaction: 0, connections: 0 };
  let samples = 0;
  let stop = false;
  const sampling = (async () => {
    while (!stop) {
      const { rows } = await client.query<{ running: number; lock_wait: number; idle_in_transaction: number; connections: number }>(
        `select count(*) filter (where state = 'active' and wait_event_type is distinct from 'Lock')::int as running,
                count(*) filter (where wait_event_type = 'Lock')::int as lock_wait,
                count(*) filter (where state = 'idle in transaction')::int as idle_in_transaction,
                count(*)::int as connections
         from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`,
        [name],
      );
      const row = rows[0]!;
      sums.running += row.running;
      sums.lockWait += row.lock_wait;
      sums.idleInTransaction += row.idle_in_transaction;
      sums.connections += row.connections;
      samples += 1;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  try {
    const result = await work();
    return {
      result,
      states:
        `server's PostgreSQL connections on average (pg_stat_activity every 100 ms): ${(sums.running / samples).toFixed(1)} running a statement, ` +
        `${(sums.lockWait / samples).toFixed(1)} waiting on a row lock, ${(sums.idleInTransaction / samples).toFixed(1)} idle in a transaction (waiting on Node), of ${(sums.connections / samples).toFixed(1)} open`,
    };
  } finally {
    stop = true;
    await sampling.catch(() => undefined);
    await client.end();
  }
}

function tempDir(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `pinokio-bench-${name}-`));
}

// 1. the ceiling: pgbench TPC-B, same PostgreSQL, same concurrency
await part('pgbench', 'pgbench TPC-B (the ceiling)', async () => {
  if (spawnSync('pgbench', ['--version']).status !== 0) {
    noteRow('pgbench', 'pgbench TPC-B (the ceiling)', 'skipped: no pgbench on PATH (Debian: apt-get install -y postgresql-client)');
    return;
  }
  const database = await withTimeout(createPostgresDatabase(), 5000, 'PostgreSQL');
  const logDir = tempDir('pgbench');
  try {
    const pgbenchRun = (args: string[], timeoutMs: number) => {
      const run = spawnSync('pgbench', [...args, database.url], { encoding: 'utf8', timeout: timeoutMs, cwd: logDir });
      if (run.status !== 0) throw new Error(`pgbench ${args.join(' ')}: ${run.error?.message ?? ''}${run.stderr.trim().split('\n').slice(-3).join(' ')}`);
      return run.stdout;
    };
    const initStarted = performance.now();
    pgbenchRun(['-i', '-s', '10', '-q'], 180_000);
    const initMs = performance.now() - initStarted;
    const common = ['-c', String(CONNECTIONS), '-j', '2'];
    if (WARMUP > 0) pgbenchRun([...common, '-T', String(WARMUP)], (WARMUP + 60) * 1000);
    const out = pgbenchRun([...common, '-T', String(DURATION), '-l', '--log-prefix', path.join(logDir, 'tx')], (DURATION + 60) * 1000);
    const tps = Number(out.match(/tps = ([\d.]+) \(without initial connection time\)/)?.[1]);
    if (!Number.isFinite(tps)) throw new Error(`no tps in pgbench's output: ${out.slice(-300)}`);
    // per-transaction log: client_id transaction_no time(µs) script_no time_epoch time_us
    const latencies: number[] = [];
    for (const file of fs.readdirSync(logDir).filter((name) => name.startsWith('tx'))) {
      for (const line of fs.readFileSync(path.join(logDir, file), 'utf8').split('\n')) {
        const micros = Number(line.split(' ')[2]);
        if (line && Number.isFinite(micros)) latencies.push(micros / 1000);
      }
    }
    latencies.sort((a, b) => a - b);
    pgbench = { tps, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) };
    rows.set('pgbench', [
      'pgbench TPC-B (the ceiling)',
      fmt.int(tps),
      fmt.ms(pgbench.p50),
      fmt.ms(pgbench.p99),
      '100 %',
      '',
      `transactions/s (tps without connection time); a fresh scratch database, \`pgbench -i -s 10\` (${fmt.s(initMs)}), then \`-c ${CONNECTIONS} -j 2 -T ${DURATION}\` after ${WARMUP} s warm-up, simple protocol; each transaction is BEGIN, 3 UPDATEs, 1 SELECT, 1 INSERT, END; latencies from its per-transaction log`,
    ]);
  } finally {
    fs.rmSync(logDir, { recursive: true, force: true });
    await database.drop();
  }
});

// 2 and 3. PostgreSQL + Redis: one store, then the same load spread over 32 stores
await part('servers', 'POST /api/stores/:id/orders, PostgreSQL + Redis', async () => {
  let database: { url: string; drop: () => Promise<void> } | undefined;
  let skipped: string | undefined;
  try {
    database = await withTimeout(createPostgresDatabase(), 5000, 'PostgreSQL');
  } catch (error) {
    skipped = `skipped: PostgreSQL unreachable (${error instanceof Error ? error.message : String(error)})`;
  }
  if (!skipped && !(await redisReachable(redisUrl))) skipped = `skipped: Redis unreachable at ${redisUrl}`;
  if (skipped || !database) {
    noteRow('servers', 'POST /api/stores/:id/orders, PostgreSQL + Redis', skipped ?? 'skipped');
    await database?.drop();
    return;
  }
  const dataDir = tempDir('orders-servers');
  const prefix = `pinokio-bench-${randomBytes(4).toString('hex')}:`;
  try {
    const server = await serveApp('app', appEnv({ DATA_DIR: dataDir, DATABASE_URL: database.url, REDIS_URL: redisUrl, REDIS_PREFIX: prefix }));
    try {
      const placed = { count: 1 };
      const store = await storeWithKiosk(server.url, server.brandCode);
      await placeOne(server.url, store, `bench-probe-${randomBytes(4).toString('hex')}`);
      const measured = await sessionStates(database.url, () => load(server, 'orders-servers', [store], placed));
      serversLoad = measured.result;
      const check = await checkAggregates(server, [store], placed.count);
      loadRow(
        'servers',
        'POST /api/stores/:id/orders, PostgreSQL + Redis, one store',
        serversLoad,
        `one kiosk of one store; a fresh database, pg pool of ${POOL_SIZE} connections (fixed in database.ts), Redis key prefix pinokio-bench-…: (its keys expire by themselves); ${loadNote}; ${measured.states}; ${check}`,
      );

      await part('spread', `the same over ${SPREAD_STORES} stores`, async () => {
        const stores = [store];
        while (stores.length < SPREAD_STORES) stores.push(await storeWithKiosk(server.url, server.brandCode));
        const spreadPlaced = { count: 0 };
        const spreadMeasured = await sessionStates(database.url, () => load(server, 'orders-servers-spread', stores, spreadPlaced));
        const spread = spreadMeasured.result;
        const spreadCheck = await checkAggregates(server, stores, placed.count + spreadPlaced.count);
        loadRow(
          'spread',
          `the same, spread over ${SPREAD_STORES} stores (diagnostic)`,
          spread,
          `round-robin over ${SPREAD_STORES} stores of the brand, one kiosk each, so orders rarely wait on another's locks (one store's items, order counter and daily_sales row); ${loadNote}; ${spreadMeasured.states}; ${spreadCheck}`,
        );
      });
    } finally {
      await server.stop();
    }
  } finally {
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

// 4. the embedded defaults: PGlite in DATA_DIR, in-process cache and bus
await part('embedded', 'POST /api/stores/:id/orders, embedded (PGlite)', async () => {
  const dataDir = tempDir('orders-embedded');
  try {
    const server = await serveApp('app', appEnv({ DATA_DIR: dataDir }));
    try {
      const placed = { count: 1 };
      const store = await storeWithKiosk(server.url, server.brandCode);
      await placeOne(server.url, store, `bench-probe-${randomBytes(4).toString('hex')}`);
      const embedded = await load(server, 'orders-embedded', [store], placed);
      const check = await checkAggregates(server, [store], placed.count);
      loadRow(
        'embedded',
        'POST /api/stores/:id/orders, embedded (PGlite + in-process cache and bus), one store',
        embedded,
        `PGlite persisted in a fresh DATA_DIR: one connection, so transactions run one at a time; ${loadNote}; ${check}`,
      );
    } finally {
      await server.stop();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

// 5. the goal
if (pgbench && serversLoad) {
  const ratio = serversLoad.rps / pgbench.tps;
  const ratioOk = ratio >= 0.5;
  const p99Ok = serversLoad.p99 < 50;
  rows.set('ratio', [
    '**ratio to pgbench TPS** (PostgreSQL, one store)',
    '',
    '',
    '',
    `**${fmt.pct(ratio)}**`,
    '',
    `goal ≥ 50 % and p99 < 50 ms: ratio ${ratioOk ? 'met' : '**not met**'} (${fmt.int(serversLoad.rps)} orders/s ÷ ${fmt.int(pgbench.tps)} tps), p99 ${p99Ok ? 'met' : '**not met**'} (${fmt.ms(serversLoad.p99)})`,
  ]);
} else {
  noteRow('ratio', '**ratio to pgbench TPS**', 'not computed: a row it needs did not run');
}
rows.set('machine', [
  'machine at the start',
  '',
  '',
  '',
  '',
  '',
  `${startMachine}${startBusy ? '; **busy with other work: throughput is low and noisy, server CPU / order holds up better**' : ''}; at the end ${loadAverage()}`,
]);

console.log(`\nOrders benchmark, ${new Date().toISOString().slice(0, 10)}: each server in a child process of its own, autocannon and pgbench in this one.\n`);
printTable(
  header,
  slots.flatMap((slot) => (rows.has(slot) ? [rows.get(slot)!] : [])),
);
if (profileDir) console.log(`\nCPU profiles of the measured runs: ${profileDir} (node --import tsx support/profile-summary.ts FILE)`);
process.exit();

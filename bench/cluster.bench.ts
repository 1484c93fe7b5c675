// The cluster: instances of `pinokio serve` behind Debian's nginx on a private PostgreSQL and Redis
// (server/test/support/cluster.ts, the cluster test's harness), one run of each:
//   1. PostgreSQL restarts (`pg_ctl stop -m fast`, down HOLD s, start) under order load from six
//      kiosks that resend on 5xx / a cut connection with the same Idempotency-Key: seconds of 503,
//      seconds to recover once it is back, orders lost (answered 2xx, not stored) and doubled
//      (stored more than once for one key, or counted more than once in the sales figures).
//   2. kill -9 of the instance holding a kiosk screen stream, the POS's live orders and a device's
//      command stream, with orders and arrivals going on: each stream's reconnect time through the
//      balancer and the events replayed (Last-Event-ID) on the new stream.
//   3. Orders per second through nginx with 1 and with 3 instances (autocannon, 32 connections,
//      every request its own Idempotency-Key, 32 stores round-robin), and the instances' CPU per
//      order from /proc/<pid>/stat (user + system over the run, summed over the instances).
// Needs PINOKIO_TEST_SERVERS=1-like conditions: PostgreSQL and Redis server binaries, nginx with the
// stream module (see server/test/support/cluster.ts). Everything on 127.0.0.1.
// Settings: BENCH_DURATION (seconds per throughput run, 10), BENCH_WARMUP (2), BENCH_HOLD (seconds
// PostgreSQL stays down, 5).
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import pg from 'pg';
import { clusterUnavailable, startCluster, type Cluster, type Instance } from '../server/test/support/cluster.js';
import { OrderingKiosk, ResumingDevice, ResumingStream, clusterKiosk, clusterStore, until, type ClusterStore } from '../server/test/support/cluster-traffic.js';
import { fmt, machine } from './support/measure.js';
import { payAllUnpaid, storeWithKiosk, type BenchStore } from './support/store.js';
import { printTable, type Cell } from './support/table.js';

process.env.PINOKIO_TEST_SERVERS ??= '1'; // the harness's own check for the server binaries
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const HOLD_S = Number(process.env.BENCH_HOLD ?? 5);
const CONNECTIONS = 32;
const STORES = 32;
const log = (message: string) => process.stderr.write(`[cluster.bench] ${message}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const startMachine = machine();

const header = ['benchmark', 'figure', 'notes'];
const rows: Cell[][] = [];
const env = { LIMIT_LOGIN_PER_IP_PER_MINUTE: '1000000', LIMIT_CODE_REQUESTS_PER_IP_PER_HOUR: '1000000' };

async function ordersStoredPerKey(cluster: Cluster, storeId: string): Promise<Map<string, number>> {
  const client = new pg.Client({ connectionString: cluster.databaseUrl });
  await client.connect();
  try {
    const { rows: stored } = await client.query<{ id: string; idempotency_key: string | null }>('select id, idempotency_key from orders where store_id = $1', [
      storeId,
    ]);
    const perKey = new Map<string, number>();
    for (const row of stored) perKey.set(row.idempotency_key ?? row.id, (perKey.get(row.idempotency_key ?? row.id) ?? 0) + 1);
    return perKey;
  } finally {
    await client.end();
  }
}

async function salesCount(cluster: Cluster, store: ClusterStore): Promise<number> {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  // sales count paid money: the counter takes every order's payment first
  await payAllUnpaid(cluster.url, store, day(-1), day(1));
  const response = await fetch(`${cluster.url}/api/stores/${store.storeId}/sales?from=${day(-1)}&to=${day(1)}&period=day`, {
    headers: { authorization: `Bearer ${store.ownerToken}` },
  });
  const body = (await response.json()) as { buckets: Array<{ orderCount: number }> };
  return body.buckets.reduce((sum, bucket) => sum + bucket.orderCount, 0);
}

async function postgresRestart(cluster: Cluster): Promise<void> {
  const store = await clusterStore(cluster);
  const kiosks = await Promise.all(
    [1, 2, 3, 4, 5, 6].map(
      async (n) => new OrderingKiosk(cluster.url, store, (await clusterKiosk(cluster, store, `k${n}`)).token, { pauseMs: 50, orderLimitMs: 120_000 }),
    ),
  );
  for (const kiosk of kiosks) kiosk.start();
  await sleep(3_000);
  const stoppedAt = Date.now();
  await cluster.postgres.stop('fast');
  await sleep(HOLD_S * 1_000);
  await cluster.postgres.start();
  const backAt = Date.now();
  await until(() => kiosks.some((kiosk) => kiosk.placed.some((p) => p.sentAt >= backAt)), 60_000);
  await sleep(3_000);
  for (const kiosk of kiosks) await kiosk.stop();

  const attempts = kiosks.flatMap((kiosk) => kiosk.attempts).sort((a, b) => a.at - b.at);
  const unavailable = attempts.filter((a) => a.status === 503);
  const other = attempts.filter((a) => a.at >= stoppedAt && a.status !== 503 && (a.status < 200 || a.status >= 300));
  const firstOkAfter = attempts.find((a) => a.at >= backAt && a.status >= 200 && a.status < 300);
  const placed = kiosks.flatMap((kiosk) => kiosk.placed);
  const perKey = await ordersStoredPerKey(cluster, store.storeId);
  const lost = placed.filter((order) => !perKey.has(order.key)).length;
  const doubled = [...perKey.values()].filter((n) => n > 1).length;
  const counted = await salesCount(cluster, store);
  const unanswered = kiosks.reduce((n, kiosk) => n + kiosk.unanswered.length, 0);
  const notes = `6 kiosks through nginx, 3 instances; PostgreSQL down ${HOLD_S} s (stop -m fast); ${placed.length} orders answered 2xx, ${unanswered} never; other failures while down: ${JSON.stringify(countBy(other.map((a) => a.status)))}`;
  const span503 = unavailable.length ? unavailable.at(-1)!.at - unavailable[0]!.at : 0;
  rows.push(['PostgreSQL restart: seconds of 503', unavailable.length ? `${fmt.s(span503)} (${unavailable.length} answers)` : 'none', notes]);
  rows.push([
    'PostgreSQL restart: recovery once it is back',
    firstOkAfter ? fmt.s(firstOkAfter.at - backAt) : '**no 2xx**',
    'from `pg_ctl start` returning to the first order answered 2xx',
  ]);
  rows.push([
    'PostgreSQL restart: orders lost / doubled',
    `${lost} / ${doubled}`,
    `goal 0 / 0; sales figures count ${counted} for ${placed.length} answered (${counted - placed.length >= 0 ? '+' : ''}${counted - placed.length})`,
  ]);
}

async function onVictim<T extends { stop(): Promise<void> }>(cluster: Cluster, victim: Instance, make: () => T, start: (made: T) => Promise<void>): Promise<T> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const made = make();
    if ((await cluster.instanceTaking(() => start(made))) === victim) return made;
    await made.stop();
  }
  throw new Error(`could not place a connection on instance ${victim.index}`);
}

async function instanceCrash(cluster: Cluster): Promise<void> {
  const store = await clusterStore(cluster);
  const leaveAfterMs = 1_000;
  await fetch(`${cluster.url}/api/stores/${store.storeId}/device-settings`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${store.ownerToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      sampleIntervalMs: 100,
      arriveBelowCm: 80,
      arriveConsecutive: 3,
      arriveToleranceCm: 5,
      leaveAfterMs,
      framesPerCapture: 1,
      frameIntervalMs: 100,
    }),
  });
  const kiosk = await clusterKiosk(cluster, store, 'screen');
  const orderer = await clusterKiosk(cluster, store, 'orders');
  const victim = cluster.instances[0]!;
  const screen = await onVictim(
    cluster,
    victim,
    () => new ResumingStream(`${cluster.url}/api/stores/${store.storeId}/kiosks/${kiosk.kioskId}/live`, kiosk.token),
    (s) => s.start(),
  );
  const pos = await onVictim(
    cluster,
    victim,
    () => new ResumingStream(`${cluster.url}/api/stores/${store.storeId}/orders/live`, store.ownerToken),
    (s) => s.start(),
  );
  const device = await onVictim(
    cluster,
    victim,
    () => new ResumingDevice(cluster.deviceAddress, kiosk),
    (d) => d.start(),
  );
  const orders = new OrderingKiosk(cluster.url, store, orderer.token, { pauseMs: 100 });
  orders.start();
  device.startVisits(leaveAfterMs);
  await sleep(3_000);
  await victim.kill();
  await until(() => screen.reconnects.length > 0 && pos.reconnects.length > 0 && device.reconnects.length > 0, 60_000);
  await sleep(2_000);
  await orders.stop();
  await device.stop();
  const seconds = (list: Array<{ droppedAt: number; readyAt?: number; connectedAt?: number }>) =>
    list.length ? list.map((r) => fmt.s((r.readyAt ?? r.connectedAt)! - r.droppedAt)).join(', ') : '**did not reconnect**';
  const replayed = (list: Array<{ replayed: number }>) => list.map((r) => r.replayed).join(', ');
  rows.push([
    'kill -9: kiosk screen stream reconnect',
    seconds(screen.reconnects),
    `events replayed on the new stream: ${replayed(screen.reconnects) || 'none'}; ${device.arrivals.length} arrivals, ${screen.events.length} screen events`,
  ]);
  rows.push([
    'kill -9: POS live orders reconnect',
    seconds(pos.reconnects),
    `events replayed on the new stream: ${replayed(pos.reconnects) || 'none'}; ${orders.placed.length} orders answered, ${pos.events.filter((e) => e.event === 'order.placed').length} shown`,
  ]);
  rows.push([
    'kill -9: device command stream reconnect',
    seconds(device.reconnects),
    'from the stream ending to the new stream delivering its settings (gRPC through the nginx stream balancer)',
  ]);
  await Promise.all([screen.stop(), pos.stop()]);
  await victim.start();
}

async function throughput(cluster: Cluster, label: string): Promise<void> {
  const { code } = await cluster.createBrand('Bench Coffee');
  const stores: BenchStore[] = [];
  // made on one instance directly: sign-ups read their code from the outbox, which answers only a
  // loopback client that is not behind a proxy; the tokens then work on every instance
  for (let i = 0; i < STORES; i++) stores.push(await storeWithKiosk(cluster.instances[0]!.url, code));
  const run = randomBytes(4).toString('hex');
  let n = 0;
  const options: autocannon.Options = {
    url: `${cluster.url}/api/stores/${stores[0]!.storeId}/orders`,
    method: 'POST',
    connections: CONNECTIONS,
    timeout: 30,
    requests: [
      {
        setupRequest: (request) => {
          const store = stores[n % stores.length]!;
          n += 1;
          return {
            ...request,
            method: 'POST',
            path: `/api/stores/${store.storeId}/orders`,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${store.kioskToken}`, 'idempotency-key': `bench-${run}-${n}` },
            body: store.orderBody,
          };
        },
      },
    ],
  };
  if (WARMUP > 0) await autocannon({ ...options, duration: WARMUP });
  await sleep(1_000);
  const cpuBefore = cluster.instances.reduce((sum, instance) => sum + instance.cpuSeconds(), 0);
  const result = await autocannon({ ...options, duration: DURATION });
  const cpu = cluster.instances.reduce((sum, instance) => sum + instance.cpuSeconds(), 0) - cpuBefore;
  const problems = [
    result.non2xx ? `${result.non2xx} non-2xx` : '',
    result.errors ? `${result.errors} errors` : '',
    result.timeouts ? `${result.timeouts} timeouts` : '',
  ].filter(Boolean);
  rows.push([
    `orders/s through nginx, ${label}`,
    `${fmt.int(result.requests.average)} orders/s; ${fmt.us((cpu * 1e6) / Math.max(1, result['2xx']))} server CPU / order`,
    `p50 ${fmt.ms(result.latency.p50)}, p99 ${fmt.ms(result.latency.p99)}; ${CONNECTIONS} connections, ${STORES} stores, ${DURATION} s after ${WARMUP} s warm-up; ${problems.length ? `**${problems.join(', ')}**` : 'all 201'}`,
  ]);
}

function countBy(values: number[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

async function part(label: string, work: () => Promise<void>): Promise<void> {
  log(label);
  try {
    await work();
  } catch (error) {
    process.exitCode = 1;
    console.error(error);
    rows.push([label, '**failed**', error instanceof Error ? error.message.slice(0, 300) : String(error)]);
  }
}

const unavailable = clusterUnavailable();
if (unavailable) {
  rows.push(['cluster', 'skipped', unavailable]);
} else {
  const three = await startCluster({ instances: 3, env });
  try {
    await part('PostgreSQL restart under order load', () => postgresRestart(three));
    await part('instance crash with streams', () => instanceCrash(three));
    await part('orders/s, 3 instances', () => throughput(three, '3 instances'));
  } finally {
    await three.close();
  }
  const one = await startCluster({ instances: 1, env });
  try {
    await part('orders/s, 1 instance', () => throughput(one, '1 instance'));
  } finally {
    await one.close();
  }
}
console.log(`Cluster benchmark, ${new Date().toISOString().slice(0, 10)}; at the start: ${startMachine}; at the end: ${machine()}\n`);
printTable(header, rows);

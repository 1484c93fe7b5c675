// Staff calls: how soon a kiosk's call reaches the store's POS when the POS is connected to another
// server instance (issue 11's figure; goal p99 under 500 ms), and how soon the owner's
// acknowledgement reaches the kiosk's own screen on the first instance. Two server instances share
// one PostgreSQL and one Redis (the bus and the replay log).
//
// - kiosk -> POS: from the start of POST /staff-calls on A to the `staff-call.created` event on the
//   POS's live stream (GET .../orders/live) on B, so it includes storing the call;
// - acknowledged -> kiosk: from the start of POST .../acknowledge on B to `staff-call.acknowledged`
//   on the kiosk's live stream on A.
// Each call is acknowledged before the next, so none is merged into an open one.
// Settings (environment): BENCH_CALLS (200), TEST_DATABASE_URL / TEST_REDIS_URL as for the tests.
import { randomBytes } from 'node:crypto';
import { storeWithKiosk } from '../server/test/support/factories.js';
import { openLive, type LiveStream } from '../server/test/support/live-events.js';
import { createPostgresDatabase, startTestServer } from '../server/test/support/test-server.js';
import { fmt, machine, quantile, redisReachable, redisUrl } from './support/measure.js';
import { printTable } from './support/table.js';

const CALLS = Number(process.env.BENCH_CALLS ?? 200);
const log = (message: string) => process.stderr.write(`[staff-call.bench] ${message}\n`);

async function main(): Promise<void> {
  if (!(await redisReachable())) throw new Error(`Redis is not reachable at ${redisUrl}`);
  const database = await createPostgresDatabase();
  const prefix = `pinokio-bench-staff-call-${randomBytes(4).toString('hex')}:`;
  const env = { REDIS_URL: redisUrl, REDIS_PREFIX: prefix, LOGIN_PER_IP_PER_MINUTE: '100000', LOGIN_FAILURES_PER_ACCOUNT_PER_MINUTE: '1000' };
  const a = await startTestServer({ databaseUrl: database.url, env });
  const b = await startTestServer({ databaseUrl: database.url, env });
  const streams: LiveStream[] = [];
  try {
    const store = await storeWithKiosk(a);
    const waiters = new Map<string, (at: number) => void>();
    const seen = new Map<string, number>();
    const arrived = (key: string) => {
      const at = performance.now();
      const waiter = waiters.get(key);
      if (waiter) waiter(at);
      else seen.set(key, at); // before the answer came back: kept for the reader
    };
    const pos = await openLive(`${b.url}/api/stores/${store.storeId}/orders/live`, {
      token: store.ownerToken,
      onEvent: (event) => {
        if (event.event === 'staff-call.created') arrived(`created:${event.data.id}`);
      },
    });
    const screen = await openLive(`${a.url}/api/stores/${store.storeId}/kiosks/${store.kioskId}/live`, {
      token: store.kioskToken,
      onEvent: (event) => {
        if (event.event === 'staff-call.acknowledged') arrived(`acknowledged:${event.data.callId}`);
      },
    });
    streams.push(pos, screen);
    await pos.next((event) => event.event === 'ready');
    await screen.next((event) => event.event === 'ready');
    const arrival = (key: string) => {
      const early = seen.get(key);
      if (early !== undefined) {
        seen.delete(key);
        return Promise.resolve(early);
      }
      return new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${key} within 10 s`)), 10_000);
        waiters.set(key, (at) => {
          clearTimeout(timer);
          waiters.delete(key);
          resolve(at);
        });
      });
    };

    const toPos: number[] = [];
    const toKiosk: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      const started = performance.now();
      const called = await a.api('POST', `/api/stores/${store.storeId}/staff-calls`, {
        token: store.kioskToken,
        body: { reason: i % 2 === 0 ? 'requested' : 'stalled', mode: 'large' },
      });
      if (called.status !== 201) throw new Error(`call ${i}: ${called.status} ${JSON.stringify(called.body)}`);
      const callId = called.body.id as string;
      toPos.push((await arrival(`created:${callId}`)) - started);

      const acknowledging = performance.now();
      const done = await b.api('POST', `/api/stores/${store.storeId}/staff-calls/${callId}/acknowledge`, { token: store.ownerToken });
      if (done.status !== 200) throw new Error(`acknowledge ${i}: ${JSON.stringify(done.body)}`);
      toKiosk.push((await arrival(`acknowledged:${callId}`)) - acknowledging);
      if (pos.events.length > 1000) pos.events.splice(0, 500);
      if (screen.events.length > 1000) screen.events.splice(0, 500);
    }
    toPos.sort((x, y) => x - y);
    toKiosk.sort((x, y) => x - y);
    log(`${CALLS} calls measured`);

    printTable(
      ['measure', 'p50', 'p99', 'notes'],
      [
        ['machine', '', '', machine()],
        [
          'staff call: kiosk -> POS stream on the other instance',
          fmt.ms(quantile(toPos, 0.5)),
          fmt.ms(quantile(toPos, 0.99)),
          `${CALLS} calls one after another, PostgreSQL + Redis, from the start of POST /staff-calls (goal p99 < 500 ms)`,
        ],
        [
          'acknowledged -> kiosk stream on the other instance',
          fmt.ms(quantile(toKiosk, 0.5)),
          fmt.ms(quantile(toKiosk, 0.99)),
          `${CALLS} acknowledgements, from the start of POST .../acknowledge`,
        ],
      ],
    );
  } finally {
    for (const stream of streams) stream.close();
    await a.close();
    await b.close();
    await database.drop().catch(() => undefined);
  }
}

await main();
process.exit(0);

// Kitchen and pickup: how soon a screen connected to another instance sees what happened, and what
// a connected screen costs. Two server instances share one PostgreSQL and one Redis (the bus and
// the replay log); the kiosk orders and the kitchen bumps on instance A, the screens listen on B.
//
// - order placed -> ticket on a kitchen stream on B: from the start of POST /orders on A to the
//   `ticket` event on B (so it includes placing the order itself);
// - ready -> pickup board: from the start of the bump to ready on A to the board's `entry` event on B;
// - memory per connection: the process's heap (after a forced GC) with 50 kitchen + 50 pickup
//   streams open on B, minus before, divided by 100. Both ends of each stream live in this one
//   process (the server's stream and the fetch that reads it), so it is an upper bound.
// Settings (environment): BENCH_ORDERS (200), TEST_DATABASE_URL / TEST_REDIS_URL as for the tests.
// Run with node --expose-gc for the memory figure.
import { randomBytes } from 'node:crypto';
import { menuItem, storeWithKiosk } from '../server/test/support/factories.js';
import { openLive, type LiveStream } from '../server/test/support/live-events.js';
import { createPostgresDatabase, startTestServer, type TestServer } from '../server/test/support/test-server.js';
import { fmt, machine, quantile, redisReachable, redisUrl } from './support/measure.js';
import { printTable } from './support/table.js';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 200);
const SCREENS = 50;
const log = (message: string) => process.stderr.write(`[kitchen.bench] ${message}\n`);

async function screenToken(server: TestServer, storeId: string, ownerToken: string, kind: 'kitchen' | 'pickup'): Promise<string> {
  const added = await server.api('POST', `/api/stores/${storeId}/kiosks`, { token: ownerToken, body: { name: kind, kind } });
  const login = await server.api('POST', '/api/auth/kiosk-login', { body: added.body.credentials });
  if (login.status !== 200) throw new Error(`screen login: ${JSON.stringify(login.body)}`);
  return login.body.accessToken;
}

function heap(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

async function main(): Promise<void> {
  if (!(await redisReachable())) throw new Error(`Redis is not reachable at ${redisUrl}`);
  const database = await createPostgresDatabase();
  const prefix = `pinokio-bench-kitchen-${randomBytes(4).toString('hex')}:`;
  const env = { REDIS_URL: redisUrl, REDIS_PREFIX: prefix, LOGIN_PER_IP_PER_MINUTE: '100000', LOGIN_FAILURES_PER_ACCOUNT_PER_MINUTE: '1000' };
  const a = await startTestServer({ databaseUrl: database.url, env });
  const b = await startTestServer({ databaseUrl: database.url, env });
  const streams: LiveStream[] = [];
  try {
    const store = await storeWithKiosk(a);
    const item = await menuItem(a, store.storeId, {});
    const kitchenToken = await screenToken(a, store.storeId, store.ownerToken, 'kitchen');
    const pickupToken = await screenToken(a, store.storeId, store.ownerToken, 'pickup');

    const waiters = new Map<string, (at: number) => void>();
    const kitchen = await openLive(`${b.url}/api/stores/${store.storeId}/kitchen/live`, {
      token: kitchenToken,
      onEvent: (event) => {
        if (event.event === 'ticket') waiters.get(`ticket:${event.data.orderId}:${event.data.stage}`)?.(performance.now());
      },
    });
    const board = await openLive(`${b.url}/api/stores/${store.storeId}/pickup/live`, {
      token: pickupToken,
      onEvent: (event) => {
        if (event.event === 'entry') waiters.get(`entry:${event.data.orderId}:${event.data.stage}`)?.(performance.now());
      },
    });
    streams.push(kitchen, board);
    await kitchen.next((event) => event.event === 'ready');
    await board.next((event) => event.event === 'ready');
    const arrival = (key: string) =>
      new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${key} within 10 s`)), 10_000);
        waiters.set(key, (at) => {
          clearTimeout(timer);
          waiters.delete(key);
          resolve(at);
        });
      });

    const placed: number[] = [];
    const ready: number[] = [];
    for (let i = 0; i < ORDERS; i++) {
      const started = performance.now();
      const answer = await a.api('POST', `/api/stores/${store.storeId}/orders`, {
        token: store.kioskToken,
        body: { lines: [{ itemId: item.id, quantity: 1 }], paymentMethod: 'counter' },
      });
      if (answer.status !== 201) throw new Error(JSON.stringify(answer.body));
      const orderId = answer.body.order.id as string;
      // the event may have come before the answer: the waiter is set after, so read the log of events
      const seen = kitchen.events.find((event) => event.event === 'ticket' && event.data.orderId === orderId && event.data.stage === 'placed');
      const at = seen ? performance.now() : await arrival(`ticket:${orderId}:placed`);
      placed.push(at - started);
      await a.api('POST', `/api/stores/${store.storeId}/kitchen/tickets/${orderId}/bump`, { token: kitchenToken, body: { from: 'placed' } });
      const readyAt = arrival(`entry:${orderId}:ready`);
      const bumped = performance.now();
      await a.api('POST', `/api/stores/${store.storeId}/kitchen/tickets/${orderId}/bump`, { token: kitchenToken, body: { from: 'preparing' } });
      ready.push((await readyAt) - bumped);
      if (kitchen.events.length > 1000) kitchen.events.splice(0, 500);
      if (board.events.length > 1000) board.events.splice(0, 500);
    }
    placed.sort((x, y) => x - y);
    ready.sort((x, y) => x - y);
    log(`${ORDERS} orders measured`);

    const before = heap();
    const many: LiveStream[] = [];
    for (let i = 0; i < SCREENS; i++) {
      many.push(await openLive(`${b.url}/api/stores/${store.storeId}/kitchen/live`, { token: kitchenToken }));
      many.push(await openLive(`${b.url}/api/stores/${store.storeId}/pickup/live`, { token: pickupToken }));
    }
    await Promise.all(many.map((stream) => stream.next((event) => event.event === 'ready')));
    // one more order reaches all 100 streams
    const one = await a.api('POST', `/api/stores/${store.storeId}/orders`, {
      token: store.kioskToken,
      body: { lines: [{ itemId: item.id, quantity: 1 }], paymentMethod: 'counter' },
    });
    await Promise.all(many.map((stream) => stream.next((event) => event.data?.orderId === one.body.order.id)));
    const after = heap();
    streams.push(...many);
    const perConnection = (after - before) / many.length;
    const gcNote = (globalThis as { gc?: unknown }).gc ? 'after a forced GC' : 'no --expose-gc: without a forced GC';

    printTable(
      ['measure', 'p50', 'p99', 'notes'],
      [
        ['machine', '', '', machine()],
        [
          'order placed -> ticket on a kitchen stream on the other instance',
          fmt.ms(quantile(placed, 0.5)),
          fmt.ms(quantile(placed, 0.99)),
          `${ORDERS} orders one after another, PostgreSQL + Redis, from the start of POST /orders`,
        ],
        [
          'ready -> number on a pickup board on the other instance',
          fmt.ms(quantile(ready, 0.5)),
          fmt.ms(quantile(ready, 0.99)),
          `${ORDERS} bumps to ready, from the start of the bump`,
        ],
        [
          'memory per connection (50 kitchen + 50 pickup streams)',
          `${(perConnection / 1024).toFixed(1)} KiB`,
          '',
          `heap growth / 100, ${gcNote}; both ends in one process (upper bound)`,
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

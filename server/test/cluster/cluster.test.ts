// Three instances behind nginx on a PostgreSQL cluster and a Redis of the test's own, under live
// traffic: kiosks ordering, a kiosk's screen stream, the POS's live orders, a consultation and a
// device's command stream. One instance is killed with SIGKILL, PostgreSQL restarts, Redis is
// killed and restarts; then what customers and staff would notice is checked: every order answered
// 2xx is stored once and counted once, both streams missed nothing, the consultation went on or
// ended with its seat freed, the device is connected again and the killed instance serves again.
// Then a card payment crosses the instances: ordered on one, charged by an agent on another, reported
// to a third; and with Redis away, card is refused where the agent cannot be seen and paid where it is.
// Runs in the PostgreSQL + Redis pass only (PINOKIO_TEST_SERVERS=1), with nginx installed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { clusterUnavailable, startCluster, type Cluster, type Instance } from '../support/cluster.js';
import {
  OrderingKiosk,
  ResumingDevice,
  ResumingSocket,
  ResumingStream,
  clusterKiosk,
  clusterStore,
  over,
  until,
  type ClusterStore,
} from '../support/cluster-traffic.js';
import { DeviceClient } from '../support/device-client.js';
import { payAtCounter } from '../support/factories.js';
import { openLive } from '../support/live-events.js';
import { signUp } from '../support/test-server.js';

const skip = clusterUnavailable();
const LEAVE_AFTER_MS = 1_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let cluster: Cluster;
before(
  async () => {
    if (skip) return;
    cluster = await startCluster({
      env: {
        LIMIT_LOGIN_PER_IP_PER_MINUTE: '100000',
        LIMIT_CODE_REQUESTS_PER_IP_PER_HOUR: '100000',
        // a side whose instance died has this long to come back through the balancer
        CONSULTATION_RECONNECT_GRACE_SECONDS: '30',
        CONSULTATION_HEARTBEAT_SECONDS: '2',
      },
    });
  },
  { timeout: 240_000 },
);
after(() => cluster?.close(), { timeout: 60_000 });

/** opens `make()` until the connection lands on `victim` (nginx goes round the instances) */
async function onVictim<T extends { stop(): Promise<void> }>(victim: Instance, make: () => T, start: (made: T) => Promise<void>): Promise<T> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const made = make();
    const taken = await cluster.instanceTaking(() => start(made));
    if (taken === victim) return made;
    await made.stop();
  }
  throw new Error(`could not place a connection on instance ${victim.index}`);
}

test('a cluster keeps every order, stream event, consultation and device through an instance crash and PostgreSQL and Redis restarts', {
  skip,
  timeout: 420_000,
}, async (t) => {
  const store: ClusterStore = await clusterStore(cluster);
  const api = over(cluster.url);
  const settings = await api.api('PUT', `/api/stores/${store.storeId}/device-settings`, {
    token: store.ownerToken,
    body: {
      sampleIntervalMs: 100,
      arriveBelowCm: 80,
      arriveConsecutive: 3,
      arriveToleranceCm: 5,
      leaveAfterMs: LEAVE_AFTER_MS,
      framesPerCapture: 1,
      frameIntervalMs: 100,
    },
  });
  assert.equal(settings.status, 200, JSON.stringify(settings.body));
  const orderingKiosks = await Promise.all([1, 2, 3].map((n) => clusterKiosk(cluster, store, `ordering ${n}`)));
  const screenKiosk = await clusterKiosk(cluster, store, 'screen');
  const counselorAccount = await signUp(over(cluster.instances[0]!.url), 'counselor', { brandCode: store.brandCode });

  // the long-lived connections go to one instance, the one that will be killed
  const counselor = new ResumingSocket(cluster.url, counselorAccount.accessToken);
  await counselor.start();
  const victim = cluster.instances.find((instance) => instance.index === 1)!;
  const screen = await onVictim(
    victim,
    () => new ResumingStream(`${cluster.url}/api/stores/${store.storeId}/kiosks/${screenKiosk.kioskId}/live`, screenKiosk.token),
    (s) => s.start(),
  );
  const pos = await onVictim(
    victim,
    () => new ResumingStream(`${cluster.url}/api/stores/${store.storeId}/orders/live`, store.ownerToken),
    (s) => s.start(),
  );
  const kioskSocket = await onVictim(
    victim,
    () => new ResumingSocket(cluster.url, screenKiosk.token),
    (s) => s.start(),
  );
  const device = await onVictim(
    victim,
    () => new ResumingDevice(cluster.deviceAddress, screenKiosk),
    (d) => d.start(),
  );

  counselor.send({ type: 'presence', status: 'online' });
  await counselor.next('presence', (m) => m.status === 'online');
  kioskSocket.send({ type: 'request' });
  const offer = await counselor.next('request-offered');
  counselor.send({ type: 'accept', requestId: offer.requestId });
  const consultationId = (await kioskSocket.next('consultation-started')).consultationId as string;
  await counselor.next('consultation-started');

  const kiosks = orderingKiosks.map((kiosk) => new OrderingKiosk(cluster.url, store, kiosk.token));
  for (const kiosk of kiosks) kiosk.start();
  device.startVisits(LEAVE_AFTER_MS);
  const placedCount = () => kiosks.reduce((sum, kiosk) => sum + kiosk.placed.length, 0);
  /** orders answered 2xx after `since`, so the cluster takes orders again */
  const ordersFlowAfter = (since: number) => until(() => kiosks.some((kiosk) => kiosk.placed.some((p) => p.sentAt >= since)), 60_000);

  await sleep(3_000);
  const ordersBeforeCrash = placedCount();

  // 1. an instance crashes
  await victim.kill();
  const killedAt = Date.now();
  const reconnected = await until(
    () => screen.reconnects.length > 0 && pos.reconnects.length > 0 && kioskSocket.reconnects.length > 0 && device.reconnects.length > 0,
    60_000,
  );
  assert.ok(
    reconnected,
    `not everything reconnected after the crash: screen ${screen.reconnects.length}, POS ${pos.reconnects.length}, kiosk socket ${kioskSocket.reconnects.length}, device ${device.reconnects.length}`,
  );
  assert.ok(await ordersFlowAfter(killedAt), 'no order answered after the crash');
  await victim.start();
  // the killed instance serves again, itself and not only through the balancer
  const me = await over(victim.url).api('GET', '/api/me', { token: store.ownerToken });
  assert.equal(me.status, 200, JSON.stringify(me.body));
  const direct = await new OrderingKiosk(victim.url, store, orderingKiosks[0]!.token).placeOne();
  assert.ok(direct, 'the restarted instance took no order');

  // 2. PostgreSQL restarts (a clean stop, as a minor upgrade does)
  await cluster.postgres.stop('fast');
  await sleep(3_000);
  await cluster.postgres.start();
  const postgresBackAt = Date.now();
  assert.ok(await ordersFlowAfter(postgresBackAt), 'no order answered after PostgreSQL came back');

  // 3. Redis dies and comes back empty
  await cluster.redis.kill();
  await sleep(2_000);
  await cluster.redis.start();
  const redisBackAt = Date.now();
  assert.ok(await ordersFlowAfter(redisBackAt), 'no order answered after Redis came back');
  await sleep(3_000);

  for (const kiosk of kiosks) await kiosk.stop();
  const placed = [...kiosks.flatMap((kiosk) => kiosk.placed), direct];
  const placedIds = new Set(placed.map((order) => order.answers[0]!.orderId));
  t.diagnostic(
    `orders: ${placed.length} answered 2xx (${ordersBeforeCrash} before the crash); attempts ${kiosks.reduce((n, k) => n + k.attempts.length, 0)}, ` +
      `statuses ${JSON.stringify(countBy(kiosks.flatMap((k) => k.attempts.map((a) => a.status))))}`,
  );
  t.diagnostic(
    `reconnects: screen ${JSON.stringify(screen.reconnects)}, POS ${JSON.stringify(pos.reconnects)}, device ${JSON.stringify(device.reconnects)}, kiosk socket ${JSON.stringify(kioskSocket.reconnects)}, counselor ${JSON.stringify(counselor.reconnects)}`,
  );

  // each check a subtest of its own, so that one failing does not hide the others
  await t.test('every order was answered 2xx in the end (resent with its key), none refused', () => {
    assert.deepEqual(
      kiosks.flatMap((kiosk) => kiosk.refused),
      [],
      'orders refused with 4xx',
    );
    assert.deepEqual(
      kiosks.flatMap((kiosk) => kiosk.unanswered),
      [],
      'orders never answered 2xx',
    );
  });

  await t.test('every order answered 2xx is stored exactly once', async () => {
    const db = new pg.Client({ connectionString: cluster.databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query<{ id: string; idempotency_key: string | null; total: number }>(
        'select id, idempotency_key, total from orders where store_id = $1',
        [store.storeId],
      );
      const stored = new Map(rows.map((row) => [row.id, row]));
      const missing = [...placedIds].filter((id) => !stored.has(id));
      assert.deepEqual(missing, [], 'orders answered 2xx but not stored');
      const perKey = countBy(rows.map((row) => row.idempotency_key ?? `no key ${row.id}`));
      assert.deepEqual(
        Object.entries(perKey).filter(([, n]) => n > 1),
        [],
        'an Idempotency-Key stored twice',
      );
      assert.equal(rows.length, placed.length, 'stored orders that no kiosk was answered for');
    } finally {
      await db.end();
    }
  });

  await t.test('every order answered 2xx is counted once in the sales figures', async () => {
    // sales count paid money: the counter takes each order's payment first
    for (const order of placed) await payAtCounter(api, store, { id: order.answers[0]!.orderId, total: store.orderTotal });
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const sales = await api.api('GET', `/api/stores/${store.storeId}/sales?from=${day(-1)}&to=${day(1)}&period=day`, { token: store.ownerToken });
    assert.equal(sales.status, 200, JSON.stringify(sales.body));
    const counted = (sales.body.buckets as Array<{ orderCount: number; total: number }>).reduce(
      (sum, b) => ({ orderCount: sum.orderCount + b.orderCount, total: sum.total + b.total }),
      { orderCount: 0, total: 0 },
    );
    assert.deepEqual(counted, { orderCount: placed.length, total: placed.length * store.orderTotal }, 'the sales figures');
  });

  await t.test("the POS's live stream showed every order (it resumed without a gap)", async () => {
    const posSaw = () => new Set(pos.events.filter((event) => event.event === 'order.placed').map((event) => event.data.id as string));
    await until(() => [...placedIds].every((id) => posSaw().has(id)), 15_000);
    const posMissed = placed.filter((order) => !posSaw().has(order.answers[0]!.orderId));
    assert.deepEqual(
      posMissed.map((order) => ({ number: order.answers[0]!.number, answeredAt: new Date(order.answeredAt).toISOString() })),
      [],
      `orders the POS stream never showed (crash at ${new Date(killedAt).toISOString()}, PostgreSQL back ${new Date(postgresBackAt).toISOString()}, Redis back ${new Date(redisBackAt).toISOString()}); ids given to two different events: ${pos.idsReused}`,
    );
  });

  await device.stop();
  await t.test("the kiosk's screen stream showed every arrival its device caused, in order", async () => {
    await until(() => unmatchedArrivals(device, screen).length === 0, 10_000);
    const unmatched = unmatchedArrivals(device, screen);
    // what the instances said about this kiosk, to tell a lost event from a slow one
    if (unmatched.length > 0) {
      const near = screen.events.filter((event) => unmatched.some((arrival) => Math.abs(Number(event.id) - arrival.sentAt) < 10_000));
      t.diagnostic(`screen events within 10 s of them: ${JSON.stringify(near.map((event) => ({ id: event.id, event: event.event, data: event.data })))}`);
      t.diagnostic(`instance warnings:\n${warningsAbout('').join('\n')}`);
    }
    assert.deepEqual(unmatched, [], `arrivals the screen never heard of (of ${device.arrivals.length})`);
    const screenIds = screen.events.map((event) => Number(event.id));
    assert.deepEqual(
      screenIds,
      [...screenIds].sort((a, b) => a - b),
      'screen events out of order',
    );
  });

  await t.test('the device reconnected after the crash and hears commands on its new stream', () => {
    assert.ok(device.reconnects.length >= 1, 'the device never reconnected');
    assert.ok(
      device.allCommands().some((command) => command.kind === 'wake') && device.arrivals.some((arrival) => arrival.sentAt > device.reconnects[0]!.connectedAt),
      'no arrival handled after the device reconnected',
    );
  });

  await t.test("the consultation goes on, or it ended cleanly and the counselor's seat is free again", async () => {
    const ended = [kioskSocket, counselor].some((side) => side.received.some((m) => m.type === 'consultation-ended' && m.consultationId === consultationId));
    const stillOn = !ended && kioskSocket.hellos.at(-1)!.consultations.some((c: { consultationId: string }) => c.consultationId === consultationId);
    if (stillOn) {
      const since = counselor.received.length;
      kioskSocket.send({ type: 'signal', consultationId, data: { after: 'everything' } });
      const relayed = await counselor.next('signal', (m) => m.data?.after === 'everything', 15_000, since);
      assert.equal(relayed.consultationId, consultationId);
    } else {
      const check = new ResumingSocket(cluster.url, counselorAccount.accessToken);
      await check.start();
      assert.deepEqual(check.hellos[0]!.consultations, [], 'the consultation is over for the kiosk but not for the counselor');
      assert.equal(check.hellos[0]!.presence.active, 0, "the counselor's seat was not freed");
      await check.stop();
    }
    t.diagnostic(`consultation ${stillOn ? 'continued' : 'ended'}`);
  });

  await Promise.all([screen.stop(), pos.stop(), kioskSocket.stop(), counselor.stop()]);
});

/** the instances' log lines of level warn or above that mention `text` */
function warningsAbout(text: string): string[] {
  return cluster.instances.flatMap((instance) =>
    instance
      .output()
      .split('\n')
      .filter((line) => line.includes(text) && /"level":(40|50|60)/.test(line))
      .map((line) => {
        const entry = JSON.parse(line) as { time: number; msg?: string; err?: { message?: string } };
        return `instance ${instance.index} at ${entry.time}: ${entry.msg ?? ''}${entry.err?.message ? ` (${entry.err.message})` : ''}`;
      }),
  );
}

test('a card paid at a kiosk whose agent is on another instance: the Charge and the receipt cross the bus, the report lands on a third, the order is paid once; with Redis away, card is refused cleanly where the agent is not known', {
  skip,
  timeout: 120_000,
}, async () => {
  const store = await clusterStore(cluster);
  const kiosk = await clusterKiosk(cluster, store, 'card');
  const [first, second, third] = cluster.instances as [Instance, Instance, Instance];
  // the agent's command stream on the third instance, its reports to the second, the kiosk's page on the first
  const agent = new DeviceClient(`127.0.0.1:${third.grpcPort}`, kiosk);
  const reports = new DeviceClient(`127.0.0.1:${second.grpcPort}`, kiosk);
  const stream = agent.connect({ hasCardTerminal: true, hasReceiptPrinter: true });
  const screen = await openLive(`${first.url}/api/stores/${store.storeId}/kiosks/${kiosk.kioskId}/live`, { token: kiosk.token });
  try {
    await stream.next((command) => command.kind === 'settings', 'the settings');
    await agent.reportPeripherals({ terminal: 'TERMINAL_READY', printer: 'PRINTER_READY' });
    await screen.next((event) => event.event === 'ready', 'ready');

    const placed = await over(first.url).api('POST', `/api/stores/${store.storeId}/orders`, {
      token: kiosk.token,
      body: { lines: [{ itemId: store.itemId, quantity: 2 }], paymentMethod: 'card' },
    });
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    const paymentId: string = placed.body.payment.paymentId;
    const charge = await stream.next((command) => command.kind === 'charge' && command.charge?.paymentId === paymentId, 'the Charge');
    assert.equal(charge.charge!.amount, 2 * store.orderTotal);

    const approval = { paymentId, outcome: 'APPROVED' as const, amount: 2 * store.orderTotal, approvalNumber: '3131' };
    assert.equal((await reports.reportPayment(approval)).action, 'CONFIRMED');
    // the same report again, to yet another instance, changes nothing
    const again = new DeviceClient(`127.0.0.1:${first.grpcPort}`, kiosk);
    assert.equal((await again.reportPayment(approval).finally(() => again.close())).action, 'CONFIRMED');
    await screen.next(
      (event) => event.event === 'payment' && event.data.paymentId === paymentId && event.data.state === 'confirmed',
      'confirmed on the screen',
    );
    const print = await stream.next((command) => command.kind === 'printReceipt', 'the PrintReceipt');
    assert.ok(
      print.printReceipt!.lines.some((line) => line.text.includes(String(placed.body.order.number))),
      'the receipt has the order number',
    );

    const order = await over(cluster.url).api('GET', `/api/stores/${store.storeId}/orders/${placed.body.order.id}`, { token: store.ownerToken });
    assert.equal(order.body.payment.status, 'paid');
    assert.equal(order.body.payment.paidAmount, 2 * store.orderTotal);
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const sales = await over(cluster.url).api('GET', `/api/stores/${store.storeId}/sales?from=${day(-1)}&to=${day(1)}&period=day`, {
      token: store.ownerToken,
    });
    const counted = (sales.body.buckets as Array<{ orderCount: number; total: number }>).reduce((sum, bucket) => sum + bucket.total, 0);
    assert.equal(counted, 2 * store.orderTotal, 'counted once');

    // Redis gone: only the instance holding the agent's stream knows it is there; elsewhere card is
    // refused at once and nothing is written, there it is charged and paid as usual
    await cluster.redis.kill();
    try {
      const ordersBefore = (await over(cluster.url).api('GET', `/api/stores/${store.storeId}/orders?from=${day(-1)}&to=${day(1)}`, { token: store.ownerToken }))
        .body.total;
      const card = { lines: [{ itemId: store.itemId, quantity: 1 }], paymentMethod: 'card' };
      const refused = await over(first.url).api('POST', `/api/stores/${store.storeId}/orders`, { token: kiosk.token, body: card });
      assert.equal(refused.status, 409, JSON.stringify(refused.body));
      assert.equal(refused.body.error.code, 'card_terminal_unavailable');
      const here = await over(third.url).api('POST', `/api/stores/${store.storeId}/orders`, { token: kiosk.token, body: card });
      assert.equal(here.status, 201, JSON.stringify(here.body));
      const hereId: string = here.body.payment.paymentId;
      await stream.next((command) => command.kind === 'charge' && command.charge?.paymentId === hereId, 'the Charge while Redis is away');
      const decided = await reports.reportPayment({ paymentId: hereId, outcome: 'APPROVED', amount: store.orderTotal, approvalNumber: '3232' });
      assert.equal(decided.action, 'CONFIRMED');
      const after = await over(second.url).api('GET', `/api/stores/${store.storeId}/orders?from=${day(-1)}&to=${day(1)}`, { token: store.ownerToken });
      assert.equal(after.body.total, ordersBefore + 1, 'the refused order left nothing behind');
      assert.equal(after.body.orders.find((each: { id: string }) => each.id === here.body.order.id)?.payment.status, 'paid');
    } finally {
      await cluster.redis.start();
    }
  } finally {
    screen.close();
    stream.cancel();
    agent.close();
    reports.close();
  }
});

function countBy(values: Array<string | number>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

/**
 * Arrivals with no `present` on the screen, matched in order. An event's id is at least the clock's
 * milliseconds when it was logged (platform/bus/replayable-events.ts), so it falls between the
 * report's sending and a little after its answer; while Redis is away it is logged once Redis is
 * back, up to a few seconds after the answer.
 */
function unmatchedArrivals(device: ResumingDevice, screen: ResumingStream) {
  const presents = screen.events.filter((event) => event.event === 'state' && event.data.state === 'present').map((event) => Number(event.id));
  const used = new Set<number>();
  return device.arrivals.filter((arrival) => {
    const match = presents.find((id) => !used.has(id) && id >= arrival.sentAt - 5 && id <= arrival.answeredAt + 5_000);
    if (match === undefined) return true;
    used.add(match);
    return false;
  });
}

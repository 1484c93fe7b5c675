// PostgreSQL restarting under a running server: requests that need it get 503 database_unavailable
// with Retry-After, /readyz says not ready, the server stays up and reconnects by itself, an order
// retried with its Idempotency-Key after the outage is stored exactly once, and a card approved
// while it is away is confirmed once the agent's report gets through. Runs against a private
// PostgreSQL cluster this file may stop (PINOKIO_TEST_SERVERS=1 only).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { DeviceClient, provisionKiosk } from '../support/device-client.js';
import { menuItem, storeWithKiosk, type ItemFixture, type StoreFixture } from '../support/factories.js';
import { privateServicesUnavailable, startPrivatePostgres, type PrivatePostgres } from '../support/private-services.js';
import { roomyLimits, startTestServer, type ApiResponse, type TestServer } from '../support/test-server.js';

const unavailable = privateServicesUnavailable();

describe('PostgreSQL restarting under the server', { skip: unavailable, timeout: 180_000 }, () => {
  let postgres: PrivatePostgres;
  let server: TestServer;
  let store: StoreFixture;
  let item: ItemFixture;

  before(async () => {
    postgres = await startPrivatePostgres();
    server = await startTestServer({ databaseUrl: await postgres.createDatabase('outage'), env: roomyLimits });
    store = await storeWithKiosk(server);
    item = await menuItem(server, store.storeId, { price: 4000, stock: 1000 });
  });
  after(async () => {
    await server?.close();
    await postgres?.destroy();
  });

  const order = (key: string) =>
    server.api('POST', `/api/stores/${store.storeId}/orders`, {
      token: store.kioskToken,
      body: { lines: [{ itemId: item.id, quantity: 1 }], paymentMethod: 'counter' },
      headers: { 'idempotency-key': key },
    });

  async function waitUntilReady(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if ((await server.api('GET', '/readyz')).status === 200) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`not ready ${timeoutMs} ms after PostgreSQL came back`);
  }

  async function storedOrders(): Promise<Array<{ id: string; idempotency_key: string | null }>> {
    return server.app.database.db.selectFrom('orders').select(['id', 'idempotency_key']).where('store_id', '=', store.storeId).execute();
  }

  function assertUnavailable(response: ApiResponse): void {
    assert.equal(response.status, 503, JSON.stringify(response.body));
    assert.equal(response.body.error.code, 'database_unavailable');
    assert.match(response.body.error.message, /try again/i);
    assert.ok(Number(response.headers.get('retry-after')) > 0, 'Retry-After tells the client when to come back');
  }

  test('while it is away: 503 with Retry-After, /readyz not ready, and the server stays up', async () => {
    assert.equal((await order(randomUUID())).status, 201);
    await postgres.stop('fast');
    // the pool's idle connections now get their errors; before the fix the first one ended the process
    await new Promise((resolve) => setTimeout(resolve, 500));

    const key = randomUUID();
    assertUnavailable(await order(key));
    assertUnavailable(await server.api('GET', `/api/stores/${store.storeId}/kiosks`, { token: store.ownerToken }));
    const readiness = await server.api('GET', '/readyz');
    assert.equal(readiness.status, 503);
    assert.notEqual(readiness.body.checks.database, 'ok');
    assert.equal((await server.api('GET', '/healthz')).status, 200, 'alive: an orchestrator must not restart it for this');

    await postgres.start();
    await waitUntilReady();
    const retried = await order(key);
    assert.equal(retried.status, 201, JSON.stringify(retried.body));
    const again = await order(key);
    assert.equal(again.body.order.id, retried.body.order.id, 'the retry of a stored order answers that order');
    assert.equal((await storedOrders()).filter((row) => row.idempotency_key === key).length, 1);
  });

  test('a crash in the middle of ordering: every order retried with its key is stored exactly once', async () => {
    const before = (await storedOrders()).length;
    const keys = Array.from({ length: 30 }, () => randomUUID());
    // orders in flight while the server crashes (immediate: no clean shutdown, transactions cut)
    const inFlight = keys.map((key, index) => new Promise((resolve) => setTimeout(resolve, index * 15)).then(() => order(key)));
    await new Promise((resolve) => setTimeout(resolve, 150));
    await postgres.stop('immediate');
    const answers = await Promise.all(inFlight);
    for (const answer of answers) {
      assert.ok(
        answer.status === 201 || answer.status === 503,
        `each order is placed or refused as unavailable, got ${answer.status} ${JSON.stringify(answer.body)}`,
      );
      if (answer.status === 503) assertUnavailable(answer);
    }

    await postgres.start();
    await waitUntilReady();
    // the kiosk retries what it was not sure of, with the same keys, as the web app does
    for (const [index, key] of keys.entries()) {
      if (answers[index]!.status === 201) continue;
      const retried = await order(key);
      assert.equal(retried.status, 201, JSON.stringify(retried.body));
    }
    const stored = await storedOrders();
    assert.equal(stored.length, before + keys.length, 'no order lost, none doubled');
    for (const key of keys) assert.equal(stored.filter((row) => row.idempotency_key === key).length, 1, `key ${key} stored once`);
    const stock = await server.app.database.db.selectFrom('items').select('stock').where('id', '=', item.id).executeTakeFirstOrThrow();
    assert.equal(stock.stock, 1000 - stored.length, 'stock taken once per stored order');
  });

  test('a card approved while it is away: the report is refused as unavailable, and the same report confirms the order once it is back, counted once', async () => {
    const kiosk = await provisionKiosk(server, store.storeId, store.ownerToken, 'card kiosk');
    const device = new DeviceClient(server.deviceAddress, kiosk);
    const stream = device.connect({ hasCardTerminal: true, hasReceiptPrinter: false });
    try {
      await stream.next((command) => command.kind === 'settings', 'the settings');
      await device.reportPeripherals({ terminal: 'TERMINAL_READY', printer: 'PRINTER_NONE' });
      const placed = await server.api('POST', `/api/stores/${store.storeId}/orders`, {
        token: kiosk.token,
        body: { lines: [{ itemId: item.id, quantity: 1 }], paymentMethod: 'card' },
      });
      assert.equal(placed.status, 201, JSON.stringify(placed.body));
      const paymentId: string = placed.body.payment.paymentId;
      await stream.next((command) => command.kind === 'charge' && command.charge?.paymentId === paymentId, 'the Charge');
      const approval = { paymentId, outcome: 'APPROVED' as const, amount: 4000, approvalNumber: '4242' };

      // the customer's card is approved while PostgreSQL is away: the agent keeps the approval and retries
      await postgres.stop('fast');
      const refused = await device.reportPayment(approval).then(
        () => undefined,
        (error: grpc.ServiceError) => error,
      );
      assert.equal(refused?.code, grpc.status.UNAVAILABLE, `a retriable refusal, got ${refused?.code}: ${refused?.details}`);
      assert.match(refused.details, /^database_unavailable: /);

      await postgres.start();
      await waitUntilReady();
      const decided = await device.reportPayment(approval);
      assert.equal(decided.action, 'CONFIRMED');
      assert.equal((await device.reportPayment(approval)).action, 'CONFIRMED', 'a repeated report changes nothing');
      const paid = await server.api('GET', `/api/stores/${store.storeId}/orders/${placed.body.order.id}`, { token: store.ownerToken });
      assert.equal(paid.body.payment.status, 'paid');
      assert.equal(paid.body.payment.approvalNumber, '4242');
      const sales = await server.app.database.db
        .selectFrom('daily_sales')
        .select((eb) => eb.fn.sum<number>('total').as('total'))
        .where('store_id', '=', store.storeId)
        .executeTakeFirstOrThrow();
      // the counter orders of the tests above are unpaid; this is the only money taken
      assert.equal(Number(sales.total), 4000, 'the payment counted once');
    } finally {
      stream.cancel();
      device.close();
    }
  });
});

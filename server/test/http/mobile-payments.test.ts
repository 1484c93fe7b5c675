// Mobile / QR payment (docs/payments.md "Mobile / QR payment"): a kiosk order paid from the
// customer's phone through Toss Payments' REST API, against a stand-in for Toss on loopback that
// follows its published contract; and once through the embedded fake gateway.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { TossPaymentsGateway } from '../../src/platform/payment-gateway/toss-payments-gateway.js';
import { storeWithKiosk, menuItem, type StoreFixture, type ItemFixture } from '../support/factories.js';
import { openLive, type LiveStream } from '../support/live-events.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { startTossStandIn, type TossStandIn } from '../support/toss-stand-in.js';

let toss: TossStandIn;
let server: TestServer;
let fakeServer: TestServer;
let store: StoreFixture;
let item: ItemFixture;
let live: LiveStream;
/** the server's log lines (pino JSON), kept instead of printed */
const logLines: Array<{ level: number; msg: string; code?: string }> = [];

before(async () => {
  toss = await startTossStandIn();
  server = await startTestServer({
    env: {
      PAYMENT_GATEWAY: 'toss',
      TOSS_SECRET_KEY: toss.secretKey,
      TOSS_CLIENT_KEY: 'test_ck_standin',
      TOSS_API_URL: toss.url,
      TOSS_TIMEOUT_MS: '3000',
      PUBLIC_URL: 'https://kiosk.example',
      LOG_LEVEL: 'warn',
    },
  });
  // pino writes to its stream: read the lines here, not on the test's output
  const log = server.app.http.log as unknown as Record<symbol, { write(line: string): boolean }>;
  const streamSymbol = Object.getOwnPropertySymbols(log).find((symbol) => symbol.description === 'pino.stream')!;
  log[streamSymbol]!.write = (line: string) => {
    logLines.push(JSON.parse(line));
    return true;
  };
  store = await storeWithKiosk(server);
  item = await menuItem(server, store.storeId, { name: '아메리카노', price: 4500, stock: 10 });
  live = await openLive(`${server.url}/api/stores/${store.storeId}/kiosks/${store.kioskId}/live`, { token: store.kioskToken });
  assert.equal(live.status, 200);
});

after(async () => {
  live?.close();
  await Promise.all([server?.close(), fakeServer?.close()]);
  await toss?.close();
});

async function placeMobileOrder(on: TestServer, fixture: StoreFixture, itemId: string, quantity: number, key = randomUUID()) {
  const placed = await on.api('POST', `/api/stores/${fixture.storeId}/orders`, {
    token: fixture.kioskToken,
    headers: { 'idempotency-key': key },
    body: { lines: [{ itemId, quantity }], paymentMethod: 'mobile', dining: 'take_out' },
  });
  assert.equal(placed.status, 201, JSON.stringify(placed.body));
  assert.equal(placed.body.payment.status, 'pending');
  return { order: placed.body.order, payment: placed.body.payment as { paymentId: string; checkoutUrl: string }, key };
}

async function stockOf(on: TestServer, itemId: string): Promise<number | null> {
  const row = await on.app.database.db.selectFrom('items').select('stock').where('id', '=', itemId).executeTakeFirstOrThrow();
  return row.stock;
}

async function salesOf(on: TestServer, storeId: string): Promise<{ orders: number; total: number }> {
  const rows = await on.app.database.db.selectFrom('daily_sales').select(['order_count', 'total']).where('store_id', '=', storeId).execute();
  return { orders: rows.reduce((sum, row) => sum + row.order_count, 0), total: rows.reduce((sum, row) => sum + row.total, 0) };
}

async function orderOf(on: TestServer, fixture: StoreFixture, orderId: string) {
  const response = await on.api('GET', `/api/stores/${fixture.storeId}/orders/${orderId}`, { token: fixture.ownerToken });
  assert.equal(response.status, 200);
  return response.body;
}

const confirmRequests = (paymentKey: string) =>
  toss.requests.filter((request) => request.path === '/v1/payments/confirm' && request.body?.paymentKey === paymentKey);

let paidOrder: { id: string; paymentKey: string };

test('a mobile order is paid through Toss: checkout page, confirmation, paid and counted once however often it is confirmed', { timeout: 20_000 }, async () => {
  const { order, payment, key } = await placeMobileOrder(server, store, item.id, 2);
  assert.equal(payment.checkoutUrl, `https://kiosk.example/pay/${payment.paymentId}`);
  assert.equal(await stockOf(server, item.id), 8, 'stock held while paying');

  // what the phone sees: no login, nothing personal
  const page = await server.api('GET', `/api/mobile-payments/${payment.paymentId}`);
  assert.equal(page.status, 200);
  assert.deepEqual(
    { ...page.body, payBy: undefined, storeName: undefined },
    {
      paymentId: payment.paymentId,
      orderNumber: order.number,
      orderName: '아메리카노',
      amount: 9000,
      state: 'awaiting',
      reason: null,
      checkout: { provider: 'toss', clientKey: 'test_ck_standin' },
      payBy: undefined,
      storeName: undefined,
    },
  );
  assert.equal((await server.api('GET', `/api/mobile-payments/${randomUUID()}`)).status, 404);

  // the page's amount is not the order's: refused before Toss is asked (a tampered success URL)
  const otherOrder = await placeMobileOrder(server, store, item.id, 1);
  const tampered = toss.authorize({ orderId: otherOrder.payment.paymentId, amount: 100 });
  const refused = await server.api('POST', `/api/mobile-payments/${otherOrder.payment.paymentId}/confirmation`, {
    body: { paymentKey: tampered, amount: 100 },
  });
  assert.equal(refused.status, 409);
  assert.equal(refused.body.error.code, 'amount_mismatch');
  assert.equal(confirmRequests(tampered).length, 0, 'never confirmed at Toss');
  assert.equal((await orderOf(server, store, otherOrder.order.id)).status, 'cancelled');

  // the customer pays in Toss' window, which returns to the page with paymentKey and amount
  const paymentKey = toss.authorize({ orderId: payment.paymentId, amount: 9000 });
  const confirmedEvent = live.next((event) => event.event === 'payment' && event.data.paymentId === payment.paymentId && event.data.state === 'confirmed');
  const [first, second] = await Promise.all(
    [0, 1].map(() => server.api('POST', `/api/mobile-payments/${payment.paymentId}/confirmation`, { body: { paymentKey, amount: 9000 } })),
  );
  assert.equal(first!.status, 200, JSON.stringify(first!.body));
  assert.equal(second!.status, 200, JSON.stringify(second!.body));
  assert.equal(first!.body.state, 'paid');
  assert.equal(second!.body.state, 'paid');
  const again = await server.api('POST', `/api/mobile-payments/${payment.paymentId}/confirmation`, { body: { paymentKey, amount: 9000 } });
  assert.equal(again.body.state, 'paid');

  const event = await confirmedEvent;
  assert.equal(event.data.orderNumber, order.number);
  const paid = await orderOf(server, store, order.id);
  assert.equal(paid.payment.status, 'paid');
  assert.equal(paid.payment.method, 'mobile');
  assert.equal(paid.payment.paidAmount, 9000);
  assert.equal(paid.payment.approvalNumber, toss.payment(paymentKey)!.card!.approveNo);
  assert.equal(toss.payment(paymentKey)!.status, 'DONE');
  assert.deepEqual(await salesOf(server, store.storeId), { orders: 1, total: 9000 }, 'counted once');
  assert.ok(confirmRequests(paymentKey).every((request) => request.idempotencyKey === confirmRequests(paymentKey)[0]!.idempotencyKey));

  // another payment key for the paid order is never confirmed
  const second_ = toss.authorize({ orderId: payment.paymentId, amount: 9000 });
  const twice = await server.api('POST', `/api/mobile-payments/${payment.paymentId}/confirmation`, { body: { paymentKey: second_, amount: 9000 } });
  assert.equal(twice.body.error.code, 'already_paid');
  assert.equal(confirmRequests(second_).length, 0);

  // the kiosk's retried order request (same key) hears it is paid
  const replayed = await server.api('POST', `/api/stores/${store.storeId}/orders`, {
    token: store.kioskToken,
    headers: { 'idempotency-key': key },
    body: { lines: [{ itemId: item.id, quantity: 2 }], paymentMethod: 'mobile', dining: 'take_out' },
  });
  assert.equal(replayed.body.payment.status, 'paid');
  paidOrder = { id: order.id, paymentKey };
});

test('a refund of a mobile-paid order is a partial cancel at Toss', { timeout: 20_000 }, async () => {
  const refund = await server.api('POST', `/api/stores/${store.storeId}/orders/${paidOrder.id}/refunds`, {
    token: store.ownerToken,
    headers: { 'idempotency-key': randomUUID() },
    body: { amount: 4500, reason: '한 잔 취소' },
  });
  assert.ok(refund.status === 200 || refund.status === 201, JSON.stringify(refund.body));
  const cancels = toss.requests.filter((request) => request.path === `/v1/payments/${paidOrder.paymentKey}/cancel`);
  assert.equal(cancels.length, 1);
  assert.deepEqual(cancels[0]!.body, { cancelReason: '한 잔 취소', cancelAmount: 4500 });
  assert.ok(cancels[0]!.idempotencyKey);
  assert.equal(toss.payment(paidOrder.paymentKey)!.status, 'PARTIAL_CANCELED');
  assert.equal(toss.payment(paidOrder.paymentKey)!.balanceAmount, 4500);
  const rows = await server.app.database.db.selectFrom('refunds').select(['state', 'provider_reference']).where('order_id', '=', paidOrder.id).execute();
  assert.deepEqual(rows, [{ state: 'done', provider_reference: paidOrder.paymentKey }]);
  assert.deepEqual(await salesOf(server, store.storeId), { orders: 1, total: 4500 });
  // what reconciliation reads of Toss: one payment, half given back
  const adapter = new TossPaymentsGateway({ apiUrl: toss.url, secretKey: toss.secretKey, clientKey: 'test_ck_standin', timeoutMs: 3000 });
  const transactions = await adapter.listTransactions(new Date(Date.now() - 3_600_000), new Date(Date.now() + 60_000));
  const line = transactions.find((transaction) => transaction.reference === paidOrder.paymentKey);
  assert.deepEqual(
    { ...line, approvedAt: undefined },
    {
      reference: paidOrder.paymentKey,
      orderId: line?.orderId,
      amount: 9000,
      status: 'partially_cancelled',
      cancelledAmount: 4500,
      approvedAt: undefined,
    },
  );
});

test('declined in Toss or given up in its window: the order is cancelled and its stock is back', { timeout: 20_000 }, async () => {
  const before = await stockOf(server, item.id);
  const salesBefore = await salesOf(server, store.storeId);
  const { order, payment } = await placeMobileOrder(server, store, item.id, 3);
  const paymentKey = toss.authorize({ orderId: payment.paymentId, amount: 13_500 });
  toss.declineNext();
  const declinedEvent = live.next((event) => event.event === 'payment' && event.data.paymentId === payment.paymentId);
  const declined = await server.api('POST', `/api/mobile-payments/${payment.paymentId}/confirmation`, { body: { paymentKey, amount: 13_500 } });
  assert.equal(declined.status, 200);
  assert.equal(declined.body.state, 'declined');
  assert.equal((await declinedEvent).data.state, 'declined');
  assert.equal((await orderOf(server, store, order.id)).status, 'cancelled');
  assert.equal(await stockOf(server, item.id), before);

  // the customer closes Toss' window: it returns to the fail URL with its code
  const closed = await placeMobileOrder(server, store, item.id, 1);
  const failed = await server.api('POST', `/api/mobile-payments/${closed.payment.paymentId}/failure`, {
    body: { code: 'PAY_PROCESS_CANCELED', message: '사용자에 의해 결제가 취소되었습니다.' },
  });
  assert.equal(failed.body.state, 'declined');
  assert.equal((await orderOf(server, store, closed.order.id)).status, 'cancelled');
  assert.equal(await stockOf(server, item.id), before);
  assert.deepEqual(await salesOf(server, store.storeId), salesBefore);
});

test('too late: an expired order is never confirmed, and a payment Toss took while it expired is cancelled there', { timeout: 20_000 }, async () => {
  const db = server.app.database.db;
  const salesBefore = await salesOf(server, store.storeId);
  const expireNow = async (orderId: string) => {
    await db
      .updateTable('orders')
      .set({ pay_by: new Date(Date.now() - 1000) })
      .where('id', '=', orderId)
      .execute();
    await server.app.services.orders.expireDue();
  };

  // expired before the phone came back: nothing is confirmed, no money moves
  const late = await placeMobileOrder(server, store, item.id, 1);
  await expireNow(late.order.id);
  const lateKey = toss.authorize({ orderId: late.payment.paymentId, amount: 4500 });
  const refused = await server.api('POST', `/api/mobile-payments/${late.payment.paymentId}/confirmation`, { body: { paymentKey: lateKey, amount: 4500 } });
  assert.equal(refused.status, 410);
  assert.equal(refused.body.error.code, 'order_expired');
  assert.equal(confirmRequests(lateKey).length, 0);
  assert.equal((await server.api('GET', `/api/mobile-payments/${late.payment.paymentId}`)).body.state, 'expired');

  // expired while Toss was approving: the money goes back at Toss
  const racing = await placeMobileOrder(server, store, item.id, 1);
  const racingKey = toss.authorize({ orderId: racing.payment.paymentId, amount: 4500 });
  toss.beforeNextConfirm(() => expireNow(racing.order.id));
  const voided = await server.api('POST', `/api/mobile-payments/${racing.payment.paymentId}/confirmation`, { body: { paymentKey: racingKey, amount: 4500 } });
  assert.equal(voided.status, 410);
  assert.equal(voided.body.error.code, 'order_expired');
  assert.equal(toss.payment(racingKey)!.status, 'CANCELED', "Toss' records show the cancel");
  assert.equal(toss.payment(racingKey)!.balanceAmount, 0);
  const attempt = await db.selectFrom('payment_attempts').select('state').where('id', '=', racing.payment.paymentId).executeTakeFirstOrThrow();
  assert.equal(attempt.state, 'voided');
  assert.equal((await orderOf(server, store, racing.order.id)).payment.status, 'pending', 'never paid');
  assert.deepEqual(await salesOf(server, store.storeId), salesBefore);
});

test('a wrong secret key: a clear error in the log, the payment refused, no money recorded', { timeout: 20_000 }, async () => {
  const { order, payment } = await placeMobileOrder(server, store, item.id, 1);
  const paymentKey = toss.authorize({ orderId: payment.paymentId, amount: 4500 });
  const salesBefore = await salesOf(server, store.storeId);
  const realKey = toss.secretKey;
  toss.useSecretKey('test_sk_rotated');
  try {
    const refused = await server.api('POST', `/api/mobile-payments/${payment.paymentId}/confirmation`, { body: { paymentKey, amount: 4500 } });
    assert.equal(refused.status, 503);
    assert.equal(refused.body.error.code, 'payment_gateway_unavailable');
  } finally {
    toss.useSecretKey(realKey);
  }
  const logged = logLines.find((line) => line.code === 'UNAUTHORIZED_KEY');
  assert.ok(logged, 'logged');
  assert.equal(logged.level, 50, 'as an error');
  assert.match(logged.msg, /TOSS_SECRET_KEY/);
  assert.equal(toss.payment(paymentKey)!.status, 'IN_PROGRESS');
  assert.equal((await orderOf(server, store, order.id)).payment.status, 'pending');
  assert.deepEqual(await salesOf(server, store.storeId), salesBefore);
  // once the key is right again, the same payment key confirms
  const retried = await server.api('POST', `/api/mobile-payments/${payment.paymentId}/confirmation`, { body: { paymentKey, amount: 4500 } });
  assert.equal(retried.body.state, 'paid');
});

test('the embedded fake gateway: 결제하기 pays, 취소 cancels', { timeout: 120_000 }, async () => {
  // started here, not beside the first: two servers starting at once on a busy machine slow each other
  fakeServer = await startTestServer();
  const fixture = await storeWithKiosk(fakeServer);
  const fakeItem = await menuItem(fakeServer, fixture.storeId, { price: 3000, stock: 5 });
  const { order, payment } = await placeMobileOrder(fakeServer, fixture, fakeItem.id, 1);
  const page = await fakeServer.api('GET', `/api/mobile-payments/${payment.paymentId}`);
  assert.deepEqual(page.body.checkout, { provider: 'fake' });
  const paid = await fakeServer.api('POST', `/api/mobile-payments/${payment.paymentId}/confirmation`, {
    body: { paymentKey: `fake_${randomUUID()}`, amount: 3000 },
  });
  assert.equal(paid.body.state, 'paid');
  assert.equal((await orderOf(fakeServer, fixture, order.id)).payment.status, 'paid');
  assert.deepEqual(await salesOf(fakeServer, fixture.storeId), { orders: 1, total: 3000 });

  const cancelled = await placeMobileOrder(fakeServer, fixture, fakeItem.id, 1);
  const answer = await fakeServer.api('POST', `/api/mobile-payments/${cancelled.payment.paymentId}/failure`, { body: { code: 'PAY_PROCESS_CANCELED' } });
  assert.equal(answer.body.state, 'declined');
  assert.equal(await stockOf(fakeServer, fakeItem.id), 4);
});

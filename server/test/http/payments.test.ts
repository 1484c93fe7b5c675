// Paying at the counter, refunds and their sales figures, payment settings, the unpaid expiry and
// what the kitchen shows of unpaid orders (docs/payments.md). One server; each test its own store.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { menuItem, payAtCounter, storeWithKiosk, type StoreFixture } from '../support/factories.js';
import { openLive } from '../support/live-events.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.close());

async function placeCounterOrder(fixture: StoreFixture, itemId: string, quantity: number, dining: 'eat_in' | 'take_out' = 'eat_in') {
  const placed = await server.api('POST', `/api/stores/${fixture.storeId}/orders`, {
    token: fixture.kioskToken,
    body: { lines: [{ itemId, quantity }], paymentMethod: 'counter', dining },
  });
  assert.equal(placed.status, 201, JSON.stringify(placed.body));
  return placed.body.order as { id: string; total: number; localDate: string; payment: Record<string, unknown> };
}

function pay(fixture: StoreFixture, orderId: string, body: Record<string, unknown>, key?: string) {
  return server.api('POST', `/api/stores/${fixture.storeId}/orders/${orderId}/payments`, {
    token: fixture.ownerToken,
    headers: key ? { 'idempotency-key': key } : {},
    body,
  });
}

function refund(fixture: StoreFixture, orderId: string, amount: number, key?: string) {
  return server.api('POST', `/api/stores/${fixture.storeId}/orders/${orderId}/refunds`, {
    token: fixture.ownerToken,
    headers: key ? { 'idempotency-key': key } : {},
    body: { amount, reason: '고객 요청' },
  });
}

/** the store's aggregates as stored (every day, every item), to compare with what rebuild-sales computes */
async function figures(storeId: string) {
  const db = server.app.database.db;
  const days = await db
    .selectFrom('daily_sales')
    .select(['local_date', 'order_count', 'total', 'eat_in_count', 'eat_in_total', 'take_out_count', 'take_out_total'])
    .where('store_id', '=', storeId)
    .orderBy('local_date')
    .execute();
  const items = await db
    .selectFrom('daily_item_sales')
    .select(['local_date', 'item_id', 'quantity', 'total'])
    .where('store_id', '=', storeId)
    .orderBy('local_date')
    .orderBy('item_id')
    .execute();
  // a row brought to zero and a row never written say the same
  return {
    days: days.filter((row) => row.order_count !== 0 || Number(row.total) !== 0).map((row) => ({ ...row, total: Number(row.total) })),
    items: items.filter((row) => row.quantity !== 0 || Number(row.total) !== 0).map((row) => ({ ...row, total: Number(row.total) })),
  };
}

async function salesOf(fixture: StoreFixture, day: string) {
  const response = await server.api('GET', `/api/stores/${fixture.storeId}/sales?from=${day}&to=${day}&period=day`, { token: fixture.ownerToken });
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body.buckets[0] as { orderCount: number; total: number; eatInCount: number; eatInTotal: number };
}

async function stockOf(itemId: string) {
  return (await server.app.database.db.selectFrom('items').select('stock').where('id', '=', itemId).executeTakeFirstOrThrow()).stock;
}

test('a counter payment marks the order paid and counts it once, retried or raced', async () => {
  const fixture = await storeWithKiosk(server);
  const item = await menuItem(server, fixture.storeId, { price: 4500 });
  const order = await placeCounterOrder(fixture, item.id, 2);
  assert.equal(order.payment.status, 'unpaid');
  assert.equal((await salesOf(fixture, order.localDate)).orderCount, 0, 'an unpaid order is not in the sales figures');

  const wrong = await pay(fixture, order.id, { method: 'counter_cash', amount: 4500 }, 'pay-wrong-amount');
  assert.equal(wrong.status, 409);
  assert.equal(wrong.body.error.code, 'amount_mismatch');
  assert.equal(wrong.body.error.details.due, 9000);

  const paid = await pay(fixture, order.id, { method: 'counter_card', amount: 9000, approvalNumber: '30012345' }, 'pay-dialog-1');
  assert.equal(paid.status, 200, JSON.stringify(paid.body));
  assert.deepEqual(
    {
      status: paid.body.payment.status,
      method: paid.body.payment.method,
      paidAmount: paid.body.payment.paidAmount,
      approval: paid.body.payment.approvalNumber,
    },
    { status: 'paid', method: 'counter_card', paidAmount: 9000, approval: '30012345' },
  );
  assert.equal(paid.body.payment.payBy, null);
  const again = await pay(fixture, order.id, { method: 'counter_card', amount: 9000, approvalNumber: '30012345' }, 'pay-dialog-1');
  assert.equal(again.status, 200, 'the same Idempotency-Key answers the paid order');
  const other = await pay(fixture, order.id, { method: 'counter_cash', amount: 9000 }, 'pay-dialog-2');
  assert.equal(other.status, 409);
  assert.equal(other.body.error.code, 'already_paid');
  assert.deepEqual(await salesOf(fixture, order.localDate), {
    start: order.localDate,
    orderCount: 1,
    total: 9000,
    eatInCount: 1,
    eatInTotal: 9000,
    takeOutCount: 0,
    takeOutTotal: 0,
  });

  // two dialogs paying one order at once: one payment, counted once
  const raced = await placeCounterOrder(fixture, item.id, 1);
  const answers = await Promise.all([
    pay(fixture, raced.id, { method: 'counter_cash', amount: 4500 }, 'race-dialog-a'),
    pay(fixture, raced.id, { method: 'counter_card', amount: 4500 }, 'race-dialog-b'),
  ]);
  assert.deepEqual(answers.map((answer) => answer.status).sort(), [200, 409]);
  const sales = await salesOf(fixture, order.localDate);
  assert.deepEqual([sales.orderCount, sales.total], [2, 13_500]);

  // the owner's list finds unpaid orders by their payment
  await placeCounterOrder(fixture, item.id, 1);
  const unpaid = await server.api('GET', `/api/stores/${fixture.storeId}/orders?from=${order.localDate}&to=${order.localDate}&paymentStatus=unpaid`, {
    token: fixture.ownerToken,
  });
  assert.equal(unpaid.status, 200, JSON.stringify(unpaid.body));
  assert.equal(unpaid.body.total, 1);
});

test('refunds: none for an unpaid order, never more than paid, partial then full reverse the sales exactly, and rebuild-sales agrees', async () => {
  const fixture = await storeWithKiosk(server);
  const item = await menuItem(server, fixture.storeId, { price: 3000 });
  const order = await placeCounterOrder(fixture, item.id, 2, 'take_out');

  const unpaid = await refund(fixture, order.id, 1000, 'refund-unpaid');
  assert.equal(unpaid.status, 409);
  assert.equal(unpaid.body.error.code, 'order_not_paid');

  await payAtCounter(server, fixture, order);
  const counted = await figures(fixture.storeId);
  assert.deepEqual(
    counted.days.map((row) => [row.order_count, row.total, row.take_out_count, row.take_out_total]),
    [[1, 6000, 1, 6000]],
  );

  const tooMuch = await refund(fixture, order.id, 6001, 'refund-too-much');
  assert.equal(tooMuch.status, 409);
  assert.equal(tooMuch.body.error.code, 'refund_exceeds_paid');
  assert.equal(tooMuch.body.error.details.refundable, 6000);
  assert.deepEqual(await figures(fixture.storeId), counted, 'a refused refund writes nothing');
  const none = await server.api('GET', `/api/stores/${fixture.storeId}/orders/${order.id}/refunds`, { token: fixture.ownerToken });
  assert.deepEqual(none.body.refunds, []);

  // part of it: the total falls by the amount, the order and its items stay counted
  const part = await refund(fixture, order.id, 2500, 'refund-part');
  assert.equal(part.status, 201, JSON.stringify(part.body));
  assert.deepEqual([part.body.order.payment.status, part.body.order.payment.refundedAmount], ['partially_refunded', 2500]);
  assert.deepEqual([part.body.refund.amount, part.body.refund.method, part.body.refund.state], [2500, 'counter_cash', 'done']);
  const partAgain = await refund(fixture, order.id, 2500, 'refund-part');
  assert.equal(partAgain.status, 200, 'the same Idempotency-Key answers the same refund');
  assert.equal(partAgain.body.refund.id, part.body.refund.id);
  let sales = await salesOf(fixture, order.localDate);
  assert.deepEqual([sales.orderCount, sales.total], [1, 3500]);
  let live = await figures(fixture.storeId);
  assert.deepEqual(
    live.items.map((row) => [row.quantity, row.total]),
    [[2, 6000]],
  );
  await server.app.services.sales.rebuildAll();
  assert.deepEqual(await figures(fixture.storeId), live, 'rebuild-sales computes what the live path wrote (partly refunded)');

  const over = await refund(fixture, order.id, 3501, 'refund-over');
  assert.equal(over.body.error.code, 'refund_exceeds_paid');
  // the rest: the order leaves the figures
  const rest = await refund(fixture, order.id, 3500, 'refund-rest');
  assert.equal(rest.status, 201);
  assert.equal(rest.body.order.payment.status, 'refunded');
  sales = await salesOf(fixture, order.localDate);
  assert.deepEqual([sales.orderCount, sales.total], [0, 0]);
  live = await figures(fixture.storeId);
  assert.deepEqual(live, { days: [], items: [] });
  await server.app.services.sales.rebuildAll();
  assert.deepEqual(await figures(fixture.storeId), live, 'rebuild-sales computes what the live path wrote (refunded)');
  const listed = await server.api('GET', `/api/stores/${fixture.storeId}/orders/${order.id}/refunds`, { token: fixture.ownerToken });
  assert.deepEqual(
    listed.body.refunds.map((row: { amount: number }) => row.amount),
    [2500, 3500],
  );
});

test('cancelling a paid order refunds it and takes it out of the sales figures; an unpaid one was never in them', async () => {
  const fixture = await storeWithKiosk(server);
  const item = await menuItem(server, fixture.storeId, { price: 2000, stock: 10 });
  const paid = await placeCounterOrder(fixture, item.id, 3);
  const unpaid = await placeCounterOrder(fixture, item.id, 1);
  await payAtCounter(server, fixture, paid);
  await refund(fixture, paid.id, 1000, 'before-cancel');
  assert.equal(await stockOf(item.id), 6);

  const cancel = (orderId: string) =>
    server.api('POST', `/api/stores/${fixture.storeId}/orders/${orderId}/cancel`, { token: fixture.ownerToken, body: { reason: '품절' } });
  const cancelled = await cancel(paid.id);
  assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
  assert.deepEqual([cancelled.body.status, cancelled.body.payment.status, cancelled.body.payment.refundedAmount], ['cancelled', 'refunded', 6000]);
  const refunds = await server.api('GET', `/api/stores/${fixture.storeId}/orders/${paid.id}/refunds`, { token: fixture.ownerToken });
  assert.deepEqual(
    refunds.body.refunds.map((row: { amount: number }) => row.amount),
    [1000, 5000],
  );
  const gone = await cancel(unpaid.id);
  assert.equal(gone.body.payment.status, 'unpaid');
  assert.equal(await stockOf(item.id), 10);
  assert.deepEqual(await figures(fixture.storeId), { days: [], items: [] });
  const late = await pay(fixture, unpaid.id, { method: 'counter_cash', amount: 2000 }, 'pay-cancelled');
  assert.equal(late.body.error.code, 'order_cancelled');
});

test('an unpaid order past its pay-by time expires with its stock back; a paid or started one does not', async () => {
  const fixture = await storeWithKiosk(server);
  const settings = await server.api('PUT', `/api/stores/${fixture.storeId}/payment-settings`, {
    token: fixture.ownerToken,
    body: { kitchenStartsUnpaid: true, unpaidExpiryMinutes: 5, business: { name: null, registrationNumber: null, address: null, phone: null } },
  });
  assert.equal(settings.status, 200, JSON.stringify(settings.body));
  const item = await menuItem(server, fixture.storeId, { price: 1000, stock: 5 });
  const due = await placeCounterOrder(fixture, item.id, 2);
  const payBy = Date.parse(due.payment.payBy as string);
  assert.ok(payBy > Date.now() + 4 * 60_000 && payBy <= Date.now() + 5 * 60_000, 'pay-by follows the store setting');
  const paid = await placeCounterOrder(fixture, item.id, 1);
  await payAtCounter(server, fixture, paid);
  const started = await placeCounterOrder(fixture, item.id, 1);
  await server.api('POST', `/api/stores/${fixture.storeId}/orders/${started.id}/status`, { token: fixture.ownerToken, body: { status: 'preparing' } });
  assert.equal(await stockOf(item.id), 1);

  // as if the five minutes had passed (the job compares with now)
  const db = server.app.database.db;
  await db
    .updateTable('orders')
    .set({ pay_by: new Date(Date.now() - 1000) })
    .where('id', 'in', [due.id, started.id])
    .execute();
  assert.ok((await server.app.services.payments.expireDue()) >= 1);
  const expired = await server.api('GET', `/api/stores/${fixture.storeId}/orders/${due.id}`, { token: fixture.ownerToken });
  assert.deepEqual([expired.body.status, expired.body.cancelReason], ['cancelled', 'not paid in time']);
  assert.equal(await stockOf(item.id), 3);
  const kept = await server.api('GET', `/api/stores/${fixture.storeId}/orders/${started.id}`, { token: fixture.ownerToken });
  assert.deepEqual([kept.body.status, kept.body.payment.status], ['preparing', 'unpaid'], 'the kitchen started it: the POS settles it');
  assert.equal(await server.app.services.payments.expireDue(), 0, 'nothing twice');
});

test('the kitchen shows an unpaid order only when the store lets it start them, and the paid order at once', async () => {
  const fixture = await storeWithKiosk(server);
  const put = (kitchenStartsUnpaid: boolean) =>
    server.api('PUT', `/api/stores/${fixture.storeId}/payment-settings`, {
      token: fixture.ownerToken,
      body: { kitchenStartsUnpaid, unpaidExpiryMinutes: 30, business: { name: null, registrationNumber: null, address: null, phone: null } },
    });
  assert.equal((await put(false)).status, 200);
  const item = await menuItem(server, fixture.storeId, { price: 1500 });
  const kitchen = await openLive(`${server.url}/api/stores/${fixture.storeId}/kitchen/live`, { token: fixture.ownerToken });
  await kitchen.next((event) => event.event === 'ready', 'ready');
  const tickets = async () =>
    (await server.api('GET', `/api/stores/${fixture.storeId}/kitchen/tickets`, { token: fixture.ownerToken })).body.tickets.map(
      (ticket: { orderId: string; paymentStatus: string }) => `${ticket.orderId} ${ticket.paymentStatus}`,
    );

  const order = await placeCounterOrder(fixture, item.id, 1);
  assert.deepEqual(await tickets(), []);
  await payAtCounter(server, fixture, order);
  const ticket = await kitchen.next((event) => event.event === 'ticket', 'the paid ticket');
  assert.equal(ticket.data.orderId, order.id, 'the unpaid order never reached the kitchen stream');
  assert.equal(ticket.data.paymentStatus, 'paid');
  assert.deepEqual(await tickets(), [`${order.id} paid`]);
  kitchen.close();

  assert.equal((await put(true)).status, 200);
  const startsAtOnce = await placeCounterOrder(fixture, item.id, 1);
  assert.deepEqual(await tickets(), [`${order.id} paid`, `${startsAtOnce.id} unpaid`]);
});

test('payment settings: business details checked, registration number shown 000-00-00000; only the store owner; kiosk orders of the own store only', async () => {
  const fixture = await storeWithKiosk(server);
  const other = await storeWithKiosk(server);
  const path = `/api/stores/${fixture.storeId}/payment-settings`;
  const initial = await server.api('GET', path, { token: fixture.ownerToken });
  assert.deepEqual(initial.body, {
    kitchenStartsUnpaid: true,
    unpaidExpiryMinutes: 30,
    business: { name: null, registrationNumber: null, address: null, phone: null },
  });
  const business = { name: '하늘커피 강남점', registrationNumber: '1248100998', address: '서울특별시 강남구 테헤란로 1', phone: '02-555-1234' };
  const saved = await server.api('PUT', path, { token: fixture.ownerToken, body: { kitchenStartsUnpaid: false, unpaidExpiryMinutes: 15, business } });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));
  assert.equal(saved.body.business.registrationNumber, '124-81-00998');
  assert.deepEqual((await server.api('GET', path, { token: fixture.ownerToken })).body, saved.body);

  const badDigit = await server.api('PUT', path, {
    token: fixture.ownerToken,
    body: { kitchenStartsUnpaid: true, unpaidExpiryMinutes: 30, business: { ...business, registrationNumber: '124-81-00999' } },
  });
  assert.equal(badDigit.status, 400);
  assert.equal(badDigit.body.error.code, 'invalid_registration_number');
  for (const body of [
    { kitchenStartsUnpaid: true, unpaidExpiryMinutes: 4, business },
    { kitchenStartsUnpaid: true, unpaidExpiryMinutes: 1441, business },
    { kitchenStartsUnpaid: true, unpaidExpiryMinutes: 30, business: { ...business, name: 'x'.repeat(61) } },
  ]) {
    const refused = await server.api('PUT', path, { token: fixture.ownerToken, body });
    assert.equal(refused.status, 400, JSON.stringify(body));
  }
  assert.deepEqual((await server.api('GET', path, { token: fixture.ownerToken })).body, saved.body, 'nothing half-written');

  // another store's owner: refused everywhere
  const item = await menuItem(server, fixture.storeId, { price: 1000 });
  const order = await placeCounterOrder(fixture, item.id, 1);
  assert.equal((await server.api('GET', path, { token: other.ownerToken })).status, 403);
  const foreignPay = await server.api('POST', `/api/stores/${fixture.storeId}/orders/${order.id}/payments`, {
    token: other.ownerToken,
    body: { method: 'counter_cash', amount: 1000 },
  });
  assert.equal(foreignPay.status, 403);
  const elsewhere = await server.api('POST', `/api/stores/${other.storeId}/orders/${order.id}/refunds`, {
    token: other.ownerToken,
    body: { amount: 100, reason: 'x' },
  });
  assert.equal(elsewhere.status, 404);

  // the kiosk reads its store's order with its payment; another store's kiosk cannot
  const own = await server.api('GET', `/api/stores/${fixture.storeId}/kiosk-orders/${order.id}`, { token: fixture.kioskToken });
  assert.equal(own.status, 200, JSON.stringify(own.body));
  assert.deepEqual([own.body.order.id, own.body.payment.status], [order.id, 'unpaid']);
  assert.equal((await server.api('GET', `/api/stores/${fixture.storeId}/kiosk-orders/${order.id}`, { token: other.kioskToken })).status, 403);
  assert.equal((await server.api('GET', `/api/stores/${other.storeId}/kiosk-orders/${order.id}`, { token: other.kioskToken })).status, 404);

  // no card terminal at this kiosk (no starter, or no device connected): refused, nothing written
  const count = async () =>
    Number(
      (
        await server.app.database.db
          .selectFrom('orders')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const before = await count();
  const card = await server.api('POST', `/api/stores/${fixture.storeId}/orders`, {
    token: fixture.kioskToken,
    body: { lines: [{ itemId: item.id, quantity: 1 }], paymentMethod: 'card', dining: 'eat_in' },
  });
  assert.equal(card.status, 409);
  assert.equal(card.body.error.code, 'card_terminal_unavailable');
  assert.equal(await count(), before);
});

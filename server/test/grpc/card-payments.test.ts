// Card payment at the kiosk through the real device contract (proto/kiosk.proto), with a test gRPC
// client standing in for the agent: the order is refused without a ready terminal, a Charge goes
// to the device, and each ReportPayment outcome is decided once however often it comes
// (docs/payments.md, "Card at the kiosk"). The real agent and terminal: agent/test/card-payment.test.ts.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { assertGrpcError, type CommandStream, DeviceClient, provisionKiosk, type ProvisionedKiosk } from '../support/device-client.js';
import { menuItem } from '../support/factories.js';
import { type LiveStream, openLive } from '../support/live-events.js';
import { createBrand, signUp, startTestServer, type TestServer } from '../support/test-server.js';

let server: TestServer;
let storeId: string;
let ownerToken: string;
let kiosk: ProvisionedKiosk;
let device: DeviceClient;
let stream: CommandStream;
let live: LiveStream;
const cleanups: Array<() => void> = [];

before(async () => {
  server = await startTestServer({ env: { CARD_TIMEOUT_MS: '5000' } });
  const brand = await createBrand(server);
  const owner = await signUp(server, 'owner', { brandCode: brand.code });
  storeId = owner.profile.store.id;
  ownerToken = owner.accessToken;
  kiosk = await provisionKiosk(server, storeId, ownerToken, 'card kiosk');
  device = new DeviceClient(server.deviceAddress, kiosk);
  live = await openLive(`${server.url}/api/stores/${storeId}/kiosks/${kiosk.kioskId}/live`, { token: kiosk.token });
  await live.next((event) => event.event === 'ready');
  cleanups.push(
    () => live.close(),
    () => device.close(),
  );
});

after(async () => {
  for (const cleanup of cleanups.reverse()) cleanup();
  await server?.close();
});

function placeCard(itemId: string, quantity = 1) {
  return server.api('POST', `/api/stores/${storeId}/orders`, {
    token: kiosk.token,
    body: { lines: [{ itemId, quantity }], paymentMethod: 'card' },
  });
}

async function peripherals() {
  const me = await server.api('GET', '/api/me', { token: kiosk.token });
  assert.equal(me.status, 200, JSON.stringify(me.body));
  return me.body.peripherals;
}

async function orderOf(orderId: string) {
  const order = await server.api('GET', `/api/stores/${storeId}/orders/${orderId}`, { token: ownerToken });
  assert.equal(order.status, 200, JSON.stringify(order.body));
  return order.body;
}

async function salesTotal(): Promise<{ orders: number; total: number }> {
  const rows = await server.app.database.db.selectFrom('daily_sales').select(['order_count', 'total']).where('store_id', '=', storeId).execute();
  return { orders: rows.reduce((sum, row) => sum + row.order_count, 0), total: rows.reduce((sum, row) => sum + row.total, 0) };
}

async function stockOf(itemId: string): Promise<number | null> {
  const row = await server.app.database.db.selectFrom('items').select('stock').where('id', '=', itemId).executeTakeFirstOrThrow();
  return row.stock;
}

/** places a card order and takes the Charge the device receives for it */
async function chargeFor(itemId: string, quantity = 1) {
  const placed = await placeCard(itemId, quantity);
  assert.equal(placed.status, 201, JSON.stringify(placed.body));
  assert.equal(placed.body.payment.status, 'pending');
  const paymentId: string = placed.body.payment.paymentId;
  const command = await stream.next((candidate) => candidate.kind === 'charge' && candidate.charge?.paymentId === paymentId, 'the Charge');
  return { order: placed.body.order, paymentId, charge: command.charge! };
}

test('card is refused until the kiosk agent is connected with a ready terminal; then the profile and the screen say ready', async () => {
  const item = await menuItem(server, storeId, { price: 4500 });
  const refused = await placeCard(item.id);
  assert.equal(refused.status, 409);
  assert.equal(refused.body.error.code, 'card_terminal_unavailable');
  assert.deepEqual(await peripherals(), { cardTerminal: 'none', printer: 'none' });

  stream = device.connect({ hasCardTerminal: true, hasReceiptPrinter: true });
  cleanups.push(() => stream?.cancel());
  await stream.next((command) => command.kind === 'settings', 'the settings');
  // connected, but the terminal has not said it is ready
  assert.deepEqual(await peripherals(), { cardTerminal: 'offline', printer: 'offline' });
  const stillRefused = await placeCard(item.id);
  assert.equal(stillRefused.status, 409);
  assert.equal(stillRefused.body.error.code, 'card_terminal_unavailable');
  assert.equal((await server.app.database.db.selectFrom('orders').select('id').where('store_id', '=', storeId).execute()).length, 0, 'nothing written');

  await device.reportPeripherals({ terminal: 'TERMINAL_READY', printer: 'PRINTER_READY' });
  assert.deepEqual(await peripherals(), { cardTerminal: 'ready', printer: 'ready' });
  const event = await live.next((candidate) => candidate.event === 'peripherals' && candidate.data.cardTerminal === 'ready');
  assert.equal(event.data.printer, 'ready');
});

test("the store's live stream tells the POS when a kiosk's printer runs out of paper and comes back", async () => {
  const pos = await openLive(`${server.url}/api/stores/${storeId}/orders/live`, { token: ownerToken });
  try {
    await pos.next((event) => event.event === 'ready', 'ready');
    const printerOf = (state: string) => (event: { event: string; data: any }) => event.event === 'kiosk.peripherals' && event.data.printer === state;
    await device.reportPeripherals({ terminal: 'TERMINAL_READY', printer: 'PRINTER_PAPER_OUT' });
    const out = await pos.next(printerOf('paper_out'), 'paper out');
    assert.equal(out.data.kioskId, kiosk.kioskId);
    assert.equal(out.data.cardTerminal, 'ready');
    assert.ok(out.data.reportedAt, 'when it was reported');
    await device.reportPeripherals({ terminal: 'TERMINAL_READY', printer: 'PRINTER_READY' });
    await pos.next(printerOf('ready'), 'paper back');
    // another store's owner hears nothing of it
    const other = await signUp(server, 'owner', { brandCode: (await createBrand(server)).code });
    const foreign = await openLive(`${server.url}/api/stores/${storeId}/orders/live`, { token: other.accessToken });
    assert.equal(foreign.status, 403);
  } finally {
    pos.close();
  }
});

test('approved: the order is paid and counted once, the screen hears confirmed with the receipt, and a repeated report changes nothing', async () => {
  const item = await menuItem(server, storeId, { price: 4500, stock: 5 });
  const before = await salesTotal();
  const { order, paymentId, charge } = await chargeFor(item.id, 2);
  assert.equal(charge.amount, 9000);
  assert.equal(charge.orderNumber, order.number);
  assert.equal(charge.cardTimeoutMs, 5000);
  assert.ok(charge.confirmByMs > Date.now(), 'confirm_by lies ahead');
  await live.next((event) => event.event === 'payment' && event.data.paymentId === paymentId && event.data.state === 'waiting_for_card');
  assert.equal(await stockOf(item.id), 3, 'stock held while pending');
  assert.deepEqual(await salesTotal(), before, 'a pending order is not counted');

  const approval = { paymentId, outcome: 'APPROVED' as const, amount: 9000, approvalNumber: '30012345', terminalReference: 'T-1' };
  const [first, concurrent] = await Promise.all([device.reportPayment(approval), device.reportPayment(approval)]);
  assert.deepEqual(first, { action: 'CONFIRMED', orderNumber: order.number, reason: '' });
  assert.deepEqual(concurrent, first, 'the same report at the same moment gets the same decision');
  const again = await device.reportPayment(approval);
  assert.deepEqual(again, first, 'and again later');

  const paid = await orderOf(order.id);
  assert.equal(paid.payment.status, 'paid');
  assert.equal(paid.payment.method, 'kiosk_card');
  assert.equal(paid.payment.approvalNumber, '30012345');
  assert.deepEqual(await salesTotal(), { orders: before.orders + 1, total: before.total + 9000 }, 'counted exactly once');

  const confirmed = await live.next((event) => event.event === 'payment' && event.data.paymentId === paymentId && event.data.state === 'confirmed');
  assert.equal(confirmed.data.orderNumber, order.number);
  assert.match(confirmed.data.receipt.url, /\/receipt/);
  assert.equal(confirmed.data.receipt.print, 'printing');
  assert.equal(live.events.filter((event) => event.event === 'payment' && event.data.state === 'confirmed' && event.data.paymentId === paymentId).length, 1);
  const print = await stream.next((command) => command.kind === 'printReceipt', 'the PrintReceipt');
  assert.ok(
    print.printReceipt!.lines.some((line) => line.text.includes(String(order.number))),
    'the receipt names the order number',
  );
  assert.equal(stream.commands.filter((command) => command.kind === 'printReceipt').length, 1, 'printed once');
});

test('declined, timed out, card removed: the order is cancelled, its stock back, nothing counted; the screen hears why', async () => {
  const item = await menuItem(server, storeId, { price: 3000, stock: 4 });
  const before = await salesTotal();
  for (const [outcome, state] of [
    ['DECLINED', 'declined'],
    ['TIMED_OUT', 'timed_out'],
    ['CARD_REMOVED', 'card_removed'],
  ] as const) {
    const { order, paymentId } = await chargeFor(item.id);
    assert.equal(await stockOf(item.id), 3);
    const report = { paymentId, outcome, amount: 3000, message: outcome === 'DECLINED' ? '한도 초과' : '' };
    assert.equal((await device.reportPayment(report)).action, 'ACKNOWLEDGED');
    assert.equal((await device.reportPayment(report)).action, 'ACKNOWLEDGED', 'a repeat is answered the same');
    const cancelled = await orderOf(order.id);
    assert.equal(cancelled.status, 'cancelled');
    assert.notEqual(cancelled.payment.status, 'paid');
    assert.equal(await stockOf(item.id), 4, `${outcome}: stock back`);
    const event = await live.next((candidate) => candidate.event === 'payment' && candidate.data.paymentId === paymentId && candidate.data.state === state);
    if (outcome === 'DECLINED') assert.equal(event.data.reason, '한도 초과');
    // a late approval of a declined charge is not an order
    const late = await device.reportPayment({ paymentId, outcome: 'APPROVED', amount: 3000, approvalNumber: '1' });
    assert.equal(late.action, 'VOID');
  }
  assert.deepEqual(await salesTotal(), before);
});

test('the customer gives up: VoidPayment goes to the device, the order is cancelled, a late approval is voided', async () => {
  const item = await menuItem(server, storeId, { price: 2500, stock: 2 });
  const { order, paymentId } = await chargeFor(item.id);
  const path = `/api/stores/${storeId}/kiosk-orders/${order.id}/payment/cancel`;
  const cancelled = await server.api('POST', path, { token: kiosk.token });
  assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
  assert.deepEqual(cancelled.body, { orderId: order.id, paymentId, state: 'void_requested' });
  const again = await server.api('POST', path, { token: kiosk.token });
  assert.deepEqual(again.body, cancelled.body, 'asking again answers the same');
  const voidCommand = await stream.next((command) => command.kind === 'voidPayment' && command.voidPayment?.paymentId === paymentId, 'the VoidPayment');
  assert.equal(voidCommand.voidPayment!.reason, 'customer_cancelled');
  assert.equal(stream.commands.filter((command) => command.kind === 'voidPayment' && command.voidPayment?.paymentId === paymentId).length, 1);
  assert.equal((await orderOf(order.id)).status, 'cancelled');
  assert.equal(await stockOf(item.id), 2);

  const late = await device.reportPayment({ paymentId, outcome: 'APPROVED', amount: 2500, approvalNumber: '777' });
  assert.deepEqual(late, { action: 'VOID', orderNumber: order.number, reason: 'customer_cancelled' });
  assert.equal((await device.reportPayment({ paymentId, outcome: 'VOIDED', amount: 2500 })).action, 'ACKNOWLEDGED');
  await live.next((event) => event.event === 'payment' && event.data.paymentId === paymentId && event.data.state === 'voided');
  assert.notEqual((await orderOf(order.id)).payment.status, 'paid');

  // another kiosk of the store cannot cancel it
  const other = await provisionKiosk(server, storeId, ownerToken, 'other kiosk');
  const foreign = await server.api('POST', path, { token: other.token });
  assert.equal(foreign.status, 404);
  assert.equal(foreign.body.error.code, 'payment_not_found');
});

test('an approval of another amount is voided; a confirmed charge voided after all leaves the sales figures', async () => {
  const item = await menuItem(server, storeId, { price: 5000, stock: 3 });
  const mismatch = await chargeFor(item.id);
  const wrong = await device.reportPayment({ paymentId: mismatch.paymentId, outcome: 'APPROVED', amount: 500, approvalNumber: '9' });
  assert.deepEqual(wrong, { action: 'VOID', orderNumber: mismatch.order.number, reason: 'amount_mismatch' });
  assert.equal((await orderOf(mismatch.order.id)).status, 'cancelled');
  assert.equal((await device.reportPayment({ paymentId: mismatch.paymentId, outcome: 'VOIDED', amount: 500 })).action, 'ACKNOWLEDGED');

  const before = await salesTotal();
  const { order, paymentId } = await chargeFor(item.id);
  assert.equal((await device.reportPayment({ paymentId, outcome: 'APPROVED', amount: 5000, approvalNumber: '42' })).action, 'CONFIRMED');
  assert.equal((await salesTotal()).total, before.total + 5000);
  // the agent never heard CONFIRMED, passed confirm_by and voided the charge itself
  assert.equal((await device.reportPayment({ paymentId, outcome: 'VOIDED', amount: 5000, approvalNumber: '42' })).action, 'ACKNOWLEDGED');
  assert.equal((await device.reportPayment({ paymentId, outcome: 'VOIDED', amount: 5000, approvalNumber: '42' })).action, 'ACKNOWLEDGED');
  const reversed = await orderOf(order.id);
  assert.equal(reversed.status, 'cancelled');
  assert.deepEqual(await salesTotal(), before, 'out of the sales figures, once');
  assert.equal(await stockOf(item.id), 3);
  // and an approval reported after that is not an order again
  assert.equal((await device.reportPayment({ paymentId, outcome: 'APPROVED', amount: 5000, approvalNumber: '42' })).action, 'VOID');
});

test("the owner refunds a kiosk-card order: RefundPayment goes to the kiosk's terminal, its answer settles the refund", async () => {
  const item = await menuItem(server, storeId, { price: 8000 });
  const { order, paymentId } = await chargeFor(item.id);
  assert.equal((await device.reportPayment({ paymentId, outcome: 'APPROVED', amount: 8000, approvalNumber: '55501234' })).action, 'CONFIRMED');
  const refunded = await server.api('POST', `/api/stores/${storeId}/orders/${order.id}/refunds`, {
    token: ownerToken,
    headers: { 'idempotency-key': `refund-${order.id}` },
    body: { amount: 3000, reason: '음료 불량' },
  });
  assert.equal(refunded.status, 201, JSON.stringify(refunded.body));
  const refundId: string = refunded.body.refund.id;
  assert.equal(refunded.body.refund.state, 'pending', 'until the terminal answers');
  const command = await stream.next((candidate) => candidate.kind === 'refundPayment' && candidate.refundPayment?.refundId === refundId, 'the RefundPayment');
  assert.deepEqual(command.refundPayment, { refundId, paymentId, approvalNumber: '55501234', amount: 3000 });
  const answer = { paymentId: refundId, outcome: 'REFUNDED' as const, amount: 3000, terminalReference: 'R-1' };
  assert.equal((await device.reportPayment(answer)).action, 'ACKNOWLEDGED');
  assert.equal((await device.reportPayment(answer)).action, 'ACKNOWLEDGED');
  const refunds = await server.api('GET', `/api/stores/${storeId}/orders/${order.id}/refunds`, { token: ownerToken });
  assert.deepEqual(
    refunds.body.refunds.map((refund: { id: string; state: string }) => [refund.id, refund.state]),
    [[refundId, 'done']],
  );
});

test('the owner cancels a card order still being paid: VoidPayment goes to the device at once, the screen hears cancelled, a late approval is voided', async () => {
  const item = await menuItem(server, storeId, { price: 3500, stock: 1 });
  const { order, paymentId } = await chargeFor(item.id);
  const cancelled = await server.api('POST', `/api/stores/${storeId}/orders/${order.id}/cancel`, { token: ownerToken, body: { reason: '손님이 떠났어요' } });
  assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
  assert.equal(cancelled.body.status, 'cancelled');
  const voidCommand = await stream.next((command) => command.kind === 'voidPayment' && command.voidPayment?.paymentId === paymentId, 'the VoidPayment');
  assert.equal(voidCommand.voidPayment!.reason, 'order_cancelled');
  await live.next((event) => event.event === 'payment' && event.data.paymentId === paymentId && event.data.state === 'cancelled', 'cancelled on the screen');
  assert.equal(await stockOf(item.id), 1);
  const late = await device.reportPayment({ paymentId, outcome: 'APPROVED', amount: 3500, approvalNumber: '5151' });
  assert.deepEqual(late, { action: 'VOID', orderNumber: order.number, reason: 'order_cancelled' });
  assert.equal((await device.reportPayment({ paymentId, outcome: 'VOIDED', amount: 3500 })).action, 'ACKNOWLEDGED');
  assert.notEqual((await orderOf(order.id)).payment.status, 'paid');
});

test('a pending card order past its pay-by time expires: VoidPayment goes to the device, a late approval is voided', async () => {
  const item = await menuItem(server, storeId, { price: 4000, stock: 1 });
  const { order, paymentId } = await chargeFor(item.id);
  // as if PENDING_PAYMENT_MINUTES had passed without an answer from the terminal
  await server.app.database.db
    .updateTable('orders')
    .set({ pay_by: new Date(Date.now() - 1_000) })
    .where('id', '=', order.id)
    .execute();
  assert.ok((await server.app.services.payments.expireDue()) >= 1);
  const voidCommand = await stream.next((command) => command.kind === 'voidPayment' && command.voidPayment?.paymentId === paymentId, 'the VoidPayment');
  assert.equal(voidCommand.voidPayment!.reason, 'order_expired');
  assert.equal((await orderOf(order.id)).status, 'cancelled');
  assert.equal(await stockOf(item.id), 1);
  const late = await device.reportPayment({ paymentId, outcome: 'APPROVED', amount: 4000, approvalNumber: '6060' });
  assert.equal(late.action, 'VOID');
  assert.equal((await device.reportPayment({ paymentId, outcome: 'VOIDED', amount: 4000 })).action, 'ACKNOWLEDGED');
  assert.notEqual((await orderOf(order.id)).payment.status, 'paid');
});

test('a void and a refund the agent missed while away are sent again when it reconnects', async () => {
  const item = await menuItem(server, storeId, { price: 7000 });
  const cancelled = await chargeFor(item.id);
  const cancel = await server.api('POST', `/api/stores/${storeId}/kiosk-orders/${cancelled.order.id}/payment/cancel`, { token: kiosk.token });
  assert.equal(cancel.status, 200);
  const paid = await chargeFor(item.id);
  assert.equal((await device.reportPayment({ paymentId: paid.paymentId, outcome: 'APPROVED', amount: 7000, approvalNumber: '8080' })).action, 'CONFIRMED');
  const refund = await server.api('POST', `/api/stores/${storeId}/orders/${paid.order.id}/refunds`, {
    token: ownerToken,
    headers: { 'idempotency-key': `refund-${paid.order.id}` },
    body: { amount: 7000, reason: '주문 실수' },
  });
  assert.equal(refund.status, 201, JSON.stringify(refund.body));

  // the stream drops before the agent acted on either; the new stream gets them again
  stream.cancel();
  stream = device.connect({ hasCardTerminal: true, hasReceiptPrinter: true });
  const voidAgain = await stream.next(
    (command) => command.kind === 'voidPayment' && command.voidPayment?.paymentId === cancelled.paymentId,
    'the VoidPayment again',
  );
  assert.deepEqual(voidAgain.voidPayment, { paymentId: cancelled.paymentId, reason: 'customer_cancelled' });
  const refundAgain = await stream.next(
    (command) => command.kind === 'refundPayment' && command.refundPayment?.refundId === refund.body.refund.id,
    'the RefundPayment again',
  );
  assert.equal(refundAgain.refundPayment!.amount, 7000);
  await device.reportPeripherals({ terminal: 'TERMINAL_READY', printer: 'PRINTER_READY' });

  // once answered, a later reconnect has nothing to send
  await device.reportPayment({ paymentId: cancelled.paymentId, outcome: 'VOIDED', amount: 7000 });
  await device.reportPayment({ paymentId: refund.body.refund.id, outcome: 'REFUNDED', amount: 7000, terminalReference: 'R-2' });
  stream.cancel();
  stream = device.connect({ hasCardTerminal: true, hasReceiptPrinter: true });
  await stream.next((command) => command.kind === 'settings', 'the settings');
  await device.reportPeripherals({ terminal: 'TERMINAL_READY', printer: 'PRINTER_READY' });
  assert.deepEqual(
    stream.commands.filter((command) => command.kind !== 'settings').map((command) => command.kind),
    [],
  );
});

test("reports for unknown or another kiosk's payments are refused; bad reports change nothing", async () => {
  const item = await menuItem(server, storeId, { price: 1000 });
  const { paymentId } = await chargeFor(item.id);
  await assertGrpcError(
    device.reportPayment({ paymentId: '00000000-0000-4000-8000-000000000000', outcome: 'APPROVED', amount: 1000 }),
    grpc.status.NOT_FOUND,
    'payment_not_found',
  );
  const other = await provisionKiosk(server, storeId, ownerToken, 'neighbour');
  const neighbour = new DeviceClient(server.deviceAddress, other);
  cleanups.push(() => neighbour.close());
  await assertGrpcError(neighbour.reportPayment({ paymentId, outcome: 'APPROVED', amount: 1000 }), grpc.status.NOT_FOUND, 'payment_not_found');
  await assertGrpcError(
    device.reportPayment({ paymentId: 'not-a-uuid', outcome: 'APPROVED', amount: 1000 }),
    grpc.status.INVALID_ARGUMENT,
    'invalid_payment_id',
  );
  const attempt = await server.app.database.db.selectFrom('payment_attempts').select('state').where('id', '=', paymentId).executeTakeFirstOrThrow();
  assert.equal(attempt.state, 'requested');
});

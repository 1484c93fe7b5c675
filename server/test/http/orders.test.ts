import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { menuItem, payAtCounter, storeWithKiosk, type StoreFixture } from '../support/factories.js';
import { openLive } from '../support/live-events.js';
import { createPostgresDatabase, roomyLimits, startTestServer, usingServers, type TestServer } from '../support/test-server.js';

let server: TestServer;
let store: StoreFixture;
before(async () => {
  server = await startTestServer();
  store = await storeWithKiosk(server);
});
after(() => server.close());

function order(body: unknown, options: { key?: string; token?: string; storeId?: string } = {}) {
  return server.api('POST', `/api/stores/${options.storeId ?? store.storeId}/orders`, {
    token: 'token' in options ? options.token : store.kioskToken,
    body,
    headers: options.key ? { 'idempotency-key': options.key } : {},
  });
}

async function stockOf(itemId: string) {
  return server.app.database.db.selectFrom('items').select(['stock', 'sold_out']).where('id', '=', itemId).executeTakeFirstOrThrow();
}

let phoneNumber = 0;
/** a member registered at the store's kiosk as a customer does it (face analysis held, then phone and consent) */
async function member(fixture: StoreFixture = store): Promise<string> {
  const face = Float32Array.from({ length: 128 }, (_, index) => Math.sin(index + phoneNumber));
  const analysisId = await server.app.services.customers.holdAnalysis({
    kioskId: fixture.kioskId,
    storeId: fixture.storeId,
    embedding: face,
    age: 40,
    gender: null,
  });
  phoneNumber += 1;
  const response = await server.api('POST', `/api/stores/${fixture.storeId}/customers`, {
    token: fixture.kioskToken,
    body: { analysisId, phone: `010-7000-${String(phoneNumber).padStart(4, '0')}`, consent: { accepted: true, version: 'face-2025-01' } },
  });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body.customerId;
}

async function orderCount(storeId = store.storeId) {
  const row = await server.app.database.db
    .selectFrom('orders')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('store_id', '=', storeId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('placing an order', () => {
  test('the server prices the order from the menu, with options, and numbers it for the day', async () => {
    const latte = await menuItem(server, store.storeId, {
      name: '카페라떼',
      price: 5000,
      groups: [
        {
          name: '사이즈',
          kind: 'single',
          required: true,
          options: [
            { name: 'Tall', priceDelta: 0 },
            { name: 'Grande', priceDelta: 500 },
          ],
        },
        {
          name: '추가',
          kind: 'multiple',
          options: [
            { name: '샷 추가', priceDelta: 600 },
            { name: '시럽', priceDelta: 300 },
          ],
        },
      ],
    });
    const first = await order({
      lines: [{ itemId: latte.id, quantity: 2, optionIds: [latte.options.Grande!, latte.options['샷 추가']!, latte.options.시럽!] }],
      paymentMethod: 'counter',
    });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.order.total, 2 * (5000 + 500 + 600 + 300));
    assert.equal(first.body.order.status, 'placed');
    assert.equal(first.body.payment.status, 'unpaid');
    assert.equal(first.body.order.payment.status, 'unpaid');
    assert.ok(Date.parse(first.body.payment.payBy) > Date.now() + 25 * 60_000, 'an unpaid counter order expires after the store default (30 min)');
    assert.deepEqual(
      first.body.order.lines[0].options.map((o: { name: string }) => o.name),
      ['Grande', '샷 추가', '시럽'],
    );
    const second = await order({ lines: [{ itemId: latte.id, quantity: 1, optionIds: [latte.options.Tall!] }], paymentMethod: 'counter' });
    assert.equal(second.body.order.number, first.body.order.number + 1);
  });

  test('a price the menu changed since the cart was shown is refused, not charged', async () => {
    const item = await menuItem(server, store.storeId, { price: 3000 });
    const changed = await order({ lines: [{ itemId: item.id, quantity: 1 }], paymentMethod: 'counter', expectedTotal: 2500 });
    assert.equal(changed.status, 409);
    assert.equal(changed.body.error.code, 'price_changed');
    assert.equal(changed.body.error.details.total, 3000);
    const tampered = await order({ lines: [{ itemId: item.id, quantity: 1, unitPrice: 1 }], paymentMethod: 'counter' });
    assert.equal(tampered.status, 400);
    assert.equal(tampered.body.error.code, 'validation_failed');
  });

  test('bad orders get a clear error and change nothing', async () => {
    const other = await storeWithKiosk(server, store.brand);
    const item = await menuItem(server, store.storeId, {
      stock: 5,
      groups: [
        {
          name: '온도',
          kind: 'single',
          required: true,
          options: [
            { name: 'HOT', priceDelta: 0 },
            { name: 'ICE', priceDelta: 0 },
          ],
        },
      ],
    });
    const plain = await menuItem(server, store.storeId, {});
    const hidden = await menuItem(server, store.storeId, { shownOnKiosk: false });
    const soldOut = await menuItem(server, store.storeId, { soldOut: true });
    const foreign = await menuItem(server, other.storeId, {});
    const before = { orders: await orderCount(), stock: await stockOf(item.id) };
    const hot = item.options.HOT!;
    const cases: Array<[unknown, number, string]> = [
      [{ lines: [{ itemId: item.id, quantity: 0, optionIds: [hot] }], paymentMethod: 'counter' }, 400, 'validation_failed'],
      [{ lines: [{ itemId: item.id, quantity: -1, optionIds: [hot] }], paymentMethod: 'counter' }, 400, 'validation_failed'],
      [{ lines: [{ itemId: item.id, quantity: 100, optionIds: [hot] }], paymentMethod: 'counter' }, 400, 'validation_failed'],
      [{ lines: [{ itemId: item.id, quantity: 1.5, optionIds: [hot] }], paymentMethod: 'counter' }, 400, 'validation_failed'],
      [{ lines: [], paymentMethod: 'counter' }, 400, 'validation_failed'],
      [{ lines: [{ itemId: item.id, quantity: 1, optionIds: [hot] }], paymentMethod: 'bitcoin' }, 400, 'validation_failed'],
      [{ lines: [{ itemId: '00000000-0000-4000-8000-000000000000', quantity: 1 }], paymentMethod: 'counter' }, 400, 'unknown_item'],
      [{ lines: [{ itemId: foreign.id, quantity: 1 }], paymentMethod: 'counter' }, 400, 'unknown_item'],
      [{ lines: [{ itemId: hidden.id, quantity: 1 }], paymentMethod: 'counter' }, 409, 'item_not_available'],
      [{ lines: [{ itemId: soldOut.id, quantity: 1 }], paymentMethod: 'counter' }, 409, 'sold_out'],
      [{ lines: [{ itemId: item.id, quantity: 6, optionIds: [hot] }], paymentMethod: 'counter' }, 409, 'sold_out'],
      [{ lines: [{ itemId: item.id, quantity: 1 }], paymentMethod: 'counter' }, 400, 'option_required'],
      [{ lines: [{ itemId: item.id, quantity: 1, optionIds: [hot, item.options.ICE!] }], paymentMethod: 'counter' }, 400, 'too_many_options'],
      [{ lines: [{ itemId: plain.id, quantity: 1, optionIds: [hot] }], paymentMethod: 'counter' }, 400, 'unknown_option'],
      // a valid line first, then a bad one: the whole order is refused, the first line's stock untouched
      [
        {
          lines: [
            { itemId: item.id, quantity: 2, optionIds: [hot] },
            { itemId: soldOut.id, quantity: 1 },
          ],
          paymentMethod: 'counter',
        },
        409,
        'sold_out',
      ],
    ];
    for (const [body, status, code] of cases) {
      const response = await order(body);
      assert.equal(response.status, status, `${JSON.stringify(body)} -> ${JSON.stringify(response.body)}`);
      assert.equal(response.body.error.code, code);
      assert.ok(response.body.error.message.length > 0);
    }
    assert.equal(await orderCount(), before.orders);
    assert.deepEqual(await stockOf(item.id), before.stock);
  });

  test('an order for a customer who is no member of this store is refused, and nothing is written', async () => {
    const neighbour = await storeWithKiosk(server, store.brand);
    const theirs = await member(neighbour);
    const item = await menuItem(server, store.storeId, { stock: 3 });
    const before = { orders: await orderCount(), stock: await stockOf(item.id) };
    for (const customerId of ['0f1e2d3c-4b5a-4697-8877-665544332211', theirs]) {
      const response = await order({ lines: [{ itemId: item.id, quantity: 1 }], paymentMethod: 'counter', customerId }, { key: `unknown-${customerId}` });
      assert.equal(response.status, 400, JSON.stringify(response.body));
      assert.equal(response.body.error.code, 'unknown_customer');
      assert.match(response.body.error.message, /member/);
      assert.equal(response.body.error.details.customerId, customerId);
    }
    assert.equal(await orderCount(), before.orders);
    assert.deepEqual(await stockOf(item.id), before.stock);

    // the member's own store takes it; deleting the member keeps the order, unlinked
    const mine = await member();
    const placed = await order({ lines: [{ itemId: item.id, quantity: 1 }], paymentMethod: 'counter', customerId: mine });
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    assert.equal(placed.body.order.customerId, mine);
    assert.equal((await server.api('DELETE', `/api/stores/${store.storeId}/customers/${mine}`, { token: store.ownerToken })).status, 204);
    const kept = await server.api('GET', `/api/stores/${store.storeId}/orders/${placed.body.order.id}`, { token: store.ownerToken });
    assert.equal(kept.body.customerId, null);
    const again = await order({ lines: [{ itemId: item.id, quantity: 1 }], paymentMethod: 'counter', customerId: mine });
    assert.equal(again.body.error.code, 'unknown_customer', 'a deleted member is no longer one');
  });

  test('only the store’s own kiosk may order, and not for another store', async () => {
    const other = await storeWithKiosk(server, store.brand);
    const item = await menuItem(server, store.storeId, {});
    const body = { lines: [{ itemId: item.id, quantity: 1 }], paymentMethod: 'counter' };
    assert.equal((await order(body, { token: other.kioskToken })).body.error.code, 'forbidden_store');
    assert.equal((await order(body, { token: store.ownerToken })).body.error.code, 'forbidden_role');
    assert.equal((await order(body, { token: undefined })).status, 401);
  });
});

describe('concurrency', () => {
  test('parallel orders for the last K units: exactly K succeed, the rest are sold out, stock ends at 0', async () => {
    const K = 5;
    const item = await menuItem(server, store.storeId, { stock: K });
    const responses = await Promise.all(Array.from({ length: 20 }, () => order({ lines: [{ itemId: item.id, quantity: 1 }], paymentMethod: 'counter' })));
    assert.equal(responses.filter((r) => r.status === 201).length, K);
    const refused = responses.filter((r) => r.status !== 201);
    assert.equal(refused.length, 20 - K);
    for (const response of refused) assert.equal(response.body.error.code, 'sold_out');
    assert.deepEqual(await stockOf(item.id), { stock: 0, sold_out: true });
  });

  test('the same Idempotency-Key sent in parallel yields one order', async () => {
    const item = await menuItem(server, store.storeId, { stock: 50 });
    const body = { lines: [{ itemId: item.id, quantity: 1 }], paymentMethod: 'counter' };
    const key = `retry-${Math.random()}`;
    const before = await orderCount();
    const responses = await Promise.all(Array.from({ length: 10 }, () => order(body, { key })));
    const ids = new Set(responses.map((r) => r.body.order?.id));
    assert.equal(ids.size, 1, JSON.stringify(responses.map((r) => r.body)));
    assert.equal(responses.filter((r) => r.status === 201).length, 1);
    assert.equal(responses.filter((r) => r.status === 200).length, 9);
    assert.equal(await orderCount(), before + 1);
    assert.equal((await stockOf(item.id)).stock, 49);
    const reused = await order({ ...body, lines: [{ itemId: item.id, quantity: 2 }] }, { key });
    assert.equal(reused.status, 409);
    assert.equal(reused.body.error.code, 'idempotency_key_reused');
  });
});

describe('after the order', () => {
  test('statuses only move forward; a cancellation restores stock and corrects the sales', async () => {
    const item = await menuItem(server, store.storeId, { price: 4000, stock: 3 });
    const placed = await order({ lines: [{ itemId: item.id, quantity: 3 }], paymentMethod: 'counter' });
    await payAtCounter(server, store, placed.body.order);
    const id = placed.body.order.id;
    const day = placed.body.order.localDate;
    const path = `/api/stores/${store.storeId}/orders/${id}`;
    assert.deepEqual(await stockOf(item.id), { stock: 0, sold_out: true });
    const salesBefore = await server.api('GET', `/api/stores/${store.storeId}/sales?from=${day}&to=${day}`, { token: store.ownerToken });

    for (const status of ['preparing', 'ready']) {
      const moved = await server.api('POST', `${path}/status`, { token: store.ownerToken, body: { status } });
      assert.equal(moved.status, 200);
      assert.equal(moved.body.status, status);
    }
    const back = await server.api('POST', `${path}/status`, { token: store.ownerToken, body: { status: 'preparing' } });
    assert.equal(back.status, 409);
    assert.equal(back.body.error.code, 'invalid_status_transition');
    assert.deepEqual(back.body.error.details, { from: 'ready', to: 'preparing' });

    const noReason = await server.api('POST', `${path}/cancel`, { token: store.ownerToken, body: { reason: '' } });
    assert.equal(noReason.status, 400);
    const cancelled = await server.api('POST', `${path}/cancel`, { token: store.ownerToken, body: { reason: '고객 요청' } });
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.status, 'cancelled');
    assert.deepEqual([cancelled.body.payment.status, cancelled.body.payment.refundedAmount], ['refunded', 12000], 'a paid order cancelled is refunded in full');
    assert.equal(cancelled.body.cancelReason, '고객 요청');
    assert.deepEqual(await stockOf(item.id), { stock: 3, sold_out: false });
    const salesAfter = await server.api('GET', `/api/stores/${store.storeId}/sales?from=${day}&to=${day}`, { token: store.ownerToken });
    assert.equal(salesAfter.body.buckets[0].total, salesBefore.body.buckets[0].total - 12000);
    assert.equal(salesAfter.body.buckets[0].orderCount, salesBefore.body.buckets[0].orderCount - 1);

    const twice = await server.api('POST', `${path}/cancel`, { token: store.ownerToken, body: { reason: 'again' } });
    assert.equal(twice.status, 409);
    assert.equal(twice.body.error.code, 'already_cancelled');
    const afterCancel = await server.api('POST', `${path}/status`, { token: store.ownerToken, body: { status: 'completed' } });
    assert.equal(afterCancel.body.error.code, 'invalid_status_transition');
  });

  test('a picked-up (completed) order cannot be cancelled: 409 order_completed, stock and sales untouched', async () => {
    const item = await menuItem(server, store.storeId, { price: 3000, stock: 5 });
    const placed = await order({ lines: [{ itemId: item.id, quantity: 2 }], paymentMethod: 'counter' });
    const path = `/api/stores/${store.storeId}/orders/${placed.body.order.id}`;
    const done = await server.api('POST', `${path}/status`, { token: store.ownerToken, body: { status: 'completed' } });
    assert.equal(done.status, 200);
    const refused = await server.api('POST', `${path}/cancel`, { token: store.ownerToken, body: { reason: '고객 요청' } });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'order_completed');
    assert.deepEqual(await stockOf(item.id), { stock: 3, sold_out: false });
    const still = await server.api('GET', path, { token: store.ownerToken });
    assert.equal(still.body.status, 'completed');
  });

  test('the owner lists orders by range, status and page; other stores and kiosks may not', async () => {
    const fresh = await storeWithKiosk(server, store.brand);
    const item = await menuItem(server, fresh.storeId, { price: 1000 });
    for (let i = 0; i < 5; i++) {
      await order({ lines: [{ itemId: item.id, quantity: i + 1 }], paymentMethod: 'counter' }, { token: fresh.kioskToken, storeId: fresh.storeId });
    }
    const today = (await server.api('GET', `/api/stores/${fresh.storeId}/orders/first-date`, { token: fresh.ownerToken })).body.firstDate;
    const base = `/api/stores/${fresh.storeId}/orders?from=${today}&to=${today}`;
    const page1 = await server.api('GET', `${base}&pageSize=2`, { token: fresh.ownerToken });
    assert.equal(page1.status, 200);
    assert.equal(page1.body.total, 5);
    assert.equal(page1.body.orders.length, 2);
    assert.equal(page1.body.orders[0].lines[0].quantity, 5, 'newest first');
    const page3 = await server.api('GET', `${base}&pageSize=2&page=3`, { token: fresh.ownerToken });
    assert.equal(page3.body.orders.length, 1);
    const cancelled = await server.api('GET', `${base}&status=cancelled`, { token: fresh.ownerToken });
    assert.equal(cancelled.body.total, 0);

    const reversed = await server.api('GET', `/api/stores/${fresh.storeId}/orders?from=2026-02-01&to=2026-01-01`, { token: fresh.ownerToken });
    assert.equal(reversed.body.error.code, 'invalid_range');
    const tooLong = await server.api('GET', `/api/stores/${fresh.storeId}/orders?from=2020-01-01&to=2026-01-01`, { token: fresh.ownerToken });
    assert.equal(tooLong.body.error.code, 'range_too_long');
    const badDate = await server.api('GET', `/api/stores/${fresh.storeId}/orders?from=yesterday&to=2026-01-01`, { token: fresh.ownerToken });
    assert.equal(badDate.body.error.code, 'validation_failed');
    assert.equal((await server.api('GET', base, { token: store.ownerToken })).body.error.code, 'forbidden_store');
    assert.equal((await server.api('GET', base, { token: fresh.kioskToken })).body.error.code, 'forbidden_role');
  });

  test('new orders and status changes arrive live on the POS stream', async () => {
    const item = await menuItem(server, store.storeId, {});
    const controller = new AbortController();
    const response = await fetch(`${server.url}/api/stores/${store.storeId}/orders/live?access_token=${store.ownerToken}`, { signal: controller.signal });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /text\/event-stream/);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (pattern: RegExp) => {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${pattern}`);
        text += decoder.decode(value);
      }
    };
    await readUntil(/event: ready/);
    const placed = await order({ lines: [{ itemId: item.id, quantity: 1 }], paymentMethod: 'counter' });
    await readUntil(/event: order\.placed/);
    assert.ok(text.includes(placed.body.order.id));
    await server.api('POST', `/api/stores/${store.storeId}/orders/${placed.body.order.id}/status`, { token: store.ownerToken, body: { status: 'preparing' } });
    await readUntil(/event: order\.updated[\s\S]*preparing/);
    controller.abort();

    const otherOwner = (await storeWithKiosk(server, store.brand)).ownerToken;
    const refused = await fetch(`${server.url}/api/stores/${store.storeId}/orders/live?access_token=${otherOwner}`);
    assert.equal(refused.status, 403);
  });

  test('orders placed while the POS stream is disconnected arrive on reconnect, with Last-Event-ID or ?lastEventId=', async () => {
    const item = await menuItem(server, store.storeId, {});
    const liveUrl = `${server.url}/api/stores/${store.storeId}/orders/live`;
    const first = await openLive(liveUrl, { token: store.ownerToken });
    await first.next((event) => event.event === 'ready', 'ready');
    const seen = await order({ lines: [{ itemId: item.id, quantity: 1 }], paymentMethod: 'counter' });
    const last = await first.next((event) => event.event === 'order.placed' && event.data.id === seen.body.order.id, 'the first order');
    assert.match(last.id ?? '', /^\d+$/, 'order events carry an id');
    first.close();

    // the POS is away: orders and a status change happen meanwhile
    const missed: string[] = [];
    for (let i = 0; i < 6; i++) missed.push((await order({ lines: [{ itemId: item.id, quantity: 1 }], paymentMethod: 'counter' })).body.order.id);
    await server.api('POST', `/api/stores/${store.storeId}/orders/${missed[0]}/status`, { token: store.ownerToken, body: { status: 'preparing' } });

    // the browser reconnects with Last-Event-ID: everything missed, once, in order, before `ready`
    const resumed = await openLive(liveUrl, { token: store.ownerToken, lastEventId: last.id });
    await resumed.next((event) => event.event === 'ready', 'ready');
    const replayed = resumed.events.filter((event) => event.event !== 'ready');
    assert.deepEqual(
      replayed.map((event) => `${event.event} ${event.data.id}`),
      [...missed.map((id) => `order.placed ${id}`), `order.updated ${missed[0]}`],
    );
    const ids = replayed.map((event) => Number(event.id));
    for (let i = 1; i < ids.length; i++) assert.ok(ids[i]! > ids[i - 1]!, `ids increase: ${ids.join(', ')}`);
    resumed.close();

    // a page that opens a new stream itself (a fresh token) says where it was in the query
    const reopened = await openLive(`${liveUrl}?lastEventId=${replayed[2]!.id}`, { token: store.ownerToken });
    await reopened.next((event) => event.event === 'ready', 'ready');
    assert.deepEqual(
      reopened.events.filter((event) => event.event !== 'ready').map((event) => event.id),
      replayed.slice(3).map((event) => event.id),
    );
    // and new orders follow the replay
    const after = await order({ lines: [{ itemId: item.id, quantity: 1 }], paymentMethod: 'counter' });
    await reopened.next((event) => event.event === 'order.placed' && event.data.id === after.body.order.id, 'the new order');
    reopened.close();

    // without an id nothing old is replayed
    const fresh = await openLive(liveUrl, { token: store.ownerToken });
    await fresh.next((event) => event.event === 'ready', 'ready');
    assert.deepEqual(
      fresh.events.map((event) => event.event),
      ['ready'],
    );
    fresh.close();
  });

  test('a retried order is announced again while it waits (its first instance may have died before telling the POS), not once it is being prepared', async () => {
    const item = await menuItem(server, store.storeId, {});
    const pos = await openLive(`${server.url}/api/stores/${store.storeId}/orders/live`, { token: store.ownerToken });
    await pos.next((event) => event.event === 'ready', 'ready');
    const body = { lines: [{ itemId: item.id, quantity: 1 }], paymentMethod: 'counter' };
    const key = `retried-${Date.now()}`;
    const first = await order(body, { key });
    const placedEvents = () => pos.events.filter((event) => event.event === 'order.placed' && event.data.id === first.body.order.id);
    await pos.next((event) => event.event === 'order.placed' && event.data.id === first.body.order.id, 'the order');
    const retried = await order(body, { key });
    assert.equal(retried.status, 200);
    assert.equal(retried.body.order.id, first.body.order.id);
    await pos.next(() => placedEvents().length === 2, 'the order announced again');

    await server.api('POST', `/api/stores/${store.storeId}/orders/${first.body.order.id}/status`, { token: store.ownerToken, body: { status: 'preparing' } });
    await pos.next((event) => event.event === 'order.updated' && event.data.id === first.body.order.id, 'preparing');
    assert.equal((await order(body, { key })).status, 200);
    // a later order shows that the stream moved on without announcing the one being prepared
    const later = await order(body);
    await pos.next((event) => event.event === 'order.placed' && event.data.id === later.body.order.id, 'a later order');
    assert.equal(placedEvents().length, 2);
    pos.close();
  });

  test('a category whose deleted item was ordered can still be deleted; the order keeps its line', async () => {
    const fixture = await storeWithKiosk(server, store.brand);
    const owner = { token: fixture.ownerToken };
    const category = await server.api('POST', `/api/stores/${fixture.storeId}/categories`, { ...owner, body: { name: '시즌 한정' } });
    const item = await server.api('POST', `/api/stores/${fixture.storeId}/items`, {
      ...owner,
      body: { categoryId: category.body.id, name: '호박 라떼', price: 5500 },
    });
    const placed = await order(
      { lines: [{ itemId: item.body.id, quantity: 1 }], paymentMethod: 'counter' },
      { token: fixture.kioskToken, storeId: fixture.storeId },
    );
    assert.equal(placed.status, 201);
    assert.equal((await server.api('DELETE', `/api/stores/${fixture.storeId}/items/${item.body.id}`, owner)).status, 204);
    assert.equal((await server.api('DELETE', `/api/stores/${fixture.storeId}/categories/${category.body.id}`, owner)).status, 204);
    const again = await server.api('POST', `/api/stores/${fixture.storeId}/categories`, { ...owner, body: { name: '시즌 한정' } });
    assert.equal(again.status, 201, 'the name is free again');
    const kept = await server.api('GET', `/api/stores/${fixture.storeId}/orders/${placed.body.order.id}`, owner);
    assert.equal(kept.body.lines[0].itemName, '호박 라떼');
  });

  test('a known customer gets their most ordered items and last order', async () => {
    const customerId = await member();
    const americano = await menuItem(server, store.storeId, { name: '아메리카노 추천' });
    const cake = await menuItem(server, store.storeId, { name: '치즈케이크 추천' });
    await order({ lines: [{ itemId: americano.id, quantity: 3 }], paymentMethod: 'counter', customerId });
    await order({ lines: [{ itemId: cake.id, quantity: 1 }], paymentMethod: 'counter', customerId });
    const response = await server.api('GET', `/api/stores/${store.storeId}/customers/${customerId}/recommendations`, { token: store.kioskToken });
    assert.equal(response.status, 200);
    assert.equal(response.body.topItems[0].name, '아메리카노 추천');
    assert.equal(response.body.lastOrder.lines[0].itemName, '치즈케이크 추천');
  });
});

describe('eat-in or take-out, and notes', () => {
  test('dining and line notes are stored and returned: on placing, reading, listing and the kiosk menu', async () => {
    const latte = await menuItem(server, store.storeId, { price: 5000 });
    const placed = await order({
      lines: [
        { itemId: latte.id, quantity: 1, note: '  덜 달게  ' },
        { itemId: latte.id, quantity: 1 },
      ],
      paymentMethod: 'counter',
      dining: 'take_out',
    });
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    assert.equal(placed.body.order.dining, 'take_out');
    assert.deepEqual(
      placed.body.order.lines.map((line: { note: string | null }) => line.note),
      ['덜 달게', null],
    );
    const read = await server.api('GET', `/api/stores/${store.storeId}/orders/${placed.body.order.id}`, { token: store.ownerToken });
    assert.equal(read.body.dining, 'take_out');
    assert.equal(read.body.lines[0].note, '덜 달게');
    const day = placed.body.order.localDate;
    const listed = await server.api('GET', `/api/stores/${store.storeId}/orders?from=${day}&to=${day}&pageSize=100`, { token: store.ownerToken });
    const inList = listed.body.orders.find((o: { id: string }) => o.id === placed.body.order.id);
    assert.equal(inList.dining, 'take_out');
    assert.equal(inList.lines[0].note, '덜 달게');
    // an API client that says neither gets an order of unknown dining
    const unsaid = await order({ lines: [{ itemId: latte.id, quantity: 1 }], paymentMethod: 'counter' });
    assert.equal(unsaid.status, 201);
    assert.equal(unsaid.body.order.dining, null);
    const bad = await order({ lines: [{ itemId: latte.id, quantity: 1 }], paymentMethod: 'counter', dining: 'drive_through' });
    assert.equal(bad.status, 400);
  });

  test('a note over 40 characters or with a control character is refused with a stable code, and nothing is written', async () => {
    const item = await menuItem(server, store.storeId, { price: 3000, stock: 5 });
    const before = await orderCount();
    const forty = '가'.repeat(40);
    const tooLong = await order({ lines: [{ itemId: item.id, quantity: 1, note: `${forty}나` }], paymentMethod: 'counter', dining: 'eat_in' });
    assert.equal(tooLong.status, 400);
    assert.equal(tooLong.body.error.code, 'note_too_long');
    assert.equal(tooLong.body.error.details.maxLength, 40);
    for (const note of ['덜\n달게', '덜\t달게', 'x\u007f', 'y\u0085']) {
      const refused = await order({ lines: [{ itemId: item.id, quantity: 1, note }], paymentMethod: 'counter', dining: 'eat_in' });
      assert.equal(refused.status, 400, JSON.stringify(note));
      assert.equal(refused.body.error.code, 'note_invalid_characters');
      assert.match(refused.body.error.message, /control characters/);
    }
    // a NUL is refused for the whole request, before any route (it cannot be stored in PostgreSQL text)
    const nul = await order({ lines: [{ itemId: item.id, quantity: 1, note: 'a\u0000b' }], paymentMethod: 'counter', dining: 'eat_in' });
    assert.equal(nul.status, 400);
    assert.equal(nul.body.error.code, 'invalid_characters');
    assert.equal(await orderCount(), before);
    assert.equal((await stockOf(item.id)).stock, 5);
    // exactly 40 (Korean syllables count one each) is fine
    const ok = await order({ lines: [{ itemId: item.id, quantity: 1, note: forty }], paymentMethod: 'counter', dining: 'eat_in' });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.equal(ok.body.order.lines[0].note, forty);
  });

  test('an item the owner marks eat-in only is shown so on the menu and refused for take-out, and nothing is written', async () => {
    const item = await menuItem(server, store.storeId, { price: 4000, stock: 3 });
    const marked = await server.api('PATCH', `/api/stores/${store.storeId}/items/${item.id}`, {
      token: store.ownerToken,
      body: { dining: 'eat_in_only' },
    });
    assert.equal(marked.status, 200, JSON.stringify(marked.body));
    assert.equal(marked.body.dining, 'eat_in_only');
    const menu = await server.api('GET', `/api/stores/${store.storeId}/menu`, { token: store.kioskToken });
    const onMenu = menu.body.categories.flatMap((c: { items: Array<{ id: string }> }) => c.items).find((i: { id: string }) => i.id === item.id);
    assert.equal(onMenu.dining, 'eat_in_only');
    const before = await orderCount();
    const refused = await order({ lines: [{ itemId: item.id, quantity: 1 }], paymentMethod: 'counter', dining: 'take_out' });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'item_not_offered_for_dining');
    assert.equal(refused.body.error.details.itemId, item.id);
    assert.equal(await orderCount(), before);
    assert.equal((await stockOf(item.id)).stock, 3);
    const eatIn = await order({ lines: [{ itemId: item.id, quantity: 1 }], paymentMethod: 'counter', dining: 'eat_in' });
    assert.equal(eatIn.status, 201);
    const wrong = await server.api('PATCH', `/api/stores/${store.storeId}/items/${item.id}`, { token: store.ownerToken, body: { dining: 'sometimes' } });
    assert.equal(wrong.status, 400);
  });

  test('a cancelled order leaves the eat-in / take-out split of its day', async () => {
    const fixture = await storeWithKiosk(server, store.brand);
    const item = await menuItem(server, fixture.storeId, { price: 2000 });
    const placed = await order(
      { lines: [{ itemId: item.id, quantity: 2 }], paymentMethod: 'counter', dining: 'take_out' },
      { storeId: fixture.storeId, token: fixture.kioskToken },
    );
    assert.equal(placed.status, 201);
    await payAtCounter(server, fixture, placed.body.order);
    const split = () =>
      server.app.database.db
        .selectFrom('daily_sales')
        .select(['order_count', 'take_out_count', 'take_out_total', 'eat_in_count'])
        .where('store_id', '=', fixture.storeId)
        .executeTakeFirstOrThrow();
    const placedSplit = await split();
    assert.deepEqual([placedSplit.order_count, placedSplit.take_out_count, Number(placedSplit.take_out_total), placedSplit.eat_in_count], [1, 1, 4000, 0]);
    const cancelled = await server.api('POST', `/api/stores/${fixture.storeId}/orders/${placed.body.order.id}/cancel`, {
      token: fixture.ownerToken,
      body: { reason: 'test' },
    });
    assert.equal(cancelled.status, 200);
    const after = await split();
    assert.deepEqual([after.order_count, after.take_out_count, Number(after.take_out_total)], [0, 0, 0]);
  });
});

describe('several server instances', { skip: !usingServers && 'needs PINOKIO_TEST_SERVERS=1' }, () => {
  test('orders placed on either instance while the POS was away are replayed when it reconnects to the other', async () => {
    const database = await createPostgresDatabase();
    const prefix = `pinokio-test-orders-${Date.now()}:`;
    const a = await startTestServer({ databaseUrl: database.url, redisPrefix: prefix, env: roomyLimits });
    const b = await startTestServer({ databaseUrl: database.url, redisPrefix: prefix, env: roomyLimits });
    try {
      const fixture = await storeWithKiosk(a);
      const item = await menuItem(a, fixture.storeId, {});
      const placeOn = async (target: TestServer) => {
        const placed = await target.api('POST', `/api/stores/${fixture.storeId}/orders`, {
          token: fixture.kioskToken,
          body: { lines: [{ itemId: item.id, quantity: 1 }], paymentMethod: 'counter' },
        });
        assert.equal(placed.status, 201, JSON.stringify(placed.body));
        return placed.body.order.id as string;
      };
      const liveOn = (target: TestServer) => `${target.url}/api/stores/${fixture.storeId}/orders/live`;
      const pos = await openLive(liveOn(a), { token: fixture.ownerToken });
      await pos.next((event) => event.event === 'ready', 'ready');
      const seen = await placeOn(b);
      const last = await pos.next((event) => event.event === 'order.placed' && event.data.id === seen, 'the order placed on B');
      pos.close();

      // a balancer sends each order to either instance
      const missed: string[] = [];
      for (let i = 0; i < 10; i++) missed.push(await placeOn(i % 2 === 0 ? a : b));

      const resumed = await openLive(liveOn(b), { token: fixture.ownerToken, lastEventId: last.id });
      await resumed.next((event) => event.event === 'ready', 'ready');
      assert.deepEqual(
        resumed.events.filter((event) => event.event === 'order.placed').map((event) => event.data.id),
        missed,
      );
      resumed.close();
      const reopened = await openLive(`${liveOn(a)}?lastEventId=${last.id}`, { token: fixture.ownerToken });
      await reopened.next((event) => event.event === 'ready', 'ready');
      assert.deepEqual(
        reopened.events.filter((event) => event.event === 'order.placed').map((event) => event.data.id),
        missed,
      );
      reopened.close();
    } finally {
      await a.close();
      await b.close();
      await database.drop();
    }
  });
});

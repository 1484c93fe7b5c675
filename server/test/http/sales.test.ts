import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { menuItem, payAtCounter, storeWithKiosk, type StoreFixture } from '../support/factories.js';
import { createBrand, startTestServer, type TestServer } from '../support/test-server.js';

let server: TestServer;
let store: StoreFixture;
before(async () => {
  server = await startTestServer();
  store = await storeWithKiosk(server);
});
after(() => server.close());

/** an order placed at the kiosk and paid at the counter: sales count paid money */
async function place(fixture: StoreFixture, itemId: string, quantity: number, dining?: string) {
  const response = await server.api('POST', `/api/stores/${fixture.storeId}/orders`, {
    token: fixture.kioskToken,
    body: { lines: [{ itemId, quantity }], paymentMethod: 'counter', ...(dining ? { dining } : {}) },
  });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return payAtCounter(server, fixture, response.body.order);
}

function get(fixture: StoreFixture, path: string) {
  return server.api('GET', `/api/stores/${fixture.storeId}${path}`, { token: fixture.ownerToken });
}

/** moves an order to another local day, with its aggregates, as if it had been placed then */
async function backdate(orderId: string, day: string) {
  const db = server.app.database.db;
  await db.updateTable('orders').set({ local_date: day }).where('id', '=', orderId).execute();
  await server.app.services.sales.rebuildAll();
}

test('series by day, week, month and year, with empty periods as zero', async () => {
  const fixture = await storeWithKiosk(server, store.brand);
  const item = await menuItem(server, fixture.storeId, { price: 1000 });
  const a = await place(fixture, item.id, 1);
  const b = await place(fixture, item.id, 2);
  const c = await place(fixture, item.id, 3);
  await backdate(a.id, '2026-03-02'); // a Monday
  await backdate(b.id, '2026-03-08'); // the Sunday of the same ISO week
  await backdate(c.id, '2026-04-15');

  const days = await get(fixture, '/sales?from=2026-03-01&to=2026-03-09&period=day');
  assert.equal(days.status, 200);
  assert.equal(days.body.buckets.length, 9);
  // these orders said neither eat-in nor take-out
  const neither = { eatInCount: 0, eatInTotal: 0, takeOutCount: 0, takeOutTotal: 0 };
  assert.deepEqual(days.body.buckets[1], { start: '2026-03-02', orderCount: 1, total: 1000, ...neither });
  assert.deepEqual(days.body.buckets[0], { start: '2026-03-01', orderCount: 0, total: 0, ...neither });

  const weeks = await get(fixture, '/sales?from=2026-03-02&to=2026-03-15&period=week');
  assert.deepEqual(weeks.body.buckets, [
    { start: '2026-03-02', orderCount: 2, total: 3000, ...neither },
    { start: '2026-03-09', orderCount: 0, total: 0, ...neither },
  ]);
  const months = await get(fixture, '/sales?from=2026-03-01&to=2026-04-30&period=month');
  assert.deepEqual(
    months.body.buckets.map((m: { total: number }) => m.total),
    [3000, 3000],
  );
  const years = await get(fixture, '/sales?from=2026-01-01&to=2026-12-31&period=year');
  assert.deepEqual(years.body.buckets, [{ start: '2026-01-01', orderCount: 3, total: 6000, ...neither }]);

  const best = await get(fixture, '/sales/best-sellers?from=2026-01-01&to=2026-12-31');
  assert.deepEqual(
    best.body.items.map((i: { quantity: number }) => i.quantity),
    [6],
  );

  assert.equal((await get(fixture, '/sales?from=2026-03-09&to=2026-03-01')).body.error.code, 'invalid_range');
  assert.equal((await get(fixture, '/sales?from=2025-01-01&to=2026-03-01&period=day')).body.error.code, 'range_too_long');
  assert.equal((await get(fixture, '/sales?from=2025-01-01&to=2026-03-01&period=decade')).body.error.code, 'validation_failed');
  assert.equal((await get(fixture, '/sales?from=2026-02-30&to=2026-03-01')).body.error.code, 'validation_failed');
});

test("a store's standing among its brand's stores over the last 30 days", async () => {
  const brand = await createBrand(server, 'Standing');
  const stores = [await storeWithKiosk(server, brand), await storeWithKiosk(server, brand), await storeWithKiosk(server, brand)];
  const otherBrand = await storeWithKiosk(server);
  const amounts = [3000, 9000, 0];
  for (const [index, fixture] of stores.entries()) {
    const item = await menuItem(server, fixture.storeId, { price: 1000 });
    if (amounts[index]! > 0) await place(fixture, item.id, amounts[index]! / 1000);
  }
  await place(otherBrand, (await menuItem(server, otherBrand.storeId, { price: 90_000 })).id, 1);
  const old = await place(stores[2]!, (await menuItem(server, stores[2]!.storeId, { price: 50_000 })).id, 1);
  await backdate(old.id, '2025-01-01'); // outside the 30 days

  const standing = await get(stores[0]!, '/sales/standing');
  assert.equal(standing.status, 200);
  assert.equal(standing.body.days, 30);
  assert.equal(standing.body.storeTotal, 3000);
  assert.equal(standing.body.brandTotal, 12000);
  assert.equal(standing.body.storeCount, 3);
  assert.equal(standing.body.brandAverage, 4000);
  assert.equal(standing.body.rank, 2);
  assert.equal((await get(stores[1]!, '/sales/standing')).body.rank, 1);
  assert.equal((await get(stores[2]!, '/sales/standing')).body.rank, 3);
});

test('the standing is right again once the cache is flushed', async () => {
  const brand = await createBrand(server, 'Flush');
  const fixture = await storeWithKiosk(server, brand);
  const item = await menuItem(server, fixture.storeId, { price: 2000 });
  await place(fixture, item.id, 1);
  const first = await get(fixture, '/sales/standing');
  assert.equal(first.body.storeTotal, 2000);
  await place(fixture, item.id, 1);
  const key = `sales:standing:${brand.id}:${first.body.from}:${first.body.to}`;
  await server.app.cache.delete(key);
  assert.equal((await get(fixture, '/sales/standing')).body.storeTotal, 4000);
});

test('pinokio rebuild-sales gives exactly the figures the live path wrote', async () => {
  const fixture = await storeWithKiosk(server, store.brand);
  const coffee = await menuItem(server, fixture.storeId, { price: 4500, stock: 100 });
  const cake = await menuItem(server, fixture.storeId, { price: 6000 });
  const orders = [];
  for (let i = 0; i < 8; i++) orders.push(await place(fixture, i % 3 === 0 ? cake.id : coffee.id, 1 + (i % 2), [undefined, 'eat_in', 'take_out'][i % 3]));
  for (const order of orders.slice(0, 3)) {
    const cancelled = await server.api('POST', `/api/stores/${fixture.storeId}/orders/${order.id}/cancel`, {
      token: fixture.ownerToken,
      body: { reason: 'test' },
    });
    assert.equal(cancelled.status, 200);
  }
  const db = server.app.database.db;
  const snapshot = async () => ({
    days: await db
      .selectFrom('daily_sales')
      .select(['store_id', 'local_date', 'order_count', 'total', 'eat_in_count', 'eat_in_total', 'take_out_count', 'take_out_total'])
      .where('order_count', '!=', 0)
      .orderBy('store_id')
      .orderBy('local_date')
      .execute(),
    items: await db
      .selectFrom('daily_item_sales')
      .select(['store_id', 'local_date', 'item_id', 'quantity', 'total'])
      .where('quantity', '!=', 0)
      .orderBy('store_id')
      .orderBy('local_date')
      .orderBy('item_id')
      .execute(),
  });
  const live = await snapshot();
  assert.ok(live.days.some((row) => row.store_id === fixture.storeId));
  await server.app.services.sales.rebuildAll();
  assert.deepEqual(await snapshot(), live);
  await server.app.services.sales.rebuildAll(); // safe to run twice
  assert.deepEqual(await snapshot(), live);
});

test('sales split eat-in and take-out: the series equals the orders, and rebuild-sales agrees', async () => {
  const fixture = await storeWithKiosk(server, store.brand);
  const item = await menuItem(server, fixture.storeId, { price: 1000 });
  const placeAs = async (dining: 'eat_in' | 'take_out' | undefined, quantity: number) => {
    const response = await server.api('POST', `/api/stores/${fixture.storeId}/orders`, {
      token: fixture.kioskToken,
      body: { lines: [{ itemId: item.id, quantity }], paymentMethod: 'counter', ...(dining ? { dining } : {}) },
    });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return payAtCounter(server, fixture, response.body.order);
  };
  await placeAs('eat_in', 1);
  await placeAs('eat_in', 2);
  const cancelled = await placeAs('eat_in', 4);
  await placeAs('take_out', 3);
  await placeAs(undefined, 5); // an API client that said neither
  const cancel = await server.api('POST', `/api/stores/${fixture.storeId}/orders/${cancelled.id}/cancel`, {
    token: fixture.ownerToken,
    body: { reason: 'test' },
  });
  assert.equal(cancel.status, 200);
  const day = cancelled.localDate;
  const read = async () => {
    const response = await get(fixture, `/sales?from=${day}&to=${day}&period=day`);
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return response.body.buckets[0];
  };
  const expected = { start: day, orderCount: 4, total: 11_000, eatInCount: 2, eatInTotal: 3000, takeOutCount: 1, takeOutTotal: 3000 };
  assert.deepEqual(await read(), expected);
  // the same as counting the orders themselves
  const listed = await get(fixture, `/orders?from=${day}&to=${day}&pageSize=100&status=placed`);
  const sum = (dining: string) =>
    listed.body.orders.filter((o: { dining: string | null }) => o.dining === dining).reduce((s: number, o: { total: number }) => s + o.total, 0);
  assert.deepEqual([sum('eat_in'), sum('take_out')], [expected.eatInTotal, expected.takeOutTotal]);
  await server.app.services.sales.rebuildAll();
  assert.deepEqual(await read(), expected);
});

test('a server whose Redis is unreachable still signs people in and reports sales', async () => {
  const cacheless = await startTestServer({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
  try {
    const fixture = await storeWithKiosk(cacheless);
    const item = await menuItem(cacheless, fixture.storeId, { price: 1500 });
    const placed = await cacheless.api('POST', `/api/stores/${fixture.storeId}/orders`, {
      token: fixture.kioskToken,
      body: { lines: [{ itemId: item.id, quantity: 2 }], paymentMethod: 'counter' },
    });
    assert.equal(placed.status, 201);
    await payAtCounter(cacheless, fixture, placed.body.order);
    const standing = await cacheless.api('GET', `/api/stores/${fixture.storeId}/sales/standing`, { token: fixture.ownerToken });
    assert.equal(standing.status, 200);
    assert.equal(standing.body.storeTotal, 3000);
  } finally {
    await cacheless.close();
  }
});

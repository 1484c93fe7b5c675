import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { menuItem, storeWithKiosk, type StoreFixture } from '../support/factories.js';
import { openLive } from '../support/live-events.js';
import { createPostgresDatabase, roomyLimits, startTestServer, usingServers, type TestServer } from '../support/test-server.js';

let server: TestServer;
let store: StoreFixture;
let kitchenToken: string;
let pickupToken: string;
before(async () => {
  server = await startTestServer({ env: roomyLimits });
  store = await storeWithKiosk(server);
  kitchenToken = await screen(server, store, 'kitchen');
  pickupToken = await screen(server, store, 'pickup');
});
after(() => server.close());

/** a store screen provisioned by the owner in the kiosks list, signed in with its credentials: its access token */
async function screen(target: TestServer, fixture: StoreFixture, kind: 'kitchen' | 'pickup'): Promise<string> {
  const added = await target.api('POST', `/api/stores/${fixture.storeId}/kiosks`, { token: fixture.ownerToken, body: { name: `${kind} screen`, kind } });
  assert.equal(added.status, 201, JSON.stringify(added.body));
  assert.equal(added.body.kiosk.kind, kind);
  const login = await target.api('POST', '/api/auth/kiosk-login', { body: added.body.credentials });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  assert.equal(login.body.role, kind);
  return login.body.accessToken;
}

async function placeOrder(target: TestServer, fixture: StoreFixture, body: Record<string, unknown> = {}): Promise<{ id: string; number: number }> {
  const item = await menuItem(target, fixture.storeId, {
    name: '카페라떼',
    groups: [{ name: '사이즈', kind: 'single', options: [{ name: 'Grande', priceDelta: 500 }] }],
  });
  const placed = await target.api('POST', `/api/stores/${fixture.storeId}/orders`, {
    token: fixture.kioskToken,
    body: { lines: [{ itemId: item.id, quantity: 2, optionIds: [item.options.Grande] }], paymentMethod: 'counter', ...body },
  });
  assert.equal(placed.status, 201, JSON.stringify(placed.body));
  return placed.body.order;
}

const bump = (orderId: string, from: string, token = kitchenToken, storeId = store.storeId) =>
  server.api('POST', `/api/stores/${storeId}/kitchen/tickets/${orderId}/bump`, { token, body: { from } });

describe('store screens', () => {
  test('a kitchen screen says who it is; it cannot order, and a kiosk cannot bump', async () => {
    const me = await server.api('GET', '/api/store-screen', { token: kitchenToken });
    assert.equal(me.status, 200, JSON.stringify(me.body));
    assert.equal(me.body.kind, 'kitchen');
    assert.equal(me.body.storeId, store.storeId);
    assert.deepEqual(me.body.settings, { lateAfterMinutes: 7, pickupHoldMinutes: 10 });
    const item = await menuItem(server, store.storeId, {});
    const ordering = await server.api('POST', `/api/stores/${store.storeId}/orders`, {
      token: kitchenToken,
      body: { lines: [{ itemId: item.id, quantity: 1 }], paymentMethod: 'counter' },
    });
    assert.equal(ordering.status, 403);
    const placed = await placeOrder(server, store);
    const byKiosk = await bump(placed.id, 'placed', store.kioskToken);
    assert.equal(byKiosk.status, 403);
    const byBoard = await bump(placed.id, 'placed', pickupToken);
    assert.equal(byBoard.status, 403);
    const kiosks = await server.api('GET', `/api/stores/${store.storeId}/kiosks`, { token: store.ownerToken });
    assert.deepEqual(kiosks.body.kiosks.map((kiosk: { kind: string }) => kiosk.kind).sort(), ['kiosk', 'kitchen', 'pickup']);
  });

  test("another store's kitchen screen is refused", async () => {
    const other = await storeWithKiosk(server);
    const otherKitchen = await screen(server, other, 'kitchen');
    const tickets = await server.api('GET', `/api/stores/${store.storeId}/kitchen/tickets`, { token: otherKitchen });
    assert.equal(tickets.status, 403);
    assert.equal(tickets.body.error.code, 'forbidden_store');
    const placed = await placeOrder(server, store);
    const bumped = await bump(placed.id, 'placed', otherKitchen);
    assert.equal(bumped.status, 403);
    const stream = await openLive(`${server.url}/api/stores/${store.storeId}/kitchen/live`, { token: otherKitchen });
    assert.equal(stream.status, 403);
    // an order of this store named under the other store's path is not found there
    const elsewhere = await bump(placed.id, 'placed', otherKitchen, other.storeId);
    assert.equal(elsewhere.status, 404);
  });
});

describe('tickets', () => {
  test('an open order is a ticket with its number, dining, lines and options; bumps move it to preparing, ready, picked up', async () => {
    const placed = await placeOrder(server, store);
    const tickets = await server.api('GET', `/api/stores/${store.storeId}/kitchen/tickets`, { token: kitchenToken });
    assert.equal(tickets.status, 200, JSON.stringify(tickets.body));
    const ticket = tickets.body.tickets.find((candidate: { orderId: string }) => candidate.orderId === placed.id);
    assert.ok(ticket, 'the ticket is listed');
    assert.equal(ticket.number, placed.number);
    assert.equal(ticket.stage, 'placed');
    assert.ok('dining' in ticket);
    assert.equal(ticket.lines[0].itemName, '카페라떼');
    assert.equal(ticket.lines[0].quantity, 2);
    assert.deepEqual(ticket.lines[0].options, ['사이즈: Grande']);
    assert.deepEqual(ticket.lines[0].stationIds, []);
    for (const [from, to] of [
      ['placed', 'preparing'],
      ['preparing', 'ready'],
      ['ready', 'completed'],
    ]) {
      const bumped = await bump(placed.id, from!);
      assert.equal(bumped.status, 200, JSON.stringify(bumped.body));
      assert.equal(bumped.body.stage, to);
    }
    const after = await server.api('GET', `/api/stores/${store.storeId}/kitchen/tickets`, { token: kitchenToken });
    assert.ok(!after.body.tickets.some((candidate: { orderId: string }) => candidate.orderId === placed.id), 'a picked-up order leaves the kitchen');
  });

  test('two screens bump one ticket at once: it moves once, and the other is told the stage it is at now', async () => {
    for (let round = 0; round < 5; round++) {
      const placed = await placeOrder(server, store);
      const answers = await Promise.all([bump(placed.id, 'placed'), bump(placed.id, 'placed')]);
      assert.deepEqual(answers.map((answer) => answer.status).sort(), [200, 409]);
      const refused = answers.find((answer) => answer.status === 409)!;
      assert.equal(refused.body.error.code, 'ticket_already_bumped');
      assert.equal(refused.body.error.details.current, 'preparing');
      const order = await server.api('GET', `/api/stores/${store.storeId}/orders/${placed.id}`, { token: store.ownerToken });
      assert.equal(order.body.status, 'preparing');
      // a stale screen that still shows 'placed' does not move it to ready
      const stale = await bump(placed.id, 'placed');
      assert.equal(stale.status, 409);
      assert.equal(stale.body.error.details.current, 'preparing');
    }
  });

  test('a cancelled order cannot be bumped; the answer says it is cancelled', async () => {
    const placed = await placeOrder(server, store);
    const cancelled = await server.api('POST', `/api/stores/${store.storeId}/orders/${placed.id}/cancel`, {
      token: store.ownerToken,
      body: { reason: '품절' },
    });
    assert.equal(cancelled.status, 200);
    const bumped = await bump(placed.id, 'placed');
    assert.equal(bumped.status, 409);
    assert.equal(bumped.body.error.details.current, 'cancelled');
  });

  test('stations: a category routed to a station marks its lines, and a screen may show one station only', async () => {
    const placed = await placeOrder(server, store);
    const category = await server.app.database.db.selectFrom('categories').select('id').where('store_id', '=', store.storeId).executeTakeFirstOrThrow();
    const bar = await server.api('POST', `/api/stores/${store.storeId}/kitchen/stations`, {
      token: store.ownerToken,
      body: { name: '바', categoryIds: [category.id] },
    });
    assert.equal(bar.status, 200, JSON.stringify(bar.body));
    const oven = await server.api('POST', `/api/stores/${store.storeId}/kitchen/stations`, {
      token: store.ownerToken,
      body: { name: '오븐', categoryIds: [] },
    });
    const atBar = await server.api('GET', `/api/stores/${store.storeId}/kitchen/tickets?station=${bar.body.id}`, { token: kitchenToken });
    const ticket = atBar.body.tickets.find((candidate: { orderId: string }) => candidate.orderId === placed.id);
    assert.deepEqual(ticket.lines[0].stationIds, [bar.body.id]);
    const atOven = await server.api('GET', `/api/stores/${store.storeId}/kitchen/tickets?station=${oven.body.id}`, { token: kitchenToken });
    assert.ok(!atOven.body.tickets.some((candidate: { orderId: string }) => candidate.orderId === placed.id));
    const other = await storeWithKiosk(server);
    const foreign = await server.api('POST', `/api/stores/${store.storeId}/kitchen/stations`, {
      token: store.ownerToken,
      body: {
        name: 'x',
        categoryIds: [
          (await menuItem(server, other.storeId, {})) &&
            (await server.app.database.db.selectFrom('categories').select('id').where('store_id', '=', other.storeId).executeTakeFirstOrThrow()).id,
        ],
      },
    });
    assert.equal(foreign.status, 400);
    for (const station of [bar.body.id, oven.body.id]) {
      const removed = await server.api('DELETE', `/api/stores/${store.storeId}/kitchen/stations/${station}`, { token: store.ownerToken });
      assert.equal(removed.status, 204);
    }
  });

  test('settings: the owner sets the late time and the pickup hold; screens read them; a screen cannot change them', async () => {
    const changed = await server.api('PUT', `/api/stores/${store.storeId}/kitchen/settings`, {
      token: store.ownerToken,
      body: { lateAfterMinutes: 5, pickupHoldMinutes: 3 },
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    const read = await server.api('GET', `/api/stores/${store.storeId}/kitchen/settings`, { token: pickupToken });
    assert.deepEqual(read.body, { lateAfterMinutes: 5, pickupHoldMinutes: 3 });
    const byScreen = await server.api('PUT', `/api/stores/${store.storeId}/kitchen/settings`, {
      token: kitchenToken,
      body: { lateAfterMinutes: 9, pickupHoldMinutes: 9 },
    });
    assert.equal(byScreen.status, 403);
    const tooLong = await server.api('PUT', `/api/stores/${store.storeId}/kitchen/settings`, {
      token: store.ownerToken,
      body: { lateAfterMinutes: 0, pickupHoldMinutes: 3 },
    });
    assert.equal(tooLong.status, 400);
    await server.api('PUT', `/api/stores/${store.storeId}/kitchen/settings`, { token: store.ownerToken, body: { lateAfterMinutes: 7, pickupHoldMinutes: 10 } });
  });
});

describe('live', () => {
  test('the kitchen stream carries tickets as they are placed and bumped; the pickup board gets numbers and stages only', async () => {
    const kitchen = await openLive(`${server.url}/api/stores/${store.storeId}/kitchen/live`, { token: kitchenToken });
    const board = await openLive(`${server.url}/api/stores/${store.storeId}/pickup/live`, { token: pickupToken });
    assert.equal(kitchen.status, 200);
    assert.equal(board.status, 200);
    await kitchen.next((event) => event.event === 'ready', 'ready');
    await board.next((event) => event.event === 'ready', 'ready');
    const placed = await placeOrder(server, store);
    const ticket = await kitchen.next((event) => event.event === 'ticket' && event.data.orderId === placed.id, 'the ticket');
    assert.equal(ticket.data.stage, 'placed');
    assert.ok(ticket.id);
    await bump(placed.id, 'placed');
    await bump(placed.id, 'preparing');
    await kitchen.next((event) => event.event === 'ticket' && event.data.orderId === placed.id && event.data.stage === 'ready', 'the ticket ready');
    const ready = await board.next((event) => event.event === 'entry' && event.data.orderId === placed.id && event.data.stage === 'ready', 'the number ready');
    assert.deepEqual(Object.keys(ready.data).sort(), ['number', 'orderId', 'stage', 'updatedAt']);
    const listed = await server.api('GET', `/api/stores/${store.storeId}/pickup`, { token: pickupToken });
    assert.ok(listed.body.entries.some((entry: { orderId: string; stage: string }) => entry.orderId === placed.id && entry.stage === 'ready'));
    kitchen.close();
    board.close();
  });
});

describe('several server instances', { skip: !usingServers && 'needs PINOKIO_TEST_SERVERS=1' }, () => {
  test('a kitchen screen on one instance sees what the other did, and is replayed what it missed when it reconnects to the other', async () => {
    const database = await createPostgresDatabase();
    const prefix = `pinokio-test-kitchen-${Date.now()}:`;
    const a = await startTestServer({ databaseUrl: database.url, redisPrefix: prefix, env: roomyLimits });
    const b = await startTestServer({ databaseUrl: database.url, redisPrefix: prefix, env: roomyLimits });
    try {
      const fixture = await storeWithKiosk(a);
      const token = await screen(a, fixture, 'kitchen');
      const liveOn = (target: TestServer) => `${target.url}/api/stores/${fixture.storeId}/kitchen/live`;
      const first = await openLive(liveOn(a), { token });
      await first.next((event) => event.event === 'ready', 'ready');
      const seen = await placeOrder(b, fixture);
      const last = await first.next((event) => event.event === 'ticket' && event.data.orderId === seen.id, 'the ticket placed on B');
      first.close();

      const missed: string[] = [];
      for (let i = 0; i < 6; i++) missed.push((await placeOrder(i % 2 === 0 ? a : b, fixture)).id);
      const bumped = await b.api('POST', `/api/stores/${fixture.storeId}/kitchen/tickets/${seen.id}/bump`, { token, body: { from: 'placed' } });
      assert.equal(bumped.status, 200);

      const resumed = await openLive(liveOn(b), { token, lastEventId: last.id });
      await resumed.next((event) => event.event === 'ready', 'ready');
      const tickets = resumed.events.filter((event) => event.event === 'ticket');
      assert.deepEqual(
        tickets.map((event) => event.data.orderId),
        [...missed, seen.id],
      );
      assert.equal(tickets.at(-1)!.data.stage, 'preparing');
      resumed.close();
    } finally {
      await a.close();
      await b.close();
      await database.drop();
    }
  });
});

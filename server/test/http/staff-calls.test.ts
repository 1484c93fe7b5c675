// Staff calls (issue 11, item 7): a kiosk calls for a person; the store's POS hears it on its live
// stream (GET .../orders/live) with the kiosk's name; a repeated press within seconds is the same
// call; the owner's acknowledgement reaches that kiosk's own stream; the calls are listed per local
// day; another store's kiosk or owner is refused; and it all works across server instances.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { menuItem, storeWithKiosk, type StoreFixture } from '../support/factories.js';
import { openLive, type LiveStream } from '../support/live-events.js';
import { createPostgresDatabase, roomyLimits, startTestServer, usingServers, type TestServer } from '../support/test-server.js';

let server: TestServer;
let store: StoreFixture;
let other: StoreFixture;
/** a second kiosk of the store, with a name the POS shows */
let windowKiosk: { id: string; token: string };

before(async () => {
  server = await startTestServer({ env: roomyLimits });
  store = await storeWithKiosk(server);
  other = await storeWithKiosk(server);
  windowKiosk = await addKiosk(server, store, '창가 키오스크');
});
after(() => server.close());

async function addKiosk(target: TestServer, fixture: StoreFixture, name: string): Promise<{ id: string; token: string }> {
  const added = await target.api('POST', `/api/stores/${fixture.storeId}/kiosks`, { token: fixture.ownerToken, body: { name } });
  assert.equal(added.status, 201, JSON.stringify(added.body));
  const login = await target.api('POST', '/api/auth/kiosk-login', { body: added.body.credentials });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  return { id: login.body.kioskId, token: login.body.accessToken };
}

const callStaff = (target: TestServer, storeId: string, token: string, body: Record<string, unknown> = { reason: 'requested', mode: 'large' }) =>
  target.api('POST', `/api/stores/${storeId}/staff-calls`, { token, body });

const acknowledge = (target: TestServer, storeId: string, callId: string, token: string) =>
  target.api('POST', `/api/stores/${storeId}/staff-calls/${callId}/acknowledge`, { token });

async function posStream(target: TestServer, fixture: StoreFixture): Promise<LiveStream> {
  const stream = await openLive(`${target.url}/api/stores/${fixture.storeId}/orders/live`, { token: fixture.ownerToken });
  assert.equal(stream.status, 200, JSON.stringify(stream.body));
  await stream.next((event) => event.event === 'ready', 'ready');
  return stream;
}

async function kioskStream(target: TestServer, storeId: string, kiosk: { id: string; token: string }): Promise<LiveStream> {
  const stream = await openLive(`${target.url}/api/stores/${storeId}/kiosks/${kiosk.id}/live`, { token: kiosk.token });
  assert.equal(stream.status, 200, JSON.stringify(stream.body));
  await stream.next((event) => event.event === 'ready', 'ready');
  return stream;
}

describe('a call', () => {
  test("reaches the store's POS stream with the kiosk's name, reason and mode", async () => {
    const pos = await posStream(server, store);
    const called = await callStaff(server, store.storeId, windowKiosk.token, { reason: 'requested', mode: 'voice' });
    assert.equal(called.status, 201, JSON.stringify(called.body));
    assert.equal(called.body.kioskName, '창가 키오스크');
    assert.equal(called.body.acknowledgedAt, null);
    const event = await pos.next((each) => each.event === 'staff-call.created' && each.data.id === called.body.id, 'the staff call');
    assert.ok(event.id, 'the event has an id (replay)');
    assert.equal(event.data.kioskName, '창가 키오스크');
    assert.equal(event.data.kioskId, windowKiosk.id);
    assert.equal(event.data.reason, 'requested');
    assert.equal(event.data.mode, 'voice');
    pos.close();
    assert.equal((await acknowledge(server, store.storeId, called.body.id, store.ownerToken)).status, 200);
  });

  test('pressed again within seconds is the same call: 200, the same id, and the POS is alerted once', async () => {
    const pos = await posStream(server, store);
    const first = await callStaff(server, store.storeId, store.kioskToken);
    assert.equal(first.status, 201, JSON.stringify(first.body));
    // a burst, as from a keypad's help key held down, and a stall alert at the same moment
    const again = await Promise.all([
      callStaff(server, store.storeId, store.kioskToken),
      callStaff(server, store.storeId, store.kioskToken),
      callStaff(server, store.storeId, store.kioskToken, { reason: 'stalled', mode: 'large' }),
    ]);
    for (const answer of again) {
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.equal(answer.body.id, first.body.id);
    }
    // the acknowledgement comes after on the same stream: by then every created event has arrived
    assert.equal((await acknowledge(server, store.storeId, first.body.id, store.ownerToken)).status, 200);
    await pos.next((event) => event.event === 'staff-call.acknowledged' && event.data.id === first.body.id, 'the acknowledgement');
    const created = pos.events.filter((event) => event.event === 'staff-call.created');
    assert.deepEqual(
      created.map((event) => event.data.id),
      [first.body.id],
    );
    // once acknowledged, the next press is a new call
    const next = await callStaff(server, store.storeId, store.kioskToken);
    assert.equal(next.status, 201);
    assert.notEqual(next.body.id, first.body.id);
    assert.equal((await acknowledge(server, store.storeId, next.body.id, store.ownerToken)).status, 200);
    pos.close();
  });

  test("a kiosk of another store is refused, and nothing reaches this store's POS", async () => {
    const pos = await posStream(server, store);
    const refused = await callStaff(server, store.storeId, other.kioskToken);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'forbidden_store');
    // nor may the owner, or anyone without a session, call as a kiosk
    assert.equal((await callStaff(server, store.storeId, store.ownerToken)).status, 403);
    assert.equal((await server.api('POST', `/api/stores/${store.storeId}/staff-calls`, { body: { reason: 'requested', mode: 'large' } })).status, 401);
    const bad = await callStaff(server, store.storeId, store.kioskToken, { reason: 'bored', mode: 'large' });
    assert.equal(bad.status, 400);
    const marker = await callStaff(server, store.storeId, windowKiosk.token);
    await pos.next((event) => event.event === 'staff-call.created', 'the store’s own call');
    assert.deepEqual(
      pos.events.filter((event) => event.event === 'staff-call.created').map((event) => event.data.id),
      [marker.body.id],
    );
    assert.equal((await acknowledge(server, store.storeId, marker.body.id, store.ownerToken)).status, 200);
    pos.close();
  });

  test("another store's owner can neither acknowledge, list, nor change the setting", async () => {
    const called = await callStaff(server, store.storeId, store.kioskToken);
    assert.equal(called.status, 201);
    const ack = await acknowledge(server, store.storeId, called.body.id, other.ownerToken);
    assert.equal(ack.status, 403);
    assert.equal(ack.body.error.code, 'forbidden_store');
    // the call named under the other owner's own store is not there
    const elsewhere = await acknowledge(server, other.storeId, called.body.id, other.ownerToken);
    assert.equal(elsewhere.status, 404);
    assert.equal(elsewhere.body.error.code, 'staff_call_not_found');
    assert.equal((await server.api('GET', `/api/stores/${store.storeId}/staff-calls`, { token: other.ownerToken })).status, 403);
    const put = await server.api('PUT', `/api/stores/${store.storeId}/staff-calls/settings`, { token: other.ownerToken, body: { stallAlertSeconds: 30 } });
    assert.equal(put.status, 403);
    const pos = await openLive(`${server.url}/api/stores/${store.storeId}/orders/live`, { token: other.ownerToken });
    assert.equal(pos.status, 403);
    // a kiosk cannot acknowledge its own call
    assert.equal((await acknowledge(server, store.storeId, called.body.id, store.kioskToken)).status, 403);
    const listed = await server.api('GET', `/api/stores/${store.storeId}/staff-calls`, { token: store.ownerToken });
    assert.equal(listed.body.calls.find((call: { id: string }) => call.id === called.body.id).acknowledgedAt, null, 'still open');
    assert.equal((await acknowledge(server, store.storeId, called.body.id, store.ownerToken)).status, 200);
  });
});

describe('acknowledging', () => {
  test("reaches that kiosk's own stream (not its neighbour's) and every POS; a second acknowledgement tells nobody again", async () => {
    const kiosk = await kioskStream(server, store.storeId, windowKiosk);
    const neighbour = await kioskStream(server, store.storeId, { id: store.kioskId, token: store.kioskToken });
    const pos = await posStream(server, store);
    const called = await callStaff(server, store.storeId, windowKiosk.token, { reason: 'stalled', mode: 'large' });
    assert.equal(called.status, 201);
    const ack = await acknowledge(server, store.storeId, called.body.id, store.ownerToken);
    assert.equal(ack.status, 200, JSON.stringify(ack.body));
    assert.ok(ack.body.acknowledgedAt);
    assert.ok(ack.body.acknowledgedBy);
    const heard = await kiosk.next((event) => event.event === 'staff-call.acknowledged', 'the acknowledgement on the kiosk');
    assert.equal(heard.data.callId, called.body.id);
    assert.ok(heard.id, 'the event has an id (replay)');
    await pos.next((event) => event.event === 'staff-call.acknowledged' && event.data.id === called.body.id, 'the acknowledgement on the POS');

    const twice = await acknowledge(server, store.storeId, called.body.id, store.ownerToken);
    assert.equal(twice.status, 200);
    assert.equal(twice.body.acknowledgedAt, ack.body.acknowledgedAt);
    // a later call of the neighbour, acknowledged: the only other thing either kiosk hears
    const later = await callStaff(server, store.storeId, store.kioskToken);
    assert.equal((await acknowledge(server, store.storeId, later.body.id, store.ownerToken)).status, 200);
    await neighbour.next((event) => event.event === 'staff-call.acknowledged', "the neighbour's own acknowledgement");
    assert.deepEqual(
      neighbour.events.filter((event) => event.event === 'staff-call.acknowledged').map((event) => event.data.callId),
      [later.body.id],
    );
    assert.equal(kiosk.events.filter((event) => event.event === 'staff-call.acknowledged').length, 1);
    const missing = await acknowledge(server, store.storeId, '00000000-0000-4000-8000-000000000000', store.ownerToken);
    assert.equal(missing.status, 404);
    kiosk.close();
    neighbour.close();
    pos.close();
  });

  test('the kitchen display, which follows the same store stream, sees orders only', async () => {
    const kitchen = await openLive(`${server.url}/api/stores/${store.storeId}/kitchen/live`, { token: store.ownerToken });
    assert.equal(kitchen.status, 200);
    await kitchen.next((event) => event.event === 'ready', 'ready');
    const called = await callStaff(server, store.storeId, store.kioskToken);
    await acknowledge(server, store.storeId, called.body.id, store.ownerToken);
    const item = await menuItem(server, store.storeId);
    const placed = await server.api('POST', `/api/stores/${store.storeId}/orders`, {
      token: store.kioskToken,
      body: { lines: [{ itemId: item.id, quantity: 1 }], paymentMethod: 'counter' },
    });
    assert.equal(placed.status, 201);
    await kitchen.next((event) => event.event === 'ticket' && event.data.orderId === placed.body.order.id, 'the ticket');
    assert.deepEqual(
      kitchen.events.map((event) => event.event),
      ['ready', 'ticket'],
    );
    kitchen.close();
  });
});

describe('the list and the setting', () => {
  test("the calls of the store's day, newest first; another day has none", async () => {
    const fresh = await storeWithKiosk(server);
    const first = await callStaff(server, fresh.storeId, fresh.kioskToken, { reason: 'stalled', mode: 'voice' });
    await acknowledge(server, fresh.storeId, first.body.id, fresh.ownerToken);
    const second = await callStaff(server, fresh.storeId, fresh.kioskToken, { reason: 'requested', mode: 'standard' });
    const today = await server.api('GET', `/api/stores/${fresh.storeId}/staff-calls`, { token: fresh.ownerToken });
    assert.equal(today.status, 200, JSON.stringify(today.body));
    const me = await server.api('GET', '/api/me', { token: fresh.ownerToken });
    const storeDay = new Intl.DateTimeFormat('en-CA', { timeZone: me.body.store.timeZone }).format(new Date());
    assert.equal(today.body.date, storeDay, "today is the store's day, in its time zone");
    assert.deepEqual(
      today.body.calls.map((call: { id: string }) => call.id),
      [second.body.id, first.body.id],
    );
    assert.equal(today.body.calls[1].reason, 'stalled');
    assert.equal(today.body.calls[1].mode, 'voice');
    assert.ok(today.body.calls[1].acknowledgedAt);
    assert.equal(today.body.calls[0].acknowledgedAt, null);
    const named = await server.api('GET', `/api/stores/${fresh.storeId}/staff-calls?date=${storeDay}`, { token: fresh.ownerToken });
    assert.equal(named.body.calls.length, 2);
    const yesterday = new Date(Date.parse(`${storeDay}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const before = await server.api('GET', `/api/stores/${fresh.storeId}/staff-calls?date=${yesterday}`, { token: fresh.ownerToken });
    assert.equal(before.status, 200);
    assert.deepEqual(before.body.calls, []);
    const malformed = await server.api('GET', `/api/stores/${fresh.storeId}/staff-calls?date=yesterday`, { token: fresh.ownerToken });
    assert.equal(malformed.status, 400);
  });

  test('the stall time: 90 s by default, set by the owner, read by the kiosk, within bounds', async () => {
    const fresh = await storeWithKiosk(server);
    const path = `/api/stores/${fresh.storeId}/staff-calls/settings`;
    assert.deepEqual((await server.api('GET', path, { token: fresh.kioskToken })).body, { stallAlertSeconds: 90 });
    const saved = await server.api('PUT', path, { token: fresh.ownerToken, body: { stallAlertSeconds: 120 } });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    assert.deepEqual(saved.body, { stallAlertSeconds: 120 });
    assert.deepEqual((await server.api('GET', path, { token: fresh.kioskToken })).body, { stallAlertSeconds: 120 });
    assert.equal((await server.api('PUT', path, { token: fresh.ownerToken, body: { stallAlertSeconds: 5 } })).status, 400);
    assert.equal((await server.api('PUT', path, { token: fresh.kioskToken, body: { stallAlertSeconds: 60 } })).status, 403);
    assert.equal((await server.api('GET', path, { token: store.kioskToken })).status, 403, "another store's kiosk");
  });
});

describe('several server instances', { skip: !usingServers && 'needs PINOKIO_TEST_SERVERS=1' }, () => {
  test('a call made on one instance reaches the POS on another; the acknowledgement there reaches the kiosk on the first', async () => {
    const database = await createPostgresDatabase();
    const prefix = `pinokio-test-staff-calls-${Date.now()}:`;
    const a = await startTestServer({ databaseUrl: database.url, redisPrefix: prefix, env: roomyLimits });
    const b = await startTestServer({ databaseUrl: database.url, redisPrefix: prefix, env: roomyLimits });
    try {
      const fixture = await storeWithKiosk(a);
      const kiosk = { id: fixture.kioskId, token: fixture.kioskToken };
      const pos = await posStream(b, fixture);
      const screen = await kioskStream(a, fixture.storeId, kiosk);
      const called = await callStaff(a, fixture.storeId, kiosk.token);
      assert.equal(called.status, 201);
      const event = await pos.next((each) => each.event === 'staff-call.created', 'the call made on A, on B');
      assert.equal(event.data.id, called.body.id);
      assert.equal(event.data.kioskName, 'kiosk');
      // a press on B a moment later is still the same call
      const again = await callStaff(b, fixture.storeId, kiosk.token);
      assert.equal(again.status, 200);
      assert.equal(again.body.id, called.body.id);
      assert.equal((await acknowledge(b, fixture.storeId, called.body.id, fixture.ownerToken)).status, 200);
      const heard = await screen.next((each) => each.event === 'staff-call.acknowledged', 'the acknowledgement made on B, on A');
      assert.equal(heard.data.callId, called.body.id);
      pos.close();
      screen.close();
    } finally {
      await a.close();
      await b.close();
      await database.drop();
    }
  });
});

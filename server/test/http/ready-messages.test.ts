// "Your order is ready" by text message (docs/messaging.md), through the HTTP API: a member who
// consented at registration gets exactly one message when their order becomes ready (however often
// the change is asked for), a member who did not, or who revoked it at the kiosk or in the POS,
// gets none; a failing provider (a real HTTP stand-in on loopback answering 500, then 200) is
// retried with back-off while the status change is answered at once; /dev/messages answers only
// direct loopback requests.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { menuItem, storeWithKiosk, type StoreFixture } from '../support/factories.js';
import { roomyLimits, startTestServer, type ApiResponse, type TestServer } from '../support/test-server.js';

const CONSENT = { accepted: true, version: 'face-2025-01' };
const READY_CONSENT = { accepted: true, version: 'ready-2025-01' };
const DIMENSIONS = 64;

let server: TestServer;
before(async () => {
  server = await startTestServer({ env: roomyLimits });
});
after(() => server?.close());

let phoneCounter = 0;
function newPhone(): string {
  phoneCounter += 1;
  return `010-${String(3000 + phoneCounter).padStart(4, '0')}-${String(7000 + phoneCounter).padStart(4, '0')}`;
}

function face(): Float32Array {
  const values = Float32Array.from({ length: DIMENSIONS }, () => Math.random() * 2 - 1);
  const norm = Math.hypot(...values);
  return values.map((value) => value / norm);
}

interface Member {
  customerId: string;
  phone: string;
  analysisId: string;
}

/** a member registered at the kiosk, with or without the separate ready-notice consent */
async function member(on: TestServer, store: StoreFixture, options: { readyNotice: boolean; language?: 'ko' | 'en' }): Promise<Member> {
  const phone = newPhone();
  const analysisId = await on.app.services.customers.holdAnalysis({
    kioskId: store.kioskId,
    storeId: store.storeId,
    embedding: face(),
    age: 70,
    gender: 'female',
  });
  const body: Record<string, unknown> = { analysisId, phone, consent: CONSENT };
  if (options.readyNotice) body.readyNotice = READY_CONSENT;
  if (options.language) body.language = options.language;
  const response = await on.api('POST', `/api/stores/${store.storeId}/customers`, { token: store.kioskToken, body });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return { customerId: response.body.customerId, phone, analysisId };
}

async function orderFor(on: TestServer, store: StoreFixture, customerId: string | null): Promise<{ id: string; number: number }> {
  const item = await menuItem(on, store.storeId);
  const response = await on.api('POST', `/api/stores/${store.storeId}/orders`, {
    token: store.kioskToken,
    body: { lines: [{ itemId: item.id, quantity: 1 }], paymentMethod: 'counter', customerId },
  });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body.order;
}

function advance(on: TestServer, store: StoreFixture, orderId: string, status: 'preparing' | 'ready' | 'completed'): Promise<ApiResponse> {
  return on.api('POST', `/api/stores/${store.storeId}/orders/${orderId}/status`, { token: store.ownerToken, body: { status } });
}

interface KeptMessage {
  to: string;
  text: string;
  idempotencyKey: string;
}

async function messagesFor(on: TestServer, orderId: string): Promise<KeptMessage[]> {
  const response = await on.api<{ messages: KeptMessage[] }>('GET', '/dev/messages');
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body.messages.filter((message) => message.idempotencyKey === `order_ready:${orderId}`);
}

async function notificationOf(on: TestServer, orderId: string) {
  return on.app.database.db.selectFrom('notifications').selectAll().where('order_id', '=', orderId).executeTakeFirst();
}

/** polls until `check` returns something, at most `seconds` */
async function eventually<T>(what: string, check: () => Promise<T | undefined | false>, seconds = 10): Promise<T> {
  const until = Date.now() + seconds * 1000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function last4(phone: string): string {
  return phone.slice(-4);
}

describe('ready messages on the embedded outbox', () => {
  test('a member who consented gets exactly one message when the order is ready, however often it is asked', async () => {
    const store = await storeWithKiosk(server);
    const someone = await member(server, store, { readyNotice: true });
    const order = await orderFor(server, store, someone.customerId);
    assert.equal((await advance(server, store, order.id, 'preparing')).status, 200);
    assert.deepEqual(await messagesFor(server, order.id), [], 'nothing before the order is ready');

    const ready = await advance(server, store, order.id, 'ready');
    assert.equal(ready.status, 200, JSON.stringify(ready.body));
    const sent = await eventually('the ready message', async () => (await notificationOf(server, order.id))?.status === 'sent');
    assert.ok(sent);
    const messages = await messagesFor(server, order.id);
    assert.equal(messages.length, 1);
    const storeName = (await server.app.database.db.selectFrom('stores').select('name').where('id', '=', store.storeId).executeTakeFirstOrThrow()).name;
    assert.equal(messages[0]!.text, `[${storeName}] 주문하신 메뉴가 준비되었어요. 주문번호 ${order.number}번`);
    assert.equal(messages[0]!.to, `010-****-${last4(someone.phone)}`, 'the outbox keeps the number masked');

    // asked again (a second bump, a retried request, the hook run twice): still one message
    const again = await advance(server, store, order.id, 'ready');
    assert.equal(again.status, 409);
    await server.app.services.notifications.orderReady(store.storeId, order.id);
    await Promise.all([server.app.services.notifications.orderReady(store.storeId, order.id), server.app.services.notifications.retryDue()]);
    assert.equal((await advance(server, store, order.id, 'completed')).status, 200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal((await messagesFor(server, order.id)).length, 1);
    const rows = await server.app.database.db
      .selectFrom('notifications')
      .select(['status', 'attempts', 'provider_message_id'])
      .where('order_id', '=', order.id)
      .execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.attempts, 1);
    assert.match(rows[0]!.provider_message_id ?? '', /^outbox-\d+$/);

    // the number is nowhere in the database in the clear
    const outbox = await server.app.database.db.selectFrom('message_outbox').select(['to_masked', 'body']).execute();
    const digits = someone.phone.replace(/-/g, '');
    assert.ok(outbox.every((row) => !row.to_masked.includes(digits) && !row.body.includes(digits)));
  });

  test("an order skipped straight to ready is notified too; the member's language picks the text", async () => {
    const store = await storeWithKiosk(server);
    const someone = await member(server, store, { readyNotice: true, language: 'en' });
    const order = await orderFor(server, store, someone.customerId);
    assert.equal((await advance(server, store, order.id, 'ready')).status, 200);
    await eventually('the ready message', async () => (await notificationOf(server, order.id))?.status === 'sent');
    const messages = await messagesFor(server, order.id);
    assert.equal(messages.length, 1);
    assert.match(messages[0]!.text, new RegExp(`Your order is ready\\. Order number ${order.number}\\.$`));
  });

  test('a member who did not consent, and a guest, get none', async () => {
    const store = await storeWithKiosk(server);
    const someone = await member(server, store, { readyNotice: false });
    const listing = await server.api('GET', `/api/stores/${store.storeId}/customers`, { token: store.ownerToken });
    assert.equal(listing.body.customers.find((row: { id: string }) => row.id === someone.customerId).readyNotice, false);
    const order = await orderFor(server, store, someone.customerId);
    const guestOrder = await orderFor(server, store, null);
    for (const each of [order, guestOrder]) assert.equal((await advance(server, store, each.id, 'ready')).status, 200);
    // a consenting member's order readied after them: once its message is there, theirs would be too
    const consenting = await member(server, store, { readyNotice: true });
    const later = await orderFor(server, store, consenting.customerId);
    assert.equal((await advance(server, store, later.id, 'ready')).status, 200);
    await eventually('the later message', async () => (await messagesFor(server, later.id)).length === 1);
    assert.deepEqual(await messagesFor(server, order.id), []);
    assert.deepEqual(await messagesFor(server, guestOrder.id), []);
    assert.equal(await notificationOf(server, order.id), undefined);
    assert.equal(await notificationOf(server, guestOrder.id), undefined);
  });

  test('a consent revoked in the POS or at the kiosk: no message from then on', async () => {
    const store = await storeWithKiosk(server);
    const atPos = await member(server, store, { readyNotice: true });
    const atKiosk = await member(server, store, { readyNotice: true });
    const customers = `/api/stores/${store.storeId}/customers`;

    let listing = await server.api('GET', customers, { token: store.ownerToken });
    assert.equal(listing.body.customers.find((row: { id: string }) => row.id === atPos.customerId).readyNotice, true);
    assert.equal((await server.api('DELETE', `${customers}/${atPos.customerId}/ready-notice`, { token: store.ownerToken })).status, 204);
    listing = await server.api('GET', customers, { token: store.ownerToken });
    assert.equal(listing.body.customers.find((row: { id: string }) => row.id === atPos.customerId).readyNotice, false);

    const state = await server.api('GET', `${customers}/${atKiosk.customerId}/ready-notice`, { token: store.kioskToken });
    assert.deepEqual(state.body, { readyNotice: true });
    // the kiosk must show it is them: a wrong number is refused, theirs is taken
    const wrong = await server.api('POST', `${customers}/${atKiosk.customerId}/ready-notice/revoke`, {
      token: store.kioskToken,
      body: { phone: '010-0000-0000' },
    });
    assert.equal(wrong.status, 403);
    assert.equal(wrong.body.error.code, 'customer_proof_failed');
    const revoked = await server.api('POST', `${customers}/${atKiosk.customerId}/ready-notice/revoke`, {
      token: store.kioskToken,
      body: { phone: atKiosk.phone },
    });
    assert.equal(revoked.status, 204, JSON.stringify(revoked.body));
    assert.deepEqual((await server.api('GET', `${customers}/${atKiosk.customerId}/ready-notice`, { token: store.kioskToken })).body, { readyNotice: false });
    // the owner's route is not the kiosk's, and the kiosk's is not the owner's
    assert.equal((await server.api('DELETE', `${customers}/${atKiosk.customerId}/ready-notice`, { token: store.kioskToken })).status, 403);

    const orders = [await orderFor(server, store, atPos.customerId), await orderFor(server, store, atKiosk.customerId)];
    for (const each of orders) assert.equal((await advance(server, store, each.id, 'ready')).status, 200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const each of orders) {
      assert.deepEqual(await messagesFor(server, each.id), []);
      assert.equal(await notificationOf(server, each.id), undefined);
    }
  });

  test('a consent revoked after the order became ready, before the message went: it is not sent', async () => {
    const store = await storeWithKiosk(server);
    const someone = await member(server, store, { readyNotice: true });
    const order = await orderFor(server, store, someone.customerId);
    // enqueued by hand as the hook would, but sent only after the revocation
    await server.app.database.db.updateTable('orders').set({ status: 'ready' }).where('id', '=', order.id).execute();
    await server.app.database.db
      .insertInto('notifications')
      .values({ order_id: order.id, kind: 'order_ready', store_id: store.storeId, customer_id: someone.customerId })
      .execute();
    assert.equal(
      (await server.api('DELETE', `/api/stores/${store.storeId}/customers/${someone.customerId}/ready-notice`, { token: store.ownerToken })).status,
      204,
    );
    await server.app.services.notifications.retryDue();
    assert.equal((await notificationOf(server, order.id))?.status, 'cancelled');
    assert.deepEqual(await messagesFor(server, order.id), []);
  });

  test('/dev/messages refuses a request that came through a proxy', async () => {
    for (const header of ['x-forwarded-for', 'forwarded', 'x-real-ip']) {
      const response = await server.api('GET', '/dev/messages', { headers: { [header]: '203.0.113.9' } });
      assert.equal(response.status, 403, header);
      assert.equal(response.body.error.code, 'dev_page_loopback_only');
    }
  });
});

describe('ready messages through an HTTP provider that fails', () => {
  interface Received {
    headers: http.IncomingHttpHeaders;
    body: { to: string; text: string; sender: string | null; idempotencyKey: string };
    at: number;
  }
  const received: Received[] = [];
  let provider: http.Server;
  let viaProvider: TestServer;
  /** numbers the stand-in always refuses */
  const alwaysRefused = new Set<string>();

  before(async () => {
    // answers the first attempt of each message 500 (after a pause longer than a status change may take), later ones 200
    provider = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Received['body'];
        const earlier = received.filter((each) => each.body.idempotencyKey === body.idempotencyKey).length;
        received.push({ headers: request.headers, body, at: Date.now() });
        if (alwaysRefused.has(body.to) || earlier === 0) {
          setTimeout(() => response.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"busy"}'), earlier === 0 ? 1500 : 0);
          return;
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ messageId: `sms-${received.length}` }));
      });
    });
    await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
    const port = (provider.address() as AddressInfo).port;
    viaProvider = await startTestServer({
      env: {
        ...roomyLimits,
        MESSAGING_URL: `http://127.0.0.1:${port}/messages`,
        MESSAGING_API_KEY: 'test-provider-key',
        MESSAGING_SENDER: '15881234',
        MESSAGING_RETRY_BASE_SECONDS: '1',
        MESSAGING_RETRY_CHECK_SECONDS: '1',
        MESSAGING_MAX_ATTEMPTS: '2',
      },
    });
  });
  after(async () => {
    await viaProvider?.close();
    await new Promise((resolve) => provider?.close(resolve));
  });

  test('the status change is answered at once; the message is retried after a 500 and sent once', async () => {
    const store = await storeWithKiosk(viaProvider);
    const someone = await member(viaProvider, store, { readyNotice: true });
    const order = await orderFor(viaProvider, store, someone.customerId);
    const started = Date.now();
    const ready = await advance(viaProvider, store, order.id, 'ready');
    const took = Date.now() - started;
    assert.equal(ready.status, 200, JSON.stringify(ready.body));
    assert.equal(ready.body.status, 'ready');
    assert.ok(took < 1000, `the status change took ${took} ms: it must not wait on the provider`);

    const sent = await eventually(
      'the retried message',
      async () => {
        const row = await notificationOf(viaProvider, order.id);
        return row?.status === 'sent' ? row : undefined;
      },
      20,
    );
    assert.equal(sent.attempts, 2);
    const mine = received.filter((each) => each.body.idempotencyKey === `order_ready:${order.id}`);
    assert.equal(mine.length, 2, 'a 500, then the retry that succeeded');
    assert.equal(sent.provider_message_id, `sms-${received.indexOf(mine[1]!) + 1}`);
    assert.ok(mine[1]!.at - mine[0]!.at >= 1000, 'the retry waited its back-off');
    for (const request of mine) {
      assert.equal(request.headers.authorization, 'Bearer test-provider-key');
      assert.equal(request.headers['idempotency-key'], `order_ready:${order.id}`);
      assert.equal(request.body.to, someone.phone.replace(/-/g, ''));
      assert.equal(request.body.sender, '15881234');
      assert.match(request.body.text, new RegExp(`주문번호 ${order.number}번$`));
    }
    assert.ok(!(sent.last_error ?? '').includes(digitsOf(someone.phone)));
    assert.equal((await viaProvider.api('GET', '/dev/messages')).status, 404, 'no outbox page when a provider is configured');
  });

  test('a provider that keeps failing is given up after MESSAGING_MAX_ATTEMPTS; the order is untouched', async () => {
    const store = await storeWithKiosk(viaProvider);
    const someone = await member(viaProvider, store, { readyNotice: true });
    alwaysRefused.add(someone.phone.replace(/-/g, ''));
    const order = await orderFor(viaProvider, store, someone.customerId);
    assert.equal((await advance(viaProvider, store, order.id, 'ready')).status, 200);
    const failed = await eventually(
      'the notification given up',
      async () => {
        const row = await notificationOf(viaProvider, order.id);
        return row?.status === 'failed' ? row : undefined;
      },
      20,
    );
    assert.equal(failed.attempts, 2);
    assert.match(failed.last_error ?? '', /provider answered 500/);
    assert.ok(!(failed.last_error ?? '').includes(digitsOf(someone.phone)), 'the error names no number');
    const current = await viaProvider.api('GET', `/api/stores/${store.storeId}/orders/${order.id}`, { token: store.ownerToken });
    assert.equal(current.body.status, 'ready');
    assert.equal((await advance(viaProvider, store, order.id, 'completed')).status, 200);
  });
});

/** the number as digits, as the provider receives it */
function digitsOf(phone: string): string {
  return phone.replace(/-/g, '');
}

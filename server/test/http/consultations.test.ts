// Video consultations over the real WebSocket (/ws) with real `ws` clients on loopback: the
// handshake, requests offered only to the right counselors, first accept wins, seats counted by
// the database (also with twenty kiosks racing), relays between the two parties only, ends,
// vanished sockets and reconnects, bad input and floods, the HTTP lists, and two instances on one
// database and Redis (servers mode).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { menuItem, storeWithKiosk, type StoreFixture } from '../support/factories.js';
import { createBrand, createPostgresDatabase, roomyLimits, signUp, startTestServer, usingServers, type TestServer } from '../support/test-server.js';
import { turnCredentials } from '../../src/modules/consultations/video.js';

const env = {
  ...roomyLimits,
  CONSULTATION_REQUEST_TIMEOUT_SECONDS: '2',
  CONSULTATION_RECONNECT_GRACE_SECONDS: '2',
  CONSULTATION_HEARTBEAT_SECONDS: '1',
};

let server: TestServer;
before(async () => {
  server = await startTestServer({ env });
});
after(() => server?.close());

type Message = { type: string; [field: string]: any };

/** a WebSocket client that keeps every message until a test takes it */
class Client {
  readonly inbox: Message[] = [];
  /** every message in the order it arrived, never taken away (for order checks) */
  readonly received: Message[] = [];
  private readonly waiters = new Set<() => void>();
  readonly closed: Promise<{ code: number; reason: string }>;
  hello!: Message;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString());
      this.inbox.push(message);
      this.received.push(message);
      for (const wake of [...this.waiters]) wake();
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  static async connect(target: TestServer, token: string, options: WebSocket.ClientOptions = {}): Promise<Client> {
    const ws = new WebSocket(`${target.url.replace('http', 'ws')}/ws?access_token=${encodeURIComponent(token)}`, options);
    const client = new Client(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    client.hello = await client.next('hello');
    return client;
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** the first message (kept or to come) of this type that matches */
  async next(type: string, match: (message: Message) => boolean = () => true, timeoutMs = 5000): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.inbox.findIndex((message) => message.type === type && match(message));
      if (index >= 0) return this.inbox.splice(index, 1)[0]!;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${type} message within ${timeoutMs} ms; got ${JSON.stringify(this.inbox.map((m) => m.type))}`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
  }

  /** fails when a message of this type arrives within `ms` */
  async none(type: string, match: (message: Message) => boolean = () => true, ms = 300): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    const found = this.inbox.find((message) => message.type === type && match(message));
    assert.equal(found, undefined, `unexpected ${type}: ${JSON.stringify(found)}`);
  }

  /** sends and waits for the error about it */
  async expectError(message: Record<string, unknown>, code: string): Promise<Message> {
    const id = `m-${randomBytes(4).toString('hex')}`;
    this.send({ ...message, id });
    const error = await this.next('error', (e) => e.replyTo === id);
    assert.equal(error.code, code, JSON.stringify(error));
    assert.ok(error.message.length > 0);
    return error;
  }

  close(): void {
    this.ws.close();
  }
}

/** the HTTP status of a refused handshake */
function handshakeStatus(target: TestServer, query: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${target.url.replace('http', 'ws')}/ws${query}`);
    ws.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      ws.close();
      reject(new Error('the handshake was accepted'));
    });
    ws.on('error', () => undefined);
  });
}

async function addKiosk(target: TestServer, store: StoreFixture, name = 'kiosk'): Promise<{ id: string; token: string }> {
  const kiosk = await target.api('POST', `/api/stores/${store.storeId}/kiosks`, { token: store.ownerToken, body: { name } });
  const login = await target.api('POST', '/api/auth/kiosk-login', { body: kiosk.body.credentials });
  return { id: login.body.kioskId, token: login.body.accessToken };
}

async function counselorOf(target: TestServer, brandCode: string) {
  const account = await signUp(target, 'counselor', { brandCode });
  return { id: account.profile.id as string, token: account.accessToken, email: account.email, password: account.password };
}

/** a connected counselor who has said they are online */
async function onlineCounselor(target: TestServer, brandCode: string) {
  const counselor = await counselorOf(target, brandCode);
  const client = await Client.connect(target, counselor.token);
  client.send({ type: 'presence', status: 'online' });
  await client.next('presence', (m) => m.status === 'online');
  return { ...counselor, client };
}

/** a consultation between a new kiosk and a new counselor of a new brand */
async function consultation(target = server) {
  const store = await storeWithKiosk(target);
  const counselor = await onlineCounselor(target, store.brand.code);
  const kiosk = await Client.connect(target, store.kioskToken);
  kiosk.send({ type: 'request' });
  const offer = await counselor.client.next('request-offered');
  counselor.client.send({ type: 'accept', requestId: offer.requestId });
  const started = await kiosk.next('consultation-started');
  await counselor.client.next('consultation-started');
  return { store, counselor, kiosk, consultationId: started.consultationId as string, requestId: offer.requestId as string };
}

async function row(consultationId: string) {
  return server.app.database.db.selectFrom('consultations').selectAll().where('id', '=', consultationId).executeTakeFirstOrThrow();
}

describe('the handshake', () => {
  test('is refused without a token, with a bad one, and for store owners', async () => {
    const store = await storeWithKiosk(server);
    assert.equal(await handshakeStatus(server, ''), 401);
    assert.equal(await handshakeStatus(server, '?access_token=not.a.token'), 401);
    assert.equal(await handshakeStatus(server, `?access_token=${store.kioskToken}x`), 401);
    assert.equal(await handshakeStatus(server, `?access_token=${store.ownerToken}`), 403);
  });

  test('a kiosk and a counselor are greeted with who they are, their consultations and ICE servers', async () => {
    const store = await storeWithKiosk(server);
    const kiosk = await Client.connect(server, store.kioskToken);
    assert.equal(kiosk.hello.role, 'kiosk');
    assert.equal(kiosk.hello.self.id, store.kioskId);
    assert.equal(kiosk.hello.self.storeId, store.storeId);
    assert.deepEqual(kiosk.hello.consultations, []);
    assert.equal(kiosk.hello.request, null);
    assert.deepEqual(kiosk.hello.iceServers, []); // no STUN or TURN configured
    assert.equal(kiosk.hello.videoProvider, 'builtin');
    assert.equal(kiosk.hello.limits.maxMessageBytes, 65536);

    const counselor = await counselorOf(server, store.brand.code);
    const client = await Client.connect(server, counselor.token);
    assert.equal(client.hello.role, 'counselor');
    assert.deepEqual(client.hello.presence, { status: 'away', capacity: 3, active: 0 });
    client.send({ type: 'presence', status: 'online' });
    assert.equal((await client.next('presence')).status, 'online');

    // a fresh token keeps the socket going; someone else's is refused
    const refreshed = await server.api('POST', '/api/auth/login', { body: { role: 'counselor', email: counselor.email, password: counselor.password } });
    client.send({ type: 'auth', accessToken: refreshed.body.accessToken });
    assert.ok(Date.parse((await client.next('auth-ok')).expiresAt) > Date.now());
    await client.expectError({ type: 'auth', accessToken: store.kioskToken }, 'token_mismatch');
    await client.expectError({ type: 'auth', accessToken: 'not.a.token' }, 'invalid_token');
    kiosk.close();
    client.close();
  });
});

describe('requests', () => {
  test('reach only online counselors of the kiosk’s brand; with none the kiosk is told at once', async () => {
    const store = await storeWithKiosk(server);
    const online = await onlineCounselor(server, store.brand.code);
    const away = await Client.connect(server, (await counselorOf(server, store.brand.code)).token);
    const otherBrand = await createBrand(server, 'Other');
    const foreign = await onlineCounselor(server, otherBrand.code);
    const kiosk = await Client.connect(server, store.kioskToken);

    kiosk.send({ type: 'request' });
    const status = await kiosk.next('request-status');
    assert.equal(status.status, 'waiting');
    assert.equal(status.offeredTo, 1);
    const offer = await online.client.next('request-offered');
    assert.equal(offer.requestId, status.requestId);
    assert.deepEqual(offer.kiosk, { id: store.kioskId, name: 'kiosk', storeId: store.storeId, storeName: 'Test store' });
    await away.none('request-offered');
    await foreign.client.none('request-offered');

    // one waiting request at a time
    await kiosk.expectError({ type: 'request' }, 'already_requesting');

    // a brand with no counselor online
    const lonely = await storeWithKiosk(server, otherBrand);
    foreign.client.send({ type: 'presence', status: 'away' });
    await foreign.client.next('presence', (m) => m.status === 'away');
    const lonelyKiosk = await Client.connect(server, lonely.kioskToken);
    lonelyKiosk.send({ type: 'request' });
    assert.equal((await lonelyKiosk.next('request-status')).status, 'no-counselor');
    for (const client of [online.client, away, foreign.client, kiosk, lonelyKiosk]) client.close();
  });

  test('the first accept wins; the other counselor’s prompt closes', async () => {
    const store = await storeWithKiosk(server);
    const first = await onlineCounselor(server, store.brand.code);
    const second = await onlineCounselor(server, store.brand.code);
    const kiosk = await Client.connect(server, store.kioskToken);
    kiosk.send({ type: 'request' });
    const offer = await first.client.next('request-offered');
    await second.client.next('request-offered');

    first.client.send({ type: 'accept', requestId: offer.requestId, id: 'a1' });
    second.client.send({ type: 'accept', requestId: offer.requestId, id: 'a2' });
    const outcomes = await Promise.all(
      [first, second].map(async ({ client }) => {
        const message = await Promise.race([client.next('consultation-started'), client.next('error', (e) => e.code === 'request_taken')]);
        return message.type;
      }),
    );
    assert.deepEqual([...outcomes].sort(), ['consultation-started', 'error']);
    const loser = outcomes[0] === 'error' ? first : second;
    const winner = loser === first ? second : first;
    assert.equal((await loser.client.next('request-closed')).reason, 'taken');

    const accepted = await kiosk.next('request-status', (m) => m.status === 'accepted');
    const started = await kiosk.next('consultation-started');
    assert.equal(started.consultationId, accepted.consultationId);
    assert.equal(started.counselor.id, winner.id);
    assert.equal(started.kiosk.id, store.kioskId);
    assert.equal(started.video.provider, 'builtin');
    assert.equal((await winner.client.next('presence')).active, 1);
    const record = await row(started.consultationId);
    assert.equal(record.counselor_id, winner.id);
    assert.equal(record.ended_at, null);
    for (const client of [first.client, second.client, kiosk]) client.close();
  });

  test('rejected by every counselor it was offered to, the kiosk is told', async () => {
    const store = await storeWithKiosk(server);
    const counselors = [await onlineCounselor(server, store.brand.code), await onlineCounselor(server, store.brand.code)];
    const kiosk = await Client.connect(server, store.kioskToken);
    kiosk.send({ type: 'request' });
    for (const { client } of counselors) {
      const offer = await client.next('request-offered');
      client.send({ type: 'reject', requestId: offer.requestId });
      assert.equal((await client.next('request-closed')).reason, 'rejected');
    }
    await kiosk.next('request-status', (m) => m.status === 'waiting');
    assert.equal((await kiosk.next('request-status')).status, 'rejected');
    // the kiosk may ask again
    kiosk.send({ type: 'request' });
    assert.equal((await kiosk.next('request-status')).status, 'waiting');
    for (const client of [...counselors.map((c) => c.client), kiosk]) client.close();
  });

  test('a request no one takes in time expires; the kiosk may cancel one', async () => {
    const store = await storeWithKiosk(server);
    const counselor = await onlineCounselor(server, store.brand.code);
    const kiosk = await Client.connect(server, store.kioskToken);
    kiosk.send({ type: 'request' });
    const waiting = await kiosk.next('request-status');
    await counselor.client.next('request-offered');
    assert.equal((await kiosk.next('request-status', () => true, 5000)).status, 'expired');
    assert.equal((await counselor.client.next('request-closed')).reason, 'expired');
    const stored = await server.app.database.db.selectFrom('consultation_requests').selectAll().where('id', '=', waiting.requestId).executeTakeFirstOrThrow();
    assert.equal(stored.status, 'expired');
    await counselor.client.expectError({ type: 'accept', requestId: waiting.requestId }, 'request_closed');

    kiosk.send({ type: 'request' });
    const again = await kiosk.next('request-status', (m) => m.status === 'waiting');
    await counselor.client.next('request-offered');
    kiosk.send({ type: 'cancel', requestId: again.requestId });
    assert.equal((await kiosk.next('request-status')).status, 'cancelled');
    assert.equal((await counselor.client.next('request-closed')).reason, 'cancelled');
    await kiosk.expectError({ type: 'cancel', requestId: again.requestId }, 'request_closed');
    await counselor.client.expectError({ type: 'accept', requestId: again.requestId }, 'request_closed');
    counselor.client.close();
    kiosk.close();
  });

  test('a fan-out to many counselors: each is offered before the prompt closes, and the two parties are told', async () => {
    const store = await storeWithKiosk(server);
    const counselors = await Promise.all(Array.from({ length: 8 }, () => onlineCounselor(server, store.brand.code)));
    const kiosk = await Client.connect(server, store.kioskToken);
    /** the types of the messages about this request a counselor got, in the order they arrived */
    const sequence = (client: Client, requestId: string) => client.received.filter((m) => m.requestId === requestId).map((m) => m.type);

    // taken: the first counselor to see the prompt accepts at once, while the others' may still be on the way
    kiosk.send({ type: 'request' });
    const waiting = await kiosk.next('request-status');
    assert.equal(waiting.offeredTo, counselors.length);
    const winner = await Promise.any(counselors.map(async (counselor) => (await counselor.client.next('request-offered'), counselor)));
    winner.client.send({ type: 'accept', requestId: waiting.requestId });
    const started = await kiosk.next('consultation-started');
    assert.equal(started.counselor.id, winner.id);
    assert.equal((await winner.client.next('consultation-started')).consultationId, started.consultationId);
    assert.equal((await kiosk.next('request-status')).status, 'accepted');
    for (const { client } of counselors.filter((counselor) => counselor !== winner)) {
      assert.equal((await client.next('request-closed', (m) => m.requestId === waiting.requestId)).reason, 'taken');
      assert.deepEqual(sequence(client, waiting.requestId), ['request-offered', 'request-closed']);
    }
    kiosk.send({ type: 'end', consultationId: started.consultationId });
    await winner.client.next('consultation-ended');

    // withdrawn right away: every counselor's prompt closes after it was shown
    const other = await Client.connect(server, (await addKiosk(server, store, 'second')).token);
    other.send({ type: 'request' });
    const withdrawn = await other.next('request-status', (m) => m.status === 'waiting');
    other.send({ type: 'cancel', requestId: withdrawn.requestId });
    assert.equal((await other.next('request-status')).status, 'cancelled');
    for (const { client } of counselors) {
      assert.equal((await client.next('request-closed', (m) => m.requestId === withdrawn.requestId)).reason, 'cancelled');
      assert.deepEqual(sequence(client, withdrawn.requestId), ['request-offered', 'request-closed']);
    }
    for (const client of [...counselors.map((c) => c.client), kiosk, other]) client.close();
  });

  test('a counselor waiting online is shown requests made before they came', async () => {
    const store = await storeWithKiosk(server);
    const early = await onlineCounselor(server, store.brand.code);
    const kiosk = await Client.connect(server, store.kioskToken);
    kiosk.send({ type: 'request' });
    const offer = await early.client.next('request-offered');
    const late = await counselorOf(server, store.brand.code);
    const client = await Client.connect(server, late.token);
    client.send({ type: 'presence', status: 'online' });
    assert.equal((await client.next('request-offered')).requestId, offer.requestId);
    client.send({ type: 'accept', requestId: offer.requestId });
    await client.next('consultation-started');
    assert.equal((await early.client.next('request-closed')).reason, 'taken');
    for (const c of [early.client, client, kiosk]) c.close();
  });
});

describe('in a consultation', () => {
  test('signals go to the other party only; a third party is refused', async () => {
    const { store, counselor, kiosk, consultationId } = await consultation();
    const bystander = await addKiosk(server, store, 'bystander');
    const third = await Client.connect(server, bystander.token);
    const foreignStore = await storeWithKiosk(server);
    const foreign = await Client.connect(server, foreignStore.kioskToken);

    const offer = { sdp: { type: 'offer', sdp: 'v=0 fake' } };
    counselor.client.send({ type: 'signal', consultationId, data: offer });
    const received = await kiosk.next('signal');
    assert.deepEqual(received, { type: 'signal', consultationId, from: 'counselor', data: offer });
    kiosk.send({ type: 'signal', consultationId, data: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host' } });
    assert.equal((await counselor.client.next('signal')).from, 'kiosk');

    await third.expectError({ type: 'signal', consultationId, data: {} }, 'not_in_consultation');
    await foreign.expectError({ type: 'signal', consultationId, data: {} }, 'forbidden_brand');
    await third.expectError({ type: 'signal', consultationId: '00000000-0000-4000-8000-000000000000', data: {} }, 'not_in_consultation');
    await third.expectError({ type: 'end', consultationId }, 'not_in_consultation');
    await counselor.client.none('signal', () => true, 100);
    await kiosk.none('signal', () => true, 0);
    for (const c of [counselor.client, kiosk, third, foreign]) c.close();
  });

  test('the kiosk mirrors its screen; the counselor suggests an item and hears the answer', async () => {
    const { store, counselor, kiosk, consultationId } = await consultation();
    const latte = await menuItem(server, store.storeId, {
      name: '카페라떼',
      groups: [
        {
          name: '사이즈',
          kind: 'single',
          options: [
            { name: 'Tall', priceDelta: 0 },
            { name: 'Grande', priceDelta: 500 },
          ],
        },
      ],
    });
    const state = { page: 'menu', cart: [{ itemId: latte.id, quantity: 1 }], dialog: null };
    kiosk.send({ type: 'mirror', consultationId, state });
    assert.deepEqual(await counselor.client.next('mirror'), { type: 'mirror', consultationId, state });

    const suggestionId = '22222222-2222-4222-8222-222222222222';
    counselor.client.send({ type: 'suggest', consultationId, suggestionId, itemId: latte.id, optionIds: [latte.options.Grande], quantity: 2 });
    const suggestion = await kiosk.next('suggest');
    assert.deepEqual(suggestion, { type: 'suggest', consultationId, suggestionId, itemId: latte.id, optionIds: [latte.options.Grande], quantity: 2 });
    kiosk.send({ type: 'suggestion-answer', consultationId, suggestionId, accepted: true });
    assert.deepEqual(await counselor.client.next('suggestion-answer'), { type: 'suggestion-answer', consultationId, suggestionId, accepted: true });

    const elsewhere = await menuItem(server, (await storeWithKiosk(server, store.brand)).storeId, {});
    await counselor.client.expectError({ type: 'suggest', consultationId, itemId: elsewhere.id }, 'unknown_item');
    await counselor.client.expectError({ type: 'suggest', consultationId, itemId: latte.id, optionIds: [elsewhere.id] }, 'unknown_option');
    await kiosk.expectError({ type: 'suggest', consultationId, itemId: latte.id }, 'forbidden_type');
    await counselor.client.expectError({ type: 'mirror', consultationId, state }, 'forbidden_type');
    counselor.client.close();
    kiosk.close();
  });

  test('either side ends it: both are told, the seat is free, the record is kept and listed', async () => {
    for (const ender of ['kiosk', 'counselor'] as const) {
      const { store, counselor, kiosk, consultationId } = await consultation();
      await counselor.client.next('presence', (m) => m.active === 1);
      (ender === 'kiosk' ? kiosk : counselor.client).send({ type: 'end', consultationId });
      for (const client of [kiosk, counselor.client]) {
        const ended = await client.next('consultation-ended');
        assert.deepEqual(ended, { type: 'consultation-ended', consultationId, by: ender, reason: 'completed' });
      }
      assert.equal((await counselor.client.next('presence', (m) => m.active === 0)).active, 0);
      const record = await row(consultationId);
      assert.ok(record.ended_at);
      assert.equal(record.ended_by, ender);
      assert.equal(record.outcome, 'completed');
      await kiosk.expectError({ type: 'signal', consultationId, data: {} }, 'not_in_consultation');
      await counselor.client.expectError({ type: 'end', consultationId }, 'consultation_ended');

      const mine = await server.api('GET', `/api/consultations/mine?date=${record.local_date}`, { token: counselor.token });
      assert.equal(mine.status, 200, JSON.stringify(mine.body));
      assert.equal(mine.body.consultations[0].id, consultationId);
      assert.equal(mine.body.consultations[0].outcome, 'completed');
      assert.equal(mine.body.consultations[0].store.id, store.storeId);
      const today = await server.api('GET', '/api/consultations/mine', { token: counselor.token });
      assert.equal(today.status, 200);
      const listed = await server.api('GET', `/api/stores/${store.storeId}/consultations?from=${record.local_date}&to=${record.local_date}`, {
        token: store.ownerToken,
      });
      assert.equal(listed.status, 200, JSON.stringify(listed.body));
      assert.equal(listed.body.total, 1);
      assert.equal(listed.body.consultations[0].kiosk.id, store.kioskId);
      assert.equal(listed.body.consultations[0].counselor.id, counselor.id);
      assert.equal(listed.body.consultations[0].endedBy, ender);
      // the list is the owner's, of their own store only
      const other = await storeWithKiosk(server, store.brand);
      const refused = await server.api('GET', `/api/stores/${store.storeId}/consultations?from=2026-01-01&to=2026-01-02`, { token: other.ownerToken });
      assert.equal(refused.body.error.code, 'forbidden_store');
      assert.equal((await server.api('GET', '/api/consultations/mine', { token: store.ownerToken })).body.error.code, 'forbidden_role');
      counselor.client.close();
      kiosk.close();
    }
  });

  test('a counselor whose socket vanishes: the kiosk is told, and past the grace it ends and the seat frees', async () => {
    const { counselor, kiosk, consultationId } = await consultation();
    counselor.client.ws.terminate();
    const gone = await kiosk.next('peer-gone');
    assert.equal(gone.consultationId, consultationId);
    assert.equal(gone.reconnectGraceSeconds, 2);
    const ended = await kiosk.next('consultation-ended', () => true, 6000);
    assert.deepEqual(ended, { type: 'consultation-ended', consultationId, by: 'system', reason: 'disconnected' });
    const record = await row(consultationId);
    assert.equal(record.outcome, 'disconnected');
    const back = await Client.connect(server, counselor.token);
    assert.deepEqual(back.hello.consultations, []);
    assert.equal(back.hello.presence.active, 0);
    back.close();
    kiosk.close();
  });

  test('a side that reconnects within the grace resumes the consultation', async () => {
    const { store, counselor, kiosk, consultationId } = await consultation();
    kiosk.ws.terminate();
    await counselor.client.next('peer-gone');
    const again = await Client.connect(server, store.kioskToken);
    assert.equal(again.hello.consultations.length, 1);
    const resumed = again.hello.consultations[0];
    assert.equal(resumed.consultationId, consultationId);
    assert.equal(resumed.counselor.id, counselor.id);
    assert.equal(resumed.peerConnected, true);
    assert.equal(resumed.video.provider, 'builtin');
    assert.equal((await counselor.client.next('peer-back')).consultationId, consultationId);
    await new Promise((resolve) => setTimeout(resolve, 2600)); // past the grace
    assert.equal((await row(consultationId)).ended_at, null);
    counselor.client.send({ type: 'signal', consultationId, data: { restart: true } });
    assert.deepEqual((await again.next('signal')).data, { restart: true });
    await again.expectError({ type: 'request' }, 'already_in_consultation');
    counselor.client.close();
    again.close();
  });

  test('a connection that stops answering pings is dropped', async () => {
    const store = await storeWithKiosk(server);
    const silent = await Client.connect(server, store.kioskToken, { autoPong: false });
    const closed = await Promise.race([silent.closed, new Promise<'open'>((resolve) => setTimeout(() => resolve('open'), 6000))]);
    assert.notEqual(closed, 'open');
  });
});

describe('bad input', () => {
  test('unknown, malformed, invalid and oversized messages get an error and the connection stays', async () => {
    const store = await storeWithKiosk(server);
    const kiosk = await Client.connect(server, store.kioskToken);
    await kiosk.expectError({ type: 'dance' }, 'unknown_type');
    kiosk.send('{not json');
    assert.equal((await kiosk.next('error')).code, 'malformed_message');
    kiosk.send('[1,2,3]');
    assert.equal((await kiosk.next('error')).code, 'malformed_message');
    kiosk.send('{"type":"request","__proto__":{"polluted":true}}');
    assert.equal((await kiosk.next('error')).code, 'malformed_message');
    kiosk.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    assert.equal((await kiosk.next('error')).code, 'malformed_message');
    await kiosk.expectError({ type: 'cancel', requestId: 'nope' }, 'invalid_message');
    await kiosk.expectError({ type: 'request', extra: 1 }, 'invalid_message');
    await kiosk.expectError({ type: 'signal', consultationId: '00000000-0000-4000-8000-000000000000', data: { shallow: 1 } }, 'not_in_consultation');
    // nesting that would overflow JSON.stringify when relayed is refused before anything reads it
    kiosk.send(`{"type":"signal","id":"deep","consultationId":"00000000-0000-4000-8000-000000000000","data":${'['.repeat(20_000)}${']'.repeat(20_000)}}`);
    assert.equal((await kiosk.next('error', (e) => e.replyTo === 'deep')).code, 'invalid_message');
    await kiosk.expectError({ type: 'accept', requestId: '00000000-0000-4000-8000-000000000000' }, 'forbidden_type');
    kiosk.send({ type: 'mirror', consultationId: '00000000-0000-4000-8000-000000000000', state: { big: 'x'.repeat(70_000) } });
    assert.equal((await kiosk.next('error')).code, 'message_too_large'); // not read, so without replyTo
    // still answering
    kiosk.send({ type: 'request' });
    assert.equal((await kiosk.next('request-status')).status, 'no-counselor');
    // a frame past the hard limit closes the socket, as WebSocket servers do
    kiosk.send('x'.repeat(300_000));
    assert.equal((await kiosk.closed).code, 1009);
  });

  test('a flood is rate limited, and a connection that keeps flooding is closed', async () => {
    const store = await storeWithKiosk(server);
    const kiosk = await Client.connect(server, store.kioskToken);
    const cancel = { type: 'cancel', requestId: '00000000-0000-4000-8000-000000000000' };
    for (let i = 0; i < 80; i++) kiosk.send(cancel);
    const limited = await kiosk.next('error', (e) => e.code === 'rate_limited');
    assert.equal(limited.details.messagesPerSecond, 50);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    kiosk.send({ type: 'request' });
    await kiosk.next('request-status');
    for (let second = 0; second < 4; second++) {
      for (let i = 0; i < 80; i++) if (kiosk.ws.readyState === WebSocket.OPEN) kiosk.send(cancel);
      await new Promise((resolve) => setTimeout(resolve, 1050));
    }
    assert.equal((await kiosk.closed).code, 4429);
  });
});

describe('seats', () => {
  test('a full counselor is not offered a fourth kiosk; capacity can be changed', async () => {
    const store = await storeWithKiosk(server);
    const counselor = await onlineCounselor(server, store.brand.code);
    const kiosks: Client[] = [];
    for (let i = 0; i < 4; i++) {
      const kiosk = await Client.connect(server, (await addKiosk(server, store, `k${i}`)).token);
      kiosks.push(kiosk);
      kiosk.send({ type: 'request' });
      if (i < 3) {
        const offer = await counselor.client.next('request-offered');
        counselor.client.send({ type: 'accept', requestId: offer.requestId });
        await kiosk.next('consultation-started');
      } else {
        assert.equal((await kiosk.next('request-status')).status, 'no-counselor');
      }
    }
    await counselor.client.none('request-offered');

    const invalid = await server.api('PUT', '/api/counselors/me/capacity', { token: counselor.token, body: { capacity: 4 } });
    assert.equal(invalid.body.error.code, 'validation_failed');
    const lowered = await server.api('PUT', '/api/counselors/me/capacity', { token: counselor.token, body: { capacity: 1 } });
    assert.deepEqual(lowered.body, { status: 'online', capacity: 1, active: 3 });
    assert.equal((await counselor.client.next('presence', (m) => m.capacity === 1)).active, 3);
    // one ends: two live are still over a capacity of one, so the fourth kiosk is still not offered
    const [first] = counselor.client.inbox.filter((m) => m.type === 'consultation-started');
    counselor.client.send({ type: 'end', consultationId: first!.consultationId });
    await counselor.client.next('presence', (m) => m.active === 2);
    kiosks[3]!.send({ type: 'request' });
    assert.equal((await kiosks[3]!.next('request-status')).status, 'no-counselor');
    await counselor.client.none('request-offered');
    const kioskOwner = await server.api('PUT', '/api/counselors/me/capacity', { token: store.ownerToken, body: { capacity: 2 } });
    assert.equal(kioskOwner.body.error.code, 'forbidden_role');
    for (const c of [counselor.client, ...kiosks]) c.close();
  });

  test('twenty kiosks racing for one counselor: exactly the capacity is admitted', async () => {
    const store = await storeWithKiosk(server);
    const counselor = await onlineCounselor(server, store.brand.code);
    const kiosks = await Promise.all(Array.from({ length: 20 }, (_, i) => addKiosk(server, store, `race ${i}`)));
    const clients = await Promise.all(kiosks.map((kiosk) => Client.connect(server, kiosk.token)));

    // the counselor accepts every offer the moment it arrives
    let accepting = true;
    const acceptAll = (async () => {
      while (accepting) {
        const offer = await counselor.client.next('request-offered', () => true, 300).catch(() => undefined);
        if (offer) counselor.client.send({ type: 'accept', requestId: offer.requestId });
      }
    })();
    for (const client of clients) client.send({ type: 'request' });
    const statuses = await Promise.all(clients.map((client) => client.next('request-status')));
    assert.ok(statuses.every((s) => s.status === 'waiting' || s.status === 'no-counselor'));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    accepting = false;
    await acceptAll;

    const live = await server.app.database.db
      .selectFrom('consultations')
      .select('kiosk_id')
      .where('counselor_id', '=', counselor.id)
      .where('ended_at', 'is', null)
      .execute();
    assert.equal(live.length, 3);
    assert.equal(counselor.client.inbox.filter((m) => m.type === 'consultation-started').length, 3);
    // every other offer was refused for the full counselor (or, on a slow machine, had expired first)
    const refused = counselor.client.inbox.filter((m) => m.type === 'error');
    assert.ok(
      refused.every((e) => e.code === 'counselor_full' || e.code === 'request_closed'),
      JSON.stringify(refused),
    );
    assert.equal(refused.length, statuses.filter((s) => s.status === 'waiting').length - 3);
    let started = 0;
    for (const client of clients) if (client.inbox.some((m) => m.type === 'consultation-started')) started += 1;
    assert.equal(started, 3);
    for (const client of [counselor.client, ...clients]) client.close();
  });

  test('twenty parallel accepts on the service against twenty waiting requests: exactly the capacity', async () => {
    const store = await storeWithKiosk(server);
    const counselor = await counselorOf(server, store.brand.code);
    const principal = await server.app.services.auth.authenticate(counselor.token);
    const db = server.app.database.db;
    const kiosks = await Promise.all(Array.from({ length: 20 }, (_, i) => addKiosk(server, store, `service ${i}`)));
    const requests = await db
      .insertInto('consultation_requests')
      .values(
        kiosks.map((kiosk) => ({
          kiosk_id: kiosk.id,
          store_id: store.storeId,
          brand_id: store.brand.id,
          status: 'waiting' as const,
          expires_at: new Date(Date.now() + 60_000),
        })),
      )
      .returning('id')
      .execute();
    const results = await Promise.allSettled(requests.map((request) => server.app.services.consultations.accept(principal, request.id)));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 3);
    const reasons = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason.code);
    assert.deepEqual([...new Set(reasons)], ['counselor_full']);
    const accepted = await db
      .selectFrom('consultation_requests')
      .select('id')
      .where(
        'id',
        'in',
        requests.map((r) => r.id),
      )
      .where('status', '=', 'accepted')
      .execute();
    assert.equal(accepted.length, 3);
  });
});

describe('video', () => {
  test('TURN credentials are coturn REST credentials; LiveKit tokens grant the consultation’s room', async () => {
    const { username, credential } = turnCredentials('s3cret', 'abc', 1_700_000_000_000, 3600);
    assert.equal(username, '1700003600:abc');
    const { createHmac } = await import('node:crypto');
    assert.equal(credential, createHmac('sha1', 's3cret').update(username).digest('base64'));

    const { Video } = await import('../../src/modules/consultations/video.js');
    const { loadConfig } = await import('../../src/config.js');
    const builtin = new Video(
      loadConfig({ STUN_URLS: 'stun:stun.example:3478', TURN_URL: 'turn:turn.example:3478?transport=udp', TURN_SECRET: 'shh' }).consultations,
    );
    const servers = builtin.iceServers('kiosk-1');
    assert.deepEqual(servers[0], { urls: ['stun:stun.example:3478'] });
    assert.match(servers[1]!.username!, /^\d+:kiosk-1$/);
    assert.throws(() => loadConfig({ TURN_URL: 'turn:x' }), /TURN_SECRET/);
    assert.throws(() => loadConfig({ STUN_URLS: 'http://x' }), /STUN_URLS/);

    const livekit = new Video(
      loadConfig({
        VIDEO_PROVIDER: 'livekit',
        LIVEKIT_URL: 'wss://video.example',
        LIVEKIT_API_KEY: 'key',
        LIVEKIT_API_SECRET: 'secret-secret-secret-secret-1234',
      }).consultations,
    );
    const join = await livekit.join('33333333-3333-4333-8333-333333333333', { role: 'counselor', id: 'counselor-1', name: 'Kim' });
    assert.equal(join.provider, 'livekit');
    if (join.provider !== 'livekit') return;
    assert.equal(join.url, 'wss://video.example');
    const [, payload] = join.token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'));
    assert.equal(claims.sub, 'counselor-1');
    assert.equal(claims.iss, 'key');
    assert.equal(claims.video.room, '33333333-3333-4333-8333-333333333333');
    assert.equal(claims.video.roomJoin, true);
    const signature = createHmac('sha256', 'secret-secret-secret-secret-1234').update(join.token.split('.').slice(0, 2).join('.')).digest('base64url');
    assert.equal(join.token.split('.')[2], signature);
  });
});

describe('two instances', { skip: !usingServers && 'needs PostgreSQL and Redis (PINOKIO_TEST_SERVERS=1)' }, () => {
  test('a kiosk on instance A and a counselor on instance B: offered, accepted, signals relayed across', async () => {
    const database = await createPostgresDatabase();
    const shared = {
      databaseUrl: database.url,
      redisPrefix: `pinokio-test-${randomBytes(4).toString('hex')}:`,
      env: { ...env, AUTH_TOKEN_SECRET: randomBytes(24).toString('hex') },
    };
    const a = await startTestServer(shared);
    const b = await startTestServer(shared);
    try {
      const store = await storeWithKiosk(a);
      const counselor = await counselorOf(a, store.brand.code);
      const onB = await Client.connect(b, counselor.token);
      onB.send({ type: 'presence', status: 'online' });
      await onB.next('presence', (m) => m.status === 'online');
      const onA = await Client.connect(a, store.kioskToken);
      onA.send({ type: 'request' });
      assert.equal((await onA.next('request-status')).offeredTo, 1);
      const offer = await onB.next('request-offered');
      onB.send({ type: 'accept', requestId: offer.requestId });
      const started = await onA.next('consultation-started');
      assert.equal(started.counselor.id, counselor.id);
      await onB.next('consultation-started');
      onB.send({ type: 'signal', consultationId: started.consultationId, data: { sdp: 'offer' } });
      assert.deepEqual((await onA.next('signal')).data, { sdp: 'offer' });
      onA.send({ type: 'signal', consultationId: started.consultationId, data: { sdp: 'answer' } });
      assert.deepEqual((await onB.next('signal')).data, { sdp: 'answer' });
      onA.send({ type: 'end', consultationId: started.consultationId });
      assert.equal((await onB.next('consultation-ended')).by, 'kiosk');
      onA.close();
      onB.close();
    } finally {
      await a.close();
      await b.close();
      await database.drop();
    }
  });
});

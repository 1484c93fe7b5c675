// Confirmation by digits (docs/customers.md#confirmation-by-digits), through the real interfaces: a
// device sends frames of a real face over gRPC, the kiosk's live stream (SSE) shows the analysis,
// and the kiosk answers with the last 4 digits of the phone over HTTP. Before the digits agree,
// nothing of the member reaches the screen; wrong digits look exactly like an unknown id.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DeviceClient, provisionKiosk, type ProvisionedKiosk } from '../support/device-client.js';
import { openLive } from '../support/live-events.js';
import { createBrand, roomyLimits, signUp, startTestServer, type ApiResponse, type TestServer } from '../support/test-server.js';

const faces = fileURLToPath(new URL('../../../fixtures/faces/', import.meta.url));
const photo = (name: string) => fs.readFileSync(`${faces}${name}`);

const KIOSK_LIMIT = 8;
const MEMBER_FAILURE_LIMIT = 5;
const ATTEMPTS = 3;
const env = {
  ...roomyLimits,
  LIMIT_CONFIRMATION_DIGITS_PER_KIOSK_PER_MINUTE: String(KIOSK_LIMIT),
  LIMIT_CONFIRMATION_FAILURES_PER_MEMBER_PER_HOUR: String(MEMBER_FAILURE_LIMIT),
  CONFIRMATION_ATTEMPTS: String(ATTEMPTS),
};
const PHONE = '010-2345-6789';
const LAST4 = '6789';

let server: TestServer;
const clients: DeviceClient[] = [];

before(async () => {
  server = await startTestServer({ env });
});
after(async () => {
  for (const client of clients) client.close();
  await server?.close();
});

interface MemberStore {
  storeId: string;
  ownerToken: string;
  kiosk: ProvisionedKiosk;
  customerId: string;
}

function device(kiosk: ProvisionedKiosk): DeviceClient {
  const client = new DeviceClient(server.deviceAddress, kiosk);
  clients.push(client);
  return client;
}

async function frames(kiosk: ProvisionedKiosk, name = 'bearded_man.jpg') {
  const image = photo(name);
  return device(kiosk).sendFrames([image, image, image], `capture-${Date.now()}`);
}

/** a store whose member is the bearded man of the fixtures, registered at its kiosk from a real capture */
async function memberStore(phone = PHONE): Promise<MemberStore> {
  const brand = await createBrand(server);
  const owner = await signUp(server, 'owner', { brandCode: brand.code });
  const storeId = owner.profile.store.id as string;
  const kiosk = await provisionKiosk(server, storeId, owner.accessToken);
  const ack = await frames(kiosk);
  assert.equal(ack.faceFound, true);
  const registered = await server.api('POST', `/api/stores/${storeId}/customers`, {
    token: kiosk.token,
    body: { analysisId: ack.analysisId, phone, name: '김민수', consent: { accepted: true, version: 'face-2025-01' } },
  });
  assert.equal(registered.status, 201, JSON.stringify(registered.body));
  return { storeId, ownerToken: owner.accessToken, kiosk, customerId: registered.body.customerId };
}

/** the customer steps up again: the analysis event the kiosk's screen receives, and every event's data as sent */
async function capture(store: MemberStore, kiosk = store.kiosk): Promise<{ confirmationId: string | null; analysis: any; raw: string }> {
  const screen = await openLive(`${server.url}/api/stores/${store.storeId}/kiosks/${kiosk.kioskId}/live`, { token: kiosk.token });
  try {
    const ack = await frames(kiosk);
    const analysis = await screen.next((event) => event.event === 'analysis' && event.data.analysisId === ack.analysisId, 'analysis');
    const raw = screen.events.map((event) => JSON.stringify(event.data)).join('\n');
    return { confirmationId: analysis.data.confirmationId, analysis: analysis.data, raw };
  } finally {
    screen.close();
  }
}

function confirm(store: MemberStore, confirmationId: string, lastDigits: string, token = store.kiosk.token, storeId = store.storeId): Promise<ApiResponse> {
  return server.api('POST', `/api/stores/${storeId}/member-confirmations/${encodeURIComponent(confirmationId)}`, { token, body: { lastDigits } });
}

function assertNotConfirmed(response: ApiResponse, what: string): void {
  assert.equal(response.status, 200, `${what}: ${response.status} ${JSON.stringify(response.body)}`);
  assert.deepEqual(response.body, { confirmed: false }, what);
}

describe('confirmation by the last 4 digits', () => {
  test('the screen hears only an opaque id; the right digits bring the member, once', async () => {
    const store = await memberStore();
    const { confirmationId, analysis, raw } = await capture(store);
    assert.equal(typeof confirmationId, 'string', 'the face matched the member');
    assert.deepEqual(Object.keys(analysis).sort(), ['age', 'analysisId', 'confirmationId', 'faceFound', 'gender', 'senior']);
    assert.ok(!raw.includes(store.customerId), 'no customer id on the stream');
    assert.ok(!raw.includes(LAST4), 'no phone digits on the stream');
    assert.ok(!raw.includes('김') && !raw.includes('*'), 'no name, masked or not, on the stream');
    assert.doesNotMatch(raw, /maskedName|phoneLast4|customerId|member|recommendations|embedding/);

    const answer = await confirm(store, confirmationId!, LAST4);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.confirmed, true);
    assert.deepEqual(Object.keys(answer.body.member).sort(), ['customerId', 'maskedName', 'phoneLast4', 'recommendations']);
    assert.equal(answer.body.member.customerId, store.customerId);
    assert.equal(answer.body.member.maskedName, '김*수');
    assert.equal(answer.body.member.phoneLast4, LAST4);
    assert.deepEqual(answer.body.member.recommendations, { topItems: [], lastOrder: null });
    assert.doesNotMatch(JSON.stringify(answer.body), /embedding|face/i);

    assertNotConfirmed(await confirm(store, confirmationId!, LAST4), 'a confirmation is used once');
  });

  test('wrong digits answer exactly as an unknown id does; a mistype may be corrected, the fourth try is refused', async () => {
    const store = await memberStore();
    const first = await capture(store);
    const wrong = await confirm(store, first.confirmationId!, '1234');
    const unknown = await confirm(store, 'no-such-confirmation-id', '1234');
    assertNotConfirmed(wrong, 'wrong digits');
    assertNotConfirmed(unknown, 'an unknown id');
    const headerNames = (response: ApiResponse) => [...response.headers.keys()].filter((name) => name !== 'x-request-id').sort();
    assert.deepEqual(headerNames(wrong), headerNames(unknown), 'the same headers too');
    assert.equal(wrong.headers.get('content-length'), unknown.headers.get('content-length'));
    assertNotConfirmed(await confirm(store, first.confirmationId!, '6788'), 'wrong again');
    const corrected = await confirm(store, first.confirmationId!, LAST4);
    assert.equal(corrected.body.confirmed, true, 'the third try may be right');

    const second = await capture(store);
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) assertNotConfirmed(await confirm(store, second.confirmationId!, '0000'), `wrong try ${attempt}`);
    assertNotConfirmed(await confirm(store, second.confirmationId!, LAST4), 'after three wrong tries the confirmation is gone');
  });

  test('a member deleted, or whose face was forgotten, while the confirmation is pending is not confirmed', async () => {
    const store = await memberStore();
    const forgotten = await capture(store);
    const deleted = await capture(store);
    const forget = await server.api('DELETE', `/api/stores/${store.storeId}/customers/${store.customerId}/face`, { token: store.ownerToken });
    assert.equal(forget.status, 204);
    assertNotConfirmed(await confirm(store, forgotten.confirmationId!, LAST4), 'face forgotten meanwhile');
    const remove = await server.api('DELETE', `/api/stores/${store.storeId}/customers/${store.customerId}`, { token: store.ownerToken });
    assert.equal(remove.status, 204);
    assertNotConfirmed(await confirm(store, deleted.confirmationId!, LAST4), 'member deleted meanwhile');
    const after = await capture(store);
    assert.equal(after.confirmationId, null, 'nobody to confirm any more');
  });

  test("another store's kiosk is refused; another kiosk of the store hears 'not confirmed' and leaves the confirmation alone", async () => {
    const store = await memberStore();
    const neighbour = await memberStore('010-3456-6789');
    const { confirmationId } = await capture(store);
    const refused = await confirm(store, confirmationId!, LAST4, neighbour.kiosk.token);
    assert.equal(refused.status, 403, JSON.stringify(refused.body));
    assert.equal(refused.body.error.code, 'forbidden_store');
    const sameStoreKiosk = await provisionKiosk(server, store.storeId, store.ownerToken, 'second');
    assertNotConfirmed(await confirm(store, confirmationId!, LAST4, sameStoreKiosk.token), "another kiosk's confirmation");
    const own = await confirm(store, confirmationId!, LAST4);
    assert.equal(own.body.confirmed, true, 'still there for the kiosk the customer stands at');
  });

  test('digits keyed in bursts: 429 rate_limited past the per-kiosk limit, whatever the id', async () => {
    const store = await memberStore();
    const { confirmationId } = await capture(store);
    for (let entry = 1; entry <= KIOSK_LIMIT; entry++) assertNotConfirmed(await confirm(store, `guess-${entry}`, '1234'), `entry ${entry}`);
    const limited = await confirm(store, confirmationId!, LAST4);
    assert.equal(limited.status, 429, JSON.stringify(limited.body));
    assert.equal(limited.body.error.code, 'rate_limited');
    assert.ok(limited.body.error.details.retryAfterSeconds > 0);
  });

  test('wrong digits against one member across captures: past the per-member limit even the right digits are not confirmed', async () => {
    const store = await memberStore();
    const extraKiosk = await provisionKiosk(server, store.storeId, store.ownerToken, 'other');
    let failures = 0;
    for (const kiosk of [store.kiosk, extraKiosk]) {
      const { confirmationId } = await capture(store, kiosk);
      for (let attempt = 0; attempt < ATTEMPTS && failures < MEMBER_FAILURE_LIMIT; attempt++, failures++) {
        assertNotConfirmed(await confirm(store, confirmationId!, '0000', kiosk.token), 'wrong digits');
      }
    }
    const { confirmationId } = await capture(store);
    assertNotConfirmed(await confirm(store, confirmationId!, LAST4), 'the member is protected for the rest of the hour');
  });

  test('two matched members with the same last 4 digits: neither is confirmed by them; other digits pick the one they name', async () => {
    const store = await memberStore();
    const ack = await frames(store.kiosk, 'astronaut.png');
    const twin = await server.api('POST', `/api/stores/${store.storeId}/customers`, {
      token: store.kiosk.token,
      body: { analysisId: ack.analysisId, phone: '010-9876-6789', consent: { accepted: true, version: 'face-2025-01' } },
    });
    assert.equal(twin.status, 201, JSON.stringify(twin.body));
    const other = await server.api('POST', `/api/stores/${store.storeId}/customers`, {
      token: store.kiosk.token,
      body: {
        analysisId: (await frames(store.kiosk, 'woman_frame_a.jpg')).analysisId,
        phone: '010-1111-2222',
        consent: { accepted: true, version: 'face-2025-01' },
      },
    });
    assert.equal(other.status, 201, JSON.stringify(other.body));
    // the matching decision (face-indexes.ts) may name several members for one capture
    const open = (candidateIds: string[]) =>
      server.app.services.memberConfirmations.open({
        kioskId: store.kiosk.kioskId,
        storeId: store.storeId,
        candidateIds,
        embedding: new Float32Array(128).fill(0.1),
      });
    assertNotConfirmed(await confirm(store, await open([store.customerId, twin.body.customerId]), LAST4), 'ambiguous digits');
    const picked = await confirm(store, await open([store.customerId, other.body.customerId]), '2222');
    assert.equal(picked.body.confirmed, true);
    assert.equal(picked.body.member.customerId, other.body.customerId);
  });

  test('a confirmation calls the onMemberConfirmed hook with the member and the capture’s embedding', async () => {
    const store = await memberStore();
    const calls: Array<{ storeId: string; customerId: string; embedding: Float32Array }> = [];
    server.app.services.memberConfirmations.onMemberConfirmed((event) => {
      if (event.storeId === store.storeId) calls.push(event);
    });
    const { confirmationId } = await capture(store);
    assertNotConfirmed(await confirm(store, confirmationId!, '1111'), 'wrong digits call nothing');
    assert.equal(calls.length, 0);
    assert.equal((await confirm(store, confirmationId!, LAST4)).body.confirmed, true);
    assert.equal(calls.length, 1);
    assert.equal(calls[0]!.customerId, store.customerId);
    assert.ok(calls[0]!.embedding instanceof Float32Array && calls[0]!.embedding.length >= 128, 'the capture’s face descriptor');
  });
});

// The live kiosk screen (GET /api/stores/:storeId/kiosks/:kioskId/live): only the kiosk's own
// session reads it; events carry ids; Last-Event-ID (header or query) replays what was missed from a
// bounded log.
// Events are made the real way: a device reporting distances and sending frames over gRPC.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DeviceClient, provisionKiosk, type ProvisionedKiosk } from '../support/device-client.js';
import { openLive } from '../support/live-events.js';
import { createBrand, roomyLimits, signUp, startTestServer, type TestServer } from '../support/test-server.js';

const notebook = fs.readFileSync(fileURLToPath(new URL('../../../fixtures/faces/no_face_notebook.jpg', import.meta.url)));
const REPLAY_EVENTS = 5;

let server: TestServer;
let storeId: string;
let ownerToken: string;
let otherStoreKiosk: ProvisionedKiosk;
const clients: DeviceClient[] = [];

const liveUrl = (kiosk: { kioskId: string }, store = storeId) => `${server.url}/api/stores/${store}/kiosks/${kiosk.kioskId}/live`;

before(async () => {
  server = await startTestServer({ env: { ...roomyLimits, LIVE_REPLAY_EVENTS: String(REPLAY_EVENTS), LIVE_KEEPALIVE_SECONDS: '1' } });
  const brand = await createBrand(server);
  const owner = await signUp(server, 'owner', { brandCode: brand.code });
  storeId = owner.profile.store.id;
  ownerToken = owner.accessToken;
  const neighbour = await signUp(server, 'owner', { brandCode: brand.code, storeName: 'Next door' });
  otherStoreKiosk = await provisionKiosk(server, neighbour.profile.store.id, neighbour.accessToken);
});

after(async () => {
  for (const client of clients) client.close();
  await server?.close();
});

function device(kiosk: ProvisionedKiosk): DeviceClient {
  const client = new DeviceClient(server.deviceAddress, kiosk);
  clients.push(client);
  return client;
}

test("only the kiosk's own session reads its screen's stream", async () => {
  const kiosk = await provisionKiosk(server, storeId, ownerToken, 'screen');
  const sibling = await provisionKiosk(server, storeId, ownerToken, 'sibling');
  const refused = async (token: string | undefined, status: number, code: string, url = liveUrl(kiosk)) => {
    const stream = await openLive(url, { token });
    assert.equal(stream.status, status, code);
    assert.equal(stream.body.error.code, code);
  };
  await refused(undefined, 401, 'authentication_required');
  await refused(sibling.token, 403, 'forbidden_kiosk'); // another kiosk of the same store
  await refused(otherStoreKiosk.token, 403, 'forbidden_store');
  await refused(ownerToken, 403, 'forbidden_role');
  await refused(kiosk.token, 403, 'forbidden_kiosk', liveUrl(sibling)); // its own token, the sibling's path

  const own = await openLive(liveUrl(kiosk), { token: kiosk.token });
  assert.equal(own.status, 200);
  const ready = await own.next((event) => event.event === 'ready', 'ready');
  assert.deepEqual(ready.data, { kioskId: kiosk.kioskId });
  assert.equal(ready.id, undefined, 'ready is not part of the replayable log');
  own.close();
});

test('a keep-alive comment arrives on an idle stream', async () => {
  const kiosk = await provisionKiosk(server, storeId, ownerToken);
  const controller = new AbortController();
  const response = await fetch(`${liveUrl(kiosk)}?access_token=${kiosk.token}`, { signal: controller.signal });
  assert.equal(response.headers.get('cache-control'), 'no-cache, no-transform');
  let text = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    text += Buffer.from(chunk).toString('utf8');
    if (text.includes(': ping')) break;
  }
  controller.abort();
  assert.match(text, /: ping\n\n/);
});

test('events carry increasing ids, and Last-Event-ID replays the missed ones from a bounded log', async () => {
  // the customer stays however slow the analysis: no departure among the events counted here
  const settings = {
    sampleIntervalMs: 100,
    arriveBelowCm: 80,
    arriveConsecutive: 5,
    arriveToleranceCm: 5,
    leaveAfterMs: 600_000,
    framesPerCapture: 1,
    frameIntervalMs: 0,
  };
  assert.equal((await server.api('PUT', `/api/stores/${storeId}/device-settings`, { token: ownerToken, body: settings })).status, 200);
  const kiosk = await provisionKiosk(server, storeId, ownerToken);
  const screen = await openLive(liveUrl(kiosk), { token: kiosk.token });
  const client = device(kiosk);
  assert.equal((await client.reportDistance([50, 50, 50, 50, 50])).present, true); // state: present
  const first = await client.sendFrames([notebook]); // state: analysing, face, analysis
  const second = await client.sendFrames([notebook]); // and again
  await screen.next((event) => event.event === 'analysis' && event.data.analysisId === second.analysisId, 'the second analysis');
  const logged = screen.events.filter((event) => event.id !== undefined);
  assert.deepEqual(
    logged.map((event) => event.event),
    ['state', 'state', 'face', 'analysis', 'state', 'face', 'analysis'],
  );
  assert.equal(logged[3]!.data.analysisId, first.analysisId);
  const ids = logged.map((event) => Number(event.id));
  for (let i = 1; i < ids.length; i++) assert.ok(ids[i]! > ids[i - 1]!, `ids increase: ${ids.join(', ')}`);
  screen.close();

  // reconnecting after the third event: the four after it come again, in order, with their ids
  const resumed = await openLive(liveUrl(kiosk), { token: kiosk.token, lastEventId: logged[2]!.id });
  await resumed.next((event) => event.id === logged.at(-1)!.id, 'the last event again');
  assert.deepEqual(
    resumed.events.filter((event) => event.id !== undefined),
    logged.slice(3),
  );
  resumed.close();

  // a page that opens a new stream itself (a fresh token in its URL) says where it was in the query
  const reopened = await openLive(`${liveUrl(kiosk)}?lastEventId=${logged[4]!.id}`, { token: kiosk.token });
  await reopened.next((event) => event.id === logged.at(-1)!.id, 'the last event again');
  assert.deepEqual(
    reopened.events.filter((event) => event.id !== undefined),
    logged.slice(5),
  );
  reopened.close();

  // from the first event: the log keeps only the last REPLAY_EVENTS
  const fromStart = await openLive(liveUrl(kiosk), { token: kiosk.token, lastEventId: logged[0]!.id });
  await fromStart.next((event) => event.id === logged.at(-1)!.id, 'the last event again');
  assert.deepEqual(
    fromStart.events.filter((event) => event.id !== undefined),
    logged.slice(-REPLAY_EVENTS),
  );
  // and new events follow the replay
  await client.reportDistance([50]);
  const third = await client.sendFrames([notebook]);
  await fromStart.next((event) => event.event === 'analysis' && event.data.analysisId === third.analysisId, 'a new analysis');
  fromStart.close();

  // without Last-Event-ID nothing old is replayed
  const fresh = await openLive(liveUrl(kiosk), { token: kiosk.token });
  await fresh.next((event) => event.event === 'ready', 'ready');
  assert.deepEqual(
    fresh.events.map((event) => event.event),
    ['ready'],
  );
  fresh.close();
});

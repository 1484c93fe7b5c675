// Presence behind a gRPC proxy that balances each call (nginx grpc_pass, Envoy, a cloud load
// balancer): a device's readings land on whichever instance, and the arrival and departure must
// still be decided once, as on one instance. Two instances on one database and one Redis.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { DeviceClient, provisionKiosk } from '../support/device-client.js';
import { openLive } from '../support/live-events.js';
import { createBrand, createPostgresDatabase, roomyLimits, signUp, startTestServer, usingServers } from '../support/test-server.js';

const clients: DeviceClient[] = [];
after(() => {
  for (const client of clients) client.close();
});

const SETTINGS = {
  sampleIntervalMs: 100,
  arriveBelowCm: 80,
  arriveConsecutive: 5,
  arriveToleranceCm: 5,
  leaveAfterMs: 1000,
  framesPerCapture: 1,
  frameIntervalMs: 0,
};

test('readings alternating between two instances: an arrival after five, one wake and capture, one reset of the device and the screen', {
  skip: !usingServers && 'needs PINOKIO_TEST_SERVERS=1',
}, async () => {
  const database = await createPostgresDatabase();
  const prefix = `pinokio-test-presence-${Date.now()}:`;
  const a = await startTestServer({ databaseUrl: database.url, redisPrefix: prefix, env: roomyLimits });
  const b = await startTestServer({ databaseUrl: database.url, redisPrefix: prefix, env: roomyLimits });
  const device = (address: string, kiosk: { loginId: string; secret: string }) => {
    const client = new DeviceClient(address, kiosk);
    clients.push(client);
    return client;
  };
  try {
    const brand = await createBrand(a);
    const owner = await signUp(a, 'owner', { brandCode: brand.code });
    const store = owner.profile.store.id as string;
    assert.equal((await a.api('PUT', `/api/stores/${store}/device-settings`, { token: owner.accessToken, body: SETTINGS })).status, 200);
    const kiosk = await provisionKiosk(a, store, owner.accessToken);
    const screen = await openLive(`${b.url}/api/stores/${store}/kiosks/${kiosk.kioskId}/live`, { token: kiosk.token });
    await screen.next((event) => event.event === 'ready', 'ready');
    const stream = device(a.deviceAddress, kiosk).connect();
    await stream.next((command) => command.kind === 'settings' && command.settings!.leaveAfterMs === 1000, 'the saved settings');

    // each call to the next instance, as a per-call balancer does
    const viaA = device(a.deviceAddress, kiosk);
    const viaB = device(b.deviceAddress, kiosk);
    const report = (index: number, centimetres: number) => (index % 2 === 0 ? viaA : viaB).reportDistance([centimetres]);
    const present: boolean[] = [];
    for (let i = 0; i < 8; i++) present.push((await report(i, 50)).present);
    assert.deepEqual(present, [false, false, false, false, true, true, true, true], 'present from the fifth reading on, as on one instance');
    await stream.next((command) => command.kind === 'capture', 'capture');

    // nobody near any more, still alternating: one departure
    for (let i = 0; i < 2; i++) await report(i, 300);
    await stream.next((command) => command.kind === 'reset', 'reset');
    await screen.next((event) => event.event === 'state' && event.data.state === 'waiting', 'waiting');
    // both instances armed a departure timer: give the later one its time, then count
    await new Promise((resolve) => setTimeout(resolve, SETTINGS.leaveAfterMs + 500));
    const count = (kind: string) => stream.commands.filter((command) => command.kind === kind).length;
    assert.deepEqual({ wake: count('wake'), capture: count('capture'), reset: count('reset') }, { wake: 1, capture: 1, reset: 1 });
    const screenStates = screen.events
      .filter((event) => event.event === 'state' || event.event === 'reset')
      .map((event) => (event.event === 'reset' ? 'reset' : event.data.state));
    assert.deepEqual(screenStates, ['present', 'reset', 'waiting']);

    // the next customer, still balanced: again after five readings
    const again: boolean[] = [];
    for (let i = 0; i < 5; i++) again.push((await report(i + 1, 60)).present);
    assert.deepEqual(again, [false, false, false, false, true]);
    await stream.next((command) => command.kind === 'capture' && count('capture') === 2, 'the second capture');
    assert.equal(count('wake'), 2);
    stream.cancel();
    screen.close();
  } finally {
    await a.close();
    await b.close();
    await database.drop();
  }
});

// One kiosk's own device settings over HTTP, and what its device hears over gRPC: a kiosk with
// overrides runs with them, every other kiosk keeps the store's settings, and a change of the
// store's settings reaches a kiosk only for the settings it does not override.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DeviceClient, provisionKiosk, type CommandStream, type ProvisionedKiosk } from '../support/device-client.js';
import { createBrand, createPostgresDatabase, roomyLimits, signUp, startTestServer, usingServers, type TestServer } from '../support/test-server.js';

const STORE = {
  sampleIntervalMs: 100,
  arriveBelowCm: 80,
  arriveConsecutive: 5,
  arriveToleranceCm: 5,
  leaveAfterMs: 600_000,
  framesPerCapture: 3,
  frameIntervalMs: 200,
};

let server: TestServer;
const clients: DeviceClient[] = [];

function device(kiosk: ProvisionedKiosk, address = server.deviceAddress): DeviceClient {
  const client = new DeviceClient(address, kiosk);
  clients.push(client);
  return client;
}

/** the newest Settings command the device has heard so far */
function latestSettings(stream: CommandStream): Record<string, number> {
  const settings = stream.commands.filter((command) => command.kind === 'settings');
  assert.ok(settings.length > 0, 'no settings heard yet');
  return settings[settings.length - 1]!.settings!;
}

async function ownerWithStore(target: TestServer) {
  const brand = await createBrand(target);
  const owner = await signUp(target, 'owner', { brandCode: brand.code });
  return { token: owner.accessToken, storeId: owner.profile.store.id as string };
}

before(async () => {
  server = await startTestServer({ env: roomyLimits });
});

after(async () => {
  for (const client of clients) client.close();
  await server?.close();
});

describe('per-kiosk device settings', () => {
  test("kiosk A's device runs with A's overrides, kiosk B's with the store's; a store change reaches B and A's other settings", async () => {
    const owner = await ownerWithStore(server);
    const storePath = `/api/stores/${owner.storeId}/device-settings`;
    assert.equal((await server.api('PUT', storePath, { token: owner.token, body: STORE })).status, 200);
    const kioskA = await provisionKiosk(server, owner.storeId, owner.token, 'A');
    const kioskB = await provisionKiosk(server, owner.storeId, owner.token, 'B');
    const pathA = `/api/stores/${owner.storeId}/kiosks/${kioskA.kioskId}/device-settings`;
    const pathB = `/api/stores/${owner.storeId}/kiosks/${kioskB.kioskId}/device-settings`;

    // without overrides a kiosk shows the store's values, inherited
    const before = await server.api('GET', pathA, { token: owner.token });
    assert.equal(before.status, 200, JSON.stringify(before.body));
    assert.deepEqual(before.body, { store: STORE, overrides: {}, effective: STORE });

    const deviceA = device(kioskA);
    const deviceB = device(kioskB);
    const streamA = deviceA.connect();
    const streamB = deviceB.connect();
    assert.deepEqual((await streamA.next((command) => command.kind === 'settings', 'settings')).settings, STORE);
    assert.deepEqual((await streamB.next((command) => command.kind === 'settings', 'settings')).settings, STORE);

    // A gets two overrides: its device hears them at once, B's hears nothing new
    const overrides = { arriveBelowCm: 60.5, arriveConsecutive: 2 };
    const saved = await server.api('PUT', pathA, { token: owner.token, body: overrides });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    assert.deepEqual(saved.body, { store: STORE, overrides, effective: { ...STORE, ...overrides } });
    const pushedA = await streamA.next((command) => command.kind === 'settings' && command.settings!.arriveBelowCm === 60.5, "A's overrides");
    assert.deepEqual(pushedA.settings, { ...STORE, ...overrides });
    assert.deepEqual((await server.api('GET', pathA, { token: owner.token })).body.overrides, overrides);
    assert.deepEqual((await server.api('GET', pathB, { token: owner.token })).body, { store: STORE, overrides: {}, effective: STORE });

    // presence on A follows A's rules: two near readings make an arrival there, not on B
    assert.equal((await deviceA.reportDistance([55, 55])).present, true);
    assert.equal((await deviceB.reportDistance([55, 55])).present, false);

    // the store changes the threshold A overrides and one A does not: B hears both, A only the other
    const changed = { ...STORE, arriveBelowCm: 90, framesPerCapture: 2 };
    assert.equal((await server.api('PUT', storePath, { token: owner.token, body: changed })).status, 200);
    const pushedB = await streamB.next((command) => command.kind === 'settings' && command.settings!.arriveBelowCm === 90, 'the store change on B');
    assert.deepEqual(pushedB.settings, changed);
    const pushedChangeA = await streamA.next((command) => command.kind === 'settings' && command.settings!.framesPerCapture === 2, 'the store change on A');
    assert.deepEqual(pushedChangeA.settings, { ...changed, ...overrides });
    assert.equal(latestSettings(streamA).arriveBelowCm, 60.5);

    // reset to the store's: A hears the store's settings again
    const cleared = await server.api('DELETE', pathA, { token: owner.token });
    assert.equal(cleared.status, 200, JSON.stringify(cleared.body));
    assert.deepEqual(cleared.body, { store: changed, overrides: {}, effective: changed });
    await streamA.next((command) => command.kind === 'settings' && command.settings!.arriveBelowCm === 90, 'the store settings again on A');
    assert.deepEqual(latestSettings(streamA), changed);

    // an empty object clears too; a device that connects later hears its overrides first
    assert.equal((await server.api('PUT', pathB, { token: owner.token, body: { framesPerCapture: 7 } })).status, 200);
    streamB.cancel();
    const again = device(kioskB).connect();
    const first = await again.next((command) => command.kind === 'settings', 'settings on connect');
    assert.equal(first.sequence, 1);
    assert.deepEqual(first.settings, { ...changed, framesPerCapture: 7 });
    assert.deepEqual((await server.api('PUT', pathB, { token: owner.token, body: {} })).body.overrides, {});
    await again.next((command) => command.kind === 'settings' && command.settings!.framesPerCapture === 2, 'B back to the store');
    streamA.cancel();
    again.cancel();
  });

  test('out-of-range and unknown settings are refused with stable codes and change nothing; only a kiosk of the store', async () => {
    const owner = await ownerWithStore(server);
    const kiosk = await provisionKiosk(server, owner.storeId, owner.token, 'A');
    const path = `/api/stores/${owner.storeId}/kiosks/${kiosk.kioskId}/device-settings`;
    assert.equal((await server.api('PUT', path, { token: owner.token, body: { leaveAfterMs: 9000 } })).status, 200);
    for (const bad of [
      { arriveBelowCm: 401 },
      { arriveConsecutive: 2.5 },
      { framesPerCapture: 0 },
      { leaveAfterMs: 9000, volume: 3 },
      { arriveBelowCm: '70' },
    ]) {
      const refused = await server.api('PUT', path, { token: owner.token, body: bad });
      assert.equal(refused.status, 400, JSON.stringify(bad));
      assert.equal(refused.body.error.code, 'validation_failed');
    }
    assert.deepEqual((await server.api('GET', path, { token: owner.token })).body.overrides, { leaveAfterMs: 9000 });

    const unknown = await server.api('GET', `/api/stores/${owner.storeId}/kiosks/${crypto.randomUUID()}/device-settings`, { token: owner.token });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'kiosk_not_found');
    const kitchen = await server.api('POST', `/api/stores/${owner.storeId}/kiosks`, { token: owner.token, body: { name: 'Kitchen', kind: 'kitchen' } });
    assert.equal(kitchen.status, 201);
    const screen = await server.api('PUT', `/api/stores/${owner.storeId}/kiosks/${kitchen.body.kiosk.id}/device-settings`, {
      token: owner.token,
      body: { leaveAfterMs: 9000 },
    });
    assert.equal(screen.status, 409);
    assert.equal(screen.body.error.code, 'not_a_kiosk');

    // another store's owner: refused for that store, and a kiosk of another store named under their own store is not theirs
    const other = await ownerWithStore(server);
    for (const method of ['GET', 'PUT', 'DELETE'] as const) {
      const refused = await server.api(method, path, { token: other.token, body: method === 'PUT' ? { leaveAfterMs: 2000 } : undefined });
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.code, 'forbidden_store');
    }
    const crossed = await server.api('PUT', `/api/stores/${other.storeId}/kiosks/${kiosk.kioskId}/device-settings`, {
      token: other.token,
      body: { leaveAfterMs: 2000 },
    });
    assert.equal(crossed.status, 404);
    assert.equal(crossed.body.error.code, 'kiosk_not_found');
    assert.deepEqual((await server.api('GET', path, { token: owner.token })).body.overrides, { leaveAfterMs: 9000 });

    // a deleted kiosk has no settings
    assert.equal((await server.api('DELETE', `/api/stores/${owner.storeId}/kiosks/${kiosk.kioskId}`, { token: owner.token })).status, 204);
    assert.equal((await server.api('GET', path, { token: owner.token })).body.error.code, 'kiosk_not_found');
  });
});

describe('several server instances', { skip: !usingServers && 'needs PINOKIO_TEST_SERVERS=1' }, () => {
  test('an override saved on instance B reaches the device connected to instance A', async () => {
    const database = await createPostgresDatabase();
    const prefix = `pinokio-test-kiosk-settings-${Date.now()}:`;
    const a = await startTestServer({ databaseUrl: database.url, redisPrefix: prefix, env: roomyLimits });
    const b = await startTestServer({ databaseUrl: database.url, redisPrefix: prefix, env: roomyLimits });
    try {
      const owner = await ownerWithStore(b);
      const kiosk = await provisionKiosk(b, owner.storeId, owner.token, 'A');
      const stream = device(kiosk, a.deviceAddress).connect();
      await stream.next((command) => command.kind === 'settings', 'settings');
      const path = `/api/stores/${owner.storeId}/kiosks/${kiosk.kioskId}/device-settings`;
      assert.equal((await b.api('PUT', path, { token: owner.token, body: { framesPerCapture: 6 } })).status, 200);
      await stream.next((command) => command.kind === 'settings' && command.settings!.framesPerCapture === 6, 'the override saved on B');
      stream.cancel();
    } finally {
      await a.close();
      await b.close();
      await database.drop();
    }
  });
});

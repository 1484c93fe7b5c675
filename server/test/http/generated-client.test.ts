// The OpenAPI document is good enough to build a client from: a TypeScript client is generated
// from the live server's /openapi.json with @hey-api/openapi-ts (fetch client, SDK functions named
// by operationId), then a kiosk signs in, reads the menu and orders through it, and the owner sees
// the order. A document without operationIds, security or a valid path would fail here.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { createClient } from '@hey-api/openapi-ts';
import { menuItem, storeWithKiosk, type StoreFixture } from '../support/factories.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

let server: TestServer;
let store: StoreFixture;
let outputDir: string;
before(async () => {
  server = await startTestServer();
  store = await storeWithKiosk(server);
  outputDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pinokio-generated-client-'));
});
after(async () => {
  await server.close();
  fs.rmSync(outputDir, { recursive: true, force: true });
});

test('a client generated from /openapi.json signs a kiosk in, reads the menu and places an order', { timeout: 120_000 }, async () => {
  await createClient({
    input: `${server.url}/openapi.json`,
    output: outputDir,
    plugins: ['@hey-api/client-fetch', '@hey-api/typescript', '@hey-api/sdk'],
    logs: { level: 'silent' },
  });
  // the generated client, typed only as far as this test uses it
  type Result = { data?: any; error?: any; response: Response };
  type Call = (options: Record<string, unknown>) => Promise<Result>;
  const sdk = (await import(pathToFileURL(path.join(outputDir, 'index.ts')).href)) as Record<string, Call>;
  const { client } = (await import(pathToFileURL(path.join(outputDir, 'client.gen.ts')).href)) as {
    client: { setConfig(config: Record<string, unknown>): void };
  };
  // the document's server is relative ('/'): a client is pointed at its host
  client.setConfig({ baseUrl: server.url });
  for (const operation of ['postAuthKioskLogin', 'getStoresMenu', 'postStoresOrders', 'getStoresOrdersByOrderId', 'postStoresKiosks']) {
    assert.equal(typeof sdk[operation], 'function', `the SDK has ${operation}`);
  }

  const latte = await menuItem(server, store.storeId, { name: '카페라떼', price: 5000 });
  const kiosk = await sdk.postStoresKiosks!({ path: { storeId: store.storeId }, body: { name: 'generated' }, auth: store.ownerToken });
  assert.equal(kiosk.response.status, 201, JSON.stringify(kiosk.error));

  const login = await sdk.postAuthKioskLogin!({ body: kiosk.data.credentials });
  assert.equal(login.response.status, 200, JSON.stringify(login.error));
  const kioskToken = login.data.accessToken as string;

  const menu = await sdk.getStoresMenu!({ path: { storeId: store.storeId }, auth: kioskToken });
  assert.equal(menu.response.status, 200, JSON.stringify(menu.error));
  const shown = menu.data.categories.flatMap((category: { items: Array<{ id: string; name: string }> }) => category.items);
  assert.ok(
    shown.some((item: { id: string }) => item.id === latte.id),
    'the latte is on the menu',
  );

  const placed = await sdk.postStoresOrders!({
    path: { storeId: store.storeId },
    body: { lines: [{ itemId: latte.id, quantity: 2 }], paymentMethod: 'counter' },
    auth: kioskToken,
  });
  assert.equal(placed.response.status, 201, JSON.stringify(placed.error));
  assert.equal(placed.data.order.total, 10_000);

  // without a token the generated client gets the API's error body, not an exception
  const anonymous = await sdk.getStoresMenu!({ path: { storeId: store.storeId } });
  assert.equal(anonymous.response.status, 401);
  assert.equal(anonymous.error.error.code, 'authentication_required');

  const seen = await sdk.getStoresOrdersByOrderId!({ path: { storeId: store.storeId, orderId: placed.data.order.id }, auth: store.ownerToken });
  assert.equal(seen.response.status, 200, JSON.stringify(seen.error));
  assert.equal(seen.data.total, 10_000, 'the owner sees the order');
});

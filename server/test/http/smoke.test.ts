import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createBrand, signUp, startTestServer, type TestServer } from '../support/test-server.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.close());

test('an owner signs up, provisions a kiosk, and the kiosk logs in', async () => {
  const brand = await createBrand(server);
  const owner = await signUp(server, 'owner', { brandCode: brand.code, storeName: '강남점' });
  const storeId = owner.profile.store.id;
  const provisioned = await server.api('POST', `/api/stores/${storeId}/kiosks`, { token: owner.accessToken, body: { name: '입구' } });
  assert.equal(provisioned.status, 201);
  const login = await server.api('POST', '/api/auth/kiosk-login', { body: provisioned.body.credentials });
  assert.equal(login.status, 200);
  const me = await server.api('GET', '/api/me', { token: login.body.accessToken });
  assert.equal(me.body.role, 'kiosk');
  assert.equal(me.body.store.id, storeId);
});

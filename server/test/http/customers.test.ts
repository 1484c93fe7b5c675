// Returning customers through the HTTP API and the service the device path calls: registration
// only with consent and a Korean mobile number, lookup by phone, recognition of an enrolled face
// (and not of a stranger), "forget my face" at the kiosk and in the POS taking effect at once (on
// a second instance too), the POS list showing masked data only, encryption at rest, tenant
// isolation and the retention job. Faces are built directly as Float32Arrays here; the face
// package's own tests cover photos.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { ConfigError, loadConfig } from '../../src/config.js';
import { CustomerDataKeys, sealedField } from '../../src/modules/customers/customer-data.js';
import { menuItem, storeWithKiosk, type StoreFixture } from '../support/factories.js';
import { createPostgresDatabase, roomyLimits, startTestServer, usingServers, type ApiResponse, type TestServer } from '../support/test-server.js';

const PHONE_LIMIT = 12;
/** not the default (365), so the privacy notice is seen to follow the setting; the retention test's ages fit it */
const RETENTION_DAYS = 180;
const env = { ...roomyLimits, LIMIT_PHONE_ENTRIES_PER_KIOSK_PER_MINUTE: String(PHONE_LIMIT), FACE_RETENTION_DAYS: String(RETENTION_DAYS) };
const CONSENT = { accepted: true, version: 'face-2025-01' };
const DIMENSIONS = 128;

let server: TestServer;
before(async () => {
  server = await startTestServer({ env });
});
after(() => server?.close());

function assertError(response: ApiResponse, status: number, code: string): void {
  assert.equal(response.status, status, `expected ${status} ${code}, got ${response.status} ${JSON.stringify(response.body)}`);
  assert.equal(response.body?.error?.code, code);
  assert.equal(typeof response.body.error.message, 'string');
}

// ---- faces: a person is a random direction; their photos are small perturbations of it

let seed = 20_250_101;
function random(): number {
  // mulberry32: the same faces on every run
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
}

function normalised(values: Float32Array): Float32Array {
  const norm = Math.hypot(...values);
  return values.map((value) => value / norm);
}

function person(): Float32Array {
  return normalised(Float32Array.from({ length: DIMENSIONS }, () => random() * 2 - 1));
}

/** another photo of the same person: cosine similarity about 0.95 */
function photoOf(face: Float32Array): Float32Array {
  return normalised(face.map((value) => value + (random() * 2 - 1) * 0.03));
}

// ---- calls

function analysis(on: TestServer, store: StoreFixture, face: Float32Array): Promise<string> {
  return on.app.services.customers.holdAnalysis({ kioskId: store.kioskId, storeId: store.storeId, embedding: photoOf(face), age: 34, gender: 'female' });
}

function register(on: TestServer, store: StoreFixture, body: Record<string, unknown>): Promise<ApiResponse> {
  return on.api('POST', `/api/stores/${store.storeId}/customers`, { token: store.kioskToken, body });
}

async function enrol(on: TestServer, store: StoreFixture, face: Float32Array, phone: string, name?: string): Promise<{ customerId: string }> {
  const response = await register(on, store, { analysisId: await analysis(on, store, face), phone, consent: CONSENT, ...(name ? { name } : {}) });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body;
}

function recognise(on: TestServer, store: StoreFixture, face: Float32Array) {
  return on.app.services.customers.recognise(store.storeId, photoOf(face));
}

function list(on: TestServer, store: StoreFixture, token = store.ownerToken): Promise<ApiResponse> {
  return on.api('GET', `/api/stores/${store.storeId}/customers`, { token });
}

let phoneCounter = 1000;
function newPhone(): string {
  phoneCounter += 1;
  return `010-${String(5000 + (phoneCounter % 5000)).padStart(4, '0')}-${String(phoneCounter).padStart(4, '0')}`;
}

describe('registration at the kiosk', () => {
  test('with consent and a phone: 201 with the masked member, and the face is recognised from then on', async () => {
    const store = await storeWithKiosk(server);
    const face = person();
    assert.equal(await recognise(server, store, face), null, 'nobody is enrolled yet');
    const response = await register(server, store, {
      analysisId: await analysis(server, store, face),
      phone: '010-1234-5678',
      name: ' 김민수 ',
      consent: CONSENT,
    });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    assert.deepEqual(Object.keys(response.body).sort(), ['created', 'customerId', 'hasFace', 'maskedName', 'orderClaimed', 'phoneLast4']);
    assert.equal(response.body.maskedName, '김*수');
    assert.equal(response.body.phoneLast4, '5678');
    assert.equal(response.body.hasFace, true);
    assert.equal(response.body.created, true);

    const match = await recognise(server, store, face);
    assert.ok(match, 'another photo of the enrolled face is recognised');
    assert.equal(match.customerId, response.body.customerId);
    assert.equal(match.maskedName, '김*수');
    assert.equal(match.phoneLast4, '5678');
    assert.ok(match.similarity >= 0.7 && match.similarity <= 1, `similarity ${match.similarity}`);
    assert.equal(await recognise(server, store, person()), null, 'a stranger is not recognised');

    const row = await server.app.database.db
      .selectFrom('customers')
      .select(['last_seen_at', 'consent_version', 'consented_at'])
      .where('id', '=', match.customerId)
      .executeTakeFirstOrThrow();
    assert.equal(row.last_seen_at, null, 'a face match alone is not a visit: only the digits confirm it (face-templates.test.ts)');
    assert.equal(row.consent_version, CONSENT.version);
    assert.ok(row.consented_at);
  });

  test('consent missing or refused: 400 consent_required, and nothing is stored', async () => {
    const store = await storeWithKiosk(server);
    const analysisId = await analysis(server, store, person());
    assertError(await register(server, store, { analysisId, phone: newPhone() }), 400, 'consent_required');
    assertError(
      await register(server, store, { analysisId, phone: newPhone(), consent: { accepted: false, version: 'face-2025-01' } }),
      400,
      'consent_required',
    );
    assertError(await register(server, store, { analysisId, phone: newPhone(), consent: { accepted: true, version: '  ' } }), 400, 'consent_required');
    assert.equal((await list(server, store)).body.total, 0);
    // the analysis was not used up by the refusals
    assert.equal((await register(server, store, { analysisId, phone: newPhone(), consent: CONSENT })).status, 201);
  });

  test('a number that is not a Korean mobile number: 400 invalid_phone; the accepted spellings are one number', async () => {
    const store = await storeWithKiosk(server);
    for (const phone of ['02-123-4567', '010-123-456', '011-1234-5678', '010-1234-56789', 'phone', '010-1234-567a']) {
      assertError(await register(server, store, { analysisId: await analysis(server, store, person()), phone, consent: CONSENT }), 400, 'invalid_phone');
    }
    const first = await register(server, store, { analysisId: await analysis(server, store, person()), phone: '+82 10-2222-3333', consent: CONSENT });
    assert.equal(first.status, 201);
    const second = await register(server, store, { analysisId: await analysis(server, store, person()), phone: '01022223333', consent: CONSENT });
    assert.equal(second.status, 200, 'the same number, spelled otherwise, is the same member');
    assert.equal(second.body.customerId, first.body.customerId);
  });

  test("an unknown, expired, used or other kiosk's analysis: 410 analysis_expired / analysis_used", async () => {
    const store = await storeWithKiosk(server);
    const neighbour = await storeWithKiosk(server, store.brand);
    assertError(await register(server, store, { analysisId: 'no-such-analysis-000000', phone: newPhone(), consent: CONSENT }), 410, 'analysis_expired');
    const theirs = await analysis(server, neighbour, person());
    assertError(await register(server, store, { analysisId: theirs, phone: newPhone(), consent: CONSENT }), 410, 'analysis_expired');
    const expired = await analysis(server, store, person());
    await server.app.cache.delete(`customers:analysis:${expired}`); // what the cache's time to live does
    assertError(await register(server, store, { analysisId: expired, phone: newPhone(), consent: CONSENT }), 410, 'analysis_expired');
    const once = await analysis(server, store, person());
    assert.equal((await register(server, store, { analysisId: once, phone: newPhone(), consent: CONSENT })).status, 201);
    assertError(await register(server, store, { analysisId: once, phone: newPhone(), consent: CONSENT }), 410, 'analysis_used');
    assert.equal((await list(server, store)).body.total, 1);
  });

  test('a phone that is already a member gets the new face instead of a second member', async () => {
    const store = await storeWithKiosk(server);
    const before = person();
    const after = person();
    const phone = newPhone();
    const first = await enrol(server, store, before, phone, '이영희');
    const again = await register(server, store, {
      analysisId: await analysis(server, store, after),
      phone,
      consent: { accepted: true, version: 'face-2025-02' },
    });
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.equal(again.body.created, false);
    assert.equal(again.body.customerId, first.customerId);
    assert.equal(again.body.maskedName, '이*희', 'the name given earlier stays');
    assert.equal((await recognise(server, store, after))?.customerId, first.customerId);
    assert.equal(await recognise(server, store, before), null, 'the old face is replaced');
    assert.equal((await list(server, store)).body.customers[0].consentVersion, 'face-2025-02');
  });

  test("the guest's order just placed at this kiosk becomes the new member's; nobody else's order does", async () => {
    const store = await storeWithKiosk(server);
    const sibling = await server.api('POST', `/api/stores/${store.storeId}/kiosks`, { token: store.ownerToken, body: { name: 'sibling' } });
    const siblingLogin = await server.api('POST', '/api/auth/kiosk-login', { body: sibling.body.credentials });
    const item = await menuItem(server, store.storeId);
    const order = async (kioskToken: string, body: Record<string, unknown> = {}) => {
      const placed = await server.api('POST', `/api/stores/${store.storeId}/orders`, {
        token: kioskToken,
        body: { lines: [{ itemId: item.id, quantity: 1 }], paymentMethod: 'counter', ...body },
      });
      assert.equal(placed.status, 201, JSON.stringify(placed.body));
      return placed.body.order.id as string;
    };
    const visitsOf = async (customerId: string) =>
      (await list(server, store)).body.customers.find((customer: { id: string }) => customer.id === customerId).visits as number;

    const guestOrder = await order(store.kioskToken);
    const registered = await register(server, store, {
      analysisId: await analysis(server, store, person()),
      phone: newPhone(),
      consent: CONSENT,
      orderId: guestOrder,
    });
    assert.equal(registered.status, 201);
    assert.equal(registered.body.orderClaimed, true);
    assert.equal(await visitsOf(registered.body.customerId), 1, 'the order they just placed is their first visit');
    const fetched = await server.api('GET', `/api/stores/${store.storeId}/orders/${guestOrder}`, { token: store.ownerToken });
    assert.equal(fetched.body.customerId, registered.body.customerId);

    // another kiosk's order, a member's order, an order already claimed: each stays as it was
    const othersOrder = await order(siblingLogin.body.accessToken);
    const membersOrder = await order(store.kioskToken, { customerId: registered.body.customerId });
    for (const orderId of [othersOrder, membersOrder, guestOrder]) {
      const refused = await register(server, store, { analysisId: await analysis(server, store, person()), phone: newPhone(), consent: CONSENT, orderId });
      assert.equal(refused.status, 201, 'the registration itself goes through');
      assert.equal(refused.body.orderClaimed, false, orderId);
      assert.equal(await visitsOf(refused.body.customerId), 0);
    }
    assert.equal((await server.api('GET', `/api/stores/${store.storeId}/orders/${othersOrder}`, { token: store.ownerToken })).body.customerId, null);
    assertError(
      await register(server, store, { analysisId: await analysis(server, store, person()), phone: newPhone(), consent: CONSENT, orderId: 'not-an-id' }),
      400,
      'validation_failed',
    );
  });

  test('the same phone registered from two analyses at once: one member', async () => {
    const store = await storeWithKiosk(server);
    const phone = newPhone();
    const answers = await Promise.all(
      [person(), person(), person()].map(async (face) => register(server, store, { analysisId: await analysis(server, store, face), phone, consent: CONSENT })),
    );
    assert.deepEqual(answers.map((answer) => answer.status).sort(), [200, 200, 201]);
    assert.equal(new Set(answers.map((answer) => answer.body.customerId)).size, 1);
    assert.equal((await list(server, store)).body.total, 1);
  });
});

describe('lookup by phone', () => {
  test('answers the masked member, 404 for an unknown number, 400 for a wrong one, and 429 past the per-kiosk limit', async () => {
    const store = await storeWithKiosk(server);
    const phone = newPhone();
    const { customerId } = await enrol(server, store, person(), phone, '박지');
    const lookup = (number: string) =>
      server.api('POST', `/api/stores/${store.storeId}/customers/lookup`, { token: store.kioskToken, body: { phone: number } });
    const found = await lookup(phone.replaceAll('-', ''));
    assert.equal(found.status, 200, JSON.stringify(found.body));
    assert.deepEqual(found.body, { customerId, maskedName: '박*', phoneLast4: phone.slice(-4), hasFace: true });
    assertError(await lookup('010-0000-0001'), 404, 'customer_not_found');
    assertError(await lookup('12345'), 400, 'invalid_phone');
    // the registration above and three lookups were counted; the rest of the minute's budget
    for (let i = 4; i < PHONE_LIMIT; i++) assert.notEqual((await lookup(phone)).status, 429);
    assertError(await lookup(phone), 429, 'rate_limited');
  });

  test("another store's members are not found", async () => {
    const store = await storeWithKiosk(server);
    const neighbour = await storeWithKiosk(server, store.brand);
    const phone = newPhone();
    await enrol(server, store, person(), phone);
    const response = await server.api('POST', `/api/stores/${neighbour.storeId}/customers/lookup`, { token: neighbour.kioskToken, body: { phone } });
    assertError(response, 404, 'customer_not_found');
  });
});

describe('forget my face', () => {
  test('at the kiosk with the analysis that recognised them: gone from recognition at once; the membership stays', async () => {
    const store = await storeWithKiosk(server);
    const face = person();
    const { customerId } = await enrol(server, store, face, newPhone());
    const stranger = await analysis(server, store, person());
    const forget = (body: unknown) => server.api('POST', `/api/stores/${store.storeId}/customers/${customerId}/forget-face`, { token: store.kioskToken, body });
    assertError(await forget({ analysisId: stranger }), 403, 'customer_proof_failed');
    assert.equal((await recognise(server, store, face))?.customerId, customerId, 'a stranger cannot make the kiosk forget someone');
    const response = await forget({ analysisId: await analysis(server, store, face) });
    assert.equal(response.status, 204, JSON.stringify(response.body));
    assert.equal(await recognise(server, store, face), null);
    const [listed] = (await list(server, store)).body.customers;
    assert.equal(listed.id, customerId);
    assert.equal(listed.hasFace, false);
    const row = await server.app.database.db.selectFrom('customers').select(['embedding_updated_at']).where('id', '=', customerId).executeTakeFirstOrThrow();
    assert.equal(row.embedding_updated_at, null);
    const templates = await server.app.database.db.selectFrom('customer_face_templates').select('id').where('customer_id', '=', customerId).execute();
    assert.deepEqual(templates, [], 'every face of the member is deleted');
    assert.equal((await forget({ analysisId: await analysis(server, store, face) })).status, 204, 'forgetting again is harmless');
  });

  test('at the kiosk with the phone number instead; a wrong number is refused', async () => {
    const store = await storeWithKiosk(server);
    const face = person();
    const phone = newPhone();
    const { customerId } = await enrol(server, store, face, phone);
    const forget = (body: unknown) => server.api('POST', `/api/stores/${store.storeId}/customers/${customerId}/forget-face`, { token: store.kioskToken, body });
    assertError(await forget({ phone: '010-9999-0000' }), 403, 'customer_proof_failed');
    assertError(await forget({ phone: 'nope' }), 400, 'invalid_phone');
    assertError(await forget({ analysisId: 'expired-analysis-0000000' }), 410, 'analysis_expired');
    assert.equal((await forget({ phone })).status, 204);
    assert.equal(await recognise(server, store, face), null);
    const unknown = await server.api('POST', `/api/stores/${store.storeId}/customers/0f1e2d3c-4b5a-4697-8877-665544332211/forget-face`, {
      token: store.kioskToken,
      body: { phone },
    });
    assertError(unknown, 404, 'customer_not_found');
  });
});

describe('the POS', () => {
  test('lists members with masked name and phone, visits from their orders, and never a face', async () => {
    const store = await storeWithKiosk(server);
    const phone = '010-4321-8765';
    const { customerId } = await enrol(server, store, person(), phone, '홍길동');
    await enrol(server, store, person(), newPhone());
    const item = await menuItem(server, store.storeId);
    const order = (body: Record<string, unknown>) =>
      server.api('POST', `/api/stores/${store.storeId}/orders`, {
        token: store.kioskToken,
        body: { lines: [{ itemId: item.id, quantity: 1 }], paymentMethod: 'counter', ...body },
      });
    assert.equal((await order({ customerId })).status, 201);
    const cancelled = await order({ customerId });
    assert.equal(
      (await server.api('POST', `/api/stores/${store.storeId}/orders/${cancelled.body.order.id}/cancel`, { token: store.ownerToken, body: { reason: 'test' } }))
        .status,
      200,
    );
    const last = await order({ customerId });
    assert.equal((await order({})).status, 201, 'a guest order counts for nobody');

    const response = await list(server, store);
    assert.equal(response.status, 200);
    assert.equal(response.body.total, 2);
    assert.deepEqual(
      response.body.customers.map((c: { hasFace: boolean }) => c.hasFace),
      [true, true],
    );
    const member = response.body.customers.find((c: { id: string }) => c.id === customerId);
    assert.deepEqual(Object.keys(member).sort(), [
      'consentVersion',
      'createdAt',
      'hasFace',
      'id',
      'lastVisitAt',
      'maskedName',
      'maskedPhone',
      'readyNotice',
      'visits',
    ]);
    assert.equal(member.maskedName, '홍*동');
    assert.equal(member.maskedPhone, '010-****-8765');
    assert.equal(member.visits, 2, 'the cancelled order is no visit');
    assert.equal(member.lastVisitAt, last.body.order.createdAt);
    const text = JSON.stringify(response.body);
    assert.ok(!text.includes('4321') && !text.includes('길'), 'no unmasked phone digits or name');
    assert.ok(!/embedding/i.test(text) && !/\[-?\d+\.\d+,/.test(text), 'no face or embedding');

    const paged = await server.api('GET', `/api/stores/${store.storeId}/customers?page=2&pageSize=1`, { token: store.ownerToken });
    assert.equal(paged.body.customers.length, 1);
    assert.equal(paged.body.customers[0].id, customerId, 'newest first');
  });

  test('forget face and delete member: both at once, with 404 for a member of another store', async () => {
    const store = await storeWithKiosk(server);
    const neighbour = await storeWithKiosk(server, store.brand);
    const face = person();
    const other = person();
    const { customerId } = await enrol(server, store, face, newPhone());
    const { customerId: otherId } = await enrol(server, store, other, newPhone());
    const theirs = await enrol(server, neighbour, person(), newPhone());
    const item = await menuItem(server, store.storeId);
    const placed = await server.api('POST', `/api/stores/${store.storeId}/orders`, {
      token: store.kioskToken,
      body: { lines: [{ itemId: item.id, quantity: 1 }], paymentMethod: 'counter', customerId: otherId },
    });

    const forget = await server.api('DELETE', `/api/stores/${store.storeId}/customers/${customerId}/face`, { token: store.ownerToken });
    assert.equal(forget.status, 204);
    assert.equal(await recognise(server, store, face), null);
    assert.equal((await recognise(server, store, other))?.customerId, otherId);

    const removed = await server.api('DELETE', `/api/stores/${store.storeId}/customers/${otherId}`, { token: store.ownerToken });
    assert.equal(removed.status, 204);
    assert.equal(await recognise(server, store, other), null);
    assert.deepEqual(
      (await list(server, store)).body.customers.map((c: { id: string }) => c.id),
      [customerId],
    );
    const order = await server.api('GET', `/api/stores/${store.storeId}/orders/${placed.body.order.id}`, { token: store.ownerToken });
    assert.equal(order.body.customerId, null, 'the order stays, no longer linked to the deleted member');

    for (const path of [
      `/api/stores/${store.storeId}/customers/${theirs.customerId}`,
      `/api/stores/${store.storeId}/customers/${theirs.customerId}/face`,
      `/api/stores/${store.storeId}/customers/${otherId}`,
    ]) {
      assertError(await server.api('DELETE', path, { token: store.ownerToken }), 404, 'customer_not_found');
    }
    assert.equal((await list(server, neighbour)).body.total, 1, "the neighbour's member is untouched");
  });

  test("another store's owner or kiosk is refused", async () => {
    const store = await storeWithKiosk(server);
    const neighbour = await storeWithKiosk(server, store.brand);
    const { customerId } = await enrol(server, store, person(), newPhone());
    assertError(await list(server, store, neighbour.ownerToken), 403, 'forbidden_store');
    assertError(await server.api('DELETE', `/api/stores/${store.storeId}/customers/${customerId}`, { token: neighbour.ownerToken }), 403, 'forbidden_store');
    assertError(
      await register(
        server,
        { ...store, kioskToken: neighbour.kioskToken },
        { analysisId: await analysis(server, store, person()), phone: newPhone(), consent: CONSENT },
      ),
      403,
      'forbidden_store',
    );
    assertError(await list(server, store, store.kioskToken), 403, 'forbidden_role');
    assert.equal((await list(server, store)).body.total, 1);
  });
});

describe('the privacy notice', () => {
  test("tells the store's kiosk and owner the configured retention and the consent version; another store's are refused", async () => {
    const store = await storeWithKiosk(server);
    const neighbour = await storeWithKiosk(server, store.brand);
    const path = `/api/stores/${store.storeId}/customers/privacy-notice`;
    for (const token of [store.kioskToken, store.ownerToken]) {
      const response = await server.api('GET', path, { token });
      assert.equal(response.status, 200, JSON.stringify(response.body));
      // the version the kiosk screens have always sent (e2e/tests/kiosk-presence.test.ts)
      assert.deepEqual(response.body, { faceRetentionDays: RETENTION_DAYS, consentTextVersion: 'kiosk-face-2025-01' });
    }
    assertError(await server.api('GET', path, { token: neighbour.kioskToken }), 403, 'forbidden_store');
    assertError(await server.api('GET', path, { token: neighbour.ownerToken }), 403, 'forbidden_store');
    assertError(await server.api('GET', path), 401, 'authentication_required');
  });
});

describe('at rest', () => {
  test('the row holds no plaintext phone or name, and the face column is not the float bytes', async () => {
    const store = await storeWithKiosk(server);
    const phone = '010-7777-2468';
    const face = person();
    const analysisId = await server.app.services.customers.holdAnalysis({
      kioskId: store.kioskId,
      storeId: store.storeId,
      embedding: face,
      age: null,
      gender: null,
    });
    const registered = await register(server, store, { analysisId, phone, name: 'Grace Hopper', consent: CONSENT });
    assert.equal(registered.status, 201);
    const { rows } = await sql<Record<string, unknown>>`select * from customers where id = ${registered.body.customerId}`.execute(server.app.database.db);
    const row = rows[0]!;
    const raw = Buffer.from(
      JSON.stringify(row, (_key, value) => (value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : value)),
      'utf8',
    );
    for (const secret of ['01077772468', '7777', '2468', 'Grace', 'Hopper']) assert.ok(!raw.includes(secret), `"${secret}" in the row`);
    const floatBytes = Buffer.from(face.buffer, face.byteOffset, face.byteLength);
    const template = await server.app.database.db
      .selectFrom('customer_face_templates')
      .select('embedding_encrypted')
      .where('customer_id', '=', registered.body.customerId)
      .executeTakeFirstOrThrow();
    const stored = Buffer.from(template.embedding_encrypted);
    assert.ok(stored.length >= floatBytes.length + 28, 'nonce and tag around the ciphertext');
    assert.ok(!stored.includes(floatBytes.subarray(0, 16)), 'no run of the float bytes in the stored face');
    assert.match(row.phone_hash as string, /^[0-9a-f]{64}$/);

    // the held analysis in the cache is sealed too
    const held = await server.app.cache.get(`customers:analysis:${analysisId}`);
    assert.ok(held && !Buffer.from(held).includes(floatBytes.subarray(0, 16).toString('base64').slice(0, 12)));
  });

  test('a sealed value opens only for its own row and field, under its own key', () => {
    const keys = new CustomerDataKeys(randomBytes(32));
    const face = person();
    const sealed = keys.encryptEmbedding(face, sealedField.face('a'));
    assert.deepEqual(keys.decryptEmbedding(sealed, sealedField.face('a')), face);
    assert.throws(() => keys.decryptEmbedding(sealed, sealedField.face('b')), 'copied onto another member');
    assert.throws(() => keys.decryptEmbedding(sealed, sealedField.phone('a')), 'read as another field');
    assert.throws(() => new CustomerDataKeys(randomBytes(32)).decryptEmbedding(sealed, sealedField.face('a')), 'under another key');
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1]! ^= 1;
    assert.throws(() => keys.decryptEmbedding(tampered, sealedField.face('a')), 'altered');
    assert.notEqual(keys.phoneHash('store-1', '01012345678'), keys.phoneHash('store-2', '01012345678'), 'one phone, unlinkable across stores');
  });
});

describe('configuration', () => {
  test('CUSTOMER_DATA_KEY must be 32 bytes of base64; FACE_MATCH_THRESHOLD a similarity between 0 and 1', () => {
    const key = randomBytes(32).toString('base64');
    assert.deepEqual(loadConfig({ CUSTOMER_DATA_KEY: key }).customers.dataKey, Buffer.from(key, 'base64'));
    assert.equal(loadConfig({}).customers.dataKey, undefined, 'unset: generated once and kept in the database');
    assert.equal(loadConfig({}).customers.faceMatchThreshold, 0.7);
    assert.equal(loadConfig({}).customers.faceRetentionDays, 365);
    for (const wrong of [randomBytes(16).toString('base64'), 'not base64 at all!', randomBytes(32).toString('hex')]) {
      assert.throws(() => loadConfig({ CUSTOMER_DATA_KEY: wrong }), ConfigError);
    }
    for (const wrong of ['0', '1', '1.5', 'high']) assert.throws(() => loadConfig({ FACE_MATCH_THRESHOLD: wrong }), ConfigError);
    assert.throws(() => loadConfig({ FACE_RETENTION_DAYS: '0' }), ConfigError);
  });
});

describe('retention', () => {
  test('the job deletes faces unused for FACE_RETENTION_DAYS and keeps the rest', async () => {
    const store = await storeWithKiosk(server);
    const stale = person();
    const fresh = person();
    const neverSeen = person();
    const { customerId: staleId } = await enrol(server, store, stale, newPhone());
    const { customerId: freshId } = await enrol(server, store, fresh, newPhone());
    const { customerId: neverSeenId } = await enrol(server, store, neverSeen, newPhone());
    assert.ok(await recognise(server, store, stale)); // the index is loaded and knows all three
    const db = server.app.database.db;
    const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);
    await db
      .updateTable('customers')
      .set({ embedding_updated_at: daysAgo(400), last_seen_at: daysAgo(366) })
      .where('id', '=', staleId)
      .execute();
    await db
      .updateTable('customers')
      .set({ embedding_updated_at: daysAgo(400), last_seen_at: daysAgo(10) })
      .where('id', '=', freshId)
      .execute();
    await db
      .updateTable('customers')
      .set({ embedding_updated_at: daysAgo(366), last_seen_at: null })
      .where('id', '=', neverSeenId)
      .execute();

    assert.ok((await server.app.services.customers.forgetUnusedFaces()) >= 2);
    assert.equal(await recognise(server, store, stale), null);
    assert.equal(await recognise(server, store, neverSeen), null);
    assert.equal((await recognise(server, store, fresh))?.customerId, freshId);
    const faces = await db.selectFrom('customer_face_templates').select('customer_id').where('store_id', '=', store.storeId).execute();
    assert.deepEqual(
      faces.map((row) => row.customer_id),
      [freshId],
    );
    assert.equal((await list(server, store)).body.total, 3, 'the memberships stay');

    // the scheduled job itself, as the scheduler runs it once per period
    await db
      .updateTable('customers')
      .set({ embedding_updated_at: daysAgo(400), last_seen_at: daysAgo(400) })
      .where('id', '=', freshId)
      .execute();
    const job = {
      name: `face-retention-test-${randomBytes(3).toString('hex')}`,
      everySeconds: 86_400,
      run: async () => void (await server.app.services.customers.forgetUnusedFaces()),
    };
    assert.equal(await server.app.scheduler.runSlot(job), true);
    assert.equal(await recognise(server, store, fresh), null);
  });
});

describe('two instances', { skip: !usingServers && 'needs PostgreSQL and Redis (PINOKIO_TEST_SERVERS=1)' }, () => {
  test('enrolled on A, recognised on B; forgotten on A, gone from B at once', async () => {
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
      const face = person();
      const late = person();
      const { customerId } = await enrol(a, store, face, newPhone());
      // B loads the store's index now, with the face enrolled on A
      assert.equal((await recognise(b, store, face))?.customerId, customerId);
      // B's index is loaded: a face enrolled on A now reaches it through the bus
      const { customerId: lateId } = await enrol(a, store, late, newPhone());
      let seen = null;
      for (let i = 0; i < 200 && !seen; i++) {
        seen = await recognise(b, store, late);
        if (!seen) await new Promise((resolve) => setTimeout(resolve, 25));
      }
      assert.equal(seen?.customerId, lateId);
      // an analysis held on A registers through B (the cache is shared)
      const analysisId = await analysis(a, store, person());
      assert.equal((await register(b, store, { analysisId, phone: newPhone(), consent: CONSENT })).status, 201);

      const forgotten = await a.api('DELETE', `/api/stores/${store.storeId}/customers/${customerId}/face`, { token: store.ownerToken });
      assert.equal(forgotten.status, 204);
      assert.equal(await recognise(b, store, face), null, 'B never answers a forgotten face, event or not');
      assert.equal((await recognise(b, store, late))?.customerId, lateId);
      const removed = await b.api('DELETE', `/api/stores/${store.storeId}/customers/${lateId}`, { token: store.ownerToken });
      assert.equal(removed.status, 204);
      assert.equal(await recognise(a, store, late), null);
    } finally {
      await a.close();
      await b.close();
      await database.drop();
    }
  });
});

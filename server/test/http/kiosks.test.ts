// Kiosk provisioning through the HTTP API: a store owner lists, adds, renames and deletes the
// store's kiosks; credentials are shown once; a deleted kiosk is locked out at once; one store's
// owner cannot touch another store's kiosks.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createBrand, roomyLimits, signUp, startTestServer, type ApiResponse, type SignedUp, type TestServer } from '../support/test-server.js';

let server: TestServer;
let brand: { id: string; name: string; code: string };
let otherBrand: { id: string; name: string; code: string };

before(async () => {
  server = await startTestServer({ env: roomyLimits });
  brand = await createBrand(server, 'Kiosk Coffee');
  otherBrand = await createBrand(server, 'Rival Coffee');
});
after(() => server?.close());

function assertError(response: ApiResponse, status: number, code: string): void {
  assert.equal(response.status, status, `expected ${status} ${code}, got ${response.status} ${JSON.stringify(response.body)}`);
  assert.equal(response.body?.error?.code, code);
  assert.equal(typeof response.body.error.message, 'string');
  assert.ok(response.headers.get('x-request-id'));
}

interface Provisioned {
  kiosk: {
    id: string;
    storeId: string;
    name: string;
    loginId: string;
    createdAt: string;
    screenHeightCm: number | null;
    screenBottomCm: number | null;
    speechAvailable: boolean;
  };
  credentials: { loginId: string; secret: string };
}

const kiosksPath = (owner: SignedUp) => `/api/stores/${owner.profile.store.id}/kiosks`;

function list(owner: SignedUp, token = owner.accessToken): Promise<ApiResponse> {
  return server.api('GET', kiosksPath(owner), { token });
}

async function provision(owner: SignedUp, name: string): Promise<Provisioned> {
  const response = await server.api('POST', kiosksPath(owner), { token: owner.accessToken, body: { name } });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body as Provisioned;
}

function kioskLogin(credentials: { loginId: string; secret: string }): Promise<ApiResponse> {
  return server.api('POST', '/api/auth/kiosk-login', { body: credentials });
}

function newOwner(brandCode = brand.code): Promise<SignedUp> {
  return signUp(server, 'owner', { brandCode });
}

describe('provisioning', () => {
  test('a new store has no kiosks', async () => {
    const owner = await newOwner();
    const response = await list(owner);
    assert.equal(response.status, 200);
    assert.deepEqual(response.body, { kiosks: [] });
  });

  test('adding a kiosk answers with the kiosk and its credentials; the secret is long and shown only then', async () => {
    const owner = await newOwner();
    const response = await server.api('POST', kiosksPath(owner), { token: owner.accessToken, body: { name: '  입구  ' } });
    assert.equal(response.status, 201);
    const { kiosk, credentials } = response.body as Provisioned;
    assert.equal(kiosk.name, '입구', 'the name is trimmed');
    assert.equal(kiosk.storeId, owner.profile.store.id);
    assert.equal(kiosk.loginId, credentials.loginId);
    assert.ok(!Number.isNaN(Date.parse(kiosk.createdAt)));
    assert.ok(credentials.secret.length >= 40, `secret of ${credentials.secret.length} characters`);
    assert.equal((kiosk as Record<string, unknown>).secret, undefined);

    const second = await provision(owner, '카운터');
    assert.notEqual(second.credentials.loginId, credentials.loginId);
    assert.notEqual(second.credentials.secret, credentials.secret);

    const listed = await list(owner);
    assert.equal(listed.status, 200);
    assert.deepEqual(
      listed.body.kiosks.map((k: { name: string }) => k.name),
      ['입구', '카운터'],
      'in the order they were added',
    );
    assert.deepEqual(listed.body.kiosks[0], kiosk);
    const text = JSON.stringify(listed.body);
    assert.ok(!text.includes(credentials.secret) && !text.includes(second.credentials.secret), 'no secret in the list');
    assert.ok(!/secret/i.test(text), 'no secret field in the list');
  });

  test('a kiosk logs in with the credentials and sees its store', async () => {
    const owner = await newOwner();
    const { kiosk, credentials } = await provision(owner, 'Front');
    const session = await kioskLogin(credentials);
    assert.equal(session.status, 200);
    assert.equal(session.body.kioskId, kiosk.id);
    const me = await server.api('GET', '/api/me', { token: session.body.accessToken });
    assert.equal(me.body.store.id, owner.profile.store.id);
    assert.equal(me.body.name, 'Front');
  });

  test('renaming a kiosk shows in the list and to the kiosk itself, whose session goes on', async () => {
    const owner = await newOwner();
    const { kiosk, credentials } = await provision(owner, 'Old name');
    const session = await kioskLogin(credentials);
    const renamed = await server.api('PATCH', `${kiosksPath(owner)}/${kiosk.id}`, { token: owner.accessToken, body: { name: ' New name ' } });
    assert.equal(renamed.status, 200);
    assert.deepEqual(renamed.body, { ...kiosk, name: 'New name' });
    assert.deepEqual(
      (await list(owner)).body.kiosks.map((k: { name: string }) => k.name),
      ['New name'],
    );
    const me = await server.api('GET', '/api/me', { token: session.body.accessToken });
    assert.equal(me.status, 200);
    assert.equal(me.body.name, 'New name');
    // the credentials did not change
    assert.equal((await kioskLogin(credentials)).status, 200);
  });

  test('a deleted kiosk is locked out at once: access token 401 session_revoked, refresh 401, login refused', async () => {
    const owner = await newOwner();
    const doomed = await provision(owner, 'Doomed');
    const kept = await provision(owner, 'Kept');
    const session = await kioskLogin(doomed.credentials);
    const keptSession = await kioskLogin(kept.credentials);
    assert.equal((await server.api('GET', '/api/me', { token: session.body.accessToken })).status, 200);

    const deleted = await server.api('DELETE', `${kiosksPath(owner)}/${doomed.kiosk.id}`, { token: owner.accessToken });
    assert.equal(deleted.status, 204);

    assertError(await server.api('GET', '/api/me', { token: session.body.accessToken }), 401, 'session_revoked');
    const refreshed = await server.api('POST', '/api/auth/refresh', { body: { refreshToken: session.body.refreshToken } });
    assert.equal(refreshed.status, 401);
    assertError(await kioskLogin(doomed.credentials), 401, 'invalid_credentials');
    assert.deepEqual(
      (await list(owner)).body.kiosks.map((k: { id: string }) => k.id),
      [kept.kiosk.id],
    );

    // deleting or renaming it again finds nothing
    assertError(await server.api('DELETE', `${kiosksPath(owner)}/${doomed.kiosk.id}`, { token: owner.accessToken }), 404, 'kiosk_not_found');
    assertError(
      await server.api('PATCH', `${kiosksPath(owner)}/${doomed.kiosk.id}`, { token: owner.accessToken, body: { name: 'Back' } }),
      404,
      'kiosk_not_found',
    );
    // the other kiosk of the store is untouched
    assert.equal((await server.api('GET', '/api/me', { token: keptSession.body.accessToken })).status, 200);
  });

  test('a store has at most 100 kiosks: the 101st is 409 kiosk_limit_reached', async () => {
    const owner = await newOwner();
    for (let i = 1; i <= 100; i++) await provision(owner, `K${i}`);
    assertError(await server.api('POST', kiosksPath(owner), { token: owner.accessToken, body: { name: 'One too many' } }), 409, 'kiosk_limit_reached');
    assert.equal((await list(owner)).body.kiosks.length, 100);
  });

  test('kiosks added at the same moment never take a store past 100', async () => {
    const owner = await newOwner();
    for (let i = 1; i <= 97; i++) await provision(owner, `K${i}`);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => server.api('POST', kiosksPath(owner), { token: owner.accessToken, body: { name: `Rush ${i}` } })),
    );
    assert.equal(results.filter((r) => r.status === 201).length, 3, results.map((r) => r.status).join(','));
    assert.equal((await list(owner)).body.kiosks.length, 100);
  });
});

describe('another store', () => {
  for (const which of ['the same brand', 'another brand'] as const) {
    test(`an owner of another store of ${which} is refused with 403 forbidden_store and nothing changes`, async () => {
      const owner = await newOwner();
      const intruder = await newOwner(which === 'the same brand' ? brand.code : otherBrand.code);
      const { kiosk, credentials } = await provision(owner, 'Mine');
      const path = kiosksPath(owner);
      const token = intruder.accessToken;

      assertError(await server.api('GET', path, { token }), 403, 'forbidden_store');
      assertError(await server.api('POST', path, { token, body: { name: 'Planted' } }), 403, 'forbidden_store');
      assertError(await server.api('PATCH', `${path}/${kiosk.id}`, { token, body: { name: 'Hijacked' } }), 403, 'forbidden_store');
      assertError(await server.api('DELETE', `${path}/${kiosk.id}`, { token }), 403, 'forbidden_store');

      const after = await list(owner);
      assert.deepEqual(after.body.kiosks, [kiosk], 'no kiosk added, renamed or deleted');
      assert.equal((await kioskLogin(credentials)).status, 200);
      assert.deepEqual((await list(intruder)).body.kiosks, [], "nothing landed in the intruder's store either");
    });
  }

  test("another store's kiosk under your own store's path is 404 kiosk_not_found and stays as it was", async () => {
    const owner = await newOwner();
    const neighbour = await newOwner();
    const theirs = await provision(neighbour, 'Theirs');
    const path = `${kiosksPath(owner)}/${theirs.kiosk.id}`;
    assertError(await server.api('PATCH', path, { token: owner.accessToken, body: { name: 'Mine now' } }), 404, 'kiosk_not_found');
    assertError(await server.api('DELETE', path, { token: owner.accessToken }), 404, 'kiosk_not_found');
    assert.deepEqual((await list(neighbour)).body.kiosks, [theirs.kiosk]);
    assert.equal((await kioskLogin(theirs.credentials)).status, 200);
  });

  test('a store id that is no store at all is 403 forbidden_store; a kiosk id that is no kiosk is 404', async () => {
    const owner = await newOwner();
    const nowhere = '5b0c1f7e-0000-4000-8000-000000000000';
    assertError(await server.api('GET', `/api/stores/${nowhere}/kiosks`, { token: owner.accessToken }), 403, 'forbidden_store');
    assertError(await server.api('DELETE', `${kiosksPath(owner)}/${nowhere}`, { token: owner.accessToken }), 404, 'kiosk_not_found');
  });

  test('kiosks and counselors cannot manage kiosks: 403 forbidden_role', async () => {
    const owner = await newOwner();
    const { kiosk, credentials } = await provision(owner, 'Self');
    const kioskToken = (await kioskLogin(credentials)).body.accessToken as string;
    const counselor = await signUp(server, 'counselor', { brandCode: brand.code });
    for (const token of [kioskToken, counselor.accessToken]) {
      assertError(await server.api('GET', kiosksPath(owner), { token }), 403, 'forbidden_role');
      assertError(await server.api('POST', kiosksPath(owner), { token, body: { name: 'x' } }), 403, 'forbidden_role');
      assertError(await server.api('PATCH', `${kiosksPath(owner)}/${kiosk.id}`, { token, body: { name: 'x' } }), 403, 'forbidden_role');
      assertError(await server.api('DELETE', `${kiosksPath(owner)}/${kiosk.id}`, { token }), 403, 'forbidden_role');
    }
    assert.deepEqual((await list(owner)).body.kiosks, [kiosk]);
  });
});

describe('bad input', () => {
  test('a path id that is not a uuid is 400 validation_failed', async () => {
    const owner = await newOwner();
    const { kiosk } = await provision(owner, 'Valid');
    const token = owner.accessToken;
    assertError(await server.api('GET', '/api/stores/not-a-uuid/kiosks', { token }), 400, 'validation_failed');
    assertError(await server.api('POST', '/api/stores/not-a-uuid/kiosks', { token, body: { name: 'x' } }), 400, 'validation_failed');
    assertError(await server.api('PATCH', `${kiosksPath(owner)}/not-a-uuid`, { token, body: { name: 'x' } }), 400, 'validation_failed');
    assertError(await server.api('DELETE', `${kiosksPath(owner)}/12345`, { token }), 400, 'validation_failed');
    assertError(await server.api('DELETE', `/api/stores/not-a-uuid/kiosks/${kiosk.id}`, { token }), 400, 'validation_failed');
    assert.deepEqual((await list(owner)).body.kiosks, [kiosk]);
  });

  test("a kiosk id in another spelling ('urn:uuid:...') is 400, not 500", async () => {
    const owner = await newOwner();
    const { kiosk } = await provision(owner, 'Urn');
    const path = `${kiosksPath(owner)}/urn:uuid:${kiosk.id}`;
    const renamed = await server.api('PATCH', path, { token: owner.accessToken, body: { name: 'x' } });
    assertError(renamed, 400, 'validation_failed');
    assertError(await server.api('DELETE', path, { token: owner.accessToken }), 400, 'validation_failed');
    assert.deepEqual((await list(owner)).body.kiosks, [kiosk]);
  });

  test('a NUL character in a kiosk name is refused with 400, not a 500', async () => {
    const owner = await newOwner();
    const response = await server.api('POST', kiosksPath(owner), { token: owner.accessToken, body: { name: 'Front\u0000door' } });
    assert.equal(response.status, 400, JSON.stringify(response.body));
    const { kiosk } = await provision(owner, 'Plain');
    const renamed = await server.api('PATCH', `${kiosksPath(owner)}/${kiosk.id}`, { token: owner.accessToken, body: { name: 'a\u0000b' } });
    assert.equal(renamed.status, 400, JSON.stringify(renamed.body));
    assert.ok(renamed.body.error.code);
    assert.deepEqual(
      (await list(owner)).body.kiosks.map((k: { name: string }) => k.name),
      ['Plain'],
    );
  });

  test('a name with a backslash followed by "u0000" (text, not a NUL) is an ordinary name', async () => {
    const owner = await newOwner();
    const name = 'C:\\u0000 dir';
    const response = await server.api('POST', kiosksPath(owner), { token: owner.accessToken, body: { name } });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    assert.equal(response.body.kiosk.name, name);
  });

  test("the owner's own store id written in upper case is the same store", async () => {
    const owner = await newOwner();
    const response = await server.api('GET', `/api/stores/${owner.profile.store.id.toUpperCase()}/kiosks`, { token: owner.accessToken });
    assert.equal(response.status, 200, JSON.stringify(response.body));
  });

  test('an empty, blank, missing or over-long name is 400, for adding and for renaming', async () => {
    const owner = await newOwner();
    const { kiosk } = await provision(owner, 'Original');
    const token = owner.accessToken;
    const post = (body: unknown) => server.api('POST', kiosksPath(owner), { token, body });
    const patch = (body: unknown) => server.api('PATCH', `${kiosksPath(owner)}/${kiosk.id}`, { token, body });
    for (const send of [post, patch]) {
      assertError(await send({ name: '' }), 400, 'validation_failed');
      assertError(await send({ name: 'n'.repeat(41) }), 400, 'validation_failed');
      assertError(await send({}), 400, 'validation_failed');
      assertError(await send({ name: 'ok', secret: 'chosen-by-me' }), 400, 'validation_failed');
      assertError(await send({ name: '    ' }), 400, 'invalid_kiosk_name');
    }
    assertError(await server.api('POST', kiosksPath(owner), { token, rawBody: '{"name":' }), 400, 'malformed_json');
    assert.deepEqual((await list(owner)).body.kiosks, [kiosk], 'nothing was added or renamed');
    // 40 characters is allowed
    assert.equal((await server.api('POST', kiosksPath(owner), { token, body: { name: 'n'.repeat(40) } })).status, 201);
  });
});

describe('where the screen is (the low-position layout)', () => {
  test("the owner sets the screen's height and mounting height; the kiosk reads its reach band from /api/me", async () => {
    const owner = await newOwner();
    const { kiosk, credentials } = await provision(owner, 'Low');
    assert.equal(kiosk.screenHeightCm, null);
    assert.equal(kiosk.screenBottomCm, null);
    const session = await kioskLogin(credentials);
    const before = await server.api('GET', '/api/me', { token: session.body.accessToken });
    assert.deepEqual(before.body.screen, { heightCm: null, bottomCm: null, reachBand: 0.45 }, 'not measured: the lower 45 %');

    const path = `${kiosksPath(owner)}/${kiosk.id}`;
    const set = await server.api('PATCH', path, { token: owner.accessToken, body: { screenHeightCm: 120, screenBottomCm: 70 } });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.deepEqual(set.body, { ...kiosk, screenHeightCm: 120, screenBottomCm: 70 });
    const heights = (kiosks: Array<{ screenHeightCm: number | null; screenBottomCm: number | null }>) =>
      kiosks.map((k) => [k.screenHeightCm, k.screenBottomCm]);
    assert.deepEqual(heights((await list(owner)).body.kiosks), [[120, 70]], 'the POS list shows them');
    // (120 - 70) / 120: the lower 41.7 % of the screen is below the 120 cm reach limit
    const me = await server.api('GET', '/api/me', { token: session.body.accessToken });
    assert.deepEqual(me.body.screen, { heightCm: 120, bottomCm: 70, reachBand: 0.417 });

    // renaming keeps the heights; a screen entirely within reach is all band
    const renamed = await server.api('PATCH', path, { token: owner.accessToken, body: { name: 'Low counter' } });
    assert.equal(renamed.body.screenHeightCm, 120);
    await server.api('PATCH', path, { token: owner.accessToken, body: { screenHeightCm: 40, screenBottomCm: 60 } });
    assert.equal((await server.api('GET', '/api/me', { token: session.body.accessToken })).body.screen.reachBand, 1);

    // cleared together: the default band again
    const cleared = await server.api('PATCH', path, { token: owner.accessToken, body: { screenHeightCm: null, screenBottomCm: null } });
    assert.equal(cleared.status, 200);
    assert.equal((await server.api('GET', '/api/me', { token: session.body.accessToken })).body.screen.reachBand, 0.45);
  });

  test('bad heights are 400 with stable codes and change nothing', async () => {
    const owner = await newOwner();
    const { kiosk } = await provision(owner, 'Checked');
    const patch = (body: unknown) => server.api('PATCH', `${kiosksPath(owner)}/${kiosk.id}`, { token: owner.accessToken, body });
    assertError(await patch({ screenHeightCm: 120 }), 400, 'screen_mounting_incomplete');
    assertError(await patch({ screenHeightCm: 120, screenBottomCm: null }), 400, 'screen_mounting_incomplete');
    // a screen whose bottom edge is above 100 cm has less than 20 cm within a seated customer's reach
    const tooHigh = await patch({ screenHeightCm: 60, screenBottomCm: 105 });
    assertError(tooHigh, 400, 'screen_out_of_reach');
    assert.equal(tooHigh.body.error.details.reachLimitCm, 120);
    assertError(await patch({ screenHeightCm: 0, screenBottomCm: 70 }), 400, 'validation_failed');
    assertError(await patch({ screenHeightCm: 120, screenBottomCm: -5 }), 400, 'validation_failed');
    assertError(await patch({ screenHeightCm: 120.5, screenBottomCm: 70 }), 400, 'validation_failed');
    assertError(await patch({ screenHeightCm: '120', screenBottomCm: 70 }), 400, 'validation_failed');
    assertError(await patch({ screenHeightCm: 120, screenBottomCm: 999 }), 400, 'validation_failed');
    const [stored] = (await list(owner)).body.kiosks;
    assert.deepEqual([stored.screenHeightCm, stored.screenBottomCm], [null, null], 'nothing changed');

    // once both are set, one of them may change alone, within the same rules
    assert.equal((await patch({ screenHeightCm: 100, screenBottomCm: 70 })).status, 200);
    assert.equal((await patch({ screenBottomCm: 60 })).body.screenBottomCm, 60);
    assertError(await patch({ screenBottomCm: null }), 400, 'screen_mounting_incomplete');
    assertError(await patch({ screenBottomCm: 110 }), 400, 'screen_out_of_reach');
  });

  test("another store's owner cannot set them: 403 forbidden_store, and the kiosk keeps its band", async () => {
    const owner = await newOwner();
    const intruder = await newOwner(otherBrand.code);
    const { kiosk } = await provision(owner, 'Guarded');
    const refused = await server.api('PATCH', `${kiosksPath(owner)}/${kiosk.id}`, {
      token: intruder.accessToken,
      body: { screenHeightCm: 120, screenBottomCm: 70 },
    });
    assertError(refused, 403, 'forbidden_store');
    // under the intruder's own store path the kiosk is simply not theirs
    assertError(
      await server.api('PATCH', `${kiosksPath(intruder)}/${kiosk.id}`, { token: intruder.accessToken, body: { screenHeightCm: 120, screenBottomCm: 70 } }),
      404,
      'kiosk_not_found',
    );
    const [stored] = (await list(owner)).body.kiosks;
    assert.deepEqual([stored.id, stored.screenHeightCm, stored.screenBottomCm], [kiosk.id, null, null]);
  });
});

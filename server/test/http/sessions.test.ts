// Sessions through the HTTP API: logging in per role, who /api/me says you are, refresh-token
// rotation and reuse detection, logout, forged and expired access tokens, password change and
// reset, and withdrawal (a counselor's, and an owner's whose kiosks go with the store); on
// PostgreSQL + Redis, two instances: what ends on one ends on the other at once.
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  codeIn,
  createBrand,
  createPostgresDatabase,
  mailsTo,
  roomyLimits,
  signUp,
  startTestServer,
  uniqueEmail,
  type ApiResponse,
  type SignedUp,
  usingServers,
  type TestServer,
} from '../support/test-server.js';

// a known secret, so that this file can sign access tokens the way the server does
const TOKEN_SECRET = 'sessions-test-secret-0123456789abcdef-0123456789';

let server: TestServer;
let brand: { id: string; name: string; code: string };

before(async () => {
  server = await startTestServer({ env: { ...roomyLimits, AUTH_TOKEN_SECRET: TOKEN_SECRET } });
  brand = await createBrand(server, 'Session Coffee');
});
after(() => server?.close());

function assertError(response: ApiResponse, status: number, code: string): void {
  assert.equal(response.status, status, `expected ${status} ${code}, got ${response.status} ${JSON.stringify(response.body)}`);
  assert.equal(response.body?.error?.code, code);
  assert.equal(typeof response.body.error.message, 'string');
  assert.ok(response.headers.get('x-request-id'));
}

function login(role: string, email: string, password: string): Promise<ApiResponse> {
  return server.api('POST', '/api/auth/login', { body: { role, email, password } });
}

function me(token: string): Promise<ApiResponse> {
  return server.api('GET', '/api/me', { token });
}

function refresh(refreshToken: string): Promise<ApiResponse> {
  return server.api('POST', '/api/auth/refresh', { body: { refreshToken } });
}

async function provisionKiosk(owner: SignedUp, name = 'Front'): Promise<{ id: string; loginId: string; secret: string }> {
  const response = await server.api('POST', `/api/stores/${owner.profile.store.id}/kiosks`, { token: owner.accessToken, body: { name } });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return { id: response.body.kiosk.id, ...response.body.credentials };
}

async function kioskLogin(credentials: { loginId: string; secret: string }): Promise<ApiResponse> {
  return server.api('POST', '/api/auth/kiosk-login', { body: { loginId: credentials.loginId, secret: credentials.secret } });
}

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** an HS256 JWT signed with `secret`, as the server signs its access tokens */
function signJwt(claims: Record<string, unknown>, secret = TOKEN_SECRET, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }): string {
  const body = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

describe('logging in', () => {
  test('an owner logs in and gets a token pair for the owner role', async () => {
    const owner = await signUp(server, 'owner', { brandCode: brand.code });
    const response = await login('owner', owner.email, owner.password);
    assert.equal(response.status, 200);
    assert.equal(response.body.role, 'owner');
    assert.equal(response.body.accessToken.split('.').length, 3);
    assert.ok(response.body.refreshToken.length >= 32);
    assert.ok(Date.parse(response.body.accessTokenExpiresAt) > Date.now());
    assert.ok(Date.parse(response.body.refreshTokenExpiresAt) > Date.parse(response.body.accessTokenExpiresAt));
    // the email is matched case-insensitively
    assert.equal((await login('owner', owner.email.toUpperCase(), owner.password)).status, 200);
  });

  test("an account logs in only in a role it has: an owner's email as a counselor is 401 invalid_credentials", async () => {
    const owner = await signUp(server, 'owner', { brandCode: brand.code });
    assertError(await login('counselor', owner.email, owner.password), 401, 'invalid_credentials');
    const counselor = await signUp(server, 'counselor', { brandCode: brand.code });
    assertError(await login('owner', counselor.email, counselor.password), 401, 'invalid_credentials');
  });

  test('one email can hold both roles, each with its own password', async () => {
    const email = uniqueEmail('both');
    await signUp(server, 'owner', { brandCode: brand.code, email, password: 'owner password 1' });
    await signUp(server, 'counselor', { brandCode: brand.code, email, password: 'counselor password 2' });
    assertError(await login('owner', email, 'counselor password 2'), 401, 'invalid_credentials');
    assertError(await login('counselor', email, 'owner password 1'), 401, 'invalid_credentials');
    const asCounselor = await login('counselor', email, 'counselor password 2');
    assert.equal(asCounselor.status, 200);
    assert.equal((await me(asCounselor.body.accessToken)).body.role, 'counselor');
  });

  test('a wrong password and an unknown email are the same 401 invalid_credentials', async () => {
    const owner = await signUp(server, 'owner', { brandCode: brand.code });
    const wrongPassword = await login('owner', owner.email, 'not the password');
    const unknownEmail = await login('owner', uniqueEmail('nobody'), 'not the password');
    assertError(wrongPassword, 401, 'invalid_credentials');
    assertError(unknownEmail, 401, 'invalid_credentials');
    assert.equal(wrongPassword.body.error.message, unknownEmail.body.error.message, 'nothing tells the two apart');
  });

  test('a kiosk logs in with its credentials; a wrong secret or unknown login id is 401 invalid_credentials', async () => {
    const owner = await signUp(server, 'owner', { brandCode: brand.code });
    const kiosk = await provisionKiosk(owner);
    const response = await kioskLogin(kiosk);
    assert.equal(response.status, 200);
    assert.equal(response.body.role, 'kiosk');
    assert.equal(response.body.kioskId, kiosk.id);
    assertError(await kioskLogin({ loginId: kiosk.loginId, secret: `${kiosk.secret}x` }), 401, 'invalid_credentials');
    assertError(await kioskLogin({ loginId: 'k-nosuchkiosk', secret: kiosk.secret }), 401, 'invalid_credentials');
  });

  test('login input is validated: 400 validation_failed', async () => {
    for (const body of [
      {},
      { role: 'kiosk', email: 'a@example.com', password: 'x' },
      { role: 'owner', email: 'not-an-email', password: 'x' },
      { role: 'owner', email: 'a@example.com', password: '' },
      { role: 'owner', email: 'a@example.com', password: 'x', remember: true },
    ]) {
      assertError(await server.api('POST', '/api/auth/login', { body }), 400, 'validation_failed');
    }
    assertError(await server.api('POST', '/api/auth/login', { rawBody: '{"role":' }), 400, 'malformed_json');
  });
});

describe('/api/me', () => {
  test('an owner sees their account with brand and store', async () => {
    const owner = await signUp(server, 'owner', { brandCode: brand.code, storeName: 'Hongdae' });
    const response = await me(owner.accessToken);
    assert.equal(response.status, 200);
    assert.equal(response.body.role, 'owner');
    assert.equal(response.body.id, owner.profile.id);
    assert.equal(response.body.email, owner.email);
    assert.equal(response.body.brand.id, brand.id);
    assert.equal(response.body.store.name, 'Hongdae');
    assert.equal(response.body.passwordHash, undefined);
  });

  test('a counselor sees their account with brand and no store', async () => {
    const counselor = await signUp(server, 'counselor', { brandCode: brand.code });
    const response = await me(counselor.accessToken);
    assert.equal(response.status, 200);
    assert.equal(response.body.role, 'counselor');
    assert.equal(response.body.id, counselor.profile.id);
    assert.equal(response.body.store, null);
    assert.equal(response.body.brand.code, brand.code);
  });

  test('a kiosk sees itself, its store and its brand', async () => {
    const owner = await signUp(server, 'owner', { brandCode: brand.code, storeName: 'Jongno' });
    const kiosk = await provisionKiosk(owner, 'Counter 2');
    const session = await kioskLogin(kiosk);
    const response = await me(session.body.accessToken);
    assert.equal(response.status, 200);
    assert.deepEqual(response.body, {
      role: 'kiosk',
      id: kiosk.id,
      name: 'Counter 2',
      loginId: kiosk.loginId,
      brand: { id: brand.id, name: brand.name },
      store: { id: owner.profile.store.id, name: 'Jongno' },
      // where its screen is, for the low-position layout: not measured yet, so the lower 45 %
      screen: { heightCm: null, bottomCm: null, reachBand: 0.45 },
      // no device has said what card terminal and printer it has (docs/payments.md)
      peripherals: { cardTerminal: 'none', printer: 'none' },
    });
    assert.equal(JSON.stringify(response.body).includes(kiosk.secret), false, 'the secret is never shown again');
  });

  test('the profile read again (from the cache) is the same, and a password change leaves it so', async () => {
    const owner = await signUp(server, 'owner', { brandCode: brand.code, storeName: 'Mangwon' });
    const first = await me(owner.accessToken);
    assert.equal(first.status, 200);
    assert.deepEqual((await me(owner.accessToken)).body, first.body);
    const changed = await server.api('PUT', '/api/me/password', {
      token: owner.accessToken,
      body: { currentPassword: owner.password, newPassword: 'another good password' },
    });
    assert.equal(changed.status, 204);
    assert.deepEqual((await me(owner.accessToken)).body, first.body);
    assert.equal(first.body.createdAt, owner.profile.createdAt);
  });
});

describe('refresh and logout', () => {
  test('refresh rotates the pair: the new refresh token works and the new access token works', async () => {
    const owner = await signUp(server, 'owner', { brandCode: brand.code });
    const first = await refresh(owner.refreshToken);
    assert.equal(first.status, 200);
    assert.notEqual(first.body.refreshToken, owner.refreshToken);
    assert.equal(first.body.role, 'owner');
    assert.equal((await me(first.body.accessToken)).status, 200);
    const second = await refresh(first.body.refreshToken);
    assert.equal(second.status, 200);
    assert.equal((await me(second.body.accessToken)).body.id, owner.profile.id);
  });

  test('reusing a spent refresh token is 401 refresh_token_reused and ends the whole session', async () => {
    const owner = await signUp(server, 'owner', { brandCode: brand.code });
    const otherSession = await login('owner', owner.email, owner.password);
    const rotated = await refresh(owner.refreshToken);
    assert.equal(rotated.status, 200);

    assertError(await refresh(owner.refreshToken), 401, 'refresh_token_reused');
    // the family is revoked: the newest refresh token and every access token of the session stop working
    const newest = await refresh(rotated.body.refreshToken);
    assert.equal(newest.status, 401);
    assert.equal(newest.body.error.code, 'invalid_refresh_token');
    assertError(await me(rotated.body.accessToken), 401, 'session_revoked');
    assertError(await me(owner.accessToken), 401, 'session_revoked');
    // another session of the same account is not touched
    assert.equal((await me(otherSession.body.accessToken)).status, 200);
    assert.equal((await refresh(otherSession.body.refreshToken)).status, 200);
  });

  test('one refresh token used twice at once: exactly one new pair, and the reuse ends the session', async () => {
    const counselor = await signUp(server, 'counselor', { brandCode: brand.code });
    const results = await Promise.all([refresh(counselor.refreshToken), refresh(counselor.refreshToken)]);
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 401]);
    assertError(results.find((r) => r.status === 401)!, 401, 'refresh_token_reused');
    const winner = results.find((r) => r.status === 200)!;
    assertError(await me(winner.body.accessToken), 401, 'session_revoked');
    assertError(await refresh(winner.body.refreshToken), 401, 'invalid_refresh_token');
  });

  test('an unknown or expired refresh token is 401 invalid_refresh_token', async () => {
    assertError(await refresh('not-a-refresh-token'), 401, 'invalid_refresh_token');
    const counselor = await signUp(server, 'counselor', { brandCode: brand.code });
    const db = server.app.database.db;
    await db
      .updateTable('refresh_tokens')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('session_id', 'in', db.selectFrom('sessions').select('id').where('subject_id', '=', counselor.profile.id))
      .execute();
    assertError(await refresh(counselor.refreshToken), 401, 'invalid_refresh_token');
    assertError(await server.api('POST', '/api/auth/refresh', { body: {} }), 400, 'validation_failed');
  });

  test('logout ends the session: its access and refresh tokens stop working, other sessions go on', async () => {
    const counselor = await signUp(server, 'counselor', { brandCode: brand.code });
    const otherSession = await login('counselor', counselor.email, counselor.password);
    const out = await server.api('POST', '/api/auth/logout', { token: counselor.accessToken });
    assert.equal(out.status, 204);
    assertError(await me(counselor.accessToken), 401, 'session_revoked');
    assertError(await refresh(counselor.refreshToken), 401, 'invalid_refresh_token');
    assertError(await server.api('POST', '/api/auth/logout', { token: counselor.accessToken }), 401, 'session_revoked');
    assert.equal((await me(otherSession.body.accessToken)).status, 200);
  });

  test('a kiosk logs out too', async () => {
    const owner = await signUp(server, 'owner', { brandCode: brand.code });
    const session = await kioskLogin(await provisionKiosk(owner));
    assert.equal((await server.api('POST', '/api/auth/logout', { token: session.body.accessToken })).status, 204);
    assertError(await me(session.body.accessToken), 401, 'session_revoked');
    assertError(await refresh(session.body.refreshToken), 401, 'invalid_refresh_token');
  });
});

describe('access tokens that are not good', () => {
  test('no token is 401 authentication_required; another auth scheme is no token', async () => {
    assertError(await server.api('GET', '/api/me'), 401, 'authentication_required');
    assertError(await server.api('GET', '/api/me', { headers: { authorization: 'Basic dXNlcjpwYXNz' } }), 401, 'authentication_required');
  });

  test('a token with a flipped signature character, or a changed payload, is 401 invalid_token', async () => {
    const counselor = await signUp(server, 'counselor', { brandCode: brand.code });
    const [header, payload, signature] = counselor.accessToken.split('.') as [string, string, string];
    const flipped = signature.slice(0, 5) + (signature[5] === 'A' ? 'B' : 'A') + signature.slice(6);
    assertError(await me(`${header}.${payload}.${flipped}`), 401, 'invalid_token');
    const promoted = base64url(JSON.stringify({ ...claimsOf(counselor.accessToken), role: 'owner' }));
    assertError(await me(`${header}.${promoted}.${signature}`), 401, 'invalid_token');
    // signed with another key
    assertError(await me(signJwt(claimsOf(counselor.accessToken), 'another-secret-of-at-least-32-characters')), 401, 'invalid_token');
    // the original still works
    assert.equal((await me(counselor.accessToken)).status, 200);
  });

  test('alg none, other algorithms and garbage are 401 invalid_token', async () => {
    const counselor = await signUp(server, 'counselor', { brandCode: brand.code });
    const claims = claimsOf(counselor.accessToken);
    const none = `${base64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}.`;
    assertError(await me(none), 401, 'invalid_token');
    assertError(await me(signJwt(claims, TOKEN_SECRET, { alg: 'HS512', typ: 'JWT' })), 401, 'invalid_token');
    for (const garbage of ['garbage', 'a.b.c', '...', counselor.accessToken.split('.').slice(0, 2).join('.'), `${counselor.accessToken}.extra`]) {
      assertError(await me(garbage), 401, 'invalid_token');
    }
  });

  test('a correctly signed token is accepted; expired it is 401 token_expired; for no live session 401 session_revoked', async () => {
    const owner = await signUp(server, 'owner', { brandCode: brand.code });
    const claims = claimsOf(owner.accessToken);
    assert.deepEqual(Object.keys(claims).sort(), ['brand', 'exp', 'iat', 'role', 'sid', 'store', 'sub']);
    const now = Math.floor(Date.now() / 1000);
    // the control: a token this test signs is one the server takes
    assert.equal((await me(signJwt({ ...claims, iat: now, exp: now + 60 }))).status, 200);
    assertError(await me(signJwt({ ...claims, iat: now - 1000, exp: now - 100 })), 401, 'token_expired');
    assertError(await me(signJwt({ ...claims, iat: now, exp: now + 60, sid: '00000000-0000-4000-8000-000000000000' })), 401, 'session_revoked');
  });

  test('only live streams take the access token from the query; everywhere else it stays out of URLs', async () => {
    const counselor = await signUp(server, 'counselor', { brandCode: brand.code });
    assertError(await server.api('GET', `/api/me?access_token=${encodeURIComponent(counselor.accessToken)}`), 401, 'authentication_required');
    const lowerCaseScheme = await server.api('GET', '/api/me', { headers: { authorization: `bearer ${counselor.accessToken}` } });
    assert.equal(lowerCaseScheme.status, 200, 'the Bearer scheme name is case-blind');
    assertError(await server.api('POST', `/api/auth/logout?access_token=${encodeURIComponent(counselor.accessToken)}`), 401, 'authentication_required');
    assert.equal((await me(counselor.accessToken)).status, 200, 'the refused logout ended nothing');
  });

  test('the Bearer scheme name is case-insensitive (RFC 7235 section 2.1)', async () => {
    const counselor = await signUp(server, 'counselor', { brandCode: brand.code });
    const response = await server.api('GET', '/api/me', { headers: { authorization: `bearer ${counselor.accessToken}` } });
    assert.equal(response.status, 200);
  });
});

describe('passwords', () => {
  test('changing the password ends the other sessions, keeps this one, and swaps which password logs in', async () => {
    const owner = await signUp(server, 'owner', { brandCode: brand.code });
    const other = await login('owner', owner.email, owner.password);
    const newPassword = 'a brand new password';

    assertError(
      await server.api('PUT', '/api/me/password', { token: owner.accessToken, body: { currentPassword: 'wrong password', newPassword } }),
      403,
      'wrong_password',
    );
    assert.equal((await me(other.body.accessToken)).status, 200, 'a refused change ends nothing');
    assertError(
      await server.api('PUT', '/api/me/password', { token: owner.accessToken, body: { currentPassword: owner.password, newPassword: 'short' } }),
      400,
      'validation_failed',
    );

    const changed = await server.api('PUT', '/api/me/password', {
      token: owner.accessToken,
      body: { currentPassword: owner.password, newPassword },
    });
    assert.equal(changed.status, 204);
    assert.equal((await me(owner.accessToken)).status, 200, 'this session goes on');
    assert.equal((await refresh(owner.refreshToken)).status, 200);
    assertError(await me(other.body.accessToken), 401, 'session_revoked');
    assertError(await refresh(other.body.refreshToken), 401, 'invalid_refresh_token');
    assertError(await login('owner', owner.email, owner.password), 401, 'invalid_credentials');
    assert.equal((await login('owner', owner.email, newPassword)).status, 200);
  });

  test('a reset asked for an unknown email is 202 and sends no mail', async () => {
    const email = uniqueEmail('ghost');
    const response = await server.api('POST', '/api/password-resets', { body: { role: 'owner', email } });
    assert.equal(response.status, 202);
    assert.equal((await mailsTo(server, email)).length, 0);
    // and confirming it is refused
    assertError(
      await server.api('POST', '/api/password-resets/confirm', { body: { role: 'owner', email, code: '123456', newPassword: 'whatever password' } }),
      400,
      'code_not_requested',
    );
  });

  test('a reset for the role an email does not have sends no mail', async () => {
    const owner = await signUp(server, 'owner', { brandCode: brand.code });
    const before = (await mailsTo(server, owner.email)).length;
    assert.equal((await server.api('POST', '/api/password-resets', { body: { role: 'counselor', email: owner.email } })).status, 202);
    assert.equal((await mailsTo(server, owner.email)).length, before);
  });

  test('a password reset by emailed code: a wrong code is 400, the right one sets the password and ends every session', async () => {
    const counselor = await signUp(server, 'counselor', { brandCode: brand.code });
    const other = await login('counselor', counselor.email, counselor.password);
    const asked = await server.api('POST', '/api/password-resets', { body: { role: 'counselor', email: counselor.email } });
    assert.equal(asked.status, 202);
    const mail = await server.lastMailTo(counselor.email);
    assert.match(mail?.subject ?? '', /reset/i);
    const code = codeIn(mail?.text);
    const newPassword = 'reset password 123';
    const confirm = (body: Record<string, unknown>) =>
      server.api('POST', '/api/password-resets/confirm', { body: { role: 'counselor', email: counselor.email, newPassword, ...body } });

    const wrong = await confirm({ code: code === '999999' ? '999998' : '999999' });
    assertError(wrong, 400, 'code_mismatch');
    assert.equal(wrong.body.error.details.attemptsLeft, 4);
    assert.equal((await login('counselor', counselor.email, counselor.password)).status, 200, 'a wrong code changes nothing');
    assertError(await confirm({ code: '12345' }), 400, 'validation_failed');
    assertError(await confirm({ code, newPassword: 'short' }), 400, 'validation_failed');

    assert.equal((await confirm({ code })).status, 204);
    for (const session of [counselor.accessToken, other.body.accessToken]) {
      assertError(await me(session), 401, 'session_revoked');
    }
    assertError(await refresh(counselor.refreshToken), 401, 'invalid_refresh_token');
    assertError(await login('counselor', counselor.email, counselor.password), 401, 'invalid_credentials');
    assert.equal((await login('counselor', counselor.email, newPassword)).status, 200);
    // the code works once
    assertError(await confirm({ code, newPassword: 'yet another password' }), 410, 'code_already_used');
  });
});

describe('withdrawal', () => {
  test('a counselor withdraws: wrong password is 403, then they cannot log in, tokens die, and the email is free again', async () => {
    const counselor = await signUp(server, 'counselor', { brandCode: brand.code });
    const other = await login('counselor', counselor.email, counselor.password);

    assertError(await server.api('POST', '/api/me/withdraw', { token: counselor.accessToken, body: { password: 'wrong password' } }), 403, 'wrong_password');
    assert.equal((await me(counselor.accessToken)).status, 200, 'a refused withdrawal changes nothing');

    const gone = await server.api('POST', '/api/me/withdraw', { token: counselor.accessToken, body: { password: counselor.password } });
    assert.equal(gone.status, 204);
    assertError(await login('counselor', counselor.email, counselor.password), 401, 'invalid_credentials');
    assertError(await me(counselor.accessToken), 401, 'session_revoked');
    assertError(await me(other.body.accessToken), 401, 'session_revoked');
    assertError(await refresh(counselor.refreshToken), 401, 'invalid_refresh_token');
    assertError(await refresh(other.body.refreshToken), 401, 'invalid_refresh_token');

    const availability = await server.api('GET', `/api/accounts/email-availability?role=counselor&email=${encodeURIComponent(counselor.email)}`);
    assert.deepEqual(availability.body, { available: true });
    const again = await signUp(server, 'counselor', { brandCode: brand.code, email: counselor.email, password: 'a new life password' });
    assert.notEqual(again.profile.id, counselor.profile.id, 'a new account, not the old one revived');
    assert.equal((await me(again.accessToken)).body.email, counselor.email);
  });

  test("an owner withdraws: the store's kiosks cannot log in and their tokens stop working; other stores go on", async () => {
    const owner = await signUp(server, 'owner', { brandCode: brand.code });
    const neighbour = await signUp(server, 'owner', { brandCode: brand.code });
    const kioskA = await provisionKiosk(owner, 'A');
    const kioskB = await provisionKiosk(owner, 'B');
    const neighbourKiosk = await provisionKiosk(neighbour, 'N');
    const sessionA = await kioskLogin(kioskA);
    const sessionN = await kioskLogin(neighbourKiosk);
    assert.equal((await me(sessionA.body.accessToken)).status, 200);

    const gone = await server.api('POST', '/api/me/withdraw', { token: owner.accessToken, body: { password: owner.password } });
    assert.equal(gone.status, 204);

    assertError(await me(sessionA.body.accessToken), 401, 'session_revoked');
    assertError(await refresh(sessionA.body.refreshToken), 401, 'invalid_refresh_token');
    assertError(await kioskLogin(kioskA), 401, 'invalid_credentials');
    assertError(await kioskLogin(kioskB), 401, 'invalid_credentials');
    assertError(await me(owner.accessToken), 401, 'session_revoked');
    assertError(await login('owner', owner.email, owner.password), 401, 'invalid_credentials');

    assert.equal((await me(sessionN.body.accessToken)).status, 200);
    assert.equal((await kioskLogin(neighbourKiosk)).status, 200);
    assert.equal((await server.api('GET', `/api/stores/${neighbour.profile.store.id}/kiosks`, { token: neighbour.accessToken })).body.kiosks.length, 1);

    // the email can open a new store
    const again = await signUp(server, 'owner', { brandCode: brand.code, email: owner.email, password: 'second store password' });
    assert.notEqual(again.profile.store.id, owner.profile.store.id);
    const kiosks = await server.api('GET', `/api/stores/${again.profile.store.id}/kiosks`, { token: again.accessToken });
    assert.deepEqual(kiosks.body.kiosks, []);
  });

  test('withdrawal input is validated', async () => {
    const counselor = await signUp(server, 'counselor', { brandCode: brand.code });
    assertError(await server.api('POST', '/api/me/withdraw', { token: counselor.accessToken, body: {} }), 400, 'validation_failed');
    assertError(await server.api('POST', '/api/me/withdraw', { token: counselor.accessToken, body: { password: '' } }), 400, 'validation_failed');
    assert.equal((await me(counselor.accessToken)).status, 200);
  });
});

describe('two instances', { skip: !usingServers && 'needs PostgreSQL and Redis (PINOKIO_TEST_SERVERS=1)' }, () => {
  let a: TestServer;
  let b: TestServer;
  let dropDatabase: () => Promise<void>;

  before(async () => {
    const database = await createPostgresDatabase();
    dropDatabase = database.drop;
    const shared = {
      databaseUrl: database.url,
      redisPrefix: `pinokio-test-${randomBytes(4).toString('hex')}:`,
      env: { ...roomyLimits, AUTH_TOKEN_SECRET: TOKEN_SECRET },
    };
    a = await startTestServer(shared);
    b = await startTestServer(shared);
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await dropDatabase?.();
  });

  /** /api/me on a server, twice, so that the session's state is remembered there */
  async function seenOn(target: TestServer, token: string): Promise<ApiResponse> {
    assert.equal((await target.api('GET', '/api/me', { token })).status, 200);
    return target.api('GET', '/api/me', { token });
  }

  function expectRevokedOn(target: TestServer, token: string): Promise<void> {
    return target.api('GET', '/api/me', { token }).then((response) => assertError(response, 401, 'session_revoked'));
  }

  test('logout on A: the token is refused on B at once', async () => {
    const brandAB = await createBrand(a, 'Two Instances');
    const counselor = await signUp(a, 'counselor', { brandCode: brandAB.code });
    await seenOn(b, counselor.accessToken);
    assert.equal((await a.api('POST', '/api/auth/logout', { token: counselor.accessToken })).status, 204);
    await expectRevokedOn(b, counselor.accessToken);
    await expectRevokedOn(a, counselor.accessToken);
  });

  test('password change on B ends the other sessions on A at once; refresh-token reuse on A ends the session on B', async () => {
    const brandAB = await createBrand(a, 'Two Instances');
    const owner = await signUp(a, 'owner', { brandCode: brandAB.code });
    const other = await a.api('POST', '/api/auth/login', { body: { role: 'owner', email: owner.email, password: owner.password } });
    const profile = (await seenOn(a, other.body.accessToken)).body;
    await seenOn(b, owner.accessToken);
    const changed = await b.api('PUT', '/api/me/password', {
      token: owner.accessToken,
      body: { currentPassword: owner.password, newPassword: 'two instances password' },
    });
    assert.equal(changed.status, 204);
    await expectRevokedOn(a, other.body.accessToken);
    assert.deepEqual((await a.api('GET', '/api/me', { token: owner.accessToken })).body, profile, 'this session goes on, on both');

    const rotated = await a.api('POST', '/api/auth/refresh', { body: { refreshToken: owner.refreshToken } });
    assert.equal(rotated.status, 200);
    await seenOn(b, rotated.body.accessToken);
    assertError(await a.api('POST', '/api/auth/refresh', { body: { refreshToken: owner.refreshToken } }), 401, 'refresh_token_reused');
    await expectRevokedOn(b, rotated.body.accessToken);
    await expectRevokedOn(b, owner.accessToken);
  });

  test("kiosk deletion on A and an owner's withdrawal on B: every token ends on the other instance at once", async () => {
    const brandAB = await createBrand(a, 'Two Instances');
    const owner = await signUp(a, 'owner', { brandCode: brandAB.code });
    const provision = (name: string) => a.api('POST', `/api/stores/${owner.profile.store.id}/kiosks`, { token: owner.accessToken, body: { name } });
    const deleted = (await provision('Gone')).body;
    const kept = (await provision('Kept')).body;
    const kioskSession = (kiosk: typeof deleted) =>
      b.api('POST', '/api/auth/kiosk-login', { body: { loginId: kiosk.credentials.loginId, secret: kiosk.credentials.secret } });
    const deletedSession = await kioskSession(deleted);
    const keptSession = await kioskSession(kept);
    await seenOn(b, deletedSession.body.accessToken);
    await seenOn(b, keptSession.body.accessToken);
    const removed = await a.api('DELETE', `/api/stores/${owner.profile.store.id}/kiosks/${deleted.kiosk.id}`, { token: owner.accessToken });
    assert.equal(removed.status, 204, JSON.stringify(removed.body));
    await expectRevokedOn(b, deletedSession.body.accessToken);
    assert.equal((await b.api('GET', '/api/me', { token: keptSession.body.accessToken })).status, 200);

    await seenOn(a, owner.accessToken);
    await seenOn(a, keptSession.body.accessToken);
    const gone = await b.api('POST', '/api/me/withdraw', { token: owner.accessToken, body: { password: owner.password } });
    assert.equal(gone.status, 204);
    await expectRevokedOn(a, owner.accessToken);
    await expectRevokedOn(a, keptSession.body.accessToken);

    // the same email signs up again through A: both instances show the new account, not the old one
    const again = await signUp(a, 'owner', { brandCode: brandAB.code, email: owner.email, password: 'second store password' });
    for (const target of [a, b]) {
      const fresh = await target.api('GET', '/api/me', { token: again.accessToken });
      assert.equal(fresh.body.id, again.profile.id);
      assert.equal(fresh.body.email, owner.email);
      assert.notEqual(fresh.body.store.id, owner.profile.store.id);
    }
  });
});

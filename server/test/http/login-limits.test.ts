// Login rate limits through the HTTP API, on a server with small limits (per minute: 3 failures
// per account and address, 6 failures per account from anywhere, 5 attempts per IP). Each test
// speaks from its own loopback addresses (127.0.0.x), which the server sees as the client IP, so
// the tests do not share an IP budget.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { codeIn, createBrand, fromAddress, roomyLimits, startTestServer, uniqueEmail, type ApiResponse, type TestServer } from '../support/test-server.js';

let server: TestServer;
let brand: { id: string; name: string; code: string };
const PASSWORD = 'correct horse battery';

before(async () => {
  server = await startTestServer({
    env: {
      ...roomyLimits,
      LIMIT_LOGIN_PER_ACCOUNT_PER_MINUTE: '3',
      LIMIT_LOGIN_FAILURES_PER_ACCOUNT_PER_MINUTE: '6',
      LIMIT_LOGIN_PER_IP_PER_MINUTE: '5',
    },
  });
  brand = await createBrand(server, 'Limit Coffee');
});
after(() => server?.close());

function assertRateLimited(response: ApiResponse): void {
  assert.equal(response.status, 429, JSON.stringify(response.body));
  assert.equal(response.body.error.code, 'rate_limited');
  const retryAfter = Number(response.headers.get('retry-after'));
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${response.headers.get('retry-after')}`);
  assert.equal(response.body.error.details.retryAfterSeconds, retryAfter);
}

/** an account made through the API without logging in (a login would spend the budget) */
async function createAccount(role: 'owner' | 'counselor'): Promise<string> {
  const email = uniqueEmail(role);
  assert.equal((await server.api('POST', '/api/email-codes', { body: { email } })).status, 202);
  const code = codeIn((await server.lastMailTo(email))?.text);
  const verified = await server.api('POST', '/api/email-codes/verify', { body: { email, code } });
  const body: Record<string, unknown> = { email, password: PASSWORD, brandCode: brand.code, verificationToken: verified.body.verificationToken };
  if (role === 'owner') body.storeName = 'Limit store';
  const created = await server.api('POST', `/api/accounts/${role}s`, { body });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return email;
}

function login(client: TestServer, role: string, email: string, password: string): Promise<ApiResponse> {
  return client.api('POST', '/api/auth/login', { body: { role, email, password } });
}

test('after 3 wrong passwords from one address the 4th login from there is 429 with Retry-After, even with the right password', async () => {
  const email = await createAccount('counselor');
  const client = fromAddress(server, '127.0.0.11');
  for (const address of [email, email.toUpperCase(), email]) {
    assert.equal((await login(client, 'counselor', address, 'wrong password')).status, 401);
  }
  assertRateLimited(await login(client, 'counselor', email, PASSWORD));
  // only that account's: another one logs in from the same address
  const other = await createAccount('counselor');
  assert.equal((await login(client, 'counselor', other, PASSWORD)).status, 200);
});

test("someone else's wrong passwords do not lock the right owner out from another address", async () => {
  const email = await createAccount('owner');
  const stranger = fromAddress(server, '127.0.0.13');
  for (let i = 0; i < 3; i++) assert.equal((await login(stranger, 'owner', email, 'wrong password')).status, 401);
  assertRateLimited(await login(stranger, 'owner', email, 'wrong password'));
  assert.equal((await login(fromAddress(server, '127.0.0.14'), 'owner', email, PASSWORD)).status, 200);
});

test('wrong passwords spread over many addresses meet the per-account ceiling', async () => {
  const email = await createAccount('owner');
  for (const address of ['127.0.0.15', '127.0.0.16', '127.0.0.17']) {
    const guesser = fromAddress(server, address);
    for (let i = 0; i < 2; i++) assert.equal((await login(guesser, 'owner', email, 'wrong password')).status, 401);
  }
  assertRateLimited(await login(fromAddress(server, '127.0.0.18'), 'owner', email, PASSWORD));
});

test('the 6th login from one IP within a minute is 429 with Retry-After, even for a fresh account; other IPs go on', async () => {
  const emails: string[] = [];
  for (let i = 0; i < 6; i++) emails.push(await createAccount('owner'));
  const client = fromAddress(server, '127.0.0.21');
  for (const email of emails.slice(0, 5)) {
    assert.equal((await login(client, 'owner', email, PASSWORD)).status, 200);
  }
  assertRateLimited(await login(client, 'owner', emails[5]!, PASSWORD));
  assertRateLimited(await login(client, 'owner', emails[0]!, PASSWORD));
  assert.equal((await login(fromAddress(server, '127.0.0.22'), 'owner', emails[5]!, PASSWORD)).status, 200);
});

test('kiosk logins are limited per kiosk too', async () => {
  const email = await createAccount('owner');
  const owner = await login(fromAddress(server, '127.0.0.31'), 'owner', email, PASSWORD);
  const me = await server.api('GET', '/api/me', { token: owner.body.accessToken });
  const provisioned = await server.api('POST', `/api/stores/${me.body.store.id}/kiosks`, { token: owner.body.accessToken, body: { name: 'K' } });
  const { loginId, secret } = provisioned.body.credentials as { loginId: string; secret: string };
  const client = fromAddress(server, '127.0.0.32');
  for (let i = 0; i < 3; i++) {
    assert.equal((await client.api('POST', '/api/auth/kiosk-login', { body: { loginId, secret: `${secret}-wrong` } })).status, 401);
  }
  assertRateLimited(await client.api('POST', '/api/auth/kiosk-login', { body: { loginId, secret } }));
  assert.equal((await fromAddress(server, '127.0.0.33').api('POST', '/api/auth/kiosk-login', { body: { loginId, secret } })).status, 200);
});

test('a refused (rate-limited) login does not end existing sessions', async () => {
  const email = await createAccount('counselor');
  const client = fromAddress(server, '127.0.0.41');
  const session = await login(client, 'counselor', email, PASSWORD);
  assert.equal(session.status, 200);
  for (let i = 0; i < 3; i++) await login(client, 'counselor', email, 'wrong password');
  assertRateLimited(await login(client, 'counselor', email, PASSWORD));
  assert.equal((await server.api('GET', '/api/me', { token: session.body.accessToken })).status, 200);
  assert.equal((await server.api('POST', '/api/auth/refresh', { body: { refreshToken: session.body.refreshToken } })).status, 200);
});

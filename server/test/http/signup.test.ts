// Email verification and sign-up through the HTTP API: the emailed code, its limits (attempts,
// expiry, one use, resend cooldown, hourly cap), the verification token that the sign-up spends,
// owner and counselor sign-up, and how bad input is refused.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { codeIn, createBrand, mailsTo, roomyLimits, signUp, startTestServer, uniqueEmail, type ApiResponse, type TestServer } from '../support/test-server.js';

let server: TestServer;
let brand: { id: string; name: string; code: string };

before(async () => {
  server = await startTestServer({
    env: {
      ...roomyLimits,
      // the real cooldown and a small hourly cap; tests that need a second code age the first one
      CODE_RESEND_COOLDOWN_SECONDS: '60',
      LIMIT_CODE_REQUESTS_PER_EMAIL_PER_HOUR: '2',
    },
  });
  brand = await createBrand(server, 'Signup Coffee');
});
after(() => server?.close());

const PASSWORD = 'correct horse battery';

/** an error answer in the house format: {error: {code, message}} and a request id */
function assertError(response: ApiResponse, status: number, code: string): void {
  assert.equal(response.status, status, `expected ${status} ${code}, got ${response.status} ${JSON.stringify(response.body)}`);
  assert.equal(response.body?.error?.code, code);
  assert.equal(typeof response.body.error.message, 'string');
  assert.ok(response.body.error.message.length > 0);
  const requestId = response.headers.get('x-request-id');
  assert.ok(requestId, 'an x-request-id header');
  assert.equal(response.body.error.requestId, requestId);
}

function requestCode(email: string): Promise<ApiResponse> {
  return server.api('POST', '/api/email-codes', { body: { email } });
}

async function codeFor(email: string): Promise<string> {
  const sent = await requestCode(email);
  assert.equal(sent.status, 202, JSON.stringify(sent.body));
  return codeIn((await server.lastMailTo(email))?.text);
}

function verify(email: string, code: string): Promise<ApiResponse> {
  return server.api('POST', '/api/email-codes/verify', { body: { email, code } });
}

async function verificationTokenFor(email: string): Promise<string> {
  const verified = await verify(email, await codeFor(email));
  assert.equal(verified.status, 200, JSON.stringify(verified.body));
  return verified.body.verificationToken;
}

function signUpOwner(fields: Record<string, unknown>): Promise<ApiResponse> {
  return server.api('POST', '/api/accounts/owners', {
    body: { password: PASSWORD, brandCode: brand.code, storeName: 'Main street', ...fields },
  });
}

function signUpCounselor(fields: Record<string, unknown>): Promise<ApiResponse> {
  return server.api('POST', '/api/accounts/counselors', { body: { password: PASSWORD, brandCode: brand.code, ...fields } });
}

function login(role: 'owner' | 'counselor', email: string, password = PASSWORD): Promise<ApiResponse> {
  return server.api('POST', '/api/auth/login', { body: { role, email, password } });
}

/** as if the codes sent to this email had been sent `seconds` earlier (for the resend cooldown) */
async function ageCodes(email: string, seconds: number): Promise<void> {
  await sql`update email_codes set created_at = created_at - make_interval(secs => ${seconds}) where email = ${email.toLowerCase()}`.execute(
    server.app.database.db,
  );
}

async function storesOfBrand(brandId: string): Promise<number> {
  const rows = await server.app.database.db.selectFrom('stores').select('id').where('brand_id', '=', brandId).execute();
  return rows.length;
}

async function accountsWithEmail(email: string): Promise<number> {
  const rows = await server.app.database.db
    .selectFrom('accounts')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .execute();
  return rows.length;
}

describe('the emailed code', () => {
  test('a code request is accepted and a mail with a 6-digit code arrives in the outbox', async () => {
    const email = uniqueEmail('code');
    const sent = await requestCode(email);
    assert.equal(sent.status, 202);
    assert.deepEqual(sent.body, { expiresInSeconds: 300, resendAfterSeconds: 60 });
    assert.doesNotMatch(JSON.stringify(sent.body), /\b\d{6}\b/, 'the code is not in the answer');
    const mails = await mailsTo(server, email);
    assert.equal(mails.length, 1);
    assert.match(mails[0]!.subject, /code/i);
    assert.match(mails[0]!.text, /\b\d{6}\b/);
  });

  test('the right code verifies once and gives a verification token; a second use is 410 code_already_used', async () => {
    const email = uniqueEmail('once');
    const code = await codeFor(email);
    const first = await verify(email, code);
    assert.equal(first.status, 200);
    assert.equal(typeof first.body.verificationToken, 'string');
    assert.ok(first.body.verificationToken.length >= 32, 'a long random token');
    assert.ok(first.body.expiresInSeconds > 0);
    const again = await verify(email, code);
    assertError(again, 410, 'code_already_used');
  });

  test('the code is checked case-insensitively against the email it was sent to', async () => {
    const email = uniqueEmail('Mixed.Case');
    const code = await codeFor(email);
    const verified = await verify(email.toUpperCase(), code);
    assert.equal(verified.status, 200);
  });

  test('a code for another email does not verify this one: 400 code_not_requested', async () => {
    const sentTo = uniqueEmail('sent');
    const code = await codeFor(sentTo);
    assertError(await verify(uniqueEmail('never-sent'), code), 400, 'code_not_requested');
    // and the unspent code still works for its own email
    assert.equal((await verify(sentTo, code)).status, 200);
  });

  test('wrong codes are 400 code_mismatch counting attempts down; the 6th try is 410 even with the right code', async () => {
    const email = uniqueEmail('guess');
    const code = await codeFor(email);
    const wrong = code === '000000' ? '000001' : '000000';
    for (const attemptsLeft of [4, 3, 2, 1, 0]) {
      const response = await verify(email, wrong);
      assertError(response, 400, 'code_mismatch');
      assert.equal(response.body.error.details.attemptsLeft, attemptsLeft);
    }
    assertError(await verify(email, code), 410, 'code_attempts_exhausted');
    assertError(await verify(email, code), 410, 'code_attempts_exhausted');
  });

  test('an expired code is 410 code_expired even when it is right', async () => {
    const email = uniqueEmail('late');
    const code = await codeFor(email);
    await server.app.database.db
      .updateTable('email_codes')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('email', '=', email.toLowerCase())
      .execute();
    assertError(await verify(email, code), 410, 'code_expired');
  });

  test('the same code checked several times at once verifies exactly once', async () => {
    const email = uniqueEmail('race-verify');
    const code = await codeFor(email);
    const results = await Promise.all([verify(email, code), verify(email, code), verify(email, code)]);
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 410, 410]);
    for (const refused of results.filter((r) => r.status === 410)) assertError(refused, 410, 'code_already_used');
  });

  test('a new code replaces the previous one', async () => {
    const email = uniqueEmail('resend');
    const first = await codeFor(email);
    await ageCodes(email, 120);
    const second = await codeFor(email);
    if (first !== second) assertError(await verify(email, first), 400, 'code_mismatch');
    assert.equal((await verify(email, second)).status, 200);
  });

  test('asking again within the cooldown is 429 with Retry-After, and no second mail is sent', async () => {
    const email = uniqueEmail('cooldown');
    assert.equal((await requestCode(email)).status, 202);
    const again = await requestCode(email);
    assertError(again, 429, 'rate_limited');
    const retryAfter = Number(again.headers.get('retry-after'));
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${again.headers.get('retry-after')}`);
    assert.equal(again.body.error.details.retryAfterSeconds, retryAfter);
    assert.equal((await mailsTo(server, email)).length, 1);
    // the same address written differently is the same address
    assertError(await requestCode(email.toUpperCase()), 429, 'rate_limited');
  });

  test('past the hourly cap per email (2 here), a request is 429 with Retry-After even after the cooldown', async () => {
    const email = uniqueEmail('capped');
    assert.equal((await requestCode(email)).status, 202);
    await ageCodes(email, 120);
    assert.equal((await requestCode(email)).status, 202);
    await ageCodes(email, 120);
    const third = await requestCode(email);
    assertError(third, 429, 'rate_limited');
    assert.ok(Number(third.headers.get('retry-after')) >= 1);
    assert.equal((await mailsTo(server, email)).length, 2);
    // another address is not affected
    assert.equal((await requestCode(uniqueEmail('capped-other'))).status, 202);
  });
});

describe('sign-up', () => {
  test('an owner signs up with a verified email: the profile has the brand and a new store, and the owner can log in', async () => {
    const before = await storesOfBrand(brand.id);
    const email = uniqueEmail('owner');
    const verificationToken = await verificationTokenFor(email);
    const created = await signUpOwner({ email, verificationToken, storeName: '  강남점  ', displayName: 'Kim' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const profile = created.body;
    assert.equal(profile.role, 'owner');
    assert.equal(profile.email, email);
    assert.equal(profile.displayName, 'Kim');
    assert.deepEqual(profile.brand, { id: brand.id, name: brand.name, code: brand.code });
    assert.equal(profile.store.name, '강남점', 'the store name is trimmed');
    assert.equal(typeof profile.store.id, 'string');
    assert.equal(typeof profile.store.timeZone, 'string');
    assert.ok(!Number.isNaN(Date.parse(profile.createdAt)));
    assert.equal(profile.passwordHash, undefined, 'no hash in the answer');
    assert.equal(profile.password, undefined);
    assert.equal(await storesOfBrand(brand.id), before + 1);

    const session = await login('owner', email);
    assert.equal(session.status, 200);
    const me = await server.api('GET', '/api/me', { token: session.body.accessToken });
    assert.equal(me.status, 200);
    assert.deepEqual(me.body, profile);
  });

  test('a counselor signs up: the profile has the brand and no store; without a display name the email name is used', async () => {
    const email = uniqueEmail('counselor');
    const created = await signUpCounselor({ email, verificationToken: await verificationTokenFor(email) });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.role, 'counselor');
    assert.equal(created.body.store, null);
    assert.equal(created.body.brand.id, brand.id);
    assert.equal(created.body.displayName, email.split('@')[0]);
    assert.equal((await login('counselor', email)).status, 200);
  });

  test('a store name of only spaces is 400 invalid_store_name and creates nothing', async () => {
    const before = await storesOfBrand(brand.id);
    const email = uniqueEmail('blank-store');
    const token = await verificationTokenFor(email);
    assertError(await signUpOwner({ email, verificationToken: token, storeName: '   ' }), 400, 'invalid_store_name');
    assert.equal(await storesOfBrand(brand.id), before);
    assert.equal(await accountsWithEmail(email), 0);
  });

  test('the brand code is accepted in lower case too', async () => {
    const email = uniqueEmail('lower');
    const created = await signUpCounselor({ email, brandCode: brand.code.toLowerCase(), verificationToken: await verificationTokenFor(email) });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.brand.code, brand.code);
  });

  test('without a verified email the sign-up is 403 email_not_verified and nothing is created', async () => {
    const before = await storesOfBrand(brand.id);
    const email = uniqueEmail('unverified');
    assertError(await signUpOwner({ email, verificationToken: 'made-up-token' }), 403, 'email_not_verified');
    // a code that was sent but not verified does not count either
    await codeFor(email);
    assertError(await signUpOwner({ email, verificationToken: 'made-up-token' }), 403, 'email_not_verified');
    assert.equal(await storesOfBrand(brand.id), before);
    assert.equal(await accountsWithEmail(email), 0);
    assertError(await login('owner', email), 401, 'invalid_credentials');
  });

  test("another email's verification token is 403, and stays usable for its own email", async () => {
    const verifiedEmail = uniqueEmail('verified');
    const token = await verificationTokenFor(verifiedEmail);
    const other = uniqueEmail('other');
    assertError(await signUpCounselor({ email: other, verificationToken: token }), 403, 'email_not_verified');
    assert.equal(await accountsWithEmail(other), 0);
    assert.equal((await signUpCounselor({ email: verifiedEmail, verificationToken: token })).status, 201);
  });

  test('a verification token signs up once: used again it is 403', async () => {
    const email = uniqueEmail('reuse');
    const token = await verificationTokenFor(email);
    assert.equal((await signUpOwner({ email, verificationToken: token })).status, 201);
    // the email is still free as a counselor, but the token is spent
    assertError(await signUpCounselor({ email, verificationToken: token }), 403, 'email_not_verified');
    assert.equal(await accountsWithEmail(email), 1);
  });

  test('a taken email (same role) is 409 email_taken and nothing is half-created', async () => {
    const brandOfTest = await createBrand(server, 'Dup Coffee');
    const email = uniqueEmail('dup');
    const first = await server.api('POST', '/api/accounts/owners', {
      body: { email, password: PASSWORD, brandCode: brandOfTest.code, storeName: 'First', verificationToken: await verificationTokenFor(email) },
    });
    assert.equal(first.status, 201);
    assert.equal(await storesOfBrand(brandOfTest.id), 1);

    // the same person proves the email again and tries to open a second store with it
    await ageCodes(email, 120);
    const token = await verificationTokenFor(email);
    const second = await server.api('POST', '/api/accounts/owners', {
      body: { email: email.toUpperCase(), password: 'another password', brandCode: brandOfTest.code, storeName: 'Second', verificationToken: token },
    });
    assertError(second, 409, 'email_taken');
    assert.equal(await storesOfBrand(brandOfTest.id), 1, 'no store row was left behind');
    assert.equal(await accountsWithEmail(email), 1);
    assertError(await login('owner', email, 'another password'), 401, 'invalid_credentials');
    assert.equal((await login('owner', email)).status, 200);
    // the refused sign-up did not spend the verification: the email can still become a counselor
    assert.equal((await signUpCounselor({ email, verificationToken: token })).status, 201);
  });

  test('a verification older than 30 minutes no longer signs up: 403 email_not_verified', async () => {
    const email = uniqueEmail('stale');
    const token = await verificationTokenFor(email);
    await server.app.database.db
      .updateTable('email_codes')
      .set({ verified_at: new Date(Date.now() - 31 * 60 * 1000) })
      .where('email', '=', email.toLowerCase())
      .execute();
    assertError(await signUpCounselor({ email, verificationToken: token }), 403, 'email_not_verified');
    assert.equal(await accountsWithEmail(email), 0);
  });

  test('two sign-ups racing with the same email and role: exactly one account and one store', async () => {
    const brandOfTest = await createBrand(server, 'Race Coffee');
    const email = uniqueEmail('race');
    const firstToken = await verificationTokenFor(email);
    await ageCodes(email, 120);
    const secondToken = await verificationTokenFor(email);
    const results = await Promise.all(
      [firstToken, secondToken].map((verificationToken, i) =>
        server.api('POST', '/api/accounts/owners', {
          body: { email, password: PASSWORD, brandCode: brandOfTest.code, storeName: `Racer ${i}`, verificationToken },
        }),
      ),
    );
    assert.deepEqual(results.map((r) => r.status).sort(), [201, 409], JSON.stringify(results.map((r) => r.body)));
    assertError(results.find((r) => r.status === 409)!, 409, 'email_taken');
    assert.equal(await storesOfBrand(brandOfTest.id), 1);
    assert.equal(await accountsWithEmail(email), 1);
  });

  test('one verification token spent by two sign-ups at once: exactly one succeeds', async () => {
    const email = uniqueEmail('race-token');
    const verificationToken = await verificationTokenFor(email);
    const results = await Promise.all([signUpOwner({ email, verificationToken }), signUpCounselor({ email, verificationToken })]);
    assert.deepEqual(results.map((r) => r.status).sort(), [201, 403], JSON.stringify(results.map((r) => r.body)));
    assert.equal(await accountsWithEmail(email), 1);
  });

  test('an unknown brand code is 400 unknown_brand_code; GET /api/brands/:code says 404', async () => {
    const email = uniqueEmail('nobrand');
    const token = await verificationTokenFor(email);
    assertError(await signUpOwner({ email, verificationToken: token, brandCode: 'NO-SUCH-BRAND' }), 400, 'unknown_brand_code');
    assertError(await server.api('GET', '/api/brands/NO-SUCH-BRAND'), 404, 'unknown_brand_code');
    assert.equal(await accountsWithEmail(email), 0);

    const known = await server.api('GET', `/api/brands/${brand.code.toLowerCase()}`);
    assert.equal(known.status, 200);
    assert.deepEqual(known.body, { name: brand.name, code: brand.code });
    // the token was not spent by the refusal
    assert.equal((await signUpOwner({ email, verificationToken: token })).status, 201);
  });

  test('the email availability endpoint follows sign-ups, per role and case-insensitively', async () => {
    const email = uniqueEmail('avail');
    const available = (role: string, address: string) =>
      server.api('GET', `/api/accounts/email-availability?role=${role}&email=${encodeURIComponent(address)}`);
    assert.deepEqual((await available('owner', email)).body, { available: true });
    await signUp(server, 'owner', { brandCode: brand.code, email });
    assert.deepEqual((await available('owner', email)).body, { available: false });
    assert.deepEqual((await available('owner', email.toUpperCase())).body, { available: false });
    assert.deepEqual((await available('counselor', email)).body, { available: true });

    assertError(await available('owner', 'not-an-email'), 400, 'validation_failed');
    assertError(await available('kiosk', email), 400, 'validation_failed');
    assertError(await server.api('GET', `/api/accounts/email-availability?email=${encodeURIComponent(email)}`), 400, 'validation_failed');
  });
});

describe('bad input', () => {
  test('a body that is not JSON is 400 malformed_json', async () => {
    for (const path of ['/api/email-codes', '/api/email-codes/verify', '/api/accounts/owners', '/api/accounts/counselors']) {
      assertError(await server.api('POST', path, { rawBody: '{"email": "a@example.com"' }), 400, 'malformed_json');
    }
  });

  const validOwner = () => ({
    email: uniqueEmail('bad'),
    password: PASSWORD,
    brandCode: brand.code,
    storeName: 'Store',
    verificationToken: 'token',
  });

  const cases: Array<[string, string, (body: Record<string, unknown>) => Record<string, unknown>]> = [
    ['missing email', 'email', ({ email: _e, ...rest }) => rest],
    ['missing password', 'password', ({ password: _p, ...rest }) => rest],
    ['missing brand code', 'brandCode', ({ brandCode: _b, ...rest }) => rest],
    ['missing store name', 'storeName', ({ storeName: _s, ...rest }) => rest],
    ['missing verification token', 'verificationToken', ({ verificationToken: _v, ...rest }) => rest],
    ['email not an email', 'email', (body) => ({ ...body, email: 'not-an-email' })],
    ['email a number', 'email', (body) => ({ ...body, email: 12345 })],
    ['email an object', 'email', (body) => ({ ...body, email: { address: 'a@example.com' } })],
    ['password too short', 'password', (body) => ({ ...body, password: 'short' })],
    ['password too long', 'password', (body) => ({ ...body, password: 'p'.repeat(129) })],
    ['password null', 'password', (body) => ({ ...body, password: null })],
    ['email too long', 'email', (body) => ({ ...body, email: `${'a'.repeat(250)}@example.com` })],
    ['store name empty', 'storeName', (body) => ({ ...body, storeName: '' })],
    ['store name too long', 'storeName', (body) => ({ ...body, storeName: 's'.repeat(61) })],
    ['display name too long', 'displayName', (body) => ({ ...body, displayName: 'd'.repeat(41) })],
    ['brand code too short', 'brandCode', (body) => ({ ...body, brandCode: 'AB' })],
    ['brand code too long', 'brandCode', (body) => ({ ...body, brandCode: 'B'.repeat(21) })],
    ['verification token too long', 'verificationToken', (body) => ({ ...body, verificationToken: 't'.repeat(201) })],
    ['an extra field', '', (body) => ({ ...body, role: 'admin' })],
  ];
  for (const [name, field, mutate] of cases) {
    test(`owner sign-up with ${name} is 400 validation_failed naming the problem`, async () => {
      const body = mutate(validOwner());
      const response = await server.api('POST', '/api/accounts/owners', { body });
      assertError(response, 400, 'validation_failed');
      const issues = response.body.error.details.issues as Array<{ field: string; problem: string }>;
      assert.ok(Array.isArray(issues) && issues.length > 0);
      for (const issue of issues) {
        assert.equal(typeof issue.field, 'string');
        assert.equal(typeof issue.problem, 'string');
      }
      if (field) {
        assert.ok(
          issues.some((issue) => issue.field.includes(field) || issue.problem.includes(field)),
          `an issue names ${field}: ${JSON.stringify(issues)}`,
        );
      }
    });
  }

  test('code requests and code checks refuse bad input with 400 validation_failed', async () => {
    const email = uniqueEmail('badcode');
    for (const body of [{}, { email: 'nope' }, { email, extra: 1 }, { email: [email, email] }]) {
      assertError(await server.api('POST', '/api/email-codes', { body }), 400, 'validation_failed');
    }
    for (const code of ['12345', '1234567', 'abcdef', '12 456']) {
      assertError(await verify(email, code), 400, 'validation_failed');
    }
    assertError(await server.api('POST', '/api/email-codes/verify', { body: { email } }), 400, 'validation_failed');
    assert.equal((await mailsTo(server, email)).length, 0, 'no mail went out for a refused request');
  });

  test('a NUL character in a JSON body is a 400, never a 500', async () => {
    const email = uniqueEmail('nul');
    const responses = {
      'sign-up brandCode': await signUpCounselor({ email, verificationToken: 'token', brandCode: `${brand.code}\u0000` }),
      'kiosk-login loginId': await server.api('POST', '/api/auth/kiosk-login', { body: { loginId: 'k-\u0000abc', secret: 'secret' } }),
    };
    for (const [what, response] of Object.entries(responses)) {
      assert.equal(response.status, 400, `${what}: ${response.status} ${JSON.stringify(response.body)}`);
      assert.equal(typeof response.body.error.code, 'string');
    }
    const verified = uniqueEmail('nul-store');
    const storeName = await signUpOwner({ email: verified, verificationToken: await verificationTokenFor(verified), storeName: 'Store\u0000' });
    assert.equal(storeName.status, 400, JSON.stringify(storeName.body));
    assert.equal(await accountsWithEmail(verified), 0);
  });

  test('a NUL character in a path parameter is a 4xx, never a 500', async () => {
    const response = await server.api('GET', '/api/brands/AB%00CD');
    assert.ok(response.status >= 400 && response.status < 500, `${response.status} ${JSON.stringify(response.body)}`);
  });

  test('a JSON value of the wrong type is refused, not silently turned into a string', async () => {
    const wrongTypes: Array<Record<string, unknown>> = [{ storeName: 12345 }, { storeName: ['Store'] }, { displayName: true }, { password: 1234567890 }];
    for (const change of wrongTypes) {
      const email = uniqueEmail('coerce');
      const response = await signUpOwner({ email, verificationToken: 'not-verified', ...change });
      assertError(response, 400, 'validation_failed');
    }
  });
});

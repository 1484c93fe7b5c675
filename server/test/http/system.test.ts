// The system endpoints and the house conventions every response follows: health and readiness,
// the OpenAPI document and its interactive page, the JSON 404, request ids.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../support/test-server.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server?.close());

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

test('GET /healthz answers 200 without a token', async () => {
  const response = await server.api('GET', '/healthz');
  assert.equal(response.status, 200);
  assert.deepEqual(response.body, { status: 'ok' });
});

test('GET /readyz answers 200 and names each dependency it checked', async () => {
  const response = await server.api('GET', '/readyz');
  assert.equal(response.status, 200);
  assert.equal(response.body.status, 'ready');
  assert.deepEqual(response.body.checks, { database: 'ok', cache: 'ok', storage: 'ok' });
});

test('GET /openapi.json is an OpenAPI 3 document listing the API routes with their methods', async () => {
  const response = await server.api('GET', '/openapi.json');
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /application\/json/);
  assert.match(response.body.openapi, /^3\./);
  assert.equal(response.body.info.title, 'Pinokio API');
  const paths = response.body.paths as Record<string, Record<string, unknown>>;
  const expected: Array<[string, string]> = [
    ['/api/auth/login', 'post'],
    ['/api/auth/kiosk-login', 'post'],
    ['/api/auth/refresh', 'post'],
    ['/api/auth/logout', 'post'],
    ['/api/email-codes', 'post'],
    ['/api/email-codes/verify', 'post'],
    ['/api/accounts/owners', 'post'],
    ['/api/accounts/counselors', 'post'],
    ['/api/accounts/email-availability', 'get'],
    ['/api/brands/{code}', 'get'],
    ['/api/me', 'get'],
    ['/api/me/password', 'put'],
    ['/api/me/withdraw', 'post'],
    ['/api/password-resets', 'post'],
    ['/api/password-resets/confirm', 'post'],
    ['/api/stores/{storeId}/kiosks', 'get'],
    ['/api/stores/{storeId}/kiosks', 'post'],
    ['/api/stores/{storeId}/kiosks/{kioskId}', 'patch'],
    ['/api/stores/{storeId}/kiosks/{kioskId}', 'delete'],
  ];
  for (const [path, method] of expected) {
    assert.ok(paths[path]?.[method], `the document lists ${method.toUpperCase()} ${path}`);
  }
  // routes behind a token say so, so that the interactive page offers to send one
  assert.deepEqual((paths['/api/me']!.get as { security: unknown }).security, [{ bearer: [] }]);
  assert.ok(response.body.components.securitySchemes.bearer, 'the bearer scheme is declared');
});

test('GET /docs serves the interactive API page as HTML', async () => {
  const page = await fetch(`${server.url}/docs`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type') ?? '', /text\/html/);
  const html = await page.text();
  assert.match(html, /<html/i);
  assert.match(html, /swagger/i);
  // the page loads the document the server describes itself with
  const initializer = await fetch(`${server.url}/docs/static/swagger-initializer.js`);
  assert.equal(initializer.status, 200);
  const spec = await fetch(`${server.url}/docs/json`);
  assert.equal(spec.status, 200);
  assert.ok(((await spec.json()) as { paths: Record<string, unknown> }).paths['/api/me']);
});

test('an unknown route is a JSON 404 route_not_found, under /api and elsewhere', async () => {
  for (const [method, path] of [
    ['GET', '/api/nothing-here'],
    ['POST', '/api/nothing-here'],
    ['DELETE', '/api/me'],
    ['GET', '/no/such/page'],
  ] as const) {
    const response = await server.api(method, path);
    assert.equal(response.status, 404, `${method} ${path}`);
    assert.match(response.headers.get('content-type') ?? '', /application\/json/);
    assert.equal(response.body.error.code, 'route_not_found');
    assert.equal(typeof response.body.error.message, 'string');
    assert.match(response.headers.get('x-request-id') ?? '', uuidPattern);
  }
});

test('a request id sent in x-request-id is echoed, in the header and in an error body', async () => {
  const sent = 'trace-42-abc';
  const ok = await server.api('GET', '/healthz', { headers: { 'x-request-id': sent } });
  assert.equal(ok.headers.get('x-request-id'), sent);
  const refused = await server.api('GET', '/api/me', { headers: { 'x-request-id': sent } });
  assert.equal(refused.status, 401);
  assert.equal(refused.headers.get('x-request-id'), sent);
  assert.equal(refused.body.error.requestId, sent);
});

test('without an x-request-id the server makes one per request', async () => {
  const first = await server.api('GET', '/healthz');
  const second = await server.api('GET', '/healthz');
  const a = first.headers.get('x-request-id') ?? '';
  const b = second.headers.get('x-request-id') ?? '';
  assert.match(a, uuidPattern);
  assert.match(b, uuidPattern);
  assert.notEqual(a, b);
});

test('a body that is not JSON, or too large, or of another content type, gets the usual error shape', async () => {
  const malformed = await server.api('POST', '/api/auth/login', { rawBody: '{"role": "owner",' });
  assert.equal(malformed.status, 400);
  assert.equal(malformed.body.error.code, 'malformed_json');
  assert.ok(malformed.headers.get('x-request-id'));

  const empty = await server.api('POST', '/api/auth/login', { rawBody: '', headers: { 'content-type': 'application/json' } });
  assert.equal(empty.status, 400);
  assert.equal(empty.body.error.code, 'malformed_json');

  const xml = await server.api('POST', '/api/auth/login', { rawBody: '<login role="owner"/>', headers: { 'content-type': 'application/xml' } });
  assert.equal(xml.status, 415);
  assert.equal(xml.body.error.code, 'unsupported_media_type');

  // plain text is read as a string, which is not the object the route expects
  const text = await server.api('POST', '/api/auth/login', { rawBody: 'role=owner', headers: { 'content-type': 'text/plain' } });
  assert.equal(text.status, 400);
  assert.equal(text.body.error.code, 'validation_failed');

  const huge = await server.api('POST', '/api/auth/login', {
    rawBody: JSON.stringify({ role: 'owner', email: 'a@example.com', password: 'x'.repeat(2 * 1_048_576) }),
  });
  assert.equal(huge.status, 413);
  assert.equal(huge.body.error.code, 'payload_too_large');
});

test('the dev outbox (it holds password-reset codes) answers only a client on this machine, never through a proxy', async () => {
  const email = `outbox-${Date.now()}@example.com`;
  assert.equal((await server.api('POST', '/api/email-codes', { body: { email } })).status, 202);
  const direct = await server.api('GET', `/dev/outbox?to=${encodeURIComponent(email)}`);
  assert.equal(direct.status, 200);
  assert.equal(direct.body.messages.length, 1);

  // a balancer on this machine connects from loopback on a remote client's behalf, and says so
  for (const header of ['x-forwarded-for', 'forwarded', 'x-real-ip']) {
    const proxied = await server.api('GET', `/dev/outbox?to=${encodeURIComponent(email)}`, { headers: { [header]: '203.0.113.7' } });
    assert.equal(proxied.status, 403, header);
    assert.equal(proxied.body.error.code, 'dev_page_loopback_only');
    assert.equal(proxied.body.error.details, undefined);
  }
  // a client on the network (HOST=0.0.0.0, the default) sees no code either
  const remote = await server.app.http.inject({ method: 'GET', url: `/dev/outbox?to=${encodeURIComponent(email)}`, remoteAddress: '192.0.2.10' });
  assert.equal(remote.statusCode, 403);
  assert.equal(remote.json().error.code, 'dev_page_loopback_only');
  const code = direct.body.messages[0].text.match(/\b(\d{6})\b/)[1];
  assert.equal(remote.json().messages, undefined);
  assert.ok(!remote.body.includes(code), 'the reset code is nowhere in the answer');
});

test('the dev outbox is off unless the whole system is embedded (or DEV_PAGES=true)', async () => {
  const { loadConfig } = await import('../../src/config.js');
  assert.equal(loadConfig({}).devPages, true);
  assert.equal(loadConfig({ SMTP_URL: 'smtp://mail.example.com' }).devPages, false);
  assert.equal(loadConfig({ DATABASE_URL: 'postgres://db/pinokio' }).devPages, false);
  assert.equal(loadConfig({ DATABASE_URL: 'postgres://db/pinokio', DEV_PAGES: 'true' }).devPages, true);
});

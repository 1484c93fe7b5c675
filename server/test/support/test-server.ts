// Starts a real Pinokio server on a free loopback port for a test file. On the embedded defaults
// (PGlite in memory, in-process cache and bus) unless PINOKIO_TEST_SERVERS=1, in which case it gets
// a fresh PostgreSQL database of its own and a private Redis key prefix.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import pg from 'pg';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';

export const usingServers = process.env.PINOKIO_TEST_SERVERS === '1';
const postgresUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TestServer {
  url: string;
  app: App;
  /** the device gRPC server, "127.0.0.1:port" */
  deviceAddress: string;
  /** a JSON request; `token` goes in the Authorization header */
  api<T = any>(
    method: string,
    path: string,
    options?: { body?: unknown; token?: string; headers?: Record<string, string>; rawBody?: string },
  ): Promise<ApiResponse<T>>;
  /** the latest mail kept in the outbox for this address */
  lastMailTo(email: string): Promise<{ subject: string; text: string } | undefined>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  env?: Record<string, string>;
  /** share one database between several servers (multi-instance tests) */
  databaseUrl?: string;
  redisPrefix?: string;
}

/** a fresh PostgreSQL database for one test file; dropped by the returned function */
export async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `pinokio_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // pg's Pool.end() resolves once it has *asked* its clients to end: wait until the backends
    // are really gone, or the forced drop kills one and its client raises an uncaught error
    drop: async () => {
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      try {
        for (let i = 0; i < 100; i++) {
          const { rows } = await client.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
          if (rows[0]!.n === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  let dropDatabase: (() => Promise<void>) | undefined;
  let databaseUrl = options.databaseUrl ?? 'memory://';
  if (usingServers && !options.databaseUrl) {
    const created = await createPostgresDatabase();
    databaseUrl = created.url;
    dropDatabase = created.drop;
  }
  const env: Record<string, string> = {
    HOST: '127.0.0.1',
    PORT: '0',
    DEVICE_GRPC_PORT: '0',
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    DATA_DIR: `/tmp/pinokio-test-${randomBytes(4).toString('hex')}`,
    // argon2id still, at a cost that keeps the suite quick
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_TIME_COST: '1',
    CODE_RESEND_COOLDOWN_SECONDS: '0',
    DEV_PAGES: 'true', // the tests read codes from the outbox
    ...(usingServers ? { REDIS_URL: redisUrl, REDIS_PREFIX: options.redisPrefix ?? `pinokio-test-${randomBytes(4).toString('hex')}:` } : {}),
    ...options.env,
  };
  const app = await createApp(loadConfig(env));
  const address = await app.listen();
  const url = address.replace('0.0.0.0', '127.0.0.1');

  const api: TestServer['api'] = async (method, path, requestOptions = {}) => {
    const headers: Record<string, string> = { ...requestOptions.headers };
    if (requestOptions.token) headers.authorization = `Bearer ${requestOptions.token}`;
    let body: string | undefined = requestOptions.rawBody;
    if (requestOptions.body !== undefined) {
      body = JSON.stringify(requestOptions.body);
    }
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${url}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed as any, headers: response.headers };
  };

  return {
    url,
    app,
    deviceAddress: app.deviceAddress,
    api,
    async lastMailTo(email) {
      const response = await api<{ messages: Array<{ subject: string; text: string }> }>('GET', `/dev/outbox?to=${encodeURIComponent(email)}`);
      return response.body.messages[0];
    },
    async close() {
      await app.close();
      await dropDatabase?.();
    },
  };
}

/** the six-digit code in a mail */
export function codeIn(text: string | undefined): string {
  const match = text?.match(/\b(\d{6})\b/);
  if (!match) throw new Error(`no code in mail: ${text}`);
  return match[1]!;
}

let counter = 0;
export function uniqueEmail(prefix = 'user'): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}@example.com`;
}

export interface SignedUp {
  email: string;
  password: string;
  profile: any;
  accessToken: string;
  refreshToken: string;
}

/** the whole sign-up path through the API: code, verify, sign up, log in */
export async function signUp(
  server: TestServer,
  role: 'owner' | 'counselor',
  fields: { brandCode: string; storeName?: string; email?: string; password?: string },
): Promise<SignedUp> {
  const email = fields.email ?? uniqueEmail(role);
  const password = fields.password ?? 'correct horse battery';
  const sent = await server.api('POST', '/api/email-codes', { body: { email } });
  if (sent.status !== 202) throw new Error(`code request failed: ${JSON.stringify(sent.body)}`);
  const code = codeIn((await server.lastMailTo(email))?.text);
  const verified = await server.api('POST', '/api/email-codes/verify', { body: { email, code } });
  if (verified.status !== 200) throw new Error(`verify failed: ${JSON.stringify(verified.body)}`);
  const path = role === 'owner' ? '/api/accounts/owners' : '/api/accounts/counselors';
  const body: Record<string, unknown> = { email, password, brandCode: fields.brandCode, verificationToken: verified.body.verificationToken };
  if (role === 'owner') body.storeName = fields.storeName ?? 'Test store';
  const created = await server.api('POST', path, { body });
  if (created.status !== 201) throw new Error(`sign-up failed: ${JSON.stringify(created.body)}`);
  const login = await server.api('POST', '/api/auth/login', { body: { role, email, password } });
  if (login.status !== 200) throw new Error(`login failed: ${JSON.stringify(login.body)}`);
  return { email, password, profile: created.body, accessToken: login.body.accessToken, refreshToken: login.body.refreshToken };
}

/** a brand made directly through the service, as `pinokio create-brand` does */
export async function createBrand(server: TestServer, name = 'Test Coffee'): Promise<{ id: string; name: string; code: string }> {
  return server.app.services.brands.create(`${name} ${randomBytes(2).toString('hex')}`);
}

/**
 * The same server seen from another loopback address (127.0.0.2, 127.0.0.3, ...): on Linux the
 * whole 127/8 reaches the server, which sees that address as the client IP. Per-IP rate limits
 * can then be tested without every other test sharing the caller's budget.
 */
export function fromAddress(server: TestServer, localAddress: string): TestServer {
  const target = new URL(server.url);
  const api: TestServer['api'] = (method, path, requestOptions = {}) =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string> = { ...requestOptions.headers };
      if (requestOptions.token) headers.authorization = `Bearer ${requestOptions.token}`;
      const body = requestOptions.body !== undefined ? JSON.stringify(requestOptions.body) : requestOptions.rawBody;
      if (body !== undefined) {
        headers['content-type'] ??= 'application/json';
        headers['content-length'] = String(Buffer.byteLength(body));
      }
      const request = http.request({ host: target.hostname, port: target.port, path, method, headers, localAddress }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : null;
          } catch {
            // not JSON: keep the text
          }
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
          }
          resolve({ status: response.statusCode ?? 0, body: parsed as any, headers: responseHeaders });
        });
      });
      request.on('error', reject);
      request.end(body);
    });
  return {
    ...server,
    api,
    async lastMailTo(email) {
      const response = await api<{ messages: Array<{ subject: string; text: string }> }>('GET', `/dev/outbox?to=${encodeURIComponent(email)}`);
      return response.body.messages[0];
    },
  };
}

/** every mail kept in the outbox for this address, newest first */
export async function mailsTo(server: TestServer, email: string): Promise<Array<{ subject: string; text: string }>> {
  const response = await server.api<{ messages: Array<{ subject: string; text: string }> }>('GET', `/dev/outbox?to=${encodeURIComponent(email)}`);
  return response.body.messages;
}

/** limits wide enough that a test file's many sign-ups and logins from one address never meet them */
export const roomyLimits: Record<string, string> = {
  LIMIT_LOGIN_PER_ACCOUNT_PER_MINUTE: '1000',
  LIMIT_LOGIN_PER_IP_PER_MINUTE: '100000',
  LIMIT_CODE_REQUESTS_PER_EMAIL_PER_HOUR: '1000',
  LIMIT_CODE_REQUESTS_PER_IP_PER_HOUR: '100000',
  LIMIT_PASSWORD_RESETS_PER_EMAIL_PER_HOUR: '1000',
};

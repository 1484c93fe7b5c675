// Shutting down (SIGTERM, a deploy) while screens are connected: the POS's live orders, a kiosk's
// live screen and a counselor's socket are ended by the server, so it stops at once instead of
// waiting for clients that keep their connections alive (an EventSource reconnects, a browser
// keeps the socket of a finished stream).
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { storeWithKiosk } from '../support/factories.js';
import { createPostgresDatabase, signUp, startTestServer, usingServers, type TestServer } from '../support/test-server.js';

/** an event stream read to its end, as a browser's EventSource would, on a kept-alive connection */
async function follow(url: string): Promise<{ ready: Promise<void>; ended: Promise<string>; abort(): void }> {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal });
  if (response.status !== 200) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const ended = (async () => {
    let text = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      text += Buffer.from(chunk).toString('utf8');
      if (text.includes('event: ready')) markReady();
    }
    return text;
  })();
  return { ready, ended, abort: () => controller.abort() };
}

test('closing the server ends live streams and sockets, and the server stops', async () => {
  const server = await startTestServer();
  const store = await storeWithKiosk(server);
  const counselor = await signUp(server, 'counselor', { brandCode: store.brand.code });

  const orders = await follow(`${server.url}/api/stores/${store.storeId}/orders/live?access_token=${encodeURIComponent(store.ownerToken)}`);
  const screen = await follow(`${server.url}/api/stores/${store.storeId}/kiosks/${store.kioskId}/live?access_token=${encodeURIComponent(store.kioskToken)}`);
  await Promise.all([orders.ready, screen.ready]);
  const socket = new WebSocket(`${server.url.replace('http', 'ws')}/ws?access_token=${encodeURIComponent(counselor.accessToken)}`);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const socketClosed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));

  // without the streams being ended by the server this would wait as long as the clients stay
  const closing = server.close();
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([closing.then(() => 'closed'), new Promise((resolve) => (timer = setTimeout(resolve, 30_000, 'still open')))]);
  clearTimeout(timer);
  if (outcome !== 'closed') {
    // let the server go, so that the failure is reported rather than the test file hanging
    orders.abort();
    screen.abort();
    socket.terminate();
    await closing;
    assert.fail('the server was still waiting for its connected clients 30 s after close()');
  }

  // each stream is told to reconnect (the web app opens a new one at once, on another instance)
  for (const stream of [orders, screen]) {
    const text = await stream.ended;
    assert.match(text, /event: ready/);
    assert.match(text, /event: reauthenticate\ndata: \{"reason":"server_stopping"\}\n\n$/);
  }
  assert.equal(await socketClosed, 1012, 'service restart: the counselor console reconnects elsewhere');
});

// The signal path, as an orchestrator drives it: a real `pinokio serve` process gets SIGTERM.
const mainTs = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const LIMIT_MS = 60_000;
const DRAIN_SECONDS = 2;

function pinokio(args: string[], env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', mainTs, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

function exited(child: ChildProcess, limitMs: number): Promise<number | string | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    const timer = setTimeout(() => resolve('still running'), limitMs);
    child.once('exit', (code, signal) => (clearTimeout(timer), resolve(code ?? signal)));
  });
}

async function until<T>(what: string, limitMs: number, attempt: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await attempt();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** enough of a TestServer for signUp: JSON requests and the outbox */
function clientOf(url: string): TestServer {
  const api: TestServer['api'] = async (method, requestPath, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${url}${requestPath}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
  };
  return {
    url,
    api,
    async lastMailTo(email: string) {
      return (await api('GET', `/dev/outbox?to=${encodeURIComponent(email)}`)).body.messages[0];
    },
  } as TestServer;
}

test('on SIGTERM the process answers /readyz 503 while still serving, then tells streams to reconnect and exits', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pinokio-shutdown-'));
  const database = usingServers ? await createPostgresDatabase() : undefined;
  const env: Record<string, string> = {
    HOST: '127.0.0.1',
    PORT: '0',
    DEVICE_GRPC_PORT: '0',
    DATA_DIR: dataDir, // embedded: PGlite on disk, so `create-brand` and `serve` see the same database
    SEED_DEMO: 'never',
    DEV_PAGES: 'true',
    DRAIN_DELAY_SECONDS: String(DRAIN_SECONDS),
    ARGON2_MEMORY_KIB: '1024',
    ARGON2_TIME_COST: '1',
    CODE_RESEND_COOLDOWN_SECONDS: '0',
    ...(database ? { DATABASE_URL: database.url, REDIS_URL: 'redis://127.0.0.1:6379', REDIS_PREFIX: `pinokio-test-${randomBytes(4).toString('hex')}:` } : {}),
  };
  let server: ReturnType<typeof pinokio> | undefined;
  try {
    const brand = pinokio(['create-brand', 'Drain Coffee'], env);
    assert.equal(await exited(brand.child, LIMIT_MS), 0, brand.output());
    const brandCode = brand.output().match(/sign-up code is (\S+)\./)?.[1];
    assert.ok(brandCode, brand.output());

    server = pinokio(['serve'], env);
    const running = server;
    const url = await until('the ready line', LIMIT_MS, async () => {
      if (running.child.exitCode !== null) throw new Error(`serve exited:\n${running.output()}`);
      return running.output().match(/"address":"(http:\/\/[^"]+)"/)?.[1];
    });
    const client = clientOf(url);
    const owner = await signUp(client, 'owner', { brandCode });
    const storeId = owner.profile.store?.id ?? owner.profile.storeId;
    assert.ok(storeId, JSON.stringify(owner.profile));
    const orders = await follow(`${url}/api/stores/${storeId}/orders/live?access_token=${encodeURIComponent(owner.accessToken)}`);
    await orders.ready;
    let streamEndedAt = 0;
    void orders.ended.then(
      () => (streamEndedAt = Date.now()),
      () => {},
    );

    const signalledAt = Date.now();
    running.child.kill('SIGTERM');
    await until('/readyz answering 503', 5_000, async () => ((await fetch(`${url}/readyz`)).status === 503 ? true : undefined));
    // draining: the balancer takes this instance out, but what still arrives is served, streams stay open
    assert.equal((await fetch(`${url}/healthz`)).status, 200);
    assert.equal((await client.api('GET', '/api/me', { token: owner.accessToken })).status, 200);
    assert.equal(streamEndedAt, 0, 'the live stream stays open during the drain delay');

    let timer: NodeJS.Timeout | undefined;
    const text = await Promise.race([orders.ended, new Promise<string>((resolve) => (timer = setTimeout(resolve, LIMIT_MS, 'no end')))]);
    clearTimeout(timer);
    assert.match(text, /event: reauthenticate\ndata: \{"reason":"server_stopping"\}\n\n$/);
    assert.ok(
      streamEndedAt - signalledAt >= DRAIN_SECONDS * 1000 - 100,
      `the stream ended ${streamEndedAt - signalledAt} ms after SIGTERM, before the drain delay`,
    );
    assert.equal(await exited(running.child, LIMIT_MS), 0, running.output());
  } finally {
    if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
    await database?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a second server on the same embedded data folder stops at once with a plain message; the first keeps serving', {
  skip: usingServers && 'embedded database only',
}, async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pinokio-lock-'));
  const env: Record<string, string> = { HOST: '127.0.0.1', PORT: '0', DEVICE_GRPC_PORT: '0', DATA_DIR: dataDir, SEED_DEMO: 'never', DRAIN_DELAY_SECONDS: '0' };
  const first = pinokio(['serve'], env);
  try {
    const url = await until('the ready line', LIMIT_MS, async () => {
      if (first.child.exitCode !== null) throw new Error(`serve exited:\n${first.output()}`);
      return first.output().match(/"address":"(http:\/\/[^"]+)"/)?.[1];
    });
    const second = pinokio(['serve'], env);
    assert.equal(await exited(second.child, LIMIT_MS), 1, second.output());
    assert.match(
      second.output(),
      /pinokio: the embedded database in .* is in use by another Pinokio process \(pid \d+\): stop it first, or give this one another DATA_DIR/,
    );
    assert.doesNotMatch(second.output(), /Aborted|RuntimeError/);
    assert.equal((await fetch(`${url}/readyz`)).status, 200);

    // stopped, the first leaves the folder free for the next start
    first.child.kill('SIGTERM');
    assert.equal(await exited(first.child, LIMIT_MS), 0, first.output());
    const migrate = pinokio(['migrate'], env);
    assert.equal(await exited(migrate.child, LIMIT_MS), 0, migrate.output());
  } finally {
    if (first.child.exitCode === null) first.child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

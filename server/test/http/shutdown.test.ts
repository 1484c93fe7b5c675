// Shutting down (SIGTERM, a deploy) while screens are connected: the POS's live orders, a kiosk's
// live screen and a counselor's socket are ended by the server, so it stops at once instead of
// waiting for clients that keep their connections alive (an EventSource reconnects, a browser
// keeps the socket of a finished stream).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import WebSocket from 'ws';
import { storeWithKiosk } from '../support/factories.js';
import { signUp, startTestServer } from '../support/test-server.js';

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

  assert.match(await orders.ended, /event: ready/);
  assert.match(await screen.ended, /event: ready/);
  assert.equal(await socketClosed, 1001, 'going away: the counselor console reconnects elsewhere');
});

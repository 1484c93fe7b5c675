// The kiosk waits for the customer, in real Chromium against the real server, with a short idle
// time (`?idle=30`: the warning's 25 s plus 5): a customer standing at the kiosk (the device's
// distance readings over gRPC; no frames are needed for presence) in large type is not reset after
// twice the idle time, and walking away resets it; the warning is seen, heard, lasts at least 20 s
// and extends as often as asked (a tap, Enter, Escape), and axe-core finds nothing on it.
// kiosk-access-waits.test.ts: large type doubles the wait; the receipt's wait and warning.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DeviceClient, type CommandStream } from '../../server/test/support/device-client.js';
import { roomyLimits } from '../../server/test/support/test-server.js';
import { axeViolations } from '../support/axe.js';
import { launchBrowser } from '../support/browser.js';
import { KIOSK_VIEWPORT, newStore, type Store, kioskWithIdle as openKioskWithIdle, warningsOpened, addToCart } from '../support/kiosk.js';
import { Pages, see, step } from '../support/pages.js';
import { startServer, type TestServer } from '../support/server.js';

const IDLE = 30;
const WARNING = 25;

let server: TestServer;
let browser: Browser;
const pages = new Pages(() => browser);
const devices: DeviceClient[] = [];
const streams: CommandStream[] = [];
const standing = new Map<DeviceClient, NodeJS.Timeout>();

before(async () => {
  server = await startServer({ env: { ...roomyLimits, FACE_WORKERS: '1' } });
  browser = await launchBrowser();
});

after(async () => {
  for (const timer of standing.values()) clearInterval(timer);
  await pages.closeAll();
  for (const stream of streams) stream.cancel();
  for (const device of devices) device.close();
  await browser?.close();
  await server?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** the kiosk logged in and opened with the short idle time (and `extra` query values); warnings counted */
const kioskWithIdle = async (store: Store, extra = ''): Promise<Page> => openKioskWithIdle(await pages.open(KIOSK_VIEWPORT), store, IDLE, extra);

/** the phrases the kiosk has spoken (speech/engine.ts keeps them for tests) */
async function spokenSoon(page: Page, pattern: RegExp, timeout = 15_000): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const spoken = (await page.evaluate('(window.__pinokioSpoken || []).map((each) => each.text)')) as string[];
    if (spoken.some((text) => pattern.test(text))) return;
    if (Date.now() > deadline) assert.fail(`not spoken: ${pattern} in ${JSON.stringify(spoken)}`);
    await sleep(200);
  }
}

describe('patient timing', () => {
  test('a customer standing at the kiosk in large type is not reset after twice the idle time; walking away resets', async (t) => {
    const store = await newStore(server, '서 있는 손님점', ['아메리카노', '카페 라떼']);
    const kiosk = await kioskWithIdle(store);
    const device = new DeviceClient(store.server.deviceAddress, store.kiosk);
    devices.push(device);
    const commands = device.connect();
    streams.push(commands);
    await commands.next((command) => command.kind === 'settings', 'settings');

    await step(t, 'someone steps up (readings at 50 cm) and, without waiting for the camera, chooses large type', [kiosk], async () => {
      assert.equal((await device.reportDistance([50, 50, 50, 50, 50])).present, true);
      standing.set(
        device,
        setInterval(() => void device.reportDistance([50]).catch(() => undefined), 300),
      );
      await see(kiosk.getByRole('status').getByText('카메라를 봐 주세요'));
      // nothing switched to large type by itself: the customer asks for it on the first screen
      assert.equal(await kiosk.locator('.kiosk-senior').count(), 0);
      await kiosk.getByRole('button', { name: /큰 글씨 모드/ }).click();
      await see(kiosk.getByRole('list', { name: '커피' }));
      await addToCart(kiosk, '아메리카노');
    });

    await step(t, `standing still for ${2 * IDLE + 10} s (twice the idle time and more): no warning, nothing reset`, [kiosk], async () => {
      await sleep((2 * IDLE + 10) * 1000);
      assert.equal(await warningsOpened(kiosk), 0, 'no idle warning while someone stands there');
      await see(kiosk.getByRole('complementary', { name: /장바구니/ }).getByRole('listitem', { name: '아메리카노' }));
      assert.equal(await kiosk.locator('.kiosk-senior').count(), 1, 'still in large type');
    });

    await step(t, 'the customer empties the cart and walks away: the attract screen at once', [kiosk], async () => {
      await kiosk.getByRole('button', { name: '아메리카노 지우기' }).click();
      await see(kiosk.getByText(/아직 담은 메뉴가 없습니다/));
      clearInterval(standing.get(device));
      standing.delete(device);
      await device.reportDistance([150]);
      await commands.next((command) => command.kind === 'reset', 'the departure');
      await see(kiosk.getByRole('heading', { level: 1, name: store.storeName }), 10_000);
      assert.equal(await kiosk.locator('.kiosk-senior').count(), 0, 'the next customer starts in the standard size');
    });
  });

  test('the warning is seen and heard, lasts at least 20 s, and extends by a tap, Enter or Escape as often as asked', async (t) => {
    const store = await newStore(server, '기다림점', ['유자차']);
    const kiosk = await kioskWithIdle(store);
    const warning = kiosk.getByRole('alertdialog', { name: '계속 주문하시겠어요?' });

    await step(t, 'an item in the cart; the warning comes after idle - warning seconds, and is spoken', [kiosk], async () => {
      await kiosk.getByRole('button', { name: /^주문하기/ }).click();
      await addToCart(kiosk, '유자차');
      await see(warning, (IDLE - WARNING + 5) * 1000);
      await see(warning.getByText(/^\d+초$/));
      await spokenSoon(kiosk, /계속 주문하시겠어요\?/);
      assert.deepEqual(await axeViolations(kiosk), [], 'axe-core: the idle warning');
    });

    await step(t, 'after 21 s it is still there, the order with it; "계속하기" extends', [kiosk], async () => {
      await sleep(21_000);
      assert.ok(await warning.isVisible(), 'the warning gives at least 20 s');
      await see(kiosk.getByRole('complementary', { name: /장바구니/ }).getByRole('listitem', { name: '유자차' }));
      await warning.getByRole('button', { name: '계속하기' }).click();
      await warning.waitFor({ state: 'hidden' });
    });

    await step(t, 'again and again: Enter, then Escape, extend it too', [kiosk], async () => {
      for (const key of ['Enter', 'Escape']) {
        await see(warning, (IDLE - WARNING + 5) * 1000);
        await kiosk.keyboard.press(key);
        await warning.waitFor({ state: 'hidden' });
        await see(kiosk.getByRole('complementary', { name: /장바구니/ }).getByRole('listitem', { name: '유자차' }));
      }
      assert.equal(await warningsOpened(kiosk), 3);
    });

    await step(t, 'left alone, the warning stays its full 25 s before the start screen returns', [kiosk], async () => {
      await see(warning, (IDLE - WARNING + 5) * 1000);
      const shown = Date.now();
      await see(kiosk.getByRole('heading', { level: 1, name: store.storeName }), (WARNING + 10) * 1000);
      const lasted = (Date.now() - shown) / 1000;
      assert.ok(lasted >= 20, `the warning lasted ${lasted} s`);
    });
  });
});

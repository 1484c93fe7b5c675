// The kiosk's longer waits, in real Chromium against the real server, with a short idle time
// (`?idle=30`: the warning's 25 s plus 5): large type doubles the wait, and its warning is large,
// within reach in the low-position layout and clean for axe-core; the receipt stays well past the
// old 20 s (`?receipt=50` here, 120 s by default) and warns the same way before it goes.
// kiosk-access-timing.test.ts: presence, and the warning's length and extensions.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { axeViolations } from '../support/axe.js';
import { launchBrowser } from '../support/browser.js';
import { KIOSK_VIEWPORT, newStore, orderAtCounter, type Store, kioskWithIdle as openKioskWithIdle, warningsOpened, addToCart } from '../support/kiosk.js';
import { Pages, see, step } from '../support/pages.js';
import { startServer, type TestServer } from '../support/server.js';

const IDLE = 30;
const WARNING = 25;

let server: TestServer;
let browser: Browser;
const pages = new Pages(() => browser);

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await pages.closeAll();
  await browser?.close();
  await server?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** the kiosk logged in and opened with the short idle time (and `extra` query values); warnings counted */
const kioskWithIdle = async (store: Store, extra = ''): Promise<Page> => openKioskWithIdle(await pages.open(KIOSK_VIEWPORT), store, IDLE, extra);

describe('longer waits', () => {
  test('large type doubles the wait; the warning there is large, in the low layout within reach, and clean', async (t) => {
    const store = await newStore(server, '두 배점', ['보리차']);
    const kiosk = await kioskWithIdle(store);
    const warning = kiosk.getByRole('alertdialog', { name: '계속 주문하시겠어요?' });

    await step(t, `no warning after ${IDLE - WARNING + 10} s in large type (the standard size warns at ${IDLE - WARNING} s)`, [kiosk], async () => {
      await kiosk.getByRole('button', { name: '낮은 화면' }).click();
      await kiosk.getByRole('button', { name: /큰 글씨 모드/ }).click();
      await addToCart(kiosk, '보리차');
      await sleep((IDLE - WARNING + 10) * 1000);
      assert.equal(await warningsOpened(kiosk), 0);
    });

    await step(t, `the warning by ${2 * IDLE - WARNING + 5} s, its button in the band, axe-core clean`, [kiosk], async () => {
      await see(warning, 2 * IDLE * 1000);
      const button = await warning.getByRole('button', { name: '계속하기' }).boundingBox();
      assert.ok(button && button.y >= KIOSK_VIEWPORT.height * (1 - 0.45) && button.y + button.height <= KIOSK_VIEWPORT.height, JSON.stringify(button));
      const size = await warning.locator('.idle-text').evaluate((element) => parseFloat(getComputedStyle(element).fontSize));
      assert.ok(size >= 50, `large warning text: ${size}px`);
      assert.deepEqual(await axeViolations(kiosk), [], 'axe-core: the idle warning, large and low');
      await warning.getByRole('button', { name: '계속하기' }).click();
      await warning.waitFor({ state: 'hidden' });
    });
  });

  test('voice guidance, chosen on the first screen, doubles the wait too', async (t) => {
    const store = await newStore(server, '음성점', ['둥굴레차']);
    const kiosk = await kioskWithIdle(store);

    await step(t, `"음성 안내": voice mode and the order start; no warning after ${IDLE - WARNING + 10} s`, [kiosk], async () => {
      await kiosk.getByRole('button', { name: /음성 안내/ }).click();
      await see(kiosk.getByRole('button', { name: /둥굴레차/ }));
      await kiosk.locator('body.kiosk-voice').waitFor({ state: 'attached' });
      assert.equal(await kiosk.locator('.kiosk-senior').count(), 0, 'voice guidance alone: the standard size');
      await addToCart(kiosk, '둥굴레차');
      await sleep((IDLE - WARNING + 10) * 1000);
      assert.equal(await warningsOpened(kiosk), 0);
    });
  });

  test('the receipt stays past the old 20 s, then warns the same way; "처음으로" ends it', async (t) => {
    const store = await newStore(server, '영수증점', ['식혜']);
    // the receipt's time made short for the test: 50 s, so its warning comes at 25 s
    const kiosk = await kioskWithIdle(store, '&receipt=50');
    const warning = kiosk.getByRole('alertdialog', { name: '처음 화면으로 돌아갈까요?' });

    await step(t, 'the order is placed; 22 s later the receipt is still there, with no warning', [kiosk], async () => {
      await kiosk.getByRole('button', { name: /^주문하기/ }).click();
      const number = await orderAtCounter(kiosk, '식혜');
      await sleep(22_000);
      await see(kiosk.getByRole('heading', { level: 1, name: new RegExp(`주문번호\\s*${number}`) }));
      assert.equal(await warningsOpened(kiosk), 0);
    });

    await step(t, 'then the warning, axe-core clean; "계속하기" keeps the receipt; "처음으로" goes back', [kiosk], async () => {
      await see(warning, 10_000);
      assert.deepEqual(await axeViolations(kiosk), [], 'axe-core: the receipt warning');
      await warning.getByRole('button', { name: '계속하기' }).click();
      await warning.waitFor({ state: 'hidden' });
      await see(kiosk.getByRole('heading', { level: 1, name: /주문번호/ }));
      await kiosk.getByRole('button', { name: '처음으로' }).first().click();
      await see(kiosk.getByRole('heading', { level: 1, name: store.storeName }));
    });
  });
});

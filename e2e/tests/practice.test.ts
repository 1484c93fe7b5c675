// "연습해 보기" in real Chromium at the kiosk's 1080x1920: from the attract screen a customer walks
// through a whole order with speech, to a practice receipt made on the kiosk. Every screen of it
// says it is practice; the page never calls the orders API; the store's orders, the item's stock
// and the sales, read through the API, are what they were; leaving returns to the attract screen;
// axe-core finds nothing on any of its screens.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { axeViolations } from '../support/axe.js';
import { launchBrowser } from '../support/browser.js';
import { chooseDining, KIOSK_VIEWPORT, kioskLogsIn, newStore, type Store } from '../support/kiosk.js';
import { Pages, see, step } from '../support/pages.js';
import { startServer, type TestServer } from '../support/server.js';

const BANNER = '연습 중입니다 · 실제로 주문되지 않습니다';
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

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** what the owner sees through the API: the orders, the item's stock, the sales around today */
async function storeState(store: Store, itemId: string) {
  const token = store.ownerToken;
  const range = `from=${day(-2)}&to=${day(2)}`;
  const orders = await server.api('GET', `/api/stores/${store.storeId}/orders?${range}`, { token });
  const item = await server.api('GET', `/api/stores/${store.storeId}/items/${itemId}`, { token });
  const sales = await server.api('GET', `/api/stores/${store.storeId}/sales?${range}&period=day`, { token });
  const best = await server.api('GET', `/api/stores/${store.storeId}/sales/best-sellers?${range}&limit=10`, { token });
  for (const answer of [orders, item, sales, best]) assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return { orders: orders.body.total as number, stock: item.body.stock as number | null, sales: sales.body, best: best.body };
}

/** the practice banner, as a live region (what the narrator reads) */
const banner = (page: Page) => page.getByRole('status').filter({ hasText: BANNER });

/** what the kiosk has said so far (the speech engine's read-only log) */
async function spoken(page: Page): Promise<string[]> {
  return (await page.evaluate('(window.__pinokioSpoken || []).map((phrase) => phrase.text)')) as string[];
}

test('a practice order goes through to a practice receipt and changes no order, stock or sale', async (t) => {
  const store = await newStore(server, '연습 매장', ['아메리카노', '카페 라떼']);
  const itemId = store.items['아메리카노']!;
  const stocked = await server.api('PATCH', `/api/stores/${store.storeId}/items/${itemId}`, { token: store.ownerToken, body: { stock: 5 } });
  assert.equal(stocked.status, 200, JSON.stringify(stocked.body));
  const before = await storeState(store, itemId);
  assert.equal(before.stock, 5);

  const page = await pages.open(KIOSK_VIEWPORT);
  const ordersCalls: string[] = [];
  page.on('request', (request) => {
    if (/\/api\/stores\/[^/]+\/orders/.test(request.url())) ordersCalls.push(`${request.method()} ${request.url()}`);
  });

  await step(t, 'the attract screen offers a large 연습해 보기', [page], async () => {
    await kioskLogsIn(page, store);
    const start = page.getByRole('button', { name: /연습해 보기/ });
    await see(start);
    const box = (await start.boundingBox())!;
    assert.ok(box.height >= 88 && box.width >= 300, `a large target, not ${box.width}x${box.height}`);
    assert.equal(await banner(page).count(), 0, 'no banner outside practice');
    assert.deepEqual(await axeViolations(page), [], 'axe-core: the attract screen with 연습해 보기');
  });

  await step(t, 'the menu says it is practice, and the banner is spoken', [page], async () => {
    await page.getByRole('button', { name: /연습해 보기/ }).click();
    await see(banner(page));
    await see(page.getByText('메뉴를 하나 눌러 고르고', { exact: false }));
    const deadline = Date.now() + 30_000;
    while (!(await spoken(page)).some((text) => text.includes('연습 중입니다'))) {
      assert.ok(Date.now() < deadline, `the banner was never spoken; said: ${JSON.stringify(await spoken(page))}`);
      await page.waitForTimeout(100);
    }
    assert.deepEqual(await axeViolations(page), [], 'axe-core: the practice menu');
  });

  await step(t, 'the item goes into the cart; checkout says it is practice', [page], async () => {
    await page
      .getByRole('button', { name: /아메리카노/ })
      .first()
      .click();
    await page.getByRole('dialog', { name: '아메리카노' }).getByRole('button', { name: /담기$/ }).click();
    await see(banner(page));
    await page.getByRole('button', { name: '주문 확인하기' }).click();
    await chooseDining(page, 'take_out');
    await see(banner(page));
    await see(page.getByText('결제 방법을 고른 뒤', { exact: false }));
    assert.deepEqual(await axeViolations(page), [], 'axe-core: the practice checkout');
  });

  await step(t, 'placing it shows a practice receipt made on the kiosk, clearly marked', [page], async () => {
    await page.getByRole('radio', { name: /카운터 결제/ }).check();
    await page.getByRole('button', { name: '이대로 주문하기' }).click();
    await see(page.getByRole('heading', { level: 1, name: '연습 영수증' }));
    await see(banner(page));
    await see(page.getByText('연습이므로 실제 주문이 아닙니다.', { exact: false }));
    await see(page.getByText('아메리카노 × 1'));
    assert.equal(await page.getByRole('heading', { name: /주문번호 \d/ }).count(), 0, 'no order number');
    assert.deepEqual(await axeViolations(page), [], 'axe-core: the practice receipt');
  });

  await step(t, 'the orders API was never called; orders, stock and sales are unchanged', [page], async () => {
    assert.deepEqual(ordersCalls, []);
    assert.deepEqual(await storeState(store, itemId), before);
  });

  await step(t, 'leaving practice returns to the attract screen, without the banner', [page], async () => {
    await page.getByRole('button', { name: '연습 끝내기 · 처음으로' }).click();
    await see(page.getByRole('button', { name: /연습해 보기/ }));
    await see(page.getByRole('heading', { level: 1, name: store.storeName }));
    assert.equal(await banner(page).count(), 0);
  });

  await step(t, 'a real order afterwards reaches the server as usual', [page], async () => {
    await page
      .getByRole('button', { name: /주문하기/ })
      .first()
      .click();
    assert.equal(await banner(page).count(), 0, 'no banner on a real order');
    await page
      .getByRole('button', { name: /아메리카노/ })
      .first()
      .click();
    await page.getByRole('dialog', { name: '아메리카노' }).getByRole('button', { name: /담기$/ }).click();
    await page.getByRole('button', { name: '주문 확인하기' }).click();
    await chooseDining(page, 'eat_in');
    await page.getByRole('radio', { name: /카운터 결제/ }).check();
    await page.getByRole('button', { name: '이대로 주문하기' }).click();
    await see(page.getByRole('heading', { level: 1, name: /주문번호/ }));
    const after = await storeState(store, itemId);
    assert.equal(after.orders, before.orders + 1);
    assert.equal(after.stock, 4);
  });
});

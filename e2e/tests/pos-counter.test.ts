// In real Chromium at a counter's 1366x768: the owner's 주문 tab shows a dozen orders at once
// without scrolling, a new order stands out, a picked-up order offers no cancel; the owner changes
// the distance-sensor settings on the 장치 설정 tab and a connected device (the real gRPC client)
// receives them; the 상담 tab shows times in the store's time zone, even to a browser elsewhere; axe-core finds
// nothing on these screens.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DeviceClient } from '../../server/test/support/device-client.js';
import { axeViolations } from '../support/axe.js';
import { launchBrowser } from '../support/browser.js';
import { Pages, see, step, signIn } from '../support/pages.js';
import { createBrand, signUp, startServer, type TestServer } from '../support/server.js';

const COUNTER = { width: 1366, height: 768 };
let server: TestServer;
let browser: Browser;
const pages = new Pages(() => browser);
const devices: DeviceClient[] = [];

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  for (const device of devices) device.close();
  await pages.closeAll();
  await browser?.close();
  await server?.close();
});

interface Counter {
  brandCode: string;
  storeId: string;
  email: string;
  password: string;
  ownerToken: string;
  kioskToken: string;
  kiosk: { loginId: string; secret: string };
  items: string[];
}

/** a store (the default time zone, Asia/Seoul) with a kiosk and three items, made as its owner does */
async function counterStore(storeName: string): Promise<Counter> {
  const brand = await createBrand(server, 'Counter Coffee');
  const owner = await signUp(server, 'owner', { brandCode: brand.code, storeName });
  const storeId = owner.profile.store.id as string;
  const token = owner.accessToken;
  const provisioned = await server.api('POST', `/api/stores/${storeId}/kiosks`, { token, body: { name: '입구' } });
  assert.equal(provisioned.status, 201, JSON.stringify(provisioned.body));
  const kiosk = await server.api('POST', '/api/auth/kiosk-login', { body: provisioned.body.credentials });
  const category = await server.api('POST', `/api/stores/${storeId}/categories`, { token, body: { name: '커피' } });
  const items: string[] = [];
  for (const [index, name] of ['아메리카노', '카페 라떼', '바닐라 라떼'].entries()) {
    const item = await server.api('POST', `/api/stores/${storeId}/items`, { token, body: { categoryId: category.body.id, name, price: 4000 + index * 500 } });
    assert.equal(item.status, 201, JSON.stringify(item.body));
    items.push(item.body.id);
  }
  return {
    brandCode: brand.code,
    storeId,
    email: owner.email,
    password: owner.password,
    ownerToken: token,
    kioskToken: kiosk.body.accessToken,
    kiosk: provisioned.body.credentials,
    items,
  };
}

async function ownerLogsIn(page: Page, store: Counter, tab: string, heading: string): Promise<void> {
  await signIn(page, server.url, 'owner', store);
  await page.goto(`${server.url}/pos/${tab}`);
  await see(page.getByRole('heading', { level: 2, name: heading }));
}

async function placeOrder(store: Counter, itemIndex: number, quantity = 1): Promise<{ id: string; number: number }> {
  const placed = await server.api('POST', `/api/stores/${store.storeId}/orders`, {
    token: store.kioskToken,
    body: { lines: [{ itemId: store.items[itemIndex % store.items.length], quantity }], paymentMethod: 'counter' },
  });
  assert.equal(placed.status, 201, JSON.stringify(placed.body));
  return placed.body.order;
}

test('the counter sees a dozen orders at 1366x768; a picked-up order offers no cancel; a new order stands out', async (t) => {
  const store = await counterStore('카운터 매장');
  const orders: Array<{ id: string; number: number }> = [];
  for (let index = 0; index < 12; index++) orders.push(await placeOrder(store, index, 1 + (index % 3)));
  const pickedUp = orders[0]!;
  const done = await server.api('POST', `/api/stores/${store.storeId}/orders/${pickedUp.id}/status`, {
    token: store.ownerToken,
    body: { status: 'completed' },
  });
  assert.equal(done.status, 200);

  const page = await pages.open(COUNTER);
  await step(t, 'the owner opens 주문 at 1366x768: at least 10 orders in view without scrolling', [page], async () => {
    await ownerLogsIn(page, store, 'orders', '주문');
    const list = page.getByRole('list', { name: '주문' });
    await see(list.getByRole('listitem').first());
    assert.equal(await list.getByRole('listitem').count(), 12);
    const inView = await list.getByRole('listitem').evaluateAll(
      (items) =>
        items.filter((item) => {
          const box = item.getBoundingClientRect();
          return box.top >= 0 && box.bottom <= window.innerHeight;
        }).length,
    );
    assert.ok(inView >= 10, `${inView} orders fully in view at 1366x768`);
    assert.deepEqual(await axeViolations(page), [], 'axe-core: the orders tab');
  });

  await step(t, 'a picked-up order offers no cancel; one still waiting does', [page], async () => {
    const picked = page.getByRole('listitem', { name: `주문번호 ${pickedUp.number}`, exact: true });
    await see(picked.getByText('픽업 완료', { exact: true }));
    assert.equal(await picked.getByRole('button', { name: /주문 취소/ }).count(), 0);
    assert.equal(
      await picked
        .getByRole('button')
        .filter({ hasText: /준비|픽업/ })
        .count(),
      0,
      'no next step after pick-up',
    );
    const waiting = page.getByRole('listitem', { name: `주문번호 ${orders[1]!.number}`, exact: true });
    await see(waiting.getByRole('button', { name: /주문 취소/ }));
  });

  await step(t, 'cancelling says the number with the particle it takes (2를, never 2을(를))', [page], async () => {
    const second = orders[1]!;
    assert.equal(second.number, 2);
    const card = page.getByRole('listitem', { name: `주문번호 ${second.number}`, exact: true });
    await card.getByRole('button', { name: /주문 취소/ }).click();
    const dialog = page.getByRole('dialog', { name: `주문번호 ${second.number} 취소` });
    await dialog.getByRole('textbox').fill('손님 요청');
    await dialog.getByRole('button', { name: '주문 취소하기' }).click();
    await see(page.getByText('주문번호 2를 취소했습니다.'));
    assert.equal(await card.getByRole('button', { name: /주문 취소/ }).count(), 0);
  });

  await step(t, 'a new order arrives live at the top, marked 새 주문, and is announced', [page], async () => {
    const fresh = await placeOrder(store, 1, 2);
    const card = page.getByRole('listitem', { name: `주문번호 ${fresh.number}`, exact: true });
    await see(card.getByText('새 주문', { exact: true }));
    assert.match((await card.getAttribute('class')) ?? '', /order-new/);
    const first = page.getByRole('list', { name: '주문' }).getByRole('listitem').first();
    await see(first.getByRole('heading', { level: 3, name: `주문번호 ${fresh.number}`, exact: true }));
  });
});

test('the owner changes the distance-sensor settings in the POS and a connected device receives them', async (t) => {
  const store = await counterStore('장치 매장');
  const device = new DeviceClient(server.deviceAddress, store.kiosk);
  devices.push(device);
  const stream = device.connect();
  await stream.next((command) => command.kind === 'settings' && command.settings!.arriveBelowCm === 80, 'the default settings on connecting');

  const page = await pages.open(COUNTER);
  const near = () => page.getByRole('textbox', { name: /손님으로 보는 거리/ });
  const frames = () => page.getByRole('textbox', { name: /한 번에 찍는 사진 수/ });
  await step(t, 'the owner opens 장치 설정 and sees the settings in use', [page], async () => {
    await ownerLogsIn(page, store, 'devices', '장치 설정');
    await see(near());
    assert.equal(await near().inputValue(), '80');
    assert.equal(await frames().inputValue(), '3');
  });

  await step(t, 'a distance the sensor cannot use is refused, with the server’s limit beside the field', [page], async () => {
    await near().fill('500');
    await page.getByRole('button', { name: '장치 설정 저장' }).click();
    await see(page.getByText('400 이하로 입력해 주세요.'));
    assert.equal(await near().getAttribute('aria-invalid'), 'true');
    assert.deepEqual(await axeViolations(page), [], 'axe-core: the settings with an error');
    const stored = await server.api('GET', `/api/stores/${store.storeId}/device-settings`, { token: store.ownerToken });
    assert.equal(stored.body.arriveBelowCm, 80, 'nothing saved');
  });

  await step(t, 'saved settings reach the connected device at once', [page], async () => {
    await near().fill('60');
    await frames().fill('2');
    await page.getByRole('button', { name: '장치 설정 저장' }).click();
    await see(page.getByText('장치 설정을 저장했습니다.', { exact: false }));
    const pushed = await stream.next(
      (command) => command.kind === 'settings' && command.settings!.arriveBelowCm === 60 && command.settings!.framesPerCapture === 2,
      'the new settings',
    );
    assert.equal(pushed.settings!.leaveAfterMs, 5000, 'the settings not changed stay as they were');
    await page.reload();
    await see(near());
    assert.equal(await near().inputValue(), '60');
  });
  stream.cancel();
});

test('consultation times on the 상담 tab are the store’s (Asia/Seoul), not the browser’s (New York)', async (t) => {
  const store = await counterStore('상담 매장');
  const counselor = await signUp(server, 'counselor', { brandCode: store.brandCode });
  const counselorId = (await server.api('GET', '/api/me', { token: counselor.accessToken })).body.id as string;
  const kioskId = (await server.api('GET', `/api/stores/${store.storeId}/kiosks`, { token: store.ownerToken })).body.kiosks[0].id as string;
  const brandId = (await server.app.database.db.selectFrom('stores').select('brand_id').where('id', '=', store.storeId).executeTakeFirstOrThrow()).brand_id;
  // a consultation that took place at 08:30 in Seoul today (18:30 or 19:30 the day before in New York)
  const seoulToday = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Seoul' }).format(new Date());
  const startedAt = new Date(`${seoulToday}T08:30:00+09:00`);
  const db = server.app.database.db;
  const request = await db
    .insertInto('consultation_requests')
    .values({
      kiosk_id: kioskId,
      store_id: store.storeId,
      brand_id: brandId,
      status: 'accepted',
      created_at: startedAt,
      expires_at: startedAt,
      decided_at: startedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('consultations')
    .values({
      request_id: request.id,
      kiosk_id: kioskId,
      store_id: store.storeId,
      brand_id: brandId,
      counselor_id: counselorId,
      local_date: seoulToday,
      started_at: startedAt,
      ended_at: new Date(startedAt.getTime() + 5 * 60_000),
      ended_by: 'counselor',
      outcome: 'completed',
    })
    .execute();

  const context = await browser.newContext({ locale: 'ko-KR', timezoneId: 'America/New_York', viewport: COUNTER });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  try {
    await step(t, 'the owner in a New York browser sees 오전 8:30', [page], async () => {
      await ownerLogsIn(page, store, 'consultations', '상담');
      const table = page.getByRole('table');
      await see(table.getByRole('rowheader', { name: '입구' }));
      const row = (await table.getByRole('row').nth(1).textContent()) ?? '';
      assert.match(row, /오전 8:30/);
      assert.doesNotMatch(row, /오후 [67]:30/);
      assert.deepEqual(await axeViolations(page), [], 'axe-core: the consultations tab');
    });
  } finally {
    await context.close();
  }
});

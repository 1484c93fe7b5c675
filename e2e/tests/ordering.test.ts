// In real Chromium against the real server: a store owner builds a menu in the POS (a category,
// an item with a photo and a size option); a kiosk logs in and a customer orders from it; the
// order arrives live in the owner's orders tab, which moves it on and takes the payment at the
// counter; a second order is cancelled; the sales tab then shows exactly the order that stands.
// And the kiosk's idle reset: a warning that "계속하기" dismisses, then, left alone, a return to the
// start with the cart emptied.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { launchBrowser } from '../support/browser.js';
import { chooseDining, kioskLogsInWith } from '../support/kiosk.js';
import { Pages, see, step, signIn } from '../support/pages.js';
import { createBrand, signUp, startServer, type TestServer } from '../support/server.js';

const KIOSK_VIEWPORT = { width: 1080, height: 1920 };

let server: TestServer;
let browser: Browser;
const pages = new Pages(() => browser);
let tempDir: string;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pinokio-e2e-'));
});

after(async () => {
  await pages.closeAll();
  await browser?.close();
  await server?.close();
  if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
});

interface Store {
  storeId: string;
  storeName: string;
  owner: { email: string; password: string; accessToken: string };
  kiosk: { loginId: string; secret: string };
}

/** a brand, its store owner (signed up through the API) and one kiosk provisioned for the store */
async function newStore(storeName: string): Promise<Store> {
  const brand = await createBrand(server, 'Order Coffee');
  const owner = await signUp(server, 'owner', { brandCode: brand.code, storeName });
  const storeId = owner.profile.store.id as string;
  const provisioned = await server.api('POST', `/api/stores/${storeId}/kiosks`, { token: owner.accessToken, body: { name: '입구 1번' } });
  assert.equal(provisioned.status, 201, JSON.stringify(provisioned.body));
  return {
    storeId,
    storeName,
    owner: { email: owner.email, password: owner.password, accessToken: owner.accessToken },
    kiosk: provisioned.body.credentials,
  };
}

async function ownerLogsIn(page: Page, store: Store): Promise<void> {
  await signIn(page, server.url, 'owner', store.owner);
  await see(page.getByRole('heading', { level: 1, name: store.storeName }));
}

function kioskLogsIn(page: Page, store: Store): Promise<void> {
  return kioskLogsInWith(page, server.url, store.kiosk, store.storeName);
}

/** the picture has really been drawn (its file loaded and decoded) */
async function pictureShown(page: Page, image: ReturnType<Page['locator']>): Promise<void> {
  await see(image);
  await page.waitForFunction((element) => element instanceof HTMLImageElement && element.complete && element.naturalWidth > 0, await image.elementHandle());
}

describe('ordering in the browser', () => {
  test('the owner builds a menu; a kiosk orders; the order arrives live, moves on; a cancelled one leaves the sales', async (t) => {
    const store = await newStore('주문 테스트 종로점');
    const owner = await pages.open();
    const kiosk = await pages.open(KIOSK_VIEWPORT);
    const photoPath = path.join(tempDir, 'latte.png');
    await sharp({ create: { width: 320, height: 320, channels: 3, background: { r: 196, g: 128, b: 72 } } })
      .png()
      .toFile(photoPath);
    let firstNumber = 0;
    let secondNumber = 0;

    await step(t, 'the owner adds a category', [owner], async () => {
      await ownerLogsIn(owner, store);
      await owner.getByRole('navigation', { name: '매장 관리 메뉴' }).getByRole('link', { name: '상품' }).click();
      await see(owner.getByRole('heading', { level: 2, name: '카테고리' }));
      await see(owner.getByText('아직 카테고리가 없습니다.'));
      await owner.getByLabel('새 카테고리 이름').fill('커피');
      await owner.getByRole('button', { name: '카테고리 추가' }).click();
      await see(owner.getByRole('status').getByText('‘커피’ 카테고리를 추가했습니다.'));
      await see(owner.getByRole('list', { name: '카테고리' }).getByRole('listitem', { name: '커피' }));
    });

    await step(t, 'the owner adds an item with a photo and a size option', [owner], async () => {
      await owner.getByRole('button', { name: /상품 추가/ }).click();
      const dialog = owner.getByRole('dialog', { name: '상품 추가' });
      await see(dialog);
      assert.equal(await dialog.getByLabel('카테고리').locator('option:checked').textContent(), '커피');
      await dialog.getByLabel('상품 이름').fill('바닐라 라떼');
      await dialog.getByLabel('설명').fill('부드러운 바닐라 향의 라떼');
      await dialog.getByLabel('가격 (원)').fill('4500');
      await dialog.getByLabel('사진', { exact: true }).setInputFiles(photoPath);
      await pictureShown(owner, dialog.getByRole('img', { name: '새 사진 미리보기' }));

      await dialog.getByRole('button', { name: /옵션 그룹 추가/ }).click();
      const group = dialog.getByRole('group', { name: '옵션 그룹 1', exact: true });
      await group.getByLabel('옵션 그룹 이름').fill('사이즈');
      await group.getByLabel('손님이 반드시 고르기').check();
      assert.equal(await group.getByRole('radio', { name: '하나만 고르기' }).isChecked(), true);
      await group.getByRole('group', { name: '옵션 1', exact: true }).getByLabel('옵션 이름').fill('톨');
      await group.getByRole('button', { name: /옵션 추가/ }).click();
      const grande = group.getByRole('group', { name: '옵션 2', exact: true });
      await grande.getByLabel('옵션 이름').fill('그란데');
      await grande.getByLabel('추가 금액 (원)').fill('500');

      await dialog.getByRole('button', { name: '저장', exact: true }).click();
      await dialog.waitFor({ state: 'hidden' });
      await see(owner.getByRole('status').getByText('‘바닐라 라떼’ 상품을 저장했습니다.'));
      const row = owner.getByRole('row', { name: /바닐라 라떼/ });
      await see(row.getByText('4,500원'));
      const thumbnail = row.getByRole('img', { name: '바닐라 라떼' });
      await pictureShown(owner, thumbnail);
      assert.match((await thumbnail.getAttribute('src')) ?? '', /^\/api\/files\/items\//);
      assert.equal(await row.getByRole('switch', { name: '바닐라 라떼 키오스크 노출' }).getAttribute('aria-checked'), 'true');
      assert.equal(await row.getByRole('switch', { name: '바닐라 라떼 품절' }).getAttribute('aria-checked'), 'false');
    });

    await step(t, 'the owner opens the orders tab and it goes live', [owner], async () => {
      await owner.getByRole('navigation', { name: '매장 관리 메뉴' }).getByRole('link', { name: '주문' }).click();
      await see(owner.getByRole('heading', { level: 2, name: '주문' }));
      await see(owner.getByText('새 주문을 실시간으로 받고 있습니다.'));
      await see(owner.getByText('이 조건에 맞는 주문이 없습니다.'));
      // the filters fold behind one button that says what they are
      const filters = owner.getByRole('button', { name: '기간·상태: 오늘, 모든 상태' });
      await filters.click();
      assert.equal(await owner.getByRole('button', { name: '오늘', exact: true }).getAttribute('aria-pressed'), 'true');
      await filters.click();
    });

    await step(t, 'the kiosk logs in and shows the item with its photo', [kiosk], async () => {
      await kioskLogsIn(kiosk, store);
      await kiosk.getByRole('button', { name: /주문하기/ }).click();
      await see(kiosk.getByRole('tab', { name: '커피', selected: true }));
      const card = kiosk.getByRole('button', { name: /바닐라 라떼/ });
      await see(card.getByText('4,500원'));
      const photo = card.locator('img');
      await pictureShown(kiosk, photo);
      assert.match((await photo.getAttribute('src')) ?? '', /^\/api\/files\/items\//);
      await see(kiosk.getByText('아직 담은 메뉴가 없습니다.'));
    });

    await step(t, 'the customer picks 그란데, two of them, and adds them to the cart', [kiosk], async () => {
      await kiosk.getByRole('button', { name: /바닐라 라떼/ }).click();
      const dialog = kiosk.getByRole('dialog', { name: '바닐라 라떼' });
      await see(dialog);
      await see(dialog.getByText('부드러운 바닐라 향의 라떼'));
      await see(dialog.getByRole('group', { name: /사이즈/ }).getByText('필수'));
      await see(dialog.getByRole('button', { name: '4,500원 담기' }));
      await dialog.getByRole('radio', { name: /그란데/ }).check();
      await see(dialog.getByRole('button', { name: '5,000원 담기' }));
      await dialog.getByRole('button', { name: '수량 늘리기' }).click();
      await dialog.getByRole('button', { name: '10,000원 담기' }).click();
      await dialog.waitFor({ state: 'hidden' });

      const cart = kiosk.getByRole('complementary', { name: /장바구니/ });
      const line = cart.getByRole('listitem', { name: '바닐라 라떼' });
      await see(line.getByText('사이즈: 그란데 (+500원)'));
      await see(line.getByText('10,000원'));
      await see(cart.getByRole('group', { name: '바닐라 라떼 2개' }));
    });

    await step(t, 'the customer checks out; the receipt shows the order number', [kiosk], async () => {
      await kiosk.getByRole('button', { name: '주문 확인하기' }).click();
      await chooseDining(kiosk, 'eat_in');
      await see(kiosk.getByRole('heading', { level: 1, name: '주문 확인' }));
      // without a card terminal (no device agent here) the card is shown but cannot be chosen
      assert.equal(await kiosk.getByRole('radio', { name: /카드 결제/ }).isDisabled(), true);
      await kiosk.getByRole('radio', { name: /카운터 결제/ }).check();
      await see(kiosk.getByText('결제는 카운터에서 해 주세요'));
      await kiosk.getByRole('button', { name: '이대로 주문하기' }).click();
      const heading = kiosk.getByRole('heading', { level: 1, name: /주문번호/ });
      await see(heading);
      firstNumber = Number(((await heading.textContent()) ?? '').replace(/\D+/g, ''));
      assert.ok(firstNumber >= 1, `an order number is shown: ${await heading.textContent()}`);
      await see(kiosk.getByText('결제는 카운터에서 해 주세요'));
      await see(kiosk.getByText(/고르신 결제 방법: 카운터 결제/));
      // back to the start at once (it would go by itself after 20 s)
      await kiosk.getByRole('button', { name: '처음으로' }).click();
      await see(kiosk.getByRole('heading', { level: 1, name: store.storeName }));
    });

    await step(t, 'the order arrives live in the owner’s orders tab and is started', [owner], async () => {
      const order = owner.getByRole('listitem', { name: `주문번호 ${firstNumber}`, exact: true });
      await see(order);
      await see(order.getByText('새 주문'));
      await see(order.getByText('주문 접수'));
      await see(order.getByText('10,000원').first());
      // to pay at the counter: 미결제 until the owner takes the money
      await see(order.getByText(/^미결제/));
      // the lines, with their options
      await order.getByRole('button', { name: /내용 보기/ }).click();
      await see(order.getByRole('rowheader', { name: /바닐라 라떼/ }));
      await see(order.getByText('사이즈: 그란데 (+500원)'));
      // only the next step is offered
      assert.equal(await order.getByRole('button', { name: /준비 완료/ }).count(), 0);
      await order.getByRole('button', { name: /준비 시작/ }).click();
      await see(order.getByText('준비 중', { exact: true }));
      await see(order.getByRole('button', { name: /준비 완료/ }));
      assert.equal(await order.getByRole('button', { name: /준비 시작/ }).count(), 0);
      assert.equal(await order.getByText('새 주문').count(), 0);
      // the customer pays at the counter: from now on the order counts in the sales
      await order.getByRole('button', { name: /결제 받기/ }).click();
      const dialog = owner.getByRole('dialog', { name: `주문번호 ${firstNumber} 결제 받기` });
      await dialog.getByRole('button', { name: '10,000원 받았습니다' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await see(order.getByText('결제 완료', { exact: true }));
    });

    await step(t, 'a second order is placed at the kiosk', [kiosk], async () => {
      await kiosk.getByRole('button', { name: /주문하기/ }).click();
      await see(kiosk.getByText('아직 담은 메뉴가 없습니다.'));
      await kiosk.getByRole('button', { name: /바닐라 라떼/ }).click();
      const dialog = kiosk.getByRole('dialog', { name: '바닐라 라떼' });
      await dialog.getByRole('radio', { name: /톨/ }).check();
      await dialog.getByRole('button', { name: '4,500원 담기' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await kiosk.getByRole('button', { name: '주문 확인하기' }).click();
      await chooseDining(kiosk, 'take_out');
      await kiosk.getByRole('radio', { name: /카운터 결제/ }).check();
      await kiosk.getByRole('button', { name: '이대로 주문하기' }).click();
      const heading = kiosk.getByRole('heading', { level: 1, name: /주문번호/ });
      await see(heading);
      secondNumber = Number(((await heading.textContent()) ?? '').replace(/\D+/g, ''));
      assert.equal(secondNumber, firstNumber + 1);
    });

    await step(t, 'the owner cancels the second order with a reason', [owner], async () => {
      const order = owner.getByRole('listitem', { name: `주문번호 ${secondNumber}`, exact: true });
      await see(order);
      await see(order.getByText('4,500원').first());
      await order.getByRole('button', { name: /주문 취소/ }).click();
      const dialog = owner.getByRole('dialog', { name: `주문번호 ${secondNumber} 취소` });
      await see(dialog);
      await dialog.getByLabel('취소 이유').fill('손님이 마음을 바꿈');
      await dialog.getByRole('button', { name: '주문 취소하기' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await see(order.getByText('취소됨'));
      await see(order.getByText('취소 이유: 손님이 마음을 바꿈'));
      assert.equal(await order.getByRole('button', { name: /주문 취소/ }).count(), 0);
      // the first order is untouched
      await see(owner.getByRole('listitem', { name: `주문번호 ${firstNumber}`, exact: true }).getByText('준비 중', { exact: true }));
    });

    await step(t, 'the sales tab counts exactly the order that stands', [owner], async () => {
      await owner.getByRole('navigation', { name: '매장 관리 메뉴' }).getByRole('link', { name: '매출' }).click();
      await see(owner.getByRole('heading', { level: 2, name: '매출' }));
      const figure = (name: string) =>
        owner
          .locator('.figure')
          .filter({ has: owner.getByText(name, { exact: true }) })
          .locator('dd');
      await see(figure('기간 매출'));
      assert.equal(await figure('기간 매출').textContent(), '10,000원');
      assert.equal(await figure('주문 수').textContent(), '1건');
      const best = owner.getByRole('table', { name: '많이 팔린 상품' });
      const row = best.getByRole('row', { name: /바닐라 라떼/ });
      await see(row.getByText('10,000원'));
      await see(row.getByRole('cell', { name: '2', exact: true }));
      await see(owner.getByText('최근 30일 매출 10,000원, 브랜드 1개 매장 중 1위'));
      await see(owner.getByText('브랜드 매장 평균 10,000원'));
      await see(owner.getByRole('img', { name: '기간별 매출' }));
    });
  });

  test('the live order stream outlives the access token: it reconnects with a fresh one and misses nothing', async (t) => {
    // a server of its own whose access tokens last 10 s, so that the stream ends with
    // `reauthenticate` twice while the page stays open
    const shortLived = await startServer({ env: { ACCESS_TOKEN_TTL_SECONDS: '10' } });
    const previous = server;
    server = shortLived;
    try {
      const store = await newStore('실시간 테스트점');
      const token = store.owner.accessToken;
      const category = await server.api('POST', `/api/stores/${store.storeId}/categories`, { token, body: { name: '커피' } });
      const item = await server.api('POST', `/api/stores/${store.storeId}/items`, {
        token,
        body: { categoryId: category.body.id, name: '아메리카노', price: 4000 },
      });
      assert.equal(item.status, 201);
      const owner = await pages.open();
      let streams = 0;
      const refused: number[] = [];
      owner.on('response', (response) => {
        if (!response.url().includes('/orders/live?')) return;
        streams += 1;
        if (response.status() !== 200) refused.push(response.status());
      });

      await step(t, 'the owner keeps the orders tab open past two token lifetimes', [owner], async () => {
        await ownerLogsIn(owner, store);
        await owner.getByRole('navigation', { name: '매장 관리 메뉴' }).getByRole('link', { name: '주문' }).click();
        await see(owner.getByText('새 주문을 실시간으로 받고 있습니다.'));
        await owner.waitForTimeout(22_000);
        assert.ok(streams >= 3, `the stream was opened again after each expiry (${streams} times)`);
        assert.deepEqual(refused, [], 'every reconnection had a valid token');
        await see(owner.getByText('새 주문을 실시간으로 받고 있습니다.'));
      });

      await step(t, 'an order placed now still arrives live', [owner], async () => {
        const kioskLogin = await server.api('POST', '/api/auth/kiosk-login', { body: store.kiosk });
        assert.equal(kioskLogin.status, 200);
        const placed = await server.api('POST', `/api/stores/${store.storeId}/orders`, {
          token: kioskLogin.body.accessToken,
          headers: { 'idempotency-key': `e2e-live-${Date.now()}` },
          body: { lines: [{ itemId: item.body.id, quantity: 3 }], paymentMethod: 'counter' },
        });
        assert.equal(placed.status, 201, JSON.stringify(placed.body));
        const order = owner.getByRole('listitem', { name: `주문번호 ${placed.body.order.number}`, exact: true });
        await see(order);
        await see(order.getByText('새 주문'));
        await see(order.getByText('12,000원').first());
      });
    } finally {
      server = previous;
      await shortLived.close();
    }
  });

  test('the kiosk warns before an idle reset; 계속하기 keeps the cart; left alone it starts over', async (t) => {
    const store = await newStore('대기 테스트점');
    const token = store.owner.accessToken;
    const category = await server.api('POST', `/api/stores/${store.storeId}/categories`, { token, body: { name: '차' } });
    assert.equal(category.status, 201);
    const item = await server.api('POST', `/api/stores/${store.storeId}/items`, { token, body: { categoryId: category.body.id, name: '유자차', price: 5000 } });
    assert.equal(item.status, 201);
    const kiosk = await pages.open(KIOSK_VIEWPORT);

    await step(t, 'the customer adds an item', [kiosk], async () => {
      await kioskLogsIn(kiosk, store);
      await kiosk.goto(`${server.url}/kiosk?idle=30`);
      await kiosk.getByRole('button', { name: /주문하기/ }).click();
      await kiosk.getByRole('button', { name: /유자차/ }).click();
      await kiosk.getByRole('dialog', { name: '유자차' }).getByRole('button', { name: '5,000원 담기' }).click();
      await see(kiosk.getByRole('complementary', { name: /장바구니/ }).getByRole('listitem', { name: '유자차' }));
    });

    await step(t, 'the warning appears with a countdown; 계속하기 keeps the cart', [kiosk], async () => {
      // at idle - 25 s (the warning's length) = 5 s without a touch
      const warning = kiosk.getByRole('alertdialog', { name: '계속 주문하시겠어요?' });
      await see(warning, 10_000);
      await see(warning.getByText(/^\d+초$/));
      await warning.getByRole('button', { name: '계속하기' }).click();
      await warning.waitFor({ state: 'hidden' });
      await see(kiosk.getByRole('complementary', { name: /장바구니/ }).getByRole('listitem', { name: '유자차' }));
    });

    await step(t, 'left alone, the kiosk returns to its start screen with the cart emptied', [kiosk], async () => {
      await see(kiosk.getByRole('alertdialog', { name: '계속 주문하시겠어요?' }), 10_000);
      await see(kiosk.getByRole('heading', { level: 1, name: store.storeName }), 35_000);
      await see(kiosk.getByRole('button', { name: /주문하기/ }));
      await kiosk.getByRole('button', { name: /주문하기/ }).click();
      await see(kiosk.getByText('아직 담은 메뉴가 없습니다.'));
      assert.equal(
        await kiosk
          .getByRole('complementary', { name: /장바구니/ })
          .getByRole('listitem')
          .count(),
        0,
      );
    });
  });
});

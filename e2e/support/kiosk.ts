// A store with a kiosk, made through the API as its owner does, and what a customer does on the
// kiosk's screen: log the kiosk in, type a phone number on the keypad, order and pay. Shared
// by the browser tests that put a device (gRPC client or the real agent) in front of the screen.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { see } from './pages.js';
import { createBrand, signUp, type TestServer } from './server.js';

export const KIOSK_VIEWPORT = { width: 1080, height: 1920 };

/** what the kiosk shows as its consent version (the server's default) */
export const CONSENT_TEXT_VERSION = 'kiosk-face-2025-01';

export interface Store {
  server: TestServer;
  storeId: string;
  storeName: string;
  ownerToken: string;
  /** the owner's sign-in, for the POS */
  owner: { email: string; password: string };
  kiosk: { loginId: string; secret: string };
  items: Record<string, string>;
}

/** the presence settings the device tests use: quick samples, and a second without anyone near is a departure */
export const quickPresence = {
  sampleIntervalMs: 100,
  arriveBelowCm: 80,
  arriveConsecutive: 5,
  arriveToleranceCm: 5,
  leaveAfterMs: 1000,
  framesPerCapture: 3,
  frameIntervalMs: 100,
};

/** a store with a kiosk, a menu of `itemNames` (the first two with a photo), and `quickPresence` */
export async function newStore(server: TestServer, storeName: string, itemNames: string[]): Promise<Store> {
  const brand = await createBrand(server, 'Presence Coffee');
  const owner = await signUp(server, 'owner', { brandCode: brand.code, storeName });
  const storeId = owner.profile.store.id as string;
  const token = owner.accessToken;
  const provisioned = await server.api('POST', `/api/stores/${storeId}/kiosks`, { token, body: { name: '입구' } });
  assert.equal(provisioned.status, 201, JSON.stringify(provisioned.body));
  const category = await server.api('POST', `/api/stores/${storeId}/categories`, { token, body: { name: '커피' } });
  assert.equal(category.status, 201);
  const items: Record<string, string> = {};
  for (const [index, name] of itemNames.entries()) {
    const item = await server.api('POST', `/api/stores/${storeId}/items`, { token, body: { categoryId: category.body.id, name, price: 4000 + index * 500 } });
    assert.equal(item.status, 201, JSON.stringify(item.body));
    items[name] = item.body.id;
  }
  // photos for the first two items: the attract screen's carousel shows items with photos
  for (const name of itemNames.slice(0, 2)) {
    const picture = await sharp({ create: { width: 320, height: 320, channels: 3, background: { r: 120, g: 70, b: 40 } } })
      .png()
      .toBuffer();
    const form = new FormData();
    form.append('photo', new Blob([picture], { type: 'image/png' }), 'photo.png');
    const uploaded = await fetch(`${server.url}/api/stores/${storeId}/items/${items[name]}/photo`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    assert.equal(uploaded.status, 200, await uploaded.text());
  }
  const settings = await server.api('PUT', `/api/stores/${storeId}/device-settings`, { token, body: quickPresence });
  assert.equal(settings.status, 200, JSON.stringify(settings.body));
  return { server, storeId, storeName, ownerToken: token, owner: { email: owner.email, password: owner.password }, kiosk: provisioned.body.credentials, items };
}

/** /kiosk sends a kiosk without a session to its login; with these credentials it shows the store */
export async function kioskLogsInWith(page: Page, serverUrl: string, credentials: { loginId: string; secret: string }, storeName: string): Promise<void> {
  await page.goto(`${serverUrl}/kiosk`);
  await page.waitForURL('**/login?role=kiosk');
  await page.getByLabel('키오스크 로그인 ID').fill(credentials.loginId);
  await page.getByLabel('비밀 키', { exact: true }).fill(credentials.secret);
  await page.getByRole('button', { name: '로그인', exact: true }).click();
  await page.waitForURL('**/kiosk');
  await see(page.getByRole('heading', { level: 1, name: storeName }));
}

/** the kiosk logs in and its live stream is open; every status text it shows from then on is recorded */
export async function kioskLogsIn(page: Page, store: Store): Promise<void> {
  await kioskLogsInWith(page, store.server.url, store.kiosk, store.storeName);
  await page.locator('.kiosk-screen[data-live="live"]').waitFor();
  // every status text the page ever shows, so that brief ones ("알아보는 중…") can be checked afterwards
  // (a string: tsx would wrap named functions in a helper the page does not have)
  await page.evaluate(`(() => {
    const seen = (window.seenStatus = []);
    new MutationObserver(() => {
      for (const element of document.querySelectorAll('[role="status"]')) {
        const text = element.textContent.trim();
        if (text && seen[seen.length - 1] !== text) seen.push(text);
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  })()`);
}

/** the status texts the kiosk has shown since it logged in, in order */
export async function seenStatus(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { seenStatus: string[] }).seenStatus);
}

export async function pressPhone(page: Page, digits: string): Promise<void> {
  const keys = page.getByRole('group', { name: '숫자 누르개' });
  for (const digit of digits) await keys.getByRole('button', { name: digit, exact: true }).click();
}

/** adds `itemName` (when given) to the cart and orders it to eat in (or `dining`), paying at the counter; the order number */
export async function orderAtCounter(page: Page, itemName: string | undefined, dining: 'eat_in' | 'take_out' = 'eat_in'): Promise<number> {
  if (itemName) {
    await page
      .getByRole('button', { name: new RegExp(itemName) })
      .first()
      .click();
    await page.getByRole('dialog', { name: itemName }).getByRole('button', { name: /담기$/ }).click();
  }
  await page.getByRole('button', { name: '주문 확인하기' }).click();
  await chooseDining(page, dining);
  return payBy(page, 'counter');
}

/** from the attract screen: starts an order, adds `itemName`, checks out and answers the dining question; the way to pay is next */
export async function orderUpToPayment(page: Page, itemName: string, dining: 'eat_in' | 'take_out'): Promise<void> {
  await page
    .getByRole('button', { name: /주문하기/ })
    .first()
    .click();
  await addToCart(page, itemName);
  await page.getByRole('button', { name: '주문 확인하기' }).click();
  await chooseDining(page, dining);
}

const paymentChoices = { card: /카드 결제/, mobile: /모바일 결제/, counter: /카운터 결제/ } as const;

/**
 * On the checkout (dining chosen): picks the way to pay and orders. At the counter: the receipt's
 * order number; by card or phone: 0, the payment's wait (or its outcome) follows.
 */
export async function payBy(page: Page, method: keyof typeof paymentChoices): Promise<number> {
  await page.getByRole('radio', { name: paymentChoices[method] }).check();
  await page.getByRole('button', { name: '이대로 주문하기' }).click();
  if (method !== 'counter') return 0;
  const heading = page.getByRole('heading', { level: 1, name: /주문번호/ });
  await see(heading);
  return Number(((await heading.textContent()) ?? '').replace(/\D+/g, ''));
}

/** the checkout's first question, "드시고 가세요, 가지고 가세요?", answered by touch */
export async function chooseDining(page: Page, dining: 'eat_in' | 'take_out'): Promise<void> {
  await see(page.getByRole('heading', { level: 1, name: '드시고 가세요, 가지고 가세요?' }));
  await page.getByRole('button', { name: dining === 'eat_in' ? /매장에서 먹어요/ : /가지고 가요/ }).click();
}

/** the receipt's offer to register, the privacy notice, consent ticked, the phone typed: registered */
export async function registerAfterOrder(page: Page, phoneDigits: string): Promise<void> {
  await see(page.getByRole('heading', { level: 2, name: '다음에는 얼굴로 더 빠르게' }));
  await page.getByRole('button', { name: '회원 등록하기' }).click();
  await see(page.getByRole('heading', { level: 1, name: '회원 등록' }));
  await page.getByRole('checkbox', { name: /동의합니다/ }).check();
  await page.getByRole('button', { name: '다음', exact: true }).click();
  await see(page.getByRole('heading', { level: 1, name: '휴대전화 번호를 눌러 주세요' }));
  await pressPhone(page, phoneDigits);
  await page.getByRole('button', { name: '등록하기' }).click();
  await see(page.getByRole('heading', { level: 1, name: '등록했습니다' }));
}

/**
 * The kiosk logged in, then opened with a short idle time (`?idle=`, and `extra` query values), with
 * every idle warning that opens counted (warningsOpened): for the tests of patient timing.
 */
export async function kioskWithIdle(page: Page, store: Store, idleSeconds: number, extra = ''): Promise<Page> {
  await kioskLogsIn(page, store);
  await page.goto(`${store.server.url}/kiosk?idle=${idleSeconds}${extra}`);
  await page.locator('.kiosk-screen[data-live="live"]').waitFor();
  await page.evaluate(`(() => {
    window.warningsOpened = [];
    new MutationObserver(() => {
      const open = document.querySelector('dialog.idle-warning[open]');
      if (open && !open.dataset.seen) { open.dataset.seen = '1'; window.warningsOpened.push(Date.now()); }
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  })()`);
  return page;
}

/** how many idle warnings have opened on a page from kioskWithIdle */
export const warningsOpened = (page: Page) => page.evaluate('window.warningsOpened.length') as Promise<number>;

/** taps an item on the menu, puts it in the cart from its dialog, and sees it there */
export async function addToCart(page: Page, name: string): Promise<void> {
  await page
    .getByRole('button', { name: new RegExp(name) })
    .first()
    .click();
  await page.getByRole('dialog', { name }).getByRole('button', { name: /담기$/ }).click();
  await see(page.getByRole('complementary', { name: /장바구니/ }).getByRole('listitem', { name }));
}

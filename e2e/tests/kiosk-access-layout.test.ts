// The kiosk fits the customer, in real Chromium at the portrait 1080 x 1920 of a kiosk: the owner
// sets where the screen is mounted (PATCH .../kiosks/:id, as the POS does), and in the
// low-position layout every control's measured box lies in the band of the screen below the
// 120 cm reach limit; in large type a full page of items and the paging buttons are on screen with
// no scrolling, and option, hint and cart text (and their targets) measure at least twice the
// standard mode's; the high-contrast colours reach 7:1 for every text (from computed styles); and
// axe-core finds nothing on any screen of an order in both sizes and both layouts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { axeViolations } from '../support/axe.js';
import { launchBrowser } from '../support/browser.js';
import { chooseDining, KIOSK_VIEWPORT, kioskLogsInWith, newStore, type Store } from '../support/kiosk.js';
import { Pages, see, step, signIn } from '../support/pages.js';
import { startServer, type TestServer } from '../support/server.js';

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

const ITEMS = ['아메리카노', '카페 라떼', '카푸치노', '바닐라 라떼', '유자차', '녹차'];

/** a store whose 카페 라떼 has a required size and an optional extra */
async function storeWithOptions(name: string): Promise<Store> {
  const store = await newStore(server, name, ITEMS);
  const sized = await server.api('PATCH', `/api/stores/${store.storeId}/items/${store.items['카페 라떼']}`, {
    token: store.ownerToken,
    body: {
      optionGroups: [
        { name: '사이즈', kind: 'single', required: true, options: [{ name: '톨' }, { name: '그란데', priceDelta: 500 }] },
        { name: '추가', kind: 'multiple', required: false, options: [{ name: '샷 추가', priceDelta: 500 }] },
      ],
    },
  });
  assert.equal(sized.status, 200, JSON.stringify(sized.body));
  return store;
}

/** a kiosk page (the carousel fades only its pictures in, so axe-core may look at any moment) */
async function kioskPage(): Promise<Page> {
  return pages.open(KIOSK_VIEWPORT);
}

// (strings: tsx would wrap functions in a helper the page does not have)

/** every control a customer could press, scrolled into view within its own scrolling box, measured */
const MEASURE_CONTROLS = `(() => {
  const screen = document.querySelector('.kiosk-screen');
  const selector = 'button, a[href], input, select, textarea, [tabindex]:not([tabindex="-1"]), [role="button"], [role="tab"]';
  const out = [];
  for (const element of document.querySelectorAll(selector)) {
    if (element.closest('dialog:not([open])')) continue;
    const style = getComputedStyle(element);
    if (style.visibility === 'hidden' || element.getClientRects().length === 0) continue;
    const before = element.getBoundingClientRect();
    if (before.width <= 1 || before.height <= 1) continue; // visually hidden (a label's input), not touchable
    element.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    // reaching it must not take scrolling the page or the kiosk frame itself
    const frameScrolled = window.scrollY !== 0 || (screen && screen.scrollTop !== 0);
    const box = element.getBoundingClientRect();
    if (screen) screen.scrollTop = 0;
    window.scrollTo(0, 0);
    const name = (element.getAttribute('aria-label') || element.textContent || element.tagName).trim().replace(/\\s+/g, ' ').slice(0, 30);
    out.push({ name, top: Math.round(box.top), bottom: Math.round(box.bottom), frameScrolled });
  }
  return out;
})()`;

interface Measured {
  name: string;
  top: number;
  bottom: number;
  frameScrolled: boolean;
}

/** the controls on screen now that are not inside the band from `bandTop` to the bottom edge */
async function outsideBand(page: Page, bandTop: number): Promise<string[]> {
  const measured = (await page.evaluate(MEASURE_CONTROLS)) as Measured[];
  assert.ok(measured.length > 0, 'no controls found');
  return measured
    .filter((each) => each.frameScrolled || each.top < bandTop - 1 || each.bottom > KIOSK_VIEWPORT.height + 1)
    .map((each) => `${each.name}: ${each.top}-${each.bottom}${each.frameScrolled ? ' (frame scrolled)' : ''}`);
}

/** every visible text's contrast against the background it is drawn on, from computed styles */
const CONTRASTS = `(() => {
  const parse = (value) => {
    const m = value.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const [r, g, b, a = '1'] = m[1].split(/[ ,\\/]+/).filter(Boolean);
    return { r: +r, g: +g, b: +b, a: +a };
  };
  const channel = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const luminance = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  const background = (element) => {
    for (let node = element; node; node = node.parentElement) {
      const bg = parse(getComputedStyle(node).backgroundColor);
      if (bg && bg.a > 0.5) return bg;
      if (node.tagName === 'DIALOG') return { r: 255, g: 255, b: 255, a: 1 };
    }
    return { r: 255, g: 255, b: 255, a: 1 };
  };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    const element = text.parentElement;
    if (!element || seen.has(element) || !text.textContent.trim()) continue;
    seen.add(element);
    if (element.closest('dialog:not([open]), [aria-hidden="true"] img, .sr-only, script, style')) continue;
    if (element.getClientRects().length === 0) continue;
    const box = element.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;
    const fg = parse(getComputedStyle(element).color);
    const bg = background(element);
    const [hi, lo] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
    out.push({ text: text.textContent.trim().slice(0, 24), ratio: Math.round(((hi + 0.05) / (lo + 0.05)) * 100) / 100 });
  }
  return out;
})()`;

async function lowContrast(page: Page): Promise<string[]> {
  const measured = (await page.evaluate(CONTRASTS)) as Array<{ text: string; ratio: number }>;
  assert.ok(measured.length > 5, 'texts found');
  return measured.filter((each) => each.ratio < 7).map((each) => `${each.text}: ${each.ratio}:1`);
}

const fontSize = (page: Page, selector: string) =>
  page
    .locator(selector)
    .first()
    .evaluate((element) => parseFloat(getComputedStyle(element).fontSize));
const boxHeight = async (page: Page, selector: string) => (await page.locator(selector).first().boundingBox())?.height ?? 0;

/** what an order's screens measure: text sizes and target heights, on the item dialog and the cart */
async function sizesOfAnOrder(page: Page): Promise<Record<string, number>> {
  await page
    .getByRole('button', { name: /카페 라떼/ })
    .first()
    .click();
  const dialog = page.getByRole('dialog', { name: '카페 라떼' });
  await see(dialog);
  const sizes: Record<string, number> = {
    optionText: await fontSize(page, '.item-dialog .option-name'),
    optionHint: await fontSize(page, '.item-dialog .option-hint'),
    optionTarget: await boxHeight(page, '.item-dialog .option-choice'),
    quantityTarget: await boxHeight(page, '.item-dialog .quantity-button'),
  };
  await dialog.getByRole('radio', { name: /그란데/ }).check();
  await dialog.getByRole('button', { name: /담기$/ }).click();
  const cart = page.getByRole('complementary', { name: /장바구니/ });
  await see(cart.getByRole('listitem', { name: '카페 라떼' }));
  sizes.cartName = await fontSize(page, '.cart-line-name');
  sizes.cartOptions = await fontSize(page, '.cart-line-options');
  sizes.cartTarget = await boxHeight(page, '.cart-remove');
  sizes.itemName = await fontSize(page, '.menu-item-name');
  return sizes;
}

/** back to the start screen from the menu (the cart emptied on the way) */
async function startOver(page: Page, storeName: string): Promise<void> {
  await page.getByRole('button', { name: /처음으로/ }).click();
  const confirm = page.getByRole('dialog', { name: '처음으로 돌아갈까요?' });
  if (await confirm.isVisible().catch(() => false)) await confirm.getByRole('button', { name: '네, 처음으로' }).click();
  await see(page.getByRole('heading', { level: 1, name: storeName }));
}

describe('the kiosk in reach, large and clear', () => {
  test('low-position layout: every control inside the band set for the kiosk in the POS', async (t) => {
    const store = await storeWithOptions('낮은 화면점');
    const bandTop = KIOSK_VIEWPORT.height * (1 - 0.417);
    const owner = await pages.open();
    const kiosk = await kioskPage();

    await step(t, 'the owner measures the screen and sets it in the POS kiosk list; a screen mounted too high is refused', [owner], async () => {
      await signIn(owner, server.url, 'owner', store.owner);
      await owner.getByRole('navigation', { name: '매장 관리 메뉴' }).getByRole('link', { name: '키오스크' }).click();
      const card = owner.getByRole('listitem', { name: '입구' });
      await see(card.getByText('재지 않음 (화면 아래 45 %를 씁니다)'));
      await card.getByRole('button', { name: /화면 위치 설정/ }).click();
      const dialog = owner.getByRole('dialog', { name: '입구: 화면 위치' });
      await dialog.getByLabel('화면 세로 길이 (cm)').fill('60');
      await dialog.getByLabel('화면 아래 끝의 높이 (cm)').fill('105');
      await dialog.getByRole('button', { name: '저장' }).click();
      await see(dialog.getByText(/화면이 너무 높이 달려 있습니다/));
      assert.deepEqual(await axeViolations(owner), [], 'axe-core: the POS dialog with its refusal');
      // a 120 cm screen whose bottom edge is 70 cm above the floor: the lower 50 cm (41.7 %) is within reach
      await dialog.getByLabel('화면 세로 길이 (cm)').fill('120');
      await dialog.getByLabel('화면 아래 끝의 높이 (cm)').fill('70');
      await dialog.getByRole('button', { name: '저장' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await see(card.getByText('세로 120 cm, 바닥에서 70 cm: 화면 아래 42 %에 손이 닿아요'));
    });

    await step(t, 'the toggle is in the bar at the bottom; pressed, every control of the start screen is in the band', [kiosk], async () => {
      await kioskLogsInWith(kiosk, server.url, store.kiosk, store.storeName);
      const toggle = kiosk.getByRole('button', { name: '낮은 화면' });
      const box = await toggle.boundingBox();
      assert.ok(box && box.y >= bandTop, `the toggle itself is within reach: ${box?.y}`);
      await toggle.click();
      assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
      await see(kiosk.getByText('모든 버튼이 화면 아래쪽에 있어요'));
      assert.deepEqual(await outsideBand(kiosk, bandTop), []);
      assert.deepEqual(await axeViolations(kiosk), [], 'axe-core: start, low');
    });

    await step(t, 'the menu, its paging in large type, the item dialog, the cart, the checkout and the receipt: all in the band', [kiosk], async () => {
      await kiosk.getByRole('button', { name: /^주문하기/ }).click();
      await see(kiosk.getByRole('tab', { name: '커피', selected: true }));
      assert.deepEqual(await outsideBand(kiosk, bandTop), [], 'menu');
      await kiosk
        .getByRole('button', { name: /카페 라떼/ })
        .first()
        .click();
      const dialog = kiosk.getByRole('dialog', { name: '카페 라떼' });
      await see(dialog);
      assert.deepEqual(await outsideBand(kiosk, bandTop), [], 'item dialog');
      await dialog.getByRole('radio', { name: /톨/ }).check();
      await dialog.getByRole('button', { name: /담기$/ }).click();
      await see(kiosk.getByRole('complementary', { name: /장바구니/ }).getByRole('listitem', { name: '카페 라떼' }));
      assert.deepEqual(await outsideBand(kiosk, bandTop), [], 'menu with the cart');
      // large type in the low layout: the paging buttons too
      await kiosk.getByRole('button', { name: /큰 글씨 모드/ }).click();
      await see(kiosk.getByRole('button', { name: /다음 메뉴/ }));
      assert.deepEqual(await outsideBand(kiosk, bandTop), [], 'large menu with paging');
      assert.deepEqual(await axeViolations(kiosk), [], 'axe-core: large menu, low');
      await kiosk.getByRole('button', { name: /보통 화면으로/ }).click();
      await kiosk.getByRole('button', { name: /처음으로/ }).click();
      const confirm = kiosk.getByRole('dialog', { name: '처음으로 돌아갈까요?' });
      await see(confirm);
      assert.deepEqual(await outsideBand(kiosk, bandTop), [], 'the start-over question');
      await confirm.getByRole('button', { name: '아니요, 계속 주문' }).click();
      await kiosk.getByRole('button', { name: '주문 확인하기' }).click();
      await see(kiosk.getByRole('heading', { level: 1, name: '드시고 가세요, 가지고 가세요?' }));
      assert.deepEqual(await outsideBand(kiosk, bandTop), [], 'the dining question');
      await chooseDining(kiosk, 'eat_in');
      await see(kiosk.getByRole('button', { name: '이대로 주문하기' }));
      assert.deepEqual(await outsideBand(kiosk, bandTop), [], 'checkout');
      await kiosk.getByRole('radio', { name: /카운터 결제/ }).check();
      await kiosk.getByRole('button', { name: '이대로 주문하기' }).click();
      await see(kiosk.getByRole('heading', { level: 1, name: /주문번호/ }));
      assert.deepEqual(await outsideBand(kiosk, bandTop), [], 'receipt');
      assert.deepEqual(await axeViolations(kiosk), [], 'axe-core: receipt, low');
    });
  });

  test('large type: a full page and its paging on screen without scrolling; options and cart at least twice the size', async (t) => {
    const store = await storeWithOptions('큰 글씨점');
    const kiosk = await kioskPage();
    let standard: Record<string, number> = {};

    await step(t, 'the standard sizes', [kiosk], async () => {
      await kioskLogsInWith(kiosk, server.url, store.kiosk, store.storeName);
      await kiosk.getByRole('button', { name: /^주문하기/ }).click();
      await see(kiosk.getByRole('tab', { name: '커피', selected: true }));
      standard = await sizesOfAnOrder(kiosk);
      await startOver(kiosk, store.storeName);
    });

    await step(t, '"큰 글씨 모드" on the first screen: four items and both paging buttons inside the screen, nothing scrolls', [kiosk], async () => {
      await kiosk.getByRole('button', { name: /큰 글씨 모드/ }).click();
      const grid = kiosk.getByRole('list', { name: '커피' });
      await see(grid);
      await see(kiosk.getByText('2쪽 중 1쪽'));
      const items = grid.getByRole('listitem');
      assert.equal(await items.count(), 4);
      const inside = async (what: string, box: { x: number; y: number; width: number; height: number } | null) => {
        assert.ok(box, what);
        assert.ok(
          box.y >= 0 && box.y + box.height <= KIOSK_VIEWPORT.height && box.x >= 0 && box.x + box.width <= KIOSK_VIEWPORT.width,
          `${what}: ${JSON.stringify(box)}`,
        );
      };
      for (let index = 0; index < 4; index++) await inside(`item ${index + 1}`, await items.nth(index).boundingBox());
      await inside('이전 메뉴', await kiosk.getByRole('button', { name: /이전 메뉴/ }).boundingBox());
      await inside('다음 메뉴', await kiosk.getByRole('button', { name: /다음 메뉴/ }).boundingBox());
      await inside('the cart', await kiosk.getByRole('complementary', { name: /장바구니/ }).boundingBox());
      const scrolls = await kiosk.evaluate(`(() => {
        const area = document.querySelector('.menu-area');
        return { page: document.documentElement.scrollHeight - window.innerHeight, area: area.scrollHeight - area.clientHeight };
      })()`);
      assert.deepEqual(scrolls, { page: 0, area: 0 }, 'nothing to scroll');
      assert.deepEqual(await axeViolations(kiosk), [], 'axe-core: large menu');
    });

    await step(t, 'option, hint and cart text, and their targets, measure at least twice the standard', [kiosk], async () => {
      const large = await sizesOfAnOrder(kiosk);
      for (const key of Object.keys(standard)) {
        assert.ok(large[key]! >= 2 * standard[key]! - 0.5, `${key}: ${large[key]} against ${standard[key]}`);
      }
      // and the page with a line in the cart still fits
      const next = await kiosk.getByRole('button', { name: /다음 메뉴/ }).boundingBox();
      assert.ok(next && next.y + next.height <= KIOSK_VIEWPORT.height, JSON.stringify(next));
      assert.deepEqual(await axeViolations(kiosk), [], 'axe-core: large menu with the cart');
    });
  });

  test('high contrast: every text at 7:1 or more, from the computed colours; axe-core clean in both sizes and layouts', async (t) => {
    const store = await storeWithOptions('고대비점');
    const kiosk = await kioskPage();

    await step(t, 'high contrast: the start screen, the menu with the cart, the item dialog, the checkout, the receipt', [kiosk], async () => {
      await kioskLogsInWith(kiosk, server.url, store.kiosk, store.storeName);
      await kiosk.getByRole('button', { name: '고대비' }).click();
      assert.deepEqual(await lowContrast(kiosk), [], 'start');
      await kiosk.getByRole('button', { name: /^주문하기/ }).click();
      await kiosk
        .getByRole('button', { name: /카페 라떼/ })
        .first()
        .click();
      const dialog = kiosk.getByRole('dialog', { name: '카페 라떼' });
      await see(dialog);
      assert.deepEqual(await lowContrast(kiosk), [], 'item dialog');
      await dialog.getByRole('button', { name: /담기$/ }).click();
      await see(dialog.getByText(/사이즈.*골라 주세요|사이즈/).first());
      assert.deepEqual(await lowContrast(kiosk), [], 'item dialog with a missing choice');
      await dialog.getByRole('radio', { name: /톨/ }).check();
      await dialog.getByRole('button', { name: /담기$/ }).click();
      await see(kiosk.getByRole('complementary', { name: /장바구니/ }).getByRole('listitem', { name: '카페 라떼' }));
      assert.deepEqual(await lowContrast(kiosk), [], 'menu with the cart');
      await kiosk.getByRole('button', { name: /큰 글씨 모드/ }).click();
      await see(kiosk.getByText('2쪽 중 1쪽'));
      assert.deepEqual(await lowContrast(kiosk), [], 'large menu');
      await kiosk.getByRole('button', { name: '주문 확인하기' }).click();
      await see(kiosk.getByRole('heading', { level: 1, name: '드시고 가세요, 가지고 가세요?' }));
      assert.deepEqual(await lowContrast(kiosk), [], 'dining question');
      await chooseDining(kiosk, 'take_out');
      await see(kiosk.getByRole('button', { name: '이대로 주문하기' }));
      assert.deepEqual(await lowContrast(kiosk), [], 'checkout');
      await kiosk.getByRole('radio', { name: /카운터 결제/ }).check();
      await kiosk.getByRole('button', { name: '이대로 주문하기' }).click();
      await see(kiosk.getByRole('heading', { level: 1, name: /주문번호/ }));
      assert.deepEqual(await lowContrast(kiosk), [], 'receipt');
      await kiosk.getByRole('button', { name: '처음으로' }).first().click();
      await see(kiosk.getByRole('heading', { level: 1, name: store.storeName }));
      assert.equal(
        await kiosk.getByRole('button', { name: '고대비' }).getAttribute('aria-pressed'),
        'false',
        'the next customer starts with the usual colours',
      );
    });

    for (const size of ['standard', 'large'] as const) {
      for (const layout of ['standard', 'low'] as const) {
        await step(t, `axe-core on every screen of an order: ${size} size, ${layout} layout`, [kiosk], async () => {
          const where = `${size}/${layout}`;
          if (layout === 'low') await kiosk.getByRole('button', { name: '낮은 화면' }).click();
          assert.deepEqual(await axeViolations(kiosk), [], `start ${where}`);
          await kiosk.getByRole('button', { name: '전화번호로 찾기' }).click();
          await see(kiosk.getByRole('heading', { level: 1, name: '전화번호로 찾기' }));
          assert.deepEqual(await axeViolations(kiosk), [], `phone lookup ${where}`);
          if (layout === 'low') assert.deepEqual(await outsideBand(kiosk, KIOSK_VIEWPORT.height * (1 - 0.45)), [], 'phone lookup in the band');
          await kiosk.getByRole('button', { name: '돌아가기' }).click();
          if (size === 'large') await kiosk.getByRole('button', { name: /큰 글씨 모드/ }).click();
          else await kiosk.getByRole('button', { name: /^주문하기/ }).click();
          await see(kiosk.getByRole('button', { name: /카페 라떼/ }).first());
          assert.deepEqual(await axeViolations(kiosk), [], `menu ${where}`);
          await kiosk
            .getByRole('button', { name: /카페 라떼/ })
            .first()
            .click();
          const dialog = kiosk.getByRole('dialog', { name: '카페 라떼' });
          await see(dialog);
          assert.deepEqual(await axeViolations(kiosk), [], `item dialog ${where}`);
          await dialog.getByRole('radio', { name: /그란데/ }).check();
          await dialog.getByRole('button', { name: /담기$/ }).click();
          await see(kiosk.getByRole('complementary', { name: /장바구니/ }).getByRole('listitem', { name: '카페 라떼' }));
          assert.deepEqual(await axeViolations(kiosk), [], `menu with the cart ${where}`);
          await kiosk.getByRole('button', { name: '모두 지우기' }).click();
          const clear = kiosk.getByRole('dialog', { name: '장바구니 비우기' });
          await see(clear);
          assert.deepEqual(await axeViolations(kiosk), [], `the clear-cart question ${where}`);
          await clear.getByRole('button', { name: '아니요', exact: true }).click();
          await kiosk.getByRole('button', { name: /처음으로/ }).click();
          const confirm = kiosk.getByRole('dialog', { name: '처음으로 돌아갈까요?' });
          await see(confirm);
          assert.deepEqual(await axeViolations(kiosk), [], `start-over question ${where}`);
          await confirm.getByRole('button', { name: '아니요, 계속 주문' }).click();
          await kiosk.getByRole('button', { name: '주문 확인하기' }).click();
          await see(kiosk.getByRole('heading', { level: 1, name: '드시고 가세요, 가지고 가세요?' }));
          assert.deepEqual(await axeViolations(kiosk), [], `dining question ${where}`);
          await chooseDining(kiosk, 'eat_in');
          await see(kiosk.getByRole('button', { name: '이대로 주문하기' }));
          assert.deepEqual(await axeViolations(kiosk), [], `checkout ${where}`);
          await kiosk.getByRole('radio', { name: /카운터 결제/ }).check();
          await kiosk.getByRole('button', { name: '이대로 주문하기' }).click();
          await see(kiosk.getByRole('heading', { level: 1, name: /주문번호/ }));
          assert.deepEqual(await axeViolations(kiosk), [], `receipt ${where}`);
          await kiosk.getByRole('button', { name: '처음으로' }).first().click();
          await see(kiosk.getByRole('heading', { level: 1, name: store.storeName }));
        });
      }
    }
  });
});

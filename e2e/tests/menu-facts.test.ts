// Menu facts in real Chromium against the real server: the owner gives the items caffeine, sugar,
// energy and allergens through the API; the owner's product editor shows them and saves a change;
// the kiosk's item dialog shows them in large type; the "카페인 없는 메뉴" toggle, reached and
// pressed from the keyboard, announces its state and leaves only the items with 0 mg of caffeine.
// axe-core finds nothing on the kiosk's screens.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { axeViolations } from '../support/axe.js';
import { launchBrowser } from '../support/browser.js';
import { KIOSK_VIEWPORT, kioskLogsInWith } from '../support/kiosk.js';
import { Pages, see, step, signIn } from '../support/pages.js';
import { createBrand, signUp, startServer, type TestServer } from '../support/server.js';

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

/** the names on the item cards of the chosen tab */
async function cardNames(page: Page): Promise<string[]> {
  return page.getByRole('tabpanel').locator('.menu-item-name').allTextContents();
}

describe('menu facts in the browser', () => {
  test('the owner sets the facts; the kiosk shows them and filters the caffeine-free items', async (t) => {
    const brand = await createBrand(server, 'Facts Coffee');
    const owner = await signUp(server, 'owner', { brandCode: brand.code, storeName: '사실 카페' });
    const storeId = owner.profile.store.id as string;
    const token = owner.accessToken;
    const kioskCredentials = (await server.api('POST', `/api/stores/${storeId}/kiosks`, { token, body: { name: '입구' } })).body.credentials;
    const category = async (name: string) => (await server.api('POST', `/api/stores/${storeId}/categories`, { token, body: { name } })).body.id as string;
    const coffee = await category('커피');
    const tea = await category('차');
    const items: Record<string, string> = {};
    for (const [categoryId, name, price] of [
      [coffee, '아메리카노', 4000],
      [coffee, '디카페인 라떼', 4800],
      [coffee, '고구마 라떼', 5000],
      [tea, '유자차', 4500],
      [tea, '오늘의 차', 4500],
    ] as const) {
      const created = await server.api('POST', `/api/stores/${storeId}/items`, { token, body: { categoryId, name, price } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      items[name] = created.body.id;
    }
    // the owner's facts, set through the API; 오늘의 차 stays unknown
    const facts: Record<string, object> = {
      아메리카노: { caffeineMg: 150, sugarG: 0, kcal: 10, allergens: [] },
      '디카페인 라떼': { caffeineMg: 5, sugarG: 11, kcal: 180, allergens: ['milk'] },
      '고구마 라떼': { caffeineMg: 0, sugarG: 30, kcal: 300, allergens: ['soy', 'milk'] },
      유자차: { caffeineMg: 0, sugarG: 33, kcal: 150, allergens: [] },
    };
    for (const [name, body] of Object.entries(facts)) {
      const changed = await server.api('PATCH', `/api/stores/${storeId}/items/${items[name]}`, { token, body });
      assert.equal(changed.status, 200, JSON.stringify(changed.body));
    }

    const pos = await pages.open();
    const kiosk = await pages.open(KIOSK_VIEWPORT);

    await step(t, "the owner's product editor shows the facts and saves a change", [pos], async () => {
      await signIn(pos, server.url, 'owner', owner);
      await pos.getByRole('navigation', { name: '매장 관리 메뉴' }).getByRole('link', { name: '상품' }).click();
      await pos.getByRole('button', { name: /^수정\s*:\s*고구마 라떼$/ }).click();
      const dialog = pos.getByRole('dialog', { name: '‘고구마 라떼’ 수정' });
      await see(dialog);
      const section = dialog.getByRole('group', { name: '영양·알레르기 정보' });
      assert.equal(await section.getByLabel(/^카페인 \(mg\)/).inputValue(), '0');
      assert.equal(await section.getByLabel(/^당류 \(g\)/).inputValue(), '30');
      assert.equal(await section.getByLabel(/^열량 \(kcal\)/).inputValue(), '300');
      const allergens = section.getByRole('group', { name: '알레르기 유발 성분' });
      assert.equal(await allergens.getByRole('checkbox', { name: '우유' }).isChecked(), true);
      assert.equal(await allergens.getByRole('checkbox', { name: '대두' }).isChecked(), true);
      assert.equal(await allergens.getByRole('checkbox', { name: '땅콩' }).isChecked(), false);
      // a number past the maximum is caught before it is sent
      await section.getByLabel(/^열량 \(kcal\)/).fill('9999');
      await dialog.getByRole('button', { name: '저장', exact: true }).click();
      await see(dialog.getByText('0부터 3,000까지의 숫자로 적어 주세요.'));
      await section.getByLabel(/^열량 \(kcal\)/).fill('320');
      await allergens.getByRole('checkbox', { name: '호두' }).check();
      await dialog.getByRole('button', { name: '저장', exact: true }).click();
      await dialog.waitFor({ state: 'hidden' });
      const saved = await server.api('GET', `/api/stores/${storeId}/items/${items['고구마 라떼']}`, { token });
      assert.deepEqual([saved.body.caffeineMg, saved.body.sugarG, saved.body.kcal, saved.body.allergens], [0, 30, 320, ['milk', 'soy', 'walnut']]);
    });

    await step(t, 'the item dialog shows the facts in large type', [kiosk], async () => {
      await kioskLogsInWith(kiosk, server.url, kioskCredentials, '사실 카페');
      await kiosk.getByRole('button', { name: /주문하기/ }).click();
      await see(kiosk.getByRole('tab', { name: '커피', selected: true }));

      await kiosk.getByRole('button', { name: /아메리카노/ }).click();
      let dialog = kiosk.getByRole('dialog', { name: '아메리카노' });
      let list = dialog.getByRole('list', { name: '영양·알레르기 정보' });
      await see(list);
      assert.deepEqual(await list.getByRole('listitem').allTextContents(), ['카페인 150mg', '당 0g', '10kcal']);
      const fontSize = await list
        .getByRole('listitem')
        .first()
        .evaluate((element) => Number.parseFloat(getComputedStyle(element).fontSize));
      assert.ok(fontSize >= 24, `facts in large type (${fontSize}px)`);
      assert.deepEqual(await axeViolations(kiosk), [], 'axe-core: the item dialog');
      await kiosk.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });

      await kiosk.getByRole('button', { name: /고구마 라떼/ }).click();
      dialog = kiosk.getByRole('dialog', { name: '고구마 라떼' });
      list = dialog.getByRole('list', { name: '영양·알레르기 정보' });
      await see(list);
      assert.deepEqual(await list.getByRole('listitem').allTextContents(), ['카페인 없음', '당 30g', '320kcal', '알레르기: 우유, 대두, 호두']);
      await kiosk.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });

      // unknown facts: nothing is claimed
      await kiosk.getByRole('tab', { name: '차' }).click();
      await kiosk.getByRole('button', { name: /오늘의 차/ }).click();
      dialog = kiosk.getByRole('dialog', { name: '오늘의 차' });
      await see(dialog);
      assert.equal(await dialog.getByRole('list', { name: '영양·알레르기 정보' }).count(), 0);
      await kiosk.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
    });

    await step(t, '"카페인 없는 메뉴", reached and pressed by keyboard, leaves only the caffeine-free items', [kiosk], async () => {
      const toggle = kiosk.getByRole('button', { name: '카페인 없는 메뉴' });
      await see(toggle);
      assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
      // Tab from the top of the page until the toggle has the focus
      await kiosk.evaluate('document.activeElement && document.activeElement.blur()');
      let reached = false;
      for (let presses = 0; presses < 40 && !reached; presses++) {
        await kiosk.keyboard.press('Tab');
        reached = await toggle.evaluate((element) => element === document.activeElement);
      }
      assert.ok(reached, 'the toggle is reached with Tab');
      await kiosk.keyboard.press('Enter');
      assert.equal(await toggle.getAttribute('aria-pressed'), 'true');

      // the chosen category stays chosen and keeps only its caffeine-free items; the others too
      await see(kiosk.getByRole('tab', { name: '차', selected: true }));
      await kiosk.getByRole('button', { name: /오늘의 차/ }).waitFor({ state: 'detached' });
      assert.deepEqual(await cardNames(kiosk), ['유자차']);
      assert.deepEqual(await kiosk.getByRole('tab').allTextContents(), ['커피', '차']);
      await kiosk.getByRole('tab', { name: '커피' }).click();
      await see(kiosk.getByRole('tab', { name: '커피', selected: true }));
      assert.deepEqual(await cardNames(kiosk), ['고구마 라떼']);
      assert.deepEqual(await axeViolations(kiosk), [], 'axe-core: the filtered menu');

      // pressed again: the whole menu
      await toggle.focus();
      await kiosk.keyboard.press('Enter');
      assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
      await kiosk.getByRole('tab', { name: '커피' }).click();
      await see(kiosk.getByRole('button', { name: /아메리카노/ }));
      assert.deepEqual(await cardNames(kiosk), ['아메리카노', '디카페인 라떼', '고구마 라떼']);
    });

    await step(t, 'the large-text screen has the same toggle', [kiosk], async () => {
      await kiosk.getByRole('button', { name: /큰 글씨 모드/ }).click();
      const kinds = kiosk.getByRole('group', { name: '메뉴 종류' });
      await see(kinds.getByRole('button', { name: '커피', pressed: true }));
      const toggle = kiosk.getByRole('button', { name: '카페인 없는 메뉴' });
      assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
      const bigCards = kiosk.locator('.senior-grid .menu-item-name');
      assert.deepEqual(await bigCards.allTextContents(), ['아메리카노', '디카페인 라떼', '고구마 라떼']);
      await toggle.click();
      assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
      await kiosk.getByRole('button', { name: /아메리카노/ }).waitFor({ state: 'detached' });
      assert.deepEqual(await bigCards.allTextContents(), ['고구마 라떼']);
      await kinds.getByRole('button', { name: '차' }).click();
      await see(kinds.getByRole('button', { name: '차', pressed: true }));
      assert.deepEqual(await bigCards.allTextContents(), ['유자차']);
      assert.deepEqual(await axeViolations(kiosk), [], 'axe-core: the large-text menu, filtered');
    });
  });
});

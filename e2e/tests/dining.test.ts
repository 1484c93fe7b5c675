// In real Chromium against the real server: a customer orders with a request on the line ("덜 달게"),
// answers the checkout's "드시고 가세요, 가지고 가세요?" with the keyboard (arrow, Enter), and the
// receipt shows take-out and the request; the owner's eat-in-only item is marked on the menu and at
// checkout; the order the server kept says take-out with the note; axe-core finds nothing on the
// question and the receipt.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { axeViolations } from '../support/axe.js';
import { launchBrowser } from '../support/browser.js';
import { KIOSK_VIEWPORT, kioskLogsIn, newStore } from '../support/kiosk.js';
import { watchLiveStreams } from '../support/live-streams.js';
import { Pages, see, step } from '../support/pages.js';
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

describe('eat-in or take-out, and a request per line', () => {
  test('take-out chosen by keypad, a note: the receipt shows both, and the order keeps them', async (t) => {
    const store = await newStore(server, '포장 카페', ['아메리카노', '케이크']);
    const marked = await server.api('PATCH', `/api/stores/${store.storeId}/items/${store.items.케이크}`, {
      token: store.ownerToken,
      body: { dining: 'eat_in_only' },
    });
    assert.equal(marked.status, 200, JSON.stringify(marked.body));
    const kiosk = await pages.open(KIOSK_VIEWPORT);
    const streams = await watchLiveStreams(kiosk);
    await kioskLogsIn(kiosk, store);

    await step(t, 'the customer adds an americano with "덜 달게" and a cake marked eat-in only', [kiosk], async () => {
      await kiosk
        .getByRole('button', { name: /주문하기/ })
        .first()
        .click();
      const cakeCard = kiosk.getByRole('button', { name: /케이크/ }).first();
      await see(cakeCard.getByText('매장 전용'));
      await kiosk
        .getByRole('button', { name: /아메리카노/ })
        .first()
        .click();
      const dialog = kiosk.getByRole('dialog', { name: '아메리카노' });
      await dialog.getByRole('button', { name: '덜 달게' }).click();
      assert.equal(await dialog.getByLabel('직접 적기').inputValue(), '덜 달게');
      await dialog.getByRole('button', { name: /담기$/ }).click();
      await dialog.waitFor({ state: 'hidden' });
      await see(kiosk.getByText('요청: 덜 달게'));
      await cakeCard.click();
      const cake = kiosk.getByRole('dialog', { name: '케이크' });
      await cake.getByRole('button', { name: /담기$/ }).click();
      await cake.waitFor({ state: 'hidden' });
    });

    await step(t, 'at checkout the question comes first; Escape goes back, then take-out by arrow and Enter', [kiosk], async () => {
      await kiosk.getByRole('button', { name: '주문 확인하기' }).click();
      const question = kiosk.getByRole('heading', { level: 1, name: '드시고 가세요, 가지고 가세요?' });
      await see(question);
      assert.deepEqual(await axeViolations(kiosk), []);
      await kiosk.keyboard.press('Escape');
      await see(kiosk.getByRole('button', { name: '주문 확인하기' }));
      // the kiosk's live stream opens with checkout and re-renders the screen when it is ready; held
      // until after the arrow, its arrival must leave the focus where the customer moved it
      const stream = await streams.hold(/\/kiosks\/[^/]+\/live\?/);
      const ready = await streams.readyCount();
      await kiosk.getByRole('button', { name: '주문 확인하기' }).click();
      await see(question);
      await see(kiosk.getByRole('button', { name: /매장에서 먹어요/ }));
      await kiosk.keyboard.press('ArrowRight');
      await stream.release();
      await streams.readyAt(ready + 1);
      assert.match((await kiosk.evaluate('document.activeElement.textContent')) as string, /가지고 가요/);
      await kiosk.keyboard.press('Enter');
      await see(kiosk.getByRole('heading', { level: 1, name: '주문 확인' }));
      await see(kiosk.getByText('가지고 가시는 주문입니다'));
    });

    await step(t, 'the eat-in-only cake is marked at checkout and on the menu; removing it lets the order go', [kiosk], async () => {
      await see(kiosk.getByText('포장은 안 되는 메뉴입니다'));
      // back on the menu, the eat-in-only cake cannot be tapped for this take-out order
      await kiosk.getByRole('button', { name: '메뉴로 돌아가기' }).click();
      assert.equal(
        await kiosk
          .getByRole('button', { name: /케이크/ })
          .first()
          .isDisabled(),
        true,
      );
      assert.equal(
        await kiosk
          .getByRole('button', { name: /아메리카노/ })
          .first()
          .isDisabled(),
        false,
      );
      // the choice stands: checkout again goes straight to the order
      await kiosk.getByRole('button', { name: '주문 확인하기' }).click();
      await see(kiosk.getByText('가지고 가시는 주문입니다'));
      await kiosk.getByRole('radio', { name: /카운터 결제/ }).check();
      await kiosk.getByRole('button', { name: '이대로 주문하기' }).click();
      await see(kiosk.getByText(/고르신 방법으로는 주문할 수 없는 메뉴가 있습니다/));
      assert.equal(await kiosk.getByRole('heading', { level: 1, name: /주문번호/ }).count(), 0);
      await kiosk.getByRole('button', { name: '케이크 빼기' }).click();
      await kiosk.getByRole('button', { name: '이대로 주문하기' }).click();
    });

    await step(t, 'the receipt shows take-out and the request; the order keeps them', [kiosk], async () => {
      const heading = kiosk.getByRole('heading', { level: 1, name: /주문번호/ });
      await see(heading);
      const receipt = kiosk.locator('.receipt');
      await see(receipt.getByText('가지고 가시는 주문입니다'));
      await see(receipt.getByText(/요청: 덜 달게/));
      assert.deepEqual(await axeViolations(kiosk), []);
      const number = Number(((await heading.textContent()) ?? '').replace(/\D+/g, ''));
      // the range is in the store's days (Seoul, UTC+9): after 15:00 UTC its today is UTC's tomorrow
      const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
      const listed = await server.api('GET', `/api/stores/${store.storeId}/orders?from=${day(-2)}&to=${day(1)}`, { token: store.ownerToken });
      const order = listed.body.orders.find((o: { number: number }) => o.number === number);
      assert.equal(order.dining, 'take_out');
      assert.deepEqual(
        order.lines.map((line: { itemName: string; note: string | null }) => [line.itemName, line.note]),
        [['아메리카노', '덜 달게']],
      );
    });
  });
});

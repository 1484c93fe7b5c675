// The counter, end to end in real Chromium against the real server: a customer orders take-out with
// a request on the line at the kiosk; the ticket appears on the kitchen display (a 1920x1080 screen
// signed in with its own credentials), is bumped to preparing and ready with one touch each; the
// pickup board (a TV) shows the number under 준비 완료 and calls it; picked up, the number leaves the
// board. axe-core finds nothing on the kitchen display and the pickup board.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { axeViolations } from '../support/axe.js';
import { launchBrowser } from '../support/browser.js';
import { KIOSK_VIEWPORT, kioskLogsIn, newStore, orderAtCounter, type Store } from '../support/kiosk.js';
import { payAtCounter } from '../../server/test/support/factories.js';
import { Pages, see, step, signIn } from '../support/pages.js';
import { startServer, type TestServer } from '../support/server.js';

const SCREEN = { width: 1920, height: 1080 };

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

/** the owner adds a store screen in the kiosks list (API); its login id and secret */
async function provisionScreen(store: Store, kind: 'kitchen' | 'pickup'): Promise<{ loginId: string; secret: string }> {
  const added = await server.api('POST', `/api/stores/${store.storeId}/kiosks`, {
    token: store.ownerToken,
    body: { name: kind === 'kitchen' ? '주방' : '픽업 TV', kind },
  });
  assert.equal(added.status, 201, JSON.stringify(added.body));
  return added.body.credentials;
}

/** a store screen's page signs in with its own credentials and goes live */
async function screenSignsIn(page: Page, path: '/kitchen' | '/pickup', credentials: { loginId: string; secret: string }): Promise<void> {
  await page.goto(`${server.url}${path}`);
  await page.getByLabel('로그인 ID').fill(credentials.loginId);
  await page.getByLabel('비밀 키').fill(credentials.secret);
  await page.getByRole('button', { name: '로그인', exact: true }).click();
  await see(page.getByRole('status').filter({ hasText: '실시간 연결됨' }));
}

describe('kitchen and pickup', () => {
  test('take-out with a note: kitchen ticket, bumped to ready, called on the pickup board, gone once picked up', async (t) => {
    const store = await newStore(server, '카운터 카페', ['아메리카노', '카페 라떼']);
    const kitchen = await pages.open(SCREEN);
    const board = await pages.open(SCREEN);
    const kiosk = await pages.open(KIOSK_VIEWPORT);
    let number = 0;

    await step(t, 'the kitchen display and the pickup board sign in with their own credentials', [kitchen, board], async () => {
      await screenSignsIn(kitchen, '/kitchen', await provisionScreen(store, 'kitchen'));
      await screenSignsIn(board, '/pickup', await provisionScreen(store, 'pickup'));
      await see(kitchen.getByRole('heading', { level: 2, name: /신규/ }));
      await see(board.getByRole('heading', { level: 2, name: '준비 완료' }));
    });

    await step(t, 'a customer orders an americano "덜 달게" to take out', [kiosk], async () => {
      await kioskLogsIn(kiosk, store);
      await kiosk
        .getByRole('button', { name: /주문하기/ })
        .first()
        .click();
      await kiosk
        .getByRole('button', { name: /아메리카노/ })
        .first()
        .click();
      const dialog = kiosk.getByRole('dialog', { name: '아메리카노' });
      await dialog.getByRole('button', { name: '덜 달게' }).click();
      await dialog.getByRole('button', { name: /담기$/ }).click();
      await dialog.waitFor({ state: 'hidden' });
      number = await orderAtCounter(kiosk, undefined, 'take_out');
      assert.ok(number > 0);
    });

    const ticket = () => kitchen.getByRole('listitem', { name: `${number}번` });
    await step(t, 'the ticket appears under 신규 with take-out and the note; the board shows the number under 준비 중', [kitchen, board], async () => {
      const fresh = kitchen.locator('.kitchen-column-placed').getByRole('listitem', { name: `${number}번` });
      await see(fresh, 5_000);
      await see(fresh.getByText('포장', { exact: true }));
      await see(fresh.getByText('요청: 덜 달게'));
      await see(fresh.getByText('아메리카노'));
      await see(board.locator('.pickup-column-preparing').getByText(String(number), { exact: true }), 5_000);
      assert.deepEqual(await axeViolations(kitchen), []);
      assert.deepEqual(await axeViolations(board), []);
    });

    await step(t, 'one touch: preparing; another: ready', [kitchen], async () => {
      await ticket()
        .getByRole('button', { name: `${number}번 주문 준비 시작` })
        .click();
      await see(kitchen.locator('.kitchen-column-preparing').getByRole('listitem', { name: `${number}번` }));
      await ticket()
        .getByRole('button', { name: `${number}번 주문 준비 완료` })
        .click();
      await see(kitchen.locator('.kitchen-column-ready').getByRole('listitem', { name: `${number}번` }));
    });

    await step(t, 'the pickup board shows the number under 준비 완료 and calls it', [board], async () => {
      await see(board.locator('.pickup-column-ready').getByText(String(number), { exact: true }), 5_000);
      await see(board.getByRole('alert').filter({ hasText: `${number}번 고객님, 주문하신 메뉴가 나왔습니다` }));
      assert.equal(await board.locator('.pickup-column-preparing').getByText(String(number), { exact: true }).count(), 0);
      assert.deepEqual(await axeViolations(board), []);
    });

    await step(t, 'picked up: the ticket leaves the kitchen and the number leaves the board', [kitchen, board], async () => {
      await ticket()
        .getByRole('button', { name: `${number}번 주문 픽업 완료` })
        .click();
      await ticket().waitFor({ state: 'detached' });
      await board.locator('.pickup-column-ready').getByText(String(number), { exact: true }).waitFor({ state: 'detached', timeout: 5_000 });
    });

    await step(t, "the owner's sales report splits eat-in and take-out: the order counts as take-out", [kiosk], async () => {
      // sales count paid money: the customer pays at the counter first
      const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
      const listed = await server.api('GET', `/api/stores/${store.storeId}/orders?from=${day(-1)}&to=${day(1)}`, { token: store.ownerToken });
      const placed = (listed.body.orders as Array<{ id: string; number: number; total: number }>).find((each) => each.number === number);
      assert.ok(placed, JSON.stringify(listed.body));
      await payAtCounter(server, store, placed);
      const owner = await pages.open();
      await signIn(owner, server.url, 'owner', store.owner);
      await owner.getByRole('navigation', { name: '매장 관리 메뉴' }).getByRole('link', { name: '매출' }).click();
      await see(owner.getByRole('heading', { level: 2, name: '매출' }));
      const figure = (name: string) =>
        owner
          .locator('.figure')
          .filter({ has: owner.getByText(name, { exact: true }) })
          .locator('dd');
      await see(figure('포장'));
      assert.match((await figure('포장').textContent()) ?? '', /^4,000원\s*\(1건\)$/);
      assert.match((await figure('매장').textContent()) ?? '', /^0원\s*\(0건\)$/);
    });
  });

  test('ready messages: of two members, the one who opted in gets one message when the kitchen marks the order ready, the other none', async (t) => {
    const store = await newStore(server, '알림 카페', ['아메리카노']);
    const kiosk = await server.api('POST', '/api/auth/kiosk-login', { body: store.kiosk });
    assert.equal(kiosk.status, 200, JSON.stringify(kiosk.body));
    /** a member registered at the kiosk (the face held as the device would, then phone and consents) */
    const member = async (phone: string, readyNotice: boolean): Promise<string> => {
      const embedding = Float32Array.from({ length: 64 }, () => Math.random() * 2 - 1);
      const norm = Math.hypot(...embedding);
      const analysisId = await server.app.services.customers.holdAnalysis({
        kioskId: kiosk.body.kioskId,
        storeId: store.storeId,
        embedding: embedding.map((value) => value / norm),
        age: 70,
        gender: 'female',
      });
      const body: Record<string, unknown> = { analysisId, phone, consent: { accepted: true, version: 'face-2025-01' } };
      if (readyNotice) body.readyNotice = { accepted: true, version: 'ready-2025-01' };
      const registered = await server.api('POST', `/api/stores/${store.storeId}/customers`, { token: kiosk.body.accessToken, body });
      assert.equal(registered.status, 201, JSON.stringify(registered.body));
      return registered.body.customerId;
    };
    const orderFor = async (customerId: string) => {
      const placed = await server.api('POST', `/api/stores/${store.storeId}/orders`, {
        token: kiosk.body.accessToken,
        body: { lines: [{ itemId: store.items.아메리카노, quantity: 1 }], paymentMethod: 'counter', dining: 'take_out', customerId },
      });
      assert.equal(placed.status, 201, JSON.stringify(placed.body));
      return placed.body.order as { id: string; number: number };
    };
    const optedIn = await orderFor(await member('010-4100-7001', true));
    const optedOut = await orderFor(await member('010-4100-7002', false));
    const kitchen = await pages.open(SCREEN);

    await step(t, 'the kitchen moves both orders to ready with two touches each', [kitchen], async () => {
      await screenSignsIn(kitchen, '/kitchen', await provisionScreen(store, 'kitchen'));
      for (const order of [optedIn, optedOut]) {
        const card = kitchen.getByRole('listitem', { name: `${order.number}번` });
        await card.getByRole('button', { name: `${order.number}번 주문 준비 시작` }).click();
        await card.getByRole('button', { name: `${order.number}번 주문 준비 완료` }).click();
        await see(kitchen.locator('.kitchen-column-ready').getByRole('listitem', { name: `${order.number}번` }));
      }
    });

    await step(t, 'the outbox holds one message for the member who opted in, none for the other', [kitchen], async () => {
      const messagesOf = async (orderId: string) => {
        const kept = await server.api('GET', '/dev/messages');
        assert.equal(kept.status, 200, JSON.stringify(kept.body));
        return (kept.body.messages as Array<{ idempotencyKey: string; text: string; to: string }>).filter(
          (message) => message.idempotencyKey === `order_ready:${orderId}`,
        );
      };
      const until = Date.now() + 10_000;
      while ((await messagesOf(optedIn.id)).length === 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));
      const sent = await messagesOf(optedIn.id);
      assert.equal(sent.length, 1, JSON.stringify(sent));
      assert.match(sent[0]!.to, /7001$/);
      assert.match(sent[0]!.text, new RegExp(String(optedIn.number)));
      assert.deepEqual(await messagesOf(optedOut.id), []);
    });
  });

  test("a kiosk's credentials do not open the kitchen display", async () => {
    const store = await newStore(server, '다른 카페', ['아메리카노']);
    const page = await pages.open(SCREEN);
    await page.goto(`${server.url}/kitchen`);
    await page.getByLabel('로그인 ID').fill(store.kiosk.loginId);
    await page.getByLabel('비밀 키').fill(store.kiosk.secret);
    await page.getByRole('button', { name: '로그인', exact: true }).click();
    await see(page.getByText('로그인 ID 또는 비밀 키가 맞지 않습니다.'));
  });
});

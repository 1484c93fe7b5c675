// In real Chromium at a counter's 1366x768: a kiosk places an order to be paid at the counter; the
// owner's POS (and the kitchen display) shows it 미결제 with the minutes left; the owner takes the
// cash through the "결제 받기" dialog and the order is 결제 완료 with the 매출 figure up by its total; a
// partial refund shows on the badge and takes exactly that off the figure; a refund over what is
// left (another counter refunded meanwhile) is refused with the server's refund_exceeds_paid, in
// words. axe-core on both dialogs. Then the kiosk list shows a connected device's printer out of
// paper, and the 결제 tab keeps the receipt's business details (a wrong 사업자등록번호 check digit
// refused) and reconciles a day.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { axeViolations } from '../support/axe.js';
import { launchBrowser } from '../support/browser.js';
import { DeviceClient, provisionKiosk } from '../../server/test/support/device-client.js';
import { menuItem } from '../../server/test/support/factories.js';
import { Pages, see, signIn, step } from '../support/pages.js';
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

/** the 매출 tab's 기간 매출 figure (the last 30 days, today included) */
async function salesFigure(page: Page): Promise<string> {
  await page.getByRole('navigation', { name: '매장 관리 메뉴' }).getByRole('link', { name: '매출' }).click();
  await see(page.getByRole('heading', { level: 2, name: '매출' }));
  const figure = page
    .locator('.figure')
    .filter({ has: page.getByText('기간 매출', { exact: true }) })
    .locator('dd');
  await see(figure);
  return (await figure.textContent()) ?? '';
}

async function openOrders(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: '매장 관리 메뉴' }).getByRole('link', { name: '주문' }).click();
  await see(page.getByRole('heading', { level: 2, name: '주문' }));
}

test('the POS takes a counter payment and refunds part of it; the sales figure follows exactly', { timeout: 120_000 }, async (t) => {
  // a store with a kiosk and one item, made as its owner does (the item straight into the menu)
  const brand = await createBrand(server, 'Counter Pay Coffee');
  const owner = await signUp(server, 'owner', { brandCode: brand.code, storeName: '결제 매장' });
  const storeId = owner.profile.store.id as string;
  const provisioned = await server.api('POST', `/api/stores/${storeId}/kiosks`, { token: owner.accessToken, body: { name: '입구' } });
  assert.equal(provisioned.status, 201, JSON.stringify(provisioned.body));
  const kiosk = await server.api('POST', '/api/auth/kiosk-login', { body: provisioned.body.credentials });
  assert.equal(kiosk.status, 200, JSON.stringify(kiosk.body));
  const latte = await menuItem(server, storeId, { name: '카페 라떼', price: 4500 });
  // 카페 라떼 × 2 = 9,000원, to be paid at the counter
  const placed = await server.api('POST', `/api/stores/${storeId}/orders`, {
    token: kiosk.body.accessToken,
    headers: { 'idempotency-key': crypto.randomUUID() },
    body: { lines: [{ itemId: latte.id, quantity: 2 }], paymentMethod: 'counter', dining: 'eat_in' },
  });
  assert.equal(placed.status, 201, JSON.stringify(placed.body));
  assert.equal(placed.body.payment.status, 'unpaid');
  const order = placed.body.order as { id: string; number: number; total: number };
  assert.equal(order.total, 9000);

  const page = await pages.open(COUNTER);
  const card = page.getByRole('listitem', { name: `주문번호 ${order.number}`, exact: true });
  const badge = card.locator('.payment-badge');

  await step(t, 'nothing is counted before payment; the order stands out as 미결제 with the minutes left', [page], async () => {
    await signIn(page, server.url, 'owner', owner);
    assert.equal(await salesFigure(page), '0원');
    await openOrders(page);
    await see(badge);
    assert.match((await badge.textContent()) ?? '', /^미결제 (29|30)분 남음$/);
    assert.match((await card.getAttribute('class')) ?? '', /order-unpaid/);
  });

  await step(t, 'the kitchen display (the store lets it start unpaid orders) marks the ticket 미결제', [page], async () => {
    await page.goto(`${server.url}/kitchen`);
    await see(page.getByRole('listitem', { name: `${order.number}번`, exact: true }).getByText('미결제', { exact: true }));
    await page.goto(`${server.url}/pos/orders`);
    await see(badge);
  });

  await step(t, '결제 받기: the amount due large, 현금 chosen; paid -> 결제 완료 and the figure up by 9,000원', [page], async () => {
    await card.getByRole('button', { name: /결제 받기/ }).click();
    const dialog = page.getByRole('dialog', { name: `주문번호 ${order.number} 결제 받기` });
    await see(dialog.getByText('9,000원', { exact: true }));
    assert.equal(await dialog.getByRole('radio', { name: '현금' }).isChecked(), true);
    assert.deepEqual(await axeViolations(page), [], 'axe-core: the payment dialog');
    await dialog.getByRole('button', { name: '9,000원 받았습니다' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await see(page.getByText(`주문번호 ${order.number}: 9,000원 결제 완료`));
    assert.equal(await badge.textContent(), '결제 완료');
    assert.equal(await card.getByRole('button', { name: /결제 받기/ }).count(), 0);
    // the 미결제만 filter no longer lists it
    await page.getByRole('button', { name: /^기간·상태:/ }).click();
    await page.getByRole('checkbox', { name: '미결제만' }).check();
    await see(page.getByText('이 조건에 맞는 주문이 없습니다.'));
    await page.getByRole('checkbox', { name: '미결제만' }).uncheck();
    await see(badge);
    assert.equal(await salesFigure(page), '9,000원');
  });

  await step(t, 'a partial refund of 2,500원: the badge says so and the figure falls by exactly that', [page], async () => {
    await openOrders(page);
    await card.getByRole('button', { name: /내용 보기/ }).click();
    await see(card.getByText(/ 현금으로 9,000원 결제$/));
    await card.getByRole('button', { name: /^환불/ }).click();
    const dialog = page.getByRole('dialog', { name: `주문번호 ${order.number} 환불` });
    await see(dialog.getByText('환불할 수 있는 금액: 9,000원'));
    // the safer choice has the focus: a stray Enter does not refund
    assert.equal(await dialog.getByRole('button', { name: '돌아가기' }).evaluate((button) => button === document.activeElement), true);
    assert.deepEqual(await axeViolations(page), [], 'axe-core: the refund dialog');
    await dialog.getByLabel('환불 금액 (원)').fill('2500');
    await dialog.getByRole('button', { name: '손님 요청' }).click();
    await dialog.getByRole('button', { name: '환불하기' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await see(page.getByText(`주문번호 ${order.number}: 2,500원 환불했습니다.`));
    assert.equal(await badge.textContent(), '부분 환불');
    await see(card.getByText(/ 현금으로 9,000원 결제 · 환불 2,500원$/));
    await see(card.getByRole('list', { name: '환불 내역' }).getByText(/환불 2,500원 · 손님 요청$/));
    assert.equal(await salesFigure(page), '6,500원');
  });

  await step(t, 'a refund over what is left (another counter refunded meanwhile) is refused with the server’s reason; nothing changes', [page], async () => {
    await openOrders(page);
    await card.getByRole('button', { name: /내용 보기/ }).click();
    await card.getByRole('button', { name: /^환불/ }).click();
    const dialog = page.getByRole('dialog', { name: `주문번호 ${order.number} 환불` });
    await see(dialog.getByText('환불할 수 있는 금액: 6,500원'));
    const elsewhere = await server.api('POST', `/api/stores/${storeId}/orders/${order.id}/refunds`, {
      token: owner.accessToken,
      headers: { 'idempotency-key': crypto.randomUUID() },
      body: { amount: 1000, reason: '다른 카운터에서 환불' },
    });
    assert.equal(elsewhere.status, 201, JSON.stringify(elsewhere.body));
    await dialog.getByLabel('환불 금액 (원)').fill('6500');
    await dialog.getByRole('button', { name: '잘못 결제함' }).click();
    await dialog.getByRole('button', { name: '환불하기' }).click();
    await see(dialog.getByRole('alert').getByText(/환불 금액이 결제한 금액에서 이미 환불한 금액을 뺀 것보다 많습니다/));
    await dialog.getByRole('button', { name: '돌아가기' }).click();
    await dialog.waitFor({ state: 'hidden' });
    // the other counter's refund arrives live; the figure lost exactly that
    await see(card.getByText(/ 현금으로 9,000원 결제 · 환불 3,500원$/));
    assert.equal(await badge.textContent(), '부분 환불');
    assert.equal(await salesFigure(page), '5,500원');
  });
});

test('the kiosk list shows the printer out of paper; the 결제 tab keeps the business details and reconciles a day', { timeout: 60_000 }, async (t) => {
  const brand = await createBrand(server, 'Receipt Coffee');
  const owner = await signUp(server, 'owner', { brandCode: brand.code, storeName: '영수증 매장' });
  const storeId = owner.profile.store.id as string;
  const entrance = await provisionKiosk(server, storeId, owner.accessToken, '입구');
  const device = new DeviceClient(server.deviceAddress, entrance);
  devices.push(device);
  const stream = device.connect({ hasCardTerminal: true, hasReceiptPrinter: true });
  await stream.next((command) => command.kind === 'settings', 'the settings on connecting');
  await device.reportPeripherals({ terminal: 'TERMINAL_READY', printer: 'PRINTER_PAPER_OUT' });

  const page = await pages.open(COUNTER);
  await step(t, 'the kiosk list: 입구 has its printer 용지 없음 (with a warning) and its card terminal 정상', [page], async () => {
    await signIn(page, server.url, 'owner', owner);
    const card = page.getByRole('listitem', { name: '입구' });
    await see(card.getByText('‘입구’ 키오스크 영수증 프린터: 용지 없음'));
    const fact = (name: string) =>
      card
        .locator('.facts > div')
        .filter({ has: page.getByText(name, { exact: true }) })
        .locator('dd');
    assert.equal(await fact('영수증 프린터').textContent(), '용지 없음');
    assert.equal(await fact('카드 단말기').textContent(), '정상');
    assert.deepEqual(await axeViolations(page), [], 'axe-core: the kiosk list with a printer out of paper');
  });

  await step(t, 'paper put in, then the agent gone: the list follows live, without a reload', [page], async () => {
    const card = page.getByRole('listitem', { name: '입구' });
    const printer = card
      .locator('.facts > div')
      .filter({ has: page.getByText('영수증 프린터', { exact: true }) })
      .locator('dd');
    await device.reportPeripherals({ terminal: 'TERMINAL_READY', printer: 'PRINTER_READY' });
    await see(printer.getByText('정상', { exact: true }));
    assert.equal(await card.getByText('‘입구’ 키오스크 영수증 프린터: 용지 없음').count(), 0, 'the warning is gone');
    stream.cancel();
    await see(printer.getByText('오프라인', { exact: true }));
    await see(card.getByText('‘입구’ 키오스크 영수증 프린터: 오프라인'));
  });

  await step(t, '결제 tab: a wrong check digit is refused; the details and the unpaid-order rules are kept', [page], async () => {
    await page.getByRole('navigation', { name: '매장 관리 메뉴' }).getByRole('link', { name: '결제' }).click();
    await see(page.getByRole('heading', { level: 2, name: '결제와 영수증 설정' }));
    await page.getByLabel('상호').fill('피노키오 커피');
    await page.getByLabel('사업자등록번호').fill('1234567890');
    assert.equal(await page.getByLabel('사업자등록번호').inputValue(), '123-45-67890');
    await page.getByLabel('주소').fill('서울특별시 중구 세종대로 110');
    await page.getByLabel('전화번호').fill('02-123-4567');
    await page.getByLabel('결제 전 주문도 주방에서 시작').uncheck();
    await page.getByLabel('결제를 기다리는 시간 (분)').fill('20');
    await page.getByRole('button', { name: '결제 설정 저장' }).click();
    await see(page.getByText('사업자등록번호가 맞지 않습니다. 숫자 10자리를 다시 확인해 주세요.').first());
    await page.getByLabel('사업자등록번호').fill('1234567891');
    await page.getByRole('button', { name: '결제 설정 저장' }).click();
    await see(page.getByText('결제 설정을 저장했습니다.'));
    const saved = await server.api('GET', `/api/stores/${storeId}/payment-settings`, { token: owner.accessToken });
    assert.deepEqual(saved.body, {
      kitchenStartsUnpaid: false,
      unpaidExpiryMinutes: 20,
      business: { name: '피노키오 커피', registrationNumber: '123-45-67891', address: '서울특별시 중구 세종대로 110', phone: '02-123-4567' },
    });
    await page.reload();
    await see(page.getByRole('heading', { level: 2, name: '결제와 영수증 설정' }));
    await see(page.getByLabel('상호'));
    assert.equal(await page.getByLabel('사업자등록번호').inputValue(), '123-45-67891');
    assert.equal(await page.getByLabel('결제 전 주문도 주방에서 시작').isChecked(), false);
    assert.deepEqual(await axeViolations(page), [], 'axe-core: the 결제 tab');
  });

  await step(t, 'reconciliation: 지금 대조 checks yesterday again and finds nothing amiss', [page], async () => {
    // the daily job may already have checked the new store's yesterday
    const summary = page.locator('.reconciliation-summary');
    await see(page.getByText('이 날은 아직 대조하지 않았습니다. ‘지금 대조’를 눌러 주세요.').or(summary));
    await page.getByRole('button', { name: '지금 대조' }).click();
    await see(summary.getByText('맞지 않는 결제가 없습니다.'));
    assert.match((await summary.textContent()) ?? '', /대조함 · 주문 0건 확인/);
  });
});

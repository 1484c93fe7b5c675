// Paying at the kiosk, nothing faked but the hardware: a fake card terminal and a fake receipt
// printer on pseudo-terminals (socat) behind the real `pinokio-agent` process, the server, and the
// kiosk's page in Chromium. The customer gives up a card wait (nothing charged), pays by card (the
// order number, "영수증이 출력되었습니다", the paper receipt with the number and 부가세), is declined
// and pays at the counter instead, pulls a card out too soon and pays on 다시 시도, waits for a phone
// payment through a reload, then cancels; the receipt's QR code opens the digital receipt on a
// phone, and a phone pays through the checkout page its QR code opens. axe-core on every payment
// screen and on both phone pages.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { FakePrinter } from '../../agent/test/support/fake-printer.js';
import { FakeTerminal } from '../../agent/test/support/fake-terminal.js';
import { freePort, paymentAgentArgs, startAgent, temporaryDirectory } from '../../agent/test/support/setup.js';
import { roomyLimits } from '../../server/test/support/test-server.js';
import { axeViolations } from '../support/axe.js';
import { launchBrowser } from '../support/browser.js';
import { KIOSK_VIEWPORT, kioskLogsIn, newStore, orderUpToPayment, payBy } from '../support/kiosk.js';
import { Pages, see, step } from '../support/pages.js';
import { startServer, type TestServer } from '../support/server.js';

let browser: Browser;
let server: TestServer | undefined;
const pages = new Pages(() => browser);
const cleanups: Array<() => Promise<unknown> | void> = [];

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await pages.closeAll();
  for (const cleanup of cleanups.reverse()) await cleanup();
  await browser?.close();
  await server?.close();
});

/** a customer's phone, for the receipt and checkout pages its QR codes open */
const PHONE_VIEWPORT = { width: 390, height: 844 };

/** the number on the receipt screen */
async function receiptNumber(kiosk: Page): Promise<number> {
  const heading = kiosk.getByRole('heading', { level: 1, name: /주문번호/ });
  await see(heading, 20_000);
  return Number(((await heading.textContent()) ?? '').replace(/\D+/g, ''));
}

test('card, decline, counter and mobile payments at the kiosk through the real agent, its fake terminal and printer', async (t) => {
  // a port known before the server starts, so the links in the QR codes (PUBLIC_URL) open on a phone
  const port = await freePort();
  server = await startServer({ env: { ...roomyLimits, PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` } });
  const store = await newStore(server, '결제 테스트점', ['아메리카노', '카페 라떼']);
  const kiosk = await pages.open(KIOSK_VIEWPORT);
  const terminal = new FakeTerminal(temporaryDirectory('e2e-terminal'));
  const printer = new FakePrinter(temporaryDirectory('e2e-printer'));
  await terminal.start();
  cleanups.push(() => terminal.unplug());
  await printer.start();
  cleanups.push(() => printer.unplug());
  const agent = startAgent(store.kiosk, paymentAgentArgs({ server: server.deviceAddress, terminal, printer, stateDir: temporaryDirectory('e2e-agent-state') }));
  cleanups.push(() => agent.stop());
  const withAgentLog = async (body: () => Promise<void>) => {
    try {
      await body();
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- the agent said:\n${agent.summary()}`, { cause: error });
    }
  };
  const order = async (orderId: string) => {
    const answer = await store.server.api('GET', `/api/stores/${store.storeId}/orders/${orderId}`, { token: store.ownerToken });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body;
  };
  const ordersToday = async () => {
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const listed = await store.server.api('GET', `/api/stores/${store.storeId}/orders?from=${day(-1)}&to=${day(1)}`, { token: store.ownerToken });
    assert.equal(listed.status, 200, JSON.stringify(listed.body));
    return listed.body.orders as Array<{
      id: string;
      number: number;
      status: string;
      paymentMethod: string;
      payment: { status: string; method: string | null; approvalNumber: string | null };
    }>;
  };

  await step(t, 'the kiosk logs in; once the agent reports its terminal, the card can be chosen at checkout', [kiosk], () =>
    withAgentLog(async () => {
      await kioskLogsIn(kiosk, store);
      await orderUpToPayment(kiosk, '아메리카노', 'eat_in');
      const card = kiosk.getByRole('radio', { name: /카드 결제/ });
      await kiosk.waitForFunction(
        () => {
          const radio = [...document.querySelectorAll<HTMLInputElement>('input[type="radio"]')].find((input) => input.value === 'card');
          return radio !== undefined && !radio.disabled;
        },
        undefined,
        { timeout: 20_000 },
      );
      assert.equal(await card.isDisabled(), false);
      assert.deepEqual(await axeViolations(kiosk), [], 'axe-core: the payment choice');
    }),
  );

  await step(t, 'card: the wait shows the amount; 취소 gives it up and nothing is charged', [kiosk], () =>
    withAgentLog(async () => {
      terminal.answerDelayMs = 60_000; // the customer never inserts the card
      await payBy(kiosk, 'card');
      await see(kiosk.getByRole('heading', { level: 1, name: '카드를 단말기에 꽂아 주세요' }));
      await see(kiosk.getByText('4,000원', { exact: true }));
      assert.deepEqual(await axeViolations(kiosk), [], 'axe-core: waiting for the card');
      await kiosk.getByRole('button', { name: '취소', exact: true }).click();
      await see(kiosk.getByRole('heading', { level: 1, name: '결제가 취소되었습니다. 청구되지 않습니다.' }), 20_000);
      assert.deepEqual(await axeViolations(kiosk), [], 'axe-core: the cancelled payment');
      const [given] = await ordersToday();
      assert.equal(given?.status, 'cancelled');
      assert.ok(![...terminal.transactions.values()].some((each) => each.state === 'approved'), 'no charge stands on the terminal');
    }),
  );

  let paidNumber = 0;
  let receiptUrl = '';
  await step(t, 'card again: the terminal approves, the receipt shows the number and that it printed; the paper has the number and 부가세', [kiosk], () =>
    withAgentLog(async () => {
      terminal.answerDelayMs = 20;
      await kiosk.getByRole('button', { name: '다른 방법으로 결제' }).click();
      await see(kiosk.getByRole('heading', { level: 1, name: '주문 확인' }));
      await payBy(kiosk, 'card');
      paidNumber = await receiptNumber(kiosk);
      await see(kiosk.getByText('결제되었습니다'));
      await see(kiosk.getByText('영수증이 출력되었습니다'), 20_000);
      const qr = kiosk.getByRole('img', { name: '휴대폰으로 받는 영수증의 QR 코드' });
      await see(qr);
      receiptUrl = (await qr.getAttribute('data-url')) ?? '';
      assert.match(receiptUrl, /\/receipt\//);
      const [paper = ''] = await printer.waitForReceipts(1, 10_000);
      assert.ok(paper.includes(String(paidNumber)), paper);
      assert.ok(paper.includes('부가세'), paper);
      const paid = (await ordersToday()).find((each) => each.number === paidNumber);
      assert.ok(paid);
      assert.equal(paid.payment.status, 'paid');
      assert.equal(paid.payment.method, 'kiosk_card');
      assert.equal([...terminal.transactions.values()].filter((each) => each.state === 'approved').length, 1);
      assert.deepEqual(await axeViolations(kiosk), [], 'axe-core: the paid receipt');
      await kiosk.getByRole('button', { name: '처음으로' }).click();
    }),
  );

  await step(t, "the receipt's QR code opens the digital receipt on a phone: the number, 공급가액 and 부가세, the card and its approval", [], async () => {
    const phone = await pages.open(PHONE_VIEWPORT);
    await phone.goto(receiptUrl);
    await see(phone.getByRole('region', { name: `주문번호 ${paidNumber}` }));
    const fact = (term: string) =>
      phone
        .locator('dl > div')
        .filter({ has: phone.getByText(term, { exact: true }) })
        .locator('dd');
    assert.equal(await fact('합계').textContent(), '4,000원');
    assert.equal(await fact('공급가액').textContent(), '3,637원');
    assert.equal(await fact('부가세').textContent(), '363원');
    assert.equal(await fact('결제 수단').textContent(), '카드');
    const paid = (await ordersToday()).find((each) => each.number === paidNumber);
    assert.equal(await fact('승인번호').textContent(), paid?.payment.approvalNumber);
    assert.deepEqual(await axeViolations(phone), [], 'axe-core: the digital receipt');
    await phone.goto(`${new URL(receiptUrl).origin}/receipt/not-a-real-token`);
    await see(phone.getByText(/영수증을 찾을 수 없습니다/));
    await phone.context().close();
  });

  await step(t, 'a declined card: the message, then the counter by another way', [kiosk], () =>
    withAgentLog(async () => {
      await orderUpToPayment(kiosk, '카페 라떼', 'take_out');
      terminal.next = ['decline'];
      await payBy(kiosk, 'card');
      await see(kiosk.getByRole('heading', { level: 1, name: '카드가 승인되지 않았습니다' }), 20_000);
      await see(kiosk.getByRole('button', { name: '다시 시도' }));
      assert.deepEqual(await axeViolations(kiosk), [], 'axe-core: the declined card');
      await kiosk.getByRole('button', { name: '다른 방법으로 결제' }).click();
      const number = await payBy(kiosk, 'counter');
      await see(kiosk.getByText('결제는 카운터에서 해 주세요'));
      const orders = await ordersToday();
      const counter = orders.find((each) => each.number === number);
      assert.ok(counter);
      assert.equal(counter.payment.status, 'unpaid');
      const declined = orders.filter((each) => each.paymentMethod === 'card' && each.status === 'cancelled');
      assert.equal(declined.length, 2, 'the given-up and the declined card orders are cancelled');
      for (const each of declined) assert.notEqual((await order(each.id)).payment.status, 'paid');
      await kiosk.getByRole('button', { name: '처음으로' }).click();
    }),
  );

  await step(t, 'a card pulled out too soon: the message, then 다시 시도 pays a new order; one charge stands for it', [kiosk], () =>
    withAgentLog(async () => {
      const approvedBefore = [...terminal.transactions.values()].filter((each) => each.state === 'approved').length;
      await orderUpToPayment(kiosk, '카페 라떼', 'eat_in');
      terminal.next = ['remove'];
      await payBy(kiosk, 'card');
      await see(kiosk.getByRole('heading', { level: 1, name: '카드를 뽑으셨습니다' }), 20_000);
      await see(kiosk.getByText('결제가 끝나기 전에 카드를 빼셨습니다. 돈은 나가지 않았습니다.'));
      assert.deepEqual(await axeViolations(kiosk), [], 'axe-core: the card pulled out');
      await kiosk.getByRole('button', { name: '다시 시도' }).click();
      const number = await receiptNumber(kiosk);
      await see(kiosk.getByText('결제되었습니다'));
      const orders = await ordersToday();
      assert.equal(orders.find((each) => each.number === number)?.payment.status, 'paid');
      const lattes = orders.filter((each) => each.paymentMethod === 'card' && each.status === 'cancelled');
      assert.equal(lattes.length, 3, 'the pulled-out card order is cancelled too');
      assert.equal([...terminal.transactions.values()].filter((each) => each.state === 'approved').length, approvedBefore + 1, 'one charge for the paid order');
      await kiosk.getByRole('button', { name: '처음으로' }).click();
    }),
  );

  await step(t, 'mobile: the QR code of the checkout with the amount, picked up again after a reload, then cancelled', [kiosk], async () => {
    await orderUpToPayment(kiosk, '아메리카노', 'eat_in');
    await payBy(kiosk, 'mobile');
    const title = kiosk.getByRole('heading', { level: 1, name: '휴대폰으로 QR 코드를 찍어 결제해 주세요' });
    await see(title);
    const qr = kiosk.getByRole('img', { name: '결제 화면으로 가는 QR 코드' });
    assert.match((await qr.getAttribute('data-url')) ?? '', /\/pay\//);
    assert.deepEqual(await axeViolations(kiosk), [], 'axe-core: the mobile QR code');
    await kiosk.reload();
    await see(title, 20_000);
    await see(kiosk.getByText('4,000원', { exact: true }));
    await kiosk.getByRole('button', { name: '취소', exact: true }).click();
    await see(kiosk.getByRole('heading', { level: 1, name: '결제가 취소되었습니다. 청구되지 않습니다.' }), 20_000);
    const mobile = (await ordersToday()).filter((each) => each.paymentMethod === 'mobile');
    assert.equal(mobile.length, 1);
    assert.equal(mobile[0]?.status, 'cancelled');
  });

  await step(t, 'mobile paid on the phone: the checkout page from the QR code, 결제하기, and the kiosk shows the order number', [kiosk], async () => {
    // the cart went with the reload above: a new order from the start
    await kiosk.getByRole('button', { name: '처음으로' }).click();
    await orderUpToPayment(kiosk, '아메리카노', 'take_out');
    await payBy(kiosk, 'mobile');
    const qr = kiosk.getByRole('img', { name: '결제 화면으로 가는 QR 코드' });
    await see(qr);
    const phone = await pages.open(PHONE_VIEWPORT);
    await phone.goto((await qr.getAttribute('data-url')) ?? '');
    await see(phone.getByText('4,000원', { exact: true }));
    await see(phone.getByText('시험용 결제입니다. 실제로 돈이 나가지 않습니다.'));
    assert.deepEqual(await axeViolations(phone), [], 'axe-core: the checkout page');
    await phone.getByRole('button', { name: '결제하기' }).click();
    await see(phone.getByRole('status').getByRole('heading', { name: '결제가 완료되었습니다' }), 20_000);
    const number = await receiptNumber(kiosk);
    await see(kiosk.getByText('결제되었습니다'));
    const paid = (await ordersToday()).find((each) => each.number === number);
    assert.equal(paid?.payment.status, 'paid');
    assert.equal(paid?.payment.method, 'mobile');
    await phone.context().close();
  });
});

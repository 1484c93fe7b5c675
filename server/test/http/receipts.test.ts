// Receipts (issue 14, item 5; docs/payments.md "Receipts"): the VAT lines' rounding, the printed
// layout, the public digital receipt behind its token (what it holds and what it never does, the
// same 404 for a wrong and an expired token, the per-address limit), and the POS's reprint: a
// PrintReceipt on the kiosk device's command stream, its ReportPrint back to the kiosk's screen,
// and 409 printer_unavailable when the kiosk cannot print.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { linesAsText, printerLines, type ReceiptContent } from '../../src/modules/receipts/receipt-layout.js';
import { splitVat } from '../../src/modules/receipts/vat.js';
import { DeviceClient, provisionKiosk } from '../support/device-client.js';
import { menuItem, storeWithKiosk, type StoreFixture } from '../support/factories.js';
import { openLive } from '../support/live-events.js';
import { fromAddress, roomyLimits, startTestServer, type TestServer } from '../support/test-server.js';

describe('VAT lines', () => {
  test('부가세 = floor(total / 11), 공급가액 = the rest, for a few totals', () => {
    const table: Array<[number, number, number]> = [
      // total, 공급가액, 부가세
      [0, 0, 0],
      [1, 1, 0],
      [10, 10, 0],
      [11, 10, 1],
      [4500, 4091, 409],
      [9999, 9090, 909],
      [10_000_000, 9_090_910, 909_090],
    ];
    for (const [total, supplyValue, vat] of table) {
      assert.deepEqual(splitVat(total), { supplyValue, vat }, `total ${total}`);
      assert.equal(supplyValue + vat, total);
    }
    assert.throws(() => splitVat(-1), RangeError);
    assert.throws(() => splitVat(1.5), RangeError);
  });

  test('the printed layout: business details, the number large, lines, VAT, payment, the unpaid notice', () => {
    const content: ReceiptContent = {
      store: {
        name: '역삼점',
        businessName: '피노키오 커피',
        registrationNumber: '1208147521',
        address: '서울 강남구 테헤란로 1',
        phone: '02-123-4567',
        timeZone: 'Asia/Seoul',
      },
      order: { number: 42, dining: 'take_out', orderedAt: new Date('2026-12-06T15:30:00Z'), cancelled: false },
      lines: [{ name: '카페라테', quantity: 2, unitPrice: 5000, lineTotal: 10000, options: [{ group: '샷', name: '추가', priceDelta: 500 }], note: '덜 달게' }],
      total: 10000,
      payment: {
        status: 'paid',
        method: 'kiosk_card',
        paidAmount: 10000,
        refundedAmount: 0,
        approvalNumber: '30012345',
        paidAt: new Date('2026-12-06T15:31:00Z'),
      },
      refunds: [],
    };
    const lines = printerLines(content, { withQr: true });
    const text = linesAsText(lines);
    assert.deepEqual(
      lines.find((line) => line.style === 'LARGE'),
      { style: 'LARGE', align: 'CENTER', text: '42', right: '' },
    );
    for (const expected of [
      '피노키오 커피',
      '사업자등록번호 120-81-47521',
      '서울 강남구 테헤란로 1',
      '전화 02-123-4567',
      '주문번호',
      '포장',
      '카페라테 x 2\t10,000원',
      '  샷: 추가\t+500원',
      '  메모: 덜 달게',
      '합계\t10,000원',
      '공급가액\t9,091원',
      '부가세\t909원',
      '결제 수단\t카드',
      '승인번호\t30012345',
      '주문 시각\t2026-12-07 00:30', // the store's zone (UTC+9), past midnight there
    ]) {
      assert.ok(text.includes(expected), `"${expected}" in:\n${text}`);
    }
    const unpaid = linesAsText(
      printerLines(
        { ...content, payment: { ...content.payment, status: 'unpaid', method: null, approvalNumber: null, paidAt: null, paidAmount: 0 } },
        { withQr: false },
      ),
    );
    assert.ok(unpaid.includes('미결제 — 카운터에서 결제해 주세요'), unpaid);
    assert.ok(!unpaid.includes('승인번호'), unpaid);
  });
});

describe('receipts over HTTP', () => {
  let server: TestServer;
  let store: StoreFixture;
  let item: { id: string; name: string; price: number; options: Record<string, string> };

  before(async () => {
    server = await startTestServer({ env: { ...roomyLimits, LIMIT_RECEIPT_LOOKUPS_PER_IP_PER_MINUTE: '20' } });
    store = await storeWithKiosk(server);
    const settings = await server.api('PUT', `/api/stores/${store.storeId}/payment-settings`, {
      token: store.ownerToken,
      body: {
        kitchenStartsUnpaid: true,
        unpaidExpiryMinutes: 30,
        business: { name: '피노키오 커피 역삼점', registrationNumber: '1208147521', address: '서울 강남구 테헤란로 1', phone: '02-123-4567' },
      },
    });
    assert.equal(settings.status, 200, JSON.stringify(settings.body));
    item = await menuItem(server, store.storeId, {
      name: '카페라테',
      price: 4500,
      groups: [{ name: '샷', kind: 'multiple', options: [{ name: '추가', priceDelta: 500 }] }],
    });
  });
  after(() => server?.close());

  /** a counter order from the store's kiosk: 2 lattes with an extra shot and a note, plus one plain */
  async function counterOrder(kioskToken = store.kioskToken) {
    const placed = await server.api('POST', `/api/stores/${store.storeId}/orders`, {
      token: kioskToken,
      body: {
        paymentMethod: 'counter',
        dining: 'eat_in',
        lines: [
          { itemId: item.id, quantity: 2, optionIds: [item.options['추가']!], note: '덜 달게' },
          { itemId: item.id, quantity: 1 },
        ],
      },
    });
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    return placed.body.order as { id: string; number: number; total: number; createdAt: string };
  }

  async function payAtCounter(orderId: string, amount: number, approvalNumber: string) {
    const paid = await server.api('POST', `/api/stores/${store.storeId}/orders/${orderId}/payments`, {
      token: store.ownerToken,
      headers: { 'idempotency-key': `pay-${orderId}` },
      body: { method: 'counter_card', amount, approvalNumber },
    });
    assert.equal(paid.status < 300, true, JSON.stringify(paid.body));
  }

  async function kioskReceipt(orderId: string, kioskToken = store.kioskToken) {
    return server.api('POST', `/api/stores/${store.storeId}/kiosk-orders/${orderId}/receipt`, { token: kioskToken });
  }

  const tokenOf = (url: string) => new URL(url).pathname.split('/').pop()!;

  test("a paid order's digital receipt: number, lines, VAT lines adding up, payment, the store's details and zone, nothing personal", async () => {
    const order = await counterOrder();
    assert.equal(order.total, 2 * 5000 + 4500);
    await payAtCounter(order.id, order.total, '30012345');

    // asked twice at once: one receipt, one link
    const [issued, alongside] = await Promise.all([kioskReceipt(order.id), kioskReceipt(order.id)]);
    assert.equal(issued.status, 200, JSON.stringify(issued.body));
    assert.equal(issued.body.print, 'none', 'this kiosk has no printer');
    assert.match(issued.body.url, /^http:\/\/localhost:\d+\/receipt\/[A-Za-z0-9_-]{43}$/);
    assert.equal(alongside.body.url, issued.body.url);
    const again = await kioskReceipt(order.id);
    assert.equal(again.body.url, issued.body.url, 'one link per order');
    const rows = await server.app.database.db.selectFrom('receipts').select('token_hash').where('order_id', '=', order.id).execute();
    assert.equal(rows.length, 1);
    assert.ok(!rows[0]!.token_hash.includes(tokenOf(issued.body.url)), 'only a hash of the token is stored');

    const receipt = await server.api('GET', `/api/receipts/${tokenOf(issued.body.url)}`);
    assert.equal(receipt.status, 200, JSON.stringify(receipt.body));
    const body = receipt.body;
    assert.equal(body.order.number, order.number);
    assert.equal(body.order.dining, 'eat_in');
    assert.deepEqual(
      body.lines.map((line: ReceiptContent['lines'][number]) => [
        line.name,
        line.quantity,
        line.lineTotal,
        line.options.map((option) => option.name),
        line.note,
      ]),
      [
        ['카페라테', 2, 10_000, ['추가'], '덜 달게'],
        ['카페라테', 1, 4500, [], null],
      ],
    );
    assert.equal(body.total, 14_500);
    assert.equal(body.vat, 1318); // floor(14500 / 11)
    assert.equal(body.supplyValue, 13_182);
    assert.equal(body.supplyValue + body.vat, body.total);
    assert.deepEqual(
      { status: body.payment.status, method: body.payment.method, paidAmount: body.payment.paidAmount, approvalNumber: body.payment.approvalNumber },
      { status: 'paid', method: 'counter_card', paidAmount: 14_500, approvalNumber: '30012345' },
    );
    assert.deepEqual(body.store, {
      name: body.store.name,
      businessName: '피노키오 커피 역삼점',
      registrationNumber: '120-81-47521',
      address: '서울 강남구 테헤란로 1',
      phone: '02-123-4567',
      timeZone: 'Asia/Seoul',
    });
    assert.equal(body.order.orderedAtLocal, seoulTime(order.createdAt));
    assert.equal(body.payment.paidAtLocal, seoulTime(body.payment.paidAt));

    const keys = allKeys(body);
    for (const personal of ['id', 'orderId', 'storeId', 'kioskId', 'kiosk', 'customerId', 'customer', 'email', 'accountId', 'idempotencyKey']) {
      assert.ok(!keys.has(personal), `no "${personal}" in the digital receipt`);
    }
  });

  test('a wrong token and an expired one get the same 404 receipt_not_found', async () => {
    const order = await counterOrder();
    const issued = await kioskReceipt(order.id);
    const token = tokenOf(issued.body.url);
    assert.equal((await server.api('GET', `/api/receipts/${token}`)).status, 200, 'an unpaid order has a receipt too');

    const wrong = await server.api('GET', `/api/receipts/${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`);
    const malformed = await server.api('GET', '/api/receipts/not-a-token');
    await server.app.database.db
      .updateTable('receipts')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .execute();
    const expired = await server.api('GET', `/api/receipts/${token}`);
    for (const answer of [wrong, malformed, expired]) {
      assert.equal(answer.status, 404, JSON.stringify(answer.body));
      assert.equal(answer.body.error.code, 'receipt_not_found');
      assert.equal(answer.body.error.message, wrong.body.error.message);
    }
    // the kiosk (or a reprint) asking again renews the same link
    const renewed = await kioskReceipt(order.id);
    assert.equal(renewed.body.url, issued.body.url);
    assert.equal((await server.api('GET', `/api/receipts/${token}`)).status, 200);
  });

  test('lookups are limited per client address', async () => {
    const stranger = fromAddress(server, '127.0.0.9');
    const answers = [];
    for (let i = 0; i < 21; i++) answers.push((await stranger.api('GET', `/api/receipts/${'x'.repeat(43)}`)).status);
    assert.deepEqual(answers.slice(0, 20), Array(20).fill(404));
    assert.equal(answers[20], 429);
  });

  test("reprint from the POS: a PrintReceipt on the kiosk device's stream, its outcome on the kiosk's screen; 409 printer_unavailable otherwise", async () => {
    const kiosk = await provisionKiosk(server, store.storeId, store.ownerToken, '카운터 옆');
    const order = await counterOrder(kiosk.token);
    const reprint = (orderId: string, body?: unknown) =>
      server.api('POST', `/api/stores/${store.storeId}/orders/${orderId}/receipt-prints`, { token: store.ownerToken, body: body ?? {} });

    // no device connected
    const offline = await reprint(order.id);
    assert.equal(offline.status, 409, JSON.stringify(offline.body));
    assert.equal(offline.body.error.code, 'printer_unavailable');

    const device = new DeviceClient(server.deviceAddress, kiosk);
    const stream = device.connect({ hasReceiptPrinter: true });
    try {
      await stream.next((command) => command.kind === 'settings', 'settings');
      await device.reportPeripherals({ printer: 'PRINTER_READY', terminal: 'TERMINAL_NONE' });
      const screen = await openLive(`${server.url}/api/stores/${store.storeId}/kiosks/${kiosk.kioskId}/live`, { token: kiosk.token });
      await screen.next((event) => event.event === 'ready', 'ready');

      // the kiosk's own ticket for its unpaid counter order, printed the first time it asks
      const ticket = await kioskReceipt(order.id, kiosk.token);
      assert.equal(ticket.body.print, 'printing', JSON.stringify(ticket.body));
      const printed = await stream.next((command) => command.kind === 'printReceipt', 'the ticket');
      const ticketText = printed.printReceipt!.lines.map((line) => `${line.text}\t${line.right}`).join('\n');
      assert.ok(ticketText.includes('미결제 — 카운터에서 결제해 주세요'), ticketText);
      assert.equal((await kioskReceipt(order.id, kiosk.token)).body.print, 'printing', 'asking again prints nothing more');

      await payAtCounter(order.id, order.total, '77778888');
      const again = await reprint(order.id);
      assert.equal(again.status, 202, JSON.stringify(again.body));
      assert.equal(again.body.print, 'printing');
      const reprinted = await stream.next(
        (command) => command.kind === 'printReceipt' && command.printReceipt!.receiptId !== printed.printReceipt!.receiptId,
        'the reprint',
      );
      const lines = reprinted.printReceipt!.lines;
      assert.deepEqual(
        lines.find((line) => line.style === 'LARGE'),
        { style: 'LARGE', align: 'CENTER', text: String(order.number), right: '' },
      );
      assert.ok(lines.some((line) => line.text === '부가세' && line.right === '1,318원'));
      assert.ok(lines.some((line) => line.text === '승인번호' && line.right === '77778888'));
      assert.equal(reprinted.printReceipt!.qrUrl, again.body.url);
      assert.equal(stream.commands.filter((command) => command.kind === 'printReceipt').length, 2);

      await device.reportPrint(reprinted.printReceipt!.receiptId, 'PRINTED');
      const told = await screen.next((event) => event.event === 'receipt', 'the print outcome');
      assert.deepEqual(told.data, { orderId: order.id, print: 'printed' });
      screen.close();

      // a kiosk that is not the store's (another store's owner is refused by the authorization walk)
      const notHers = await reprint(order.id, { kioskId: randomUUID() });
      assert.equal(notHers.status, 404, JSON.stringify(notHers.body));

      // out of paper: refused with the reason
      await device.reportPeripherals({ printer: 'PRINTER_PAPER_OUT', terminal: 'TERMINAL_NONE' });
      const noPaper = await reprint(order.id);
      assert.equal(noPaper.status, 409, JSON.stringify(noPaper.body));
      assert.equal(noPaper.body.error.code, 'printer_unavailable');
      assert.equal(noPaper.body.error.details.printer, 'paper_out');
    } finally {
      stream.cancel();
      device.close();
    }
  });

  test("the store's first kiosk has no printer: a reprint there is refused", async () => {
    const order = await counterOrder();
    const answer = await server.api('POST', `/api/stores/${store.storeId}/orders/${order.id}/receipt-prints`, { token: store.ownerToken, body: {} });
    assert.equal(answer.status, 409, JSON.stringify(answer.body));
    assert.equal(answer.body.error.code, 'printer_unavailable');
  });
});

/** 'YYYY-MM-DD HH:mm' in Seoul, worked out apart from the server's formatter: Korea is UTC+9 all year */
function seoulTime(iso: string): string {
  return new Date(Date.parse(iso) + 9 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

function allKeys(value: unknown, keys = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const each of value) allKeys(each, keys);
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      keys.add(key);
      allKeys(child, keys);
    }
  }
  return keys;
}

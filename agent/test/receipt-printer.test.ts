// The shipped ESC/POS printer driver against the fake printer over a real serial line (a socat
// pseudo-terminal pair), and into a plain file as into /dev/usb/lp0: what goes in as text comes
// out of the printer's decoding as the same text, Korean included.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { displayWidth, encodeReceipt, layoutLine, wrap } from '../src/printer/escpos.js';
import { openReceiptPrinter } from '../src/printer/open-receipt-printer.js';
import type { ReceiptDocument, ReceiptPrinter } from '../src/printer/receipt-printer.js';
import { type DecodedLine, EscPosDecoder, FakePrinter, receiptText } from './support/fake-printer.js';
import { temporaryDirectory } from './support/setup.js';

const TIME_LIMIT = { timeout: 10_000 };
const COLUMNS = 42;

let fake: FakePrinter;
let printer: ReceiptPrinter;

const receipt: ReceiptDocument = {
  lines: [
    { style: 'bold', align: 'center', text: '피노키오 카페 강남점' },
    { style: 'normal', align: 'center', text: '사업자 123-45-67890  대표 김민지' },
    { style: 'normal', align: 'center', text: '서울특별시 강남구 테헤란로 123, 1층' },
    { style: 'rule', align: 'left', text: '' },
    { style: 'large', align: 'center', text: '주문번호 A-042' },
    { style: 'rule', align: 'left', text: '' },
    { style: 'normal', align: 'left', text: '아이스 아메리카노 x2', right: '9,000원' },
    { style: 'normal', align: 'left', text: '딸기 라떼 (Large, 샷 추가)', right: '5,500원' },
    { style: 'rule', align: 'left', text: '' },
    { style: 'bold', align: 'left', text: '합계', right: '14,500원' },
    { style: 'normal', align: 'left', text: '공급가액', right: '13,182원' },
    { style: 'normal', align: 'left', text: '부가세', right: '1,318원' },
    { style: 'normal', align: 'left', text: '카드 승인번호', right: '12345678' },
    { style: 'normal', align: 'left', text: '2026-12-06 19:42 (KST)' },
  ],
  qrUrl: 'https://pinokio.example/r/3q2-Xh_abc?lang=ko',
};

/** what the decoder should read back: each line's rows, as laid out */
function expectedText(document: ReceiptDocument): string {
  const rows = document.lines.flatMap((line) => layoutLine(line, COLUMNS));
  if (document.qrUrl) rows.push(`[QR] ${document.qrUrl}`);
  return rows.map((row) => row.trimEnd()).join('\n');
}

before(async () => {
  fake = new FakePrinter(temporaryDirectory('printer'));
  await fake.start();
  printer = openReceiptPrinter(`escpos:${fake.agentPath},status_timeout_ms=300`);
});

after(async () => {
  await printer?.close();
  await fake?.unplug();
});

test('a Korean receipt round-trips: text in, the same text out of the printer, styles kept', TIME_LIMIT, async () => {
  assert.equal(await printer.status(), 'ready');
  assert.equal(await printer.print(receipt), 'printed');
  const [text] = await fake.waitForReceipts(1);
  assert.equal(text, expectedText(receipt));
  assert.match(text!, /^부가세 +1,318원$/m);
  assert.match(text!, /^아이스 아메리카노 x2 +9,000원$/m);
  const lines = fake.documents[0]!;
  const find = (fragment: string) => lines.find((line) => line.text.includes(fragment)) as DecodedLine;
  assert.deepEqual(find('주문번호'), { text: '주문번호 A-042', bold: false, large: true, align: 'center' });
  assert.deepEqual(find('피노키오'), { text: '피노키오 카페 강남점', bold: true, align: 'center', large: false });
  assert.equal(find('합계').bold, true);
  assert.equal(find('부가세').bold, false);
  // amounts flush right: every row with a right part is exactly the paper's width
  for (const fragment of ['합계', '부가세', '아이스 아메리카노']) assert.equal(displayWidth(find(fragment).text), COLUMNS, fragment);
  assert.equal(find('-----').text, '-'.repeat(COLUMNS));
  assert.match(printer.description, /ESC\/POS printer on .*agent-end at 115200 baud, 42 columns/);
});

test('the QR code carries the digital receipt link, however long', TIME_LIMIT, async () => {
  // over 255 bytes: the store command's length takes both of its bytes
  const qrUrl = `https://pinokio.example/r/${'a1B2-_'.repeat(50)}`;
  assert.equal(await printer.print({ lines: [{ style: 'normal', align: 'left', text: '영수증' }], qrUrl }), 'printed');
  const [, text] = await fake.waitForReceipts(2);
  assert.equal(text, `영수증\n[QR] ${qrUrl}`);
});

test('paper low still prints; paper out prints nothing and says so; offline answers nothing', TIME_LIMIT, async () => {
  fake.state = 'paper_low';
  assert.equal(await printer.status(), 'paper_low');
  assert.equal(await printer.print(receipt), 'printed');
  await fake.waitForReceipts(3);

  fake.state = 'paper_out';
  assert.equal(await printer.status(), 'paper_out');
  assert.equal(await printer.print(receipt), 'paper_out');
  fake.state = 'offline';
  assert.equal(await printer.status(), 'offline');
  assert.equal(await printer.print(receipt), 'offline');
  assert.equal(fake.receipts.length, 3, 'nothing printed without paper or power');

  fake.state = 'ready';
  assert.equal(await printer.print(receipt), 'printed');
  await fake.waitForReceipts(4);
});

test('an unplugged printer is offline; plugged back it prints', TIME_LIMIT, async () => {
  await fake.unplug();
  assert.equal(await printer.status(), 'offline');
  assert.equal(await printer.print(receipt), 'offline');
  await fake.start();
  assert.equal(await printer.status(), 'ready');
  assert.equal(await printer.print(receipt), 'printed');
  await fake.waitForReceipts(5);
});

test('escpos-file: the receipt goes into the device file byte for byte; a missing device is offline', TIME_LIMIT, async () => {
  const directory = temporaryDirectory('printer-file');
  const file = path.join(directory, 'lp0');
  fs.writeFileSync(file, '');
  const filePrinter = openReceiptPrinter(`escpos-file:${file},columns=${COLUMNS}`);
  assert.equal(await filePrinter.status(), 'ready');
  assert.equal(await filePrinter.print(receipt), 'printed');
  const printed: string[] = [];
  new EscPosDecoder({ receipt: (lines) => printed.push(receiptText(lines)), statusRequest: () => undefined }).write(fs.readFileSync(file));
  assert.deepEqual(printed, [expectedText(receipt)]);

  const missing = openReceiptPrinter(`escpos-file:${path.join(directory, 'no-such-dir', 'lp0')}`);
  assert.equal(await missing.status(), 'offline');
  assert.equal(await missing.print(receipt), 'offline');
});

test('layout: Korean takes two columns, long text wraps, what the printers cannot show becomes ?', () => {
  assert.equal(displayWidth('부가세 409원'), 12);
  const rows = wrap('한글 '.repeat(20), COLUMNS);
  assert.ok(rows.length > 1 && rows.every((row) => displayWidth(row) <= COLUMNS));
  // a name too long for its price: the price goes flush right on a row of its own
  const long = layoutLine({ style: 'normal', align: 'left', text: '가'.repeat(21), right: '4,500원' }, COLUMNS);
  assert.deepEqual(long, ['가'.repeat(21), `${' '.repeat(COLUMNS - 7)}4,500원`]);
  assert.deepEqual(layoutLine({ style: 'large', align: 'center', text: '123', right: '4원' }, COLUMNS), [`123${' '.repeat(21 - 6)}4원`]);
  // 똠 is CP949-only (no KS X 1001 code) and emoji have none: both print as ?
  const bytes = encodeReceipt({ lines: [{ style: 'normal', align: 'left', text: '똠양꿍 ☕🍜 ₩500' }] });
  let decoded = '';
  new EscPosDecoder({ receipt: (lines) => (decoded = receiptText(lines)), statusRequest: () => undefined }).write(bytes);
  assert.equal(decoded, '?양꿍 ?? ₩500');
  assert.throws(() => openReceiptPrinter('lp:/dev/usb/lp0'), /expected escpos:<path> or escpos-file:<path>/);
  assert.throws(() => openReceiptPrinter('escpos:/dev/ttyUSB1,columns=10'), /columns must be a whole number from 24 to 64/);
});

// What a receipt says, and how its lines go to the kiosk's printer (proto/kiosk.proto ReceiptLine).
// Pure functions: the service reads the order and the store, these lay them out. The agent's printer
// driver turns the lines into bytes (ESC/POS, Korean in the printer's code page) and fits `right`
// flush right by display width, so nothing here pads or counts columns.
import { localDateTime } from '../../platform/time/local-date.js';
import { splitVat } from './vat.js';

export type PaidMethod = 'kiosk_card' | 'mobile' | 'counter_cash' | 'counter_card';
export type ReceiptPaymentStatus = 'pending' | 'unpaid' | 'paid' | 'partially_refunded' | 'refunded';

/** everything a receipt (paper or digital) shows, and nothing more: no customer, no kiosk */
export interface ReceiptContent {
  store: {
    name: string;
    businessName: string | null;
    /** 10 digits (or already 000-00-00000) */
    registrationNumber: string | null;
    address: string | null;
    phone: string | null;
    timeZone: string;
  };
  order: { number: number; dining: 'eat_in' | 'take_out' | null; orderedAt: Date; cancelled: boolean };
  lines: Array<{
    name: string;
    quantity: number;
    unitPrice: number;
    lineTotal: number;
    options: Array<{ group: string; name: string; priceDelta: number }>;
    note: string | null;
  }>;
  total: number;
  payment: {
    status: ReceiptPaymentStatus;
    method: PaidMethod | null;
    paidAmount: number;
    refundedAmount: number;
    approvalNumber: string | null;
    paidAt: Date | null;
  };
  /** money given back, oldest first (done refunds only) */
  refunds: Array<{ amount: number; at: Date }>;
}

export interface ReceiptLine {
  style: 'NORMAL' | 'BOLD' | 'LARGE' | 'RULE';
  align: 'LEFT' | 'CENTER' | 'RIGHT';
  text: string;
  right: string;
}

export const PAID_METHOD_KO: Record<PaidMethod, string> = {
  kiosk_card: '카드',
  mobile: '모바일 결제',
  counter_cash: '현금',
  counter_card: '카운터 카드',
};

const DINING_KO = { eat_in: '매장', take_out: '포장' } as const;

export const UNPAID_NOTICE = '미결제 — 카운터에서 결제해 주세요';

/** 4500 -> "4,500원"; -1000 -> "-1,000원" (grouping by hand: the same on every machine's ICU) */
export function won(amount: number): string {
  const digits = String(Math.abs(amount)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${amount < 0 ? '-' : ''}${digits}원`;
}

/** "1234567890" -> "123-45-67890"; anything that is not 10 digits is shown as given */
export function formatRegistrationNumber(value: string): string {
  const digits = value.replace(/\D/g, '');
  return digits.length === 10 ? `${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}` : value;
}

/** the receipt as the kiosk's printer prints it; the digital receipt's link goes as the command's qr_url */
export function printerLines(content: ReceiptContent, options: { withQr: boolean }): ReceiptLine[] {
  const lines: ReceiptLine[] = [];
  const add = (style: ReceiptLine['style'], align: ReceiptLine['align'], text: string, right = '') => lines.push({ style, align, text, right });
  const rule = () => add('RULE', 'LEFT', '');
  const { store, order, payment } = content;

  add('BOLD', 'CENTER', store.businessName || store.name);
  if (store.businessName && store.businessName !== store.name) add('NORMAL', 'CENTER', store.name);
  if (store.registrationNumber) add('NORMAL', 'CENTER', `사업자등록번호 ${formatRegistrationNumber(store.registrationNumber)}`);
  if (store.address) add('NORMAL', 'CENTER', store.address);
  if (store.phone) add('NORMAL', 'CENTER', `전화 ${store.phone}`);
  rule();
  add('NORMAL', 'CENTER', '주문번호');
  add('LARGE', 'CENTER', String(order.number));
  if (order.dining) add('BOLD', 'CENTER', DINING_KO[order.dining]);
  if (order.cancelled) add('BOLD', 'CENTER', '취소된 주문');
  rule();
  for (const line of content.lines) {
    add('NORMAL', 'LEFT', `${line.name} x ${line.quantity}`, won(line.lineTotal));
    for (const option of line.options) add('NORMAL', 'LEFT', `  ${option.group}: ${option.name}`, option.priceDelta ? `+${won(option.priceDelta)}` : '');
    if (line.note) add('NORMAL', 'LEFT', `  메모: ${line.note}`);
  }
  rule();
  const { supplyValue, vat } = splitVat(content.total);
  add('BOLD', 'LEFT', '합계', won(content.total));
  add('NORMAL', 'LEFT', '공급가액', won(supplyValue));
  add('NORMAL', 'LEFT', '부가세', won(vat));
  rule();
  if (payment.method && payment.status !== 'pending' && payment.status !== 'unpaid') {
    add('NORMAL', 'LEFT', '결제 수단', PAID_METHOD_KO[payment.method]);
    if (payment.approvalNumber) add('NORMAL', 'LEFT', '승인번호', payment.approvalNumber);
    add('NORMAL', 'LEFT', '결제 금액', won(payment.paidAmount));
    if (payment.paidAt) add('NORMAL', 'LEFT', '결제 시각', localDateTime(store.timeZone, payment.paidAt));
    for (const refund of content.refunds) add('NORMAL', 'LEFT', `환불 ${localDateTime(store.timeZone, refund.at)}`, won(-refund.amount));
  } else if (payment.status === 'unpaid') {
    add('BOLD', 'CENTER', UNPAID_NOTICE);
  } else {
    add('BOLD', 'CENTER', '결제 대기 중');
  }
  add('NORMAL', 'LEFT', '주문 시각', localDateTime(store.timeZone, order.orderedAt));
  if (options.withQr) {
    rule();
    add('NORMAL', 'CENTER', 'QR 코드로 디지털 영수증을 볼 수 있습니다');
  }
  return lines;
}

/** the printed lines as plain text (logs, tests): `right` after a tab */
export function linesAsText(lines: ReceiptLine[]): string {
  return lines.map((line) => (line.style === 'RULE' ? '----' : line.right ? `${line.text}\t${line.right}` : line.text)).join('\n');
}

import { Type } from 'typebox';
import { DateTime, Uuid, errorResponses } from '../../platform/http/common-schemas.js';

const security = [{ bearer: [] }];
const Won = Type.Integer({ description: 'won' });
const LocalTime = Type.String({ description: "'YYYY-MM-DD HH:mm' in the store's time zone" });
const PaidMethodSchema = Type.Union([Type.Literal('kiosk_card'), Type.Literal('mobile'), Type.Literal('counter_cash'), Type.Literal('counter_card')]);
const PaymentStatusSchema = Type.Union([
  Type.Literal('pending'),
  Type.Literal('unpaid'),
  Type.Literal('paid'),
  Type.Literal('partially_refunded'),
  Type.Literal('refunded'),
]);
const PrintSchema = Type.Union([Type.Literal('printing'), Type.Literal('printed'), Type.Literal('paper_out'), Type.Literal('offline'), Type.Literal('none')], {
  description: 'the paper receipt: sent to the printer (`printing`), its outcome, or `none` (no printer)',
});

export const DigitalReceiptSchema = Type.Object(
  {
    store: Type.Object({
      name: Type.String(),
      businessName: Type.Union([Type.String(), Type.Null()]),
      registrationNumber: Type.Union([Type.String(), Type.Null()], { description: '사업자등록번호, 000-00-00000' }),
      address: Type.Union([Type.String(), Type.Null()]),
      phone: Type.Union([Type.String(), Type.Null()], { description: "the store's phone" }),
      timeZone: Type.String(),
    }),
    order: Type.Object({
      number: Type.Integer({ description: 'the order number called out at the counter' }),
      dining: Type.Union([Type.Literal('eat_in'), Type.Literal('take_out'), Type.Null()]),
      orderedAt: DateTime,
      orderedAtLocal: LocalTime,
      cancelled: Type.Boolean(),
    }),
    lines: Type.Array(
      Type.Object({
        name: Type.String(),
        quantity: Type.Integer(),
        unitPrice: Won,
        lineTotal: Won,
        options: Type.Array(Type.Object({ group: Type.String(), name: Type.String(), priceDelta: Won })),
        note: Type.Union([Type.String(), Type.Null()]),
      }),
    ),
    total: Won,
    supplyValue: Type.Integer({ description: '공급가액: total - vat' }),
    vat: Type.Integer({ description: '부가세: floor(total / 11), VAT being included in the prices at 10 %' }),
    payment: Type.Object({
      status: PaymentStatusSchema,
      method: Type.Union([PaidMethodSchema, Type.Null()]),
      paidAmount: Won,
      refundedAmount: Won,
      approvalNumber: Type.Union([Type.String(), Type.Null()]),
      paidAt: Type.Union([DateTime, Type.Null()]),
      paidAtLocal: Type.Union([LocalTime, Type.Null()]),
    }),
    refunds: Type.Array(Type.Object({ amount: Won, at: DateTime, atLocal: LocalTime })),
    /** after this the link answers 404 receipt_not_found */
    expiresAt: DateTime,
  },
  { title: 'DigitalReceipt' },
);

export const GetDigitalReceiptRoute = {
  tags: ['receipts'],
  summary: 'The digital receipt behind a receipt QR code (public, no personal data)',
  description:
    'The token is the last part of the link printed as a QR code on the paper receipt. A wrong token and an expired one both answer ' +
    '404 receipt_not_found. Limited per client address (429 rate_limited).',
  security: [],
  params: Type.Object({ token: Type.String({ minLength: 1, maxLength: 100 }) }),
  response: { 200: DigitalReceiptSchema, ...errorResponses(400, 404, 429) },
};

export const ReprintReceiptRoute = {
  tags: ['receipts'],
  summary: "Print an order's receipt again on the kiosk that took it (or another kiosk of the store)",
  description:
    'A counter order not yet paid prints as a ticket saying so. 409 printer_unavailable when that kiosk has no printer, is offline or is out of ' +
    'paper; 409 payment_pending while a card or mobile charge is under way.',
  security,
  params: Type.Object({ storeId: Uuid, orderId: Uuid }),
  body: Type.Object(
    { kioskId: Type.Optional(Uuid) },
    { additionalProperties: false, description: 'kioskId: another kiosk of the store; `{}`: the kiosk that took the order' },
  ),
  response: {
    202: Type.Object({ url: Type.String({ description: 'the digital receipt' }), print: Type.Literal('printing') }),
    ...errorResponses(400, 401, 403, 404, 409),
  },
};

export const KioskOrderReceiptRoute = {
  tags: ['receipts'],
  summary: "The kiosk's own order's digital receipt link; its paper receipt is printed here the first time",
  description:
    'For a counter order, the ticket; for a card or mobile order, the receipt already printed when it was paid (asking again prints nothing more). ' +
    '404 order_not_found for an order of another kiosk; 409 payment_pending while the charge is under way.',
  security,
  params: Type.Object({ storeId: Uuid, orderId: Uuid }),
  response: {
    200: Type.Object({ url: Type.String({ description: 'the digital receipt, for a QR code' }), print: PrintSchema }),
    ...errorResponses(400, 401, 403, 404, 409),
  },
};

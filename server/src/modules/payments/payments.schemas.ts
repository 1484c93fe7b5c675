import { Type } from 'typebox';
import { DateTime, StoreParams, Uuid, errorResponses } from '../../platform/http/common-schemas.js';
import { OrderSchema, PaidMethodSchema, PaymentStartSchema } from '../orders/orders.schemas.js';

const security = [{ bearer: [] }];
const StoreOrderParams = Type.Object({ storeId: Uuid, orderId: Uuid });
const IdempotencyHeaders = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 8, maxLength: 100 })) });

export const RefundSchema = Type.Object(
  {
    id: Uuid,
    orderId: Uuid,
    amount: Type.Integer({ description: 'won' }),
    method: PaidMethodSchema,
    reason: Type.String(),
    state: Type.Union([Type.Literal('pending'), Type.Literal('done'), Type.Literal('failed')], {
      description: "'pending' while the kiosk's terminal or the gateway gives a card or mobile payment back",
    }),
    createdAt: DateTime,
  },
  { title: 'Refund' },
);

export const CounterPaymentRoute = {
  tags: ['payments'],
  summary: 'The POS takes the payment of an order at the counter (cash or the counter card reader)',
  description:
    'Send an `Idempotency-Key` (one per payment dialog): a retry answers the paid order, counted once in the sales figures. ' +
    '`amount` must be what is due (409 amount_mismatch). 409 already_paid, payment_pending (a charge at the kiosk is under way), order_cancelled.',
  security,
  params: StoreOrderParams,
  headers: IdempotencyHeaders,
  body: Type.Object(
    {
      method: Type.Union([Type.Literal('counter_cash'), Type.Literal('counter_card')]),
      amount: Type.Integer({ minimum: 0, maximum: 10_000_000, description: 'won' }),
      approvalNumber: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()], { description: "the counter card reader's approval number" })),
    },
    { additionalProperties: false },
  ),
  response: { 200: OrderSchema, ...errorResponses(400, 401, 403, 404, 409) },
};

export const RefundRoute = {
  tags: ['payments'],
  summary: "Give back part or all of a paid order's money",
  description:
    'Send an `Idempotency-Key` (one per refund dialog): a retry answers the same refund (200). The sales figures lose the amount; the order ' +
    'leaves their count and item figures only once fully refunded. A kiosk card or mobile payment is given back through the terminal or the ' +
    "gateway (the refund is 'pending' until they answer). 409 order_not_paid, refund_exceeds_paid (more than paid − refunded).",
  security,
  params: StoreOrderParams,
  headers: IdempotencyHeaders,
  body: Type.Object(
    { amount: Type.Integer({ minimum: 1, maximum: 10_000_000, description: 'won' }), reason: Type.String({ minLength: 1, maxLength: 200 }) },
    { additionalProperties: false },
  ),
  response: {
    201: Type.Object({ order: OrderSchema, refund: RefundSchema }),
    200: Type.Object({ order: OrderSchema, refund: RefundSchema }),
    ...errorResponses(400, 401, 403, 404, 409),
  },
};

export const ListRefundsRoute = {
  tags: ['payments'],
  summary: "An order's refunds, oldest first",
  security,
  params: StoreOrderParams,
  response: { 200: Type.Object({ refunds: Type.Array(RefundSchema) }), ...errorResponses(400, 401, 403, 404) },
};

const BusinessSchema = Type.Object(
  {
    name: Type.Union([Type.String({ maxLength: 60 }), Type.Null()], { description: 'the business name printed on receipts' }),
    registrationNumber: Type.Union([Type.String({ pattern: '^[0-9]{3}-?[0-9]{2}-?[0-9]{5}$' }), Type.Null()], {
      description: '사업자등록번호, 000-00-00000 (hyphens optional); its check digit is verified (400 invalid_registration_number)',
    }),
    address: Type.Union([Type.String({ maxLength: 120 }), Type.Null()]),
    phone: Type.Union([Type.String({ pattern: '^[0-9+][0-9 -]{6,18}[0-9]$' }), Type.Null()]),
  },
  { additionalProperties: false },
);

export const PaymentSettingsSchema = Type.Object(
  {
    kitchenStartsUnpaid: Type.Boolean({ description: 'whether an order to be paid at the counter reaches the kitchen before it is paid (default true)' }),
    unpaidExpiryMinutes: Type.Integer({ minimum: 5, maximum: 1440, description: 'an unpaid counter order not started is cancelled after this (default 30)' }),
    business: BusinessSchema,
  },
  { title: 'PaymentSettings', additionalProperties: false },
);

export const GetPaymentSettingsRoute = {
  tags: ['payments'],
  summary: "The store's payment settings and the business details its receipts print",
  security,
  params: StoreParams,
  response: { 200: PaymentSettingsSchema, ...errorResponses(401, 403, 404) },
};

export const PutPaymentSettingsRoute = {
  tags: ['payments'],
  summary: "Replace the store's payment settings and business details",
  security,
  params: StoreParams,
  body: PaymentSettingsSchema,
  response: { 200: PaymentSettingsSchema, ...errorResponses(400, 401, 403, 404) },
};

export const KioskOrderRoute = {
  tags: ['payments'],
  summary: "The kiosk's order with its payment as it stands (a page reloaded mid-payment picks up from it)",
  security,
  params: StoreOrderParams,
  response: { 200: Type.Object({ order: OrderSchema, payment: PaymentStartSchema }), ...errorResponses(400, 401, 403, 404) },
};

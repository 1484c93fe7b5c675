import { Type } from 'typebox';
import { DateTime, Uuid, errorResponses } from '../../platform/http/common-schemas.js';

const security = [{ bearer: [] }];
const LocalDay = Type.String({ format: 'date', description: "a day in the store's time zone, YYYY-MM-DD" });
const StatusSchema = Type.Union([
  Type.Literal('placed'),
  Type.Literal('preparing'),
  Type.Literal('ready'),
  Type.Literal('completed'),
  Type.Literal('cancelled'),
]);
const PaymentMethodSchema = Type.Union([Type.Literal('card'), Type.Literal('mobile'), Type.Literal('counter')], {
  description:
    "what the customer chose at the kiosk: 'card' (the kiosk's terminal), 'mobile' (a QR code to the payment gateway), 'counter' (pay at the counter)",
});
export const PaymentStatusSchema = Type.Union(
  [Type.Literal('pending'), Type.Literal('unpaid'), Type.Literal('paid'), Type.Literal('partially_refunded'), Type.Literal('refunded')],
  { description: 'pending: a charge at the kiosk under way; unpaid: to be paid at the counter; then paid, partially_refunded, refunded' },
);
export const PaidMethodSchema = Type.Union([Type.Literal('kiosk_card'), Type.Literal('mobile'), Type.Literal('counter_cash'), Type.Literal('counter_card')]);

const OrderPaymentSchema = Type.Object(
  {
    status: PaymentStatusSchema,
    method: Type.Union([PaidMethodSchema, Type.Null()], { description: 'how the money came in; null until paid' }),
    paidAmount: Type.Integer({ description: 'won' }),
    refundedAmount: Type.Integer({ description: 'won' }),
    approvalNumber: Type.Union([Type.String(), Type.Null()]),
    paidAt: Type.Union([DateTime, Type.Null()]),
    payBy: Type.Union([DateTime, Type.Null()], { description: 'when a pending or unpaid order expires if not paid' }),
  },
  { title: 'OrderPayment' },
);

/** what the kiosk is told about its order's payment (orders/payment.ts PaymentStart) */
export const PaymentStartSchema = Type.Object(
  {
    status: Type.Union([Type.Literal('pending'), Type.Literal('unpaid'), Type.Literal('paid')]),
    paymentId: Type.Optional(Uuid),
    checkoutUrl: Type.Optional(Type.String({ description: 'mobile: the checkout page, shown as a QR code' })),
    payBy: Type.Optional(DateTime),
  },
  { title: 'PaymentStart' },
);

const DiningSchema = Type.Union([Type.Literal('eat_in'), Type.Literal('take_out')], { description: 'eat-in or take-out' });

export const OrderSchema = Type.Object(
  {
    id: Uuid,
    storeId: Uuid,
    kioskId: Type.Union([Uuid, Type.Null()]),
    customerId: Type.Union([Uuid, Type.Null()]),
    number: Type.Integer({ description: 'called out at the counter; restarts every local day' }),
    localDate: Type.String(),
    status: StatusSchema,
    paymentMethod: PaymentMethodSchema,
    dining: Type.Union([DiningSchema, Type.Null()], { description: 'eat-in or take-out; null on orders placed before the kiosk asked' }),
    total: Type.Integer({ description: 'won' }),
    cancelReason: Type.Union([Type.String(), Type.Null()]),
    createdAt: DateTime,
    updatedAt: DateTime,
    cancelledAt: Type.Union([DateTime, Type.Null()]),
    payment: OrderPaymentSchema,
    lines: Type.Array(
      Type.Object({
        itemId: Uuid,
        itemName: Type.String(),
        unitPrice: Type.Integer(),
        quantity: Type.Integer(),
        options: Type.Array(Type.Object({ group: Type.String(), name: Type.String(), priceDelta: Type.Integer() })),
        lineTotal: Type.Integer(),
        note: Type.Union([Type.String(), Type.Null()], { description: 'the customer\'s note for this line ("덜 달게"), or null' }),
      }),
    ),
  },
  { title: 'Order' },
);

const StoreOrderParams = Type.Object({ storeId: Uuid, orderId: Uuid });

export const PlaceOrderRoute = {
  tags: ['orders'],
  summary: 'Place an order from the kiosk (prices are computed on the server)',
  description:
    'Send an `Idempotency-Key` header (8-100 characters) so that a retried request returns the same order instead of placing a second one. ' +
    '201 for a new order, 200 for a replay. Send `expectedTotal` (the total shown to the customer) to be told, instead of charged differently, when prices changed. ' +
    "`paymentMethod` decides the payment (docs/payments.md): 'counter' is placed unpaid; 'card' and 'mobile' are placed pending and their charge starts " +
    '(409 card_terminal_unavailable / mobile_payment_unavailable when this kiosk cannot take them now: nothing is written).',
  security,
  params: Type.Object({ storeId: Uuid }),
  headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 8, maxLength: 100 })) }),
  body: Type.Object(
    {
      lines: Type.Array(
        Type.Object(
          {
            itemId: Uuid,
            quantity: Type.Integer({ minimum: 1, maximum: 99 }),
            optionIds: Type.Optional(Type.Array(Uuid, { maxItems: 20 })),
            note: Type.Optional(
              Type.Union([Type.String({ maxLength: 400 }), Type.Null()], {
                description:
                  'a short note for the staff ("덜 달게"): at most 40 characters after trimming, no line breaks or other control characters ' +
                  '(400 note_too_long / note_invalid_characters)',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: 50 },
      ),
      paymentMethod: PaymentMethodSchema,
      dining: Type.Optional(
        Type.Union([Type.Literal('eat_in'), Type.Literal('take_out')], {
          description:
            'eat-in or take-out (the kiosk always sends it; without it the order reads as unknown). ' +
            'An item offered for the other only is refused: 409 item_not_offered_for_dining',
        }),
      ),
      customerId: Type.Optional(Type.Union([Uuid, Type.Null()])),
      expectedTotal: Type.Optional(Type.Integer({ minimum: 0 })),
    },
    { additionalProperties: false },
  ),
  response: {
    201: Type.Object({ order: OrderSchema, payment: PaymentStartSchema }),
    200: Type.Object({ order: OrderSchema, payment: PaymentStartSchema }),
    ...errorResponses(400, 401, 403, 409),
  },
};

export const ListOrdersRoute = {
  tags: ['orders'],
  summary: "The store's orders in a date range, newest first",
  security,
  params: Type.Object({ storeId: Uuid }),
  querystring: Type.Object(
    {
      from: LocalDay,
      to: LocalDay,
      status: Type.Optional(Type.Array(StatusSchema, { maxItems: 5 })),
      paymentStatus: Type.Optional(Type.Array(PaymentStatusSchema, { maxItems: 5 })),
      page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
      pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    },
    { additionalProperties: false },
  ),
  response: {
    200: Type.Object({ orders: Type.Array(OrderSchema), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() }),
    ...errorResponses(400, 401, 403),
  },
};

export const GetOrderRoute = {
  tags: ['orders'],
  summary: 'One order with its lines',
  security,
  params: StoreOrderParams,
  response: { 200: OrderSchema, ...errorResponses(400, 401, 403, 404) },
};

export const AdvanceOrderRoute = {
  tags: ['orders'],
  summary: 'Move an order forward: placed -> preparing -> ready -> completed',
  security,
  params: StoreOrderParams,
  body: Type.Object({ status: Type.Union([Type.Literal('preparing'), Type.Literal('ready'), Type.Literal('completed')]) }, { additionalProperties: false }),
  response: { 200: OrderSchema, ...errorResponses(400, 401, 403, 404, 409) },
};

export const CancelOrderRoute = {
  tags: ['orders'],
  summary: 'Cancel an order with a reason: its stock returns; a paid order is refunded the rest and taken out of the sales figures',
  security,
  params: StoreOrderParams,
  body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
  response: { 200: OrderSchema, ...errorResponses(400, 401, 403, 404, 409) },
};

export const FirstOrderDateRoute = {
  tags: ['orders'],
  summary: "The local day of the store's first order (for date pickers)",
  security,
  params: Type.Object({ storeId: Uuid }),
  response: { 200: Type.Object({ firstDate: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses(401, 403) },
};

export const LiveOrdersRoute = {
  tags: ['orders'],
  summary: 'Server-sent events: orders placed and changed, as they happen',
  description:
    'Events `order.placed` and `order.updated` carry the order and an id; `staff-call.created` and `staff-call.acknowledged` carry a ' +
    'StaffCall (a kiosk called for a person; a call was acknowledged) and an id; `kiosk.peripherals` carries {kioskId, cardTerminal, printer, ' +
    "reportedAt} when a kiosk's card terminal or printer changes or its agent comes or goes (the kiosk list's states); reconnecting with Last-Event-ID replays the missed ones " +
    'from a short log (whichever instance placed them), then `ready` {}. A comment arrives every 15 s. EventSource cannot send headers: ' +
    'pass the access token as `?access_token=`; a new stream opened after a token refresh resumes with `?lastEventId=`. ' +
    'The stream ends with `reauthenticate` when the token expires.',
  security,
  params: Type.Object({ storeId: Uuid }),
  querystring: Type.Object({
    access_token: Type.Optional(Type.String()),
    /** the Last-Event-ID header, for a page that opens a new stream itself (the header wins when both come) */
    lastEventId: Type.Optional(Type.String({ maxLength: 32 })),
  }),
};

export const RecommendationsRoute = {
  tags: ['orders'],
  summary: "A known customer's most ordered items and last order",
  security,
  params: Type.Object({ storeId: Uuid, customerId: Uuid }),
  response: {
    200: Type.Object({
      topItems: Type.Array(Type.Object({ itemId: Uuid, name: Type.String(), quantity: Type.Integer() })),
      lastOrder: Type.Union([OrderSchema, Type.Null()]),
    }),
    ...errorResponses(400, 401, 403),
  },
};

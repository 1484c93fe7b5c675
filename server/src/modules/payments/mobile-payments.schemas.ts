import { Type } from 'typebox';
import { DateTime, Uuid, errorResponses } from '../../platform/http/common-schemas.js';

const PaymentParams = Type.Object({ paymentId: Uuid });

const MobilePaymentSchema = Type.Object(
  {
    paymentId: Uuid,
    storeName: Type.String(),
    orderNumber: Type.Integer({ description: "the order's number of the day" }),
    orderName: Type.String({ description: '"아메리카노 외 2건": what the gateway\'s window names the payment' }),
    amount: Type.Integer({ description: 'won' }),
    state: Type.Union([Type.Literal('awaiting'), Type.Literal('paid'), Type.Literal('declined'), Type.Literal('cancelled'), Type.Literal('expired')], {
      description: 'awaiting: to be paid; paid; declined: the payment failed (the order is cancelled); cancelled; expired: the time to pay has passed',
    }),
    payBy: Type.Union([DateTime, Type.Null()], { description: 'the order expires unpaid at this time' }),
    reason: Type.Union([Type.String(), Type.Null()], { description: 'why it was declined or cancelled' }),
    checkout: Type.Union(
      [
        Type.Object({ provider: Type.Literal('fake') }, { title: 'FakeCheckout', description: 'the embedded fake gateway: the page offers 결제하기 / 취소' }),
        Type.Object(
          { provider: Type.Literal('toss'), clientKey: Type.String({ description: "Toss Payments' client key for its payment window" }) },
          { title: 'TossCheckout' },
        ),
      ],
      { title: 'GatewayCheckout' },
    ),
  },
  { title: 'MobilePayment' },
);

const description =
  "The customer's phone opens /pay/{paymentId} from the kiosk's QR code; the id is unguessable and names one payment. No personal data is shown. " +
  'See docs/payments.md "Mobile / QR payment".';

export const GetMobilePaymentRoute = {
  tags: ['payments'],
  summary: 'What the customer pays by phone: store, order number, amount and the gateway to use',
  description,
  params: PaymentParams,
  response: { 200: MobilePaymentSchema, ...errorResponses(400, 404) },
};

export const ConfirmMobilePaymentRoute = {
  tags: ['payments'],
  summary: "Confirms a payment the customer authorised in the gateway's window",
  description:
    `${description} The gateway's window returns to the page with its payment key and the amount; the server confirms the payment at the gateway ` +
    "with the order's own amount and only then marks the order paid. The same key confirmed twice gives the same answer and counts once. " +
    "A declined payment answers 200 with state `declined` (the order is cancelled). 409 amount_mismatch: the amount is not the order's (nothing is charged); " +
    '409 already_paid: the order was paid by another payment; 410 order_expired: too late, nothing is charged (or the payment was cancelled at the gateway); ' +
    '503 payment_gateway_unavailable: the gateway could not be asked, the same key may be sent again.',
  params: PaymentParams,
  body: Type.Object(
    {
      paymentKey: Type.String({
        minLength: 1,
        maxLength: 200,
        pattern: '^[A-Za-z0-9_=-]+$',
        description: "the gateway's key for the payment (Toss: paymentKey)",
      }),
      amount: Type.Integer({ minimum: 0, description: 'won, as the gateway returned it' }),
    },
    { additionalProperties: false },
  ),
  response: { 200: MobilePaymentSchema, ...errorResponses(400, 404, 409, 410, 503) },
};

export const FailMobilePaymentRoute = {
  tags: ['payments'],
  summary: "The gateway's window returned without a payment (or the customer chose 취소)",
  description: `${description} The order is cancelled, its stock given back, and the kiosk offers another way to pay. Nothing changes once a payment is being confirmed or is paid.`,
  params: PaymentParams,
  body: Type.Object(
    {
      code: Type.String({ minLength: 1, maxLength: 80, pattern: '^[A-Za-z0-9_]+$', description: "the gateway's code (Toss: PAY_PROCESS_CANCELED, ...)" }),
      message: Type.Optional(Type.String({ maxLength: 300 })),
    },
    { additionalProperties: false },
  ),
  response: { 200: MobilePaymentSchema, ...errorResponses(400, 404) },
};

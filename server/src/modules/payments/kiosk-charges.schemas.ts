import { Type } from 'typebox';
import { Uuid, errorResponses } from '../../platform/http/common-schemas.js';

export const CancelKioskPaymentRoute = {
  tags: ['payments'],
  summary: 'The customer gives up waiting for the card (or the phone): the charge is aborted or voided, the order cancelled',
  description:
    "Only the kiosk that placed the order. The agent aborts the terminal's sale, or voids the charge if it went through meanwhile; " +
    'the kiosk hears a `payment` event (cancelled, then voided). Asking again answers the same. 409 `already_paid` when the payment ' +
    'was confirmed first (the order stands), `payment_completing` when the card was approved a moment ago (a `confirmed` event follows).',
  security: [{ bearer: [] }],
  params: Type.Object({ storeId: Uuid, orderId: Uuid }),
  response: {
    200: Type.Object(
      {
        orderId: Uuid,
        paymentId: Uuid,
        state: Type.Union(
          [
            Type.Literal('requested'),
            Type.Literal('approved'),
            Type.Literal('confirmed'),
            Type.Literal('declined'),
            Type.Literal('void_requested'),
            Type.Literal('voided'),
            Type.Literal('void_failed'),
          ],
          { description: "the charge's state: void_requested until the agent reports the void" },
        ),
      },
      { title: 'KioskPaymentCancellation' },
    ),
    ...errorResponses(401, 403, 404, 409),
  },
};

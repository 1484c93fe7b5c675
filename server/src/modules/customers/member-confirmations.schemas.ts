import { Type } from 'typebox';
import { Uuid, errorResponses } from '../../platform/http/common-schemas.js';
import { RecommendationsRoute } from '../orders/orders.schemas.js';

const ConfirmedMemberSchema = Type.Object(
  {
    customerId: Uuid,
    maskedName: Type.Union([Type.String(), Type.Null()], { description: '김*수; null when no name was given' }),
    phoneLast4: Type.String({ description: 'the digits keyed in' }),
    recommendations: RecommendationsRoute.response[200],
  },
  { title: 'ConfirmedMember' },
);

export const ConfirmMemberRoute = {
  tags: ['customers'],
  summary: 'The customer keys in the last 4 digits of their phone to confirm a face match',
  description:
    "The kiosk's live `analysis` event names only a `confirmationId` when a face matched a member. The member comes back only when the " +
    "digits agree; wrong digits, an unknown, expired, used or other kiosk's id, a member deleted or forgotten meanwhile, or two matched " +
    'members with these digits all answer `{confirmed: false}`. A confirmation allows 3 tries (CONFIRMATION_ATTEMPTS); digit entries are ' +
    'limited per kiosk (429 rate_limited) and wrong digits per member. See docs/customers.md#confirmation-by-digits.',
  security: [{ bearer: [] }],
  params: Type.Object({ storeId: Uuid, confirmationId: Type.String({ minLength: 1, maxLength: 64 }) }),
  body: Type.Object(
    { lastDigits: Type.String({ pattern: '^[0-9]{4}$', description: 'the last 4 digits of the phone number' }) },
    { additionalProperties: false },
  ),
  response: {
    200: Type.Union(
      [
        Type.Object({ confirmed: Type.Literal(true), member: ConfirmedMemberSchema }, { title: 'MemberConfirmed' }),
        Type.Object({ confirmed: Type.Literal(false) }, { title: 'MemberNotConfirmed' }),
      ],
      { title: 'ConfirmationAnswer' },
    ),
    ...errorResponses(400, 401, 403, 429),
  },
};

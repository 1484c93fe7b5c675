import { Type } from 'typebox';
import { DateTime, StoreParams, Uuid, errorResponses } from '../../platform/http/common-schemas.js';

const security = [{ bearer: [] }];
const tags = ['customers'];
const CustomerParams = Type.Object({ storeId: Uuid, customerId: Uuid });

const AnalysisId = Type.String({ pattern: '^[A-Za-z0-9_-]{16,64}$', description: 'the analysisId of the kiosk screen event' });
// the format is checked by the service, so that a wrong number is invalid_phone rather than a schema error
const Phone = Type.String({ minLength: 1, maxLength: 32, description: 'a Korean mobile number, 010-1234-5678' });

export const MemberSchema = Type.Object(
  {
    customerId: Uuid,
    maskedName: Type.Union([Type.String(), Type.Null()], { description: '김*수; null when no name was given' }),
    phoneLast4: Type.String(),
    hasFace: Type.Boolean(),
  },
  { title: 'Member' },
);

const RegisteredSchema = Type.Object(
  {
    ...MemberSchema.properties,
    created: Type.Boolean({ description: 'false: the phone was already a member, who now has this face' }),
    orderClaimed: Type.Boolean({ description: "the orderId sent was this kiosk's guest order of the last 15 minutes and is now the member's" }),
  },
  { title: 'Registered' },
);

export const CustomerListingSchema = Type.Object(
  {
    id: Uuid,
    maskedName: Type.Union([Type.String(), Type.Null()]),
    maskedPhone: Type.String({ description: '010-****-1234' }),
    visits: Type.Integer({ description: 'orders placed as this member, not cancelled' }),
    lastVisitAt: Type.Union([DateTime, Type.Null()]),
    hasFace: Type.Boolean(),
    consentVersion: Type.String(),
    readyNotice: Type.Boolean({ description: 'gets "your order is ready" by text message (a consent of its own)' }),
    createdAt: DateTime,
  },
  { title: 'CustomerListing' },
);

export const RegisterCustomerRoute = {
  tags,
  summary: 'Register the analysed face with a phone number, after explicit consent (kiosk)',
  security,
  params: StoreParams,
  body: Type.Object(
    {
      analysisId: AnalysisId,
      phone: Phone,
      name: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
      /** the order the guest has just placed at this kiosk: it becomes the member's */
      orderId: Type.Optional(Uuid),
      consent: Type.Optional(
        Type.Object(
          { accepted: Type.Boolean(), version: Type.String({ maxLength: 40, description: 'the version of the consent text shown' }) },
          { additionalProperties: false },
        ),
      ),
      readyNotice: Type.Optional(
        Type.Object(
          { accepted: Type.Boolean(), version: Type.String({ maxLength: 40, description: 'the version of the ready-notice consent text shown' }) },
          {
            additionalProperties: false,
            description: 'a separate consent to a text message when the order is ready; absent or not accepted: no messages',
          },
        ),
      ),
      language: Type.Optional(
        Type.Union([Type.Literal('ko'), Type.Literal('en')], { description: "the kiosk's language: the language of the member's messages" }),
      ),
    },
    { additionalProperties: false },
  ),
  response: {
    201: RegisteredSchema,
    200: RegisteredSchema,
    ...errorResponses(400, 401, 403, 409, 410, 429),
  },
};

export const PrivacyNoticeRoute = {
  tags,
  summary: "What the kiosk's privacy notice says: how long an unused face is kept, and the version to consent to (kiosk or owner)",
  security,
  params: StoreParams,
  response: {
    200: Type.Object(
      {
        faceRetentionDays: Type.Integer({ minimum: 1, description: 'a face neither recognised nor enrolled for this many days is deleted' }),
        consentTextVersion: Type.String({ description: 'the version of the notice; registration sends it back in consent.version' }),
      },
      { title: 'PrivacyNotice' },
    ),
    ...errorResponses(400, 401, 403),
  },
};

export const LookupCustomerRoute = {
  tags,
  summary: 'The member with this phone number, masked (kiosk; rate limited per kiosk)',
  security,
  params: StoreParams,
  body: Type.Object({ phone: Phone }, { additionalProperties: false }),
  response: { 200: MemberSchema, ...errorResponses(400, 401, 403, 404, 429) },
};

export const KioskForgetFaceRoute = {
  tags,
  summary: "Forget the member's face at once: the kiosk proves it is them with its analysis or their phone number",
  security,
  params: CustomerParams,
  body: Type.Union([Type.Object({ analysisId: AnalysisId }, { additionalProperties: false }), Type.Object({ phone: Phone }, { additionalProperties: false })]),
  response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 410, 429) },
};

export const ListCustomersRoute = {
  tags,
  summary: "The store's members, newest first: masked name and phone, visits; never a face",
  security,
  params: StoreParams,
  querystring: Type.Object(
    {
      page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
      pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 50 }),
    },
    { additionalProperties: false },
  ),
  response: {
    200: Type.Object({ customers: Type.Array(CustomerListingSchema), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() }),
    ...errorResponses(400, 401, 403),
  },
};

export const ForgetFaceRoute = {
  tags,
  summary: "Delete the member's face at once (store owner); the membership stays",
  security,
  params: CustomerParams,
  response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
};

export const DeleteCustomerRoute = {
  tags,
  summary: 'Delete the member and their face (store owner); their orders stay, unlinked',
  security,
  params: CustomerParams,
  response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
};

const MemberProofBody = Type.Union([
  Type.Object({ analysisId: AnalysisId }, { additionalProperties: false }),
  Type.Object({ phone: Phone }, { additionalProperties: false }),
]);

export const ReadyNoticeRoute = {
  tags,
  summary: 'Whether the member gets "your order is ready" by text message (kiosk)',
  security,
  params: CustomerParams,
  response: { 200: Type.Object({ readyNotice: Type.Boolean() }, { title: 'ReadyNotice' }), ...errorResponses(400, 401, 403, 404) },
};

export const KioskRevokeReadyNoticeRoute = {
  tags,
  summary: 'Stop "your order is ready" messages: the kiosk proves it is the member with its analysis or their phone number',
  security,
  params: CustomerParams,
  body: MemberProofBody,
  response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 410, 429) },
};

export const RevokeReadyNoticeRoute = {
  tags,
  summary: 'Stop "your order is ready" messages to the member, on their request (store owner)',
  security,
  params: CustomerParams,
  response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
};

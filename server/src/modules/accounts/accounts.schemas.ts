import { Type } from 'typebox';
import { AccountRoleSchema, DateTime, Email, Password, Uuid, errorResponses } from '../../platform/http/common-schemas.js';

const BrandRef = Type.Object({ id: Uuid, name: Type.String(), code: Type.String() });
const StoreRef = Type.Object({ id: Uuid, name: Type.String(), timeZone: Type.String() });

export const ProfileSchema = Type.Object(
  {
    role: AccountRoleSchema,
    id: Uuid,
    email: Type.String(),
    displayName: Type.String(),
    brand: BrandRef,
    store: Type.Union([StoreRef, Type.Null()]),
    createdAt: DateTime,
  },
  { title: 'AccountProfile' },
);

export const KioskProfileSchema = Type.Object(
  {
    role: Type.Literal('kiosk'),
    id: Uuid,
    name: Type.String(),
    loginId: Type.String(),
    brand: Type.Object({ id: Uuid, name: Type.String() }),
    store: Type.Object({ id: Uuid, name: Type.String() }),
    screen: Type.Object(
      {
        heightCm: Type.Union([Type.Integer(), Type.Null()]),
        bottomCm: Type.Union([Type.Integer(), Type.Null()]),
        reachBand: Type.Number({
          minimum: 0,
          maximum: 1,
          description: 'the fraction of the screen, from its bottom edge, below the 120 cm reach limit (0.45 when not measured)',
        }),
      },
      { description: "where the kiosk's screen is, set by the owner: the low-position layout's band" },
    ),
    peripherals: Type.Object(
      {
        cardTerminal: Type.Union([Type.Literal('ready'), Type.Literal('offline'), Type.Literal('none')]),
        printer: Type.Union([Type.Literal('ready'), Type.Literal('paper_low'), Type.Literal('paper_out'), Type.Literal('offline'), Type.Literal('none')]),
      },
      {
        description:
          "the kiosk's card terminal and receipt printer as its device agent reports them ('offline' while the agent is not connected): card payment is offered only when cardTerminal is 'ready'; the live stream's `peripherals` events carry changes",
      },
    ),
  },
  { title: 'KioskProfile' },
);

const signUpFields = {
  email: Email,
  password: Password,
  brandCode: Type.String({ minLength: 3, maxLength: 20 }),
  displayName: Type.Optional(Type.String({ maxLength: 40 })),
  verificationToken: Type.String({ minLength: 1, maxLength: 200, description: 'from POST /api/email-codes/verify' }),
};

export const SignUpOwnerRoute = {
  tags: ['sign-up'],
  summary: 'Sign up as a store owner: opens a store of the brand',
  body: Type.Object({ ...signUpFields, storeName: Type.String({ minLength: 1, maxLength: 60 }) }, { additionalProperties: false }),
  response: { 201: ProfileSchema, ...errorResponses(400, 403, 409) },
};

export const SignUpCounselorRoute = {
  tags: ['sign-up'],
  summary: 'Sign up as a counselor of a brand',
  body: Type.Object(signUpFields, { additionalProperties: false }),
  response: { 201: ProfileSchema, ...errorResponses(400, 403, 409) },
};

export const EmailAvailabilityRoute = {
  tags: ['sign-up'],
  summary: 'Whether an email is still free for this role',
  querystring: Type.Object({ role: AccountRoleSchema, email: Email }, { additionalProperties: false }),
  response: { 200: Type.Object({ available: Type.Boolean() }), ...errorResponses(400, 429) },
};

export const MeRoute = {
  tags: ['accounts'],
  summary: 'Who I am: the account (owner, counselor) or the kiosk behind the token',
  security: [{ bearer: [] }],
  response: { 200: Type.Union([ProfileSchema, KioskProfileSchema]), ...errorResponses(401) },
};

export const ChangePasswordRoute = {
  tags: ['accounts'],
  summary: 'Change my password; my other sessions end',
  security: [{ bearer: [] }],
  body: Type.Object({ currentPassword: Type.String({ minLength: 1, maxLength: 128 }), newPassword: Password }, { additionalProperties: false }),
  response: { 204: Type.Null(), ...errorResponses(400, 401, 403) },
};

export const WithdrawRoute = {
  tags: ['accounts'],
  summary: "Withdraw: erase my account (a store owner's store closes, its kiosks are removed)",
  security: [{ bearer: [] }],
  body: Type.Object({ password: Type.String({ minLength: 1, maxLength: 128 }) }, { additionalProperties: false }),
  response: { 204: Type.Null(), ...errorResponses(400, 401, 403) },
};

export const RequestPasswordResetRoute = {
  tags: ['accounts'],
  summary: 'Email a reset code (the answer is the same whether or not the account exists)',
  body: Type.Object({ role: AccountRoleSchema, email: Email }, { additionalProperties: false }),
  response: { 202: Type.Null(), ...errorResponses(400, 429) },
};

export const ConfirmPasswordResetRoute = {
  tags: ['accounts'],
  summary: 'Set a new password with the emailed code; every session of the account ends',
  body: Type.Object(
    { role: AccountRoleSchema, email: Email, code: Type.String({ pattern: '^[0-9]{6}$' }), newPassword: Password },
    { additionalProperties: false },
  ),
  response: { 204: Type.Null(), ...errorResponses(400, 410, 429) },
};

export const BrandByCodeRoute = {
  tags: ['sign-up'],
  summary: 'The brand that a code belongs to (shown while signing up)',
  params: Type.Object({ code: Type.String({ minLength: 3, maxLength: 20 }) }),
  response: { 200: Type.Object({ name: Type.String(), code: Type.String() }), ...errorResponses(404) },
};

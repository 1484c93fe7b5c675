import { Type } from 'typebox';
import { AccountRoleSchema, DateTime, Email, RoleSchema, errorResponses } from '../../platform/http/common-schemas.js';

export const TokenPairSchema = Type.Object({
  role: RoleSchema,
  accessToken: Type.String(),
  accessTokenExpiresAt: DateTime,
  refreshToken: Type.String(),
  refreshTokenExpiresAt: DateTime,
});

export const LoginRoute = {
  tags: ['auth'],
  summary: 'Log in as a store owner or a counselor',
  body: Type.Object({ role: AccountRoleSchema, email: Email, password: Type.String({ minLength: 1, maxLength: 128 }) }, { additionalProperties: false }),
  response: { 200: TokenPairSchema, ...errorResponses(400, 401, 429) },
};

export const KioskLoginRoute = {
  tags: ['auth'],
  summary: 'Log in as a kiosk with the credentials shown when it was provisioned',
  body: Type.Object(
    { loginId: Type.String({ minLength: 1, maxLength: 40 }), secret: Type.String({ minLength: 1, maxLength: 200 }) },
    { additionalProperties: false },
  ),
  response: { 200: Type.Intersect([TokenPairSchema, Type.Object({ kioskId: Type.String() })]), ...errorResponses(400, 401, 429) },
};

export const RefreshRoute = {
  tags: ['auth'],
  summary: 'Trade a refresh token for a new pair; the old refresh token stops working',
  body: Type.Object({ refreshToken: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
  response: { 200: TokenPairSchema, ...errorResponses(400, 401) },
};

export const LogoutRoute = {
  tags: ['auth'],
  summary: 'End this session: its access and refresh tokens stop working',
  security: [{ bearer: [] }],
  response: { 204: Type.Null(), ...errorResponses(401) },
};

import { Type } from 'typebox';
import { Email, errorResponses } from '../../platform/http/common-schemas.js';

export const SendCodeRoute = {
  tags: ['sign-up'],
  summary: 'Email a 6-digit code to prove the address before signing up',
  body: Type.Object({ email: Email }, { additionalProperties: false }),
  response: {
    202: Type.Object({ expiresInSeconds: Type.Integer(), resendAfterSeconds: Type.Integer() }),
    ...errorResponses(400, 429),
  },
};

export const VerifyCodeRoute = {
  tags: ['sign-up'],
  summary: 'Check the emailed code; the verification token it returns goes with the sign-up',
  body: Type.Object({ email: Email, code: Type.String({ pattern: '^[0-9]{6}$' }) }, { additionalProperties: false }),
  response: {
    200: Type.Object({ verificationToken: Type.String(), expiresInSeconds: Type.Integer() }),
    ...errorResponses(400, 410, 429),
  },
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { SendCodeRoute, VerifyCodeRoute } from './email-codes.schemas.js';
import { VERIFICATION_TTL_SECONDS, type EmailCodesService } from './email-codes.service.js';

const SIGNUP_MAIL = {
  subject: '[Pinokio] 이메일 인증 코드 / Email verification code',
  text: (code: string) => `Pinokio 가입 인증 코드: ${code}\n5분 동안 유효합니다.\n\nYour Pinokio sign-up code: ${code}\nIt is valid for 5 minutes.`,
};

export const emailCodesRoutes: FastifyPluginAsyncTypebox<{ codes: EmailCodesService }> = async (app, { codes }) => {
  app.post('/api/email-codes', { schema: SendCodeRoute, config: { access: { public: true } } }, async (request, reply) => {
    const sent = await codes.send(request.body.email, 'signup', null, request.ip, SIGNUP_MAIL);
    return reply.code(202).send(sent);
  });

  app.post('/api/email-codes/verify', { schema: VerifyCodeRoute, config: { access: { public: true } } }, async (request) => {
    const { verificationToken } = await codes.verify(request.body.email, 'signup', null, request.body.code, request.ip);
    return { verificationToken, expiresInSeconds: VERIFICATION_TTL_SECONDS };
  });
};

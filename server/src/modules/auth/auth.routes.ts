import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from './access-policy.js';
import { KioskLoginRoute, LoginRoute, LogoutRoute, RefreshRoute } from './auth.schemas.js';
import type { AuthService } from './auth.service.js';

export const authRoutes: FastifyPluginAsyncTypebox<{ auth: AuthService }> = async (app, { auth }) => {
  app.post('/api/auth/login', { schema: LoginRoute, config: { access: { public: true } } }, async (request) =>
    auth.loginAccount(request.body.role, request.body.email, request.body.password, request.ip),
  );

  app.post('/api/auth/kiosk-login', { schema: KioskLoginRoute, config: { access: { public: true } } }, async (request) =>
    auth.loginKiosk(request.body.loginId, request.body.secret, request.ip),
  );

  app.post('/api/auth/refresh', { schema: RefreshRoute, config: { access: { public: true } } }, async (request) => auth.refresh(request.body.refreshToken));

  app.post(
    '/api/auth/logout',
    { schema: LogoutRoute, config: { access: { roles: ['owner', 'counselor', 'kiosk', 'kitchen', 'pickup'] } } },
    async (request, reply) => {
      await auth.logout(principalOf(request));
      return reply.code(204).send(null);
    },
  );
};

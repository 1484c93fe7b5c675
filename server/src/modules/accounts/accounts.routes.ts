import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { enforceLimits } from '../../platform/cache/rate-limit.js';
import type { Cache } from '../../platform/cache/cache.js';
import { principalOf } from '../auth/access-policy.js';
import type { BrandsService } from '../brands/brands.service.js';
import type { KiosksService } from '../kiosks/kiosks.service.js';
import {
  BrandByCodeRoute,
  ChangePasswordRoute,
  ConfirmPasswordResetRoute,
  EmailAvailabilityRoute,
  MeRoute,
  RequestPasswordResetRoute,
  SignUpCounselorRoute,
  SignUpOwnerRoute,
  WithdrawRoute,
} from './accounts.schemas.js';
import type { AccountsService } from './accounts.service.js';

interface Deps {
  accounts: AccountsService;
  brands: BrandsService;
  kiosks: KiosksService;
  cache: Cache;
}

export const accountsRoutes: FastifyPluginAsyncTypebox<Deps> = async (app, { accounts, brands, kiosks, cache }) => {
  const everyone = { access: { public: true as const } };
  const people = { access: { roles: ['owner', 'counselor'] as const } };

  app.get('/api/brands/:code', { schema: BrandByCodeRoute, config: everyone }, async (request) => {
    const brand = await brands.findByCode(request.params.code);
    return { name: brand.name, code: brand.code };
  });

  app.get('/api/accounts/email-availability', { schema: EmailAvailabilityRoute, config: everyone }, async (request) => {
    await enforceLimits(cache, [{ key: `email-availability:ip:${request.ip}`, limit: 60, windowSeconds: 60 }]);
    return { available: await accounts.emailAvailable(request.query.role, request.query.email) };
  });

  app.post('/api/accounts/owners', { schema: SignUpOwnerRoute, config: everyone }, async (request, reply) => {
    const profile = await accounts.signUpOwner({ ...request.body, displayName: request.body.displayName ?? '' });
    return reply.code(201).send(profile);
  });

  app.post('/api/accounts/counselors', { schema: SignUpCounselorRoute, config: everyone }, async (request, reply) => {
    const profile = await accounts.signUpCounselor({ ...request.body, displayName: request.body.displayName ?? '' });
    return reply.code(201).send(profile);
  });

  app.get('/api/me', { schema: MeRoute, config: { access: { roles: ['owner', 'counselor', 'kiosk'] } } }, async (request) => {
    const principal = principalOf(request);
    if (principal.role === 'kiosk') return { role: 'kiosk' as const, ...(await kiosks.describe(principal.subjectId)) };
    return accounts.profile(principal);
  });

  app.put('/api/me/password', { schema: ChangePasswordRoute, config: people }, async (request, reply) => {
    await accounts.changePassword(principalOf(request), request.body.currentPassword, request.body.newPassword);
    return reply.code(204).send(null);
  });

  app.post('/api/me/withdraw', { schema: WithdrawRoute, config: people }, async (request, reply) => {
    await accounts.withdraw(principalOf(request), request.body.password);
    return reply.code(204).send(null);
  });

  app.post('/api/password-resets', { schema: RequestPasswordResetRoute, config: everyone }, async (request, reply) => {
    await accounts.requestPasswordReset(request.body.role, request.body.email, request.ip);
    return reply.code(202).send(null);
  });

  app.post('/api/password-resets/confirm', { schema: ConfirmPasswordResetRoute, config: everyone }, async (request, reply) => {
    const { role, email, code, newPassword } = request.body;
    await accounts.confirmPasswordReset(role, email, code, newPassword, request.ip);
    return reply.code(204).send(null);
  });
};

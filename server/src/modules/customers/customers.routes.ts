import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../auth/access-policy.js';
import {
  DeleteCustomerRoute,
  ForgetFaceRoute,
  KioskForgetFaceRoute,
  ListCustomersRoute,
  LookupCustomerRoute,
  KioskRevokeReadyNoticeRoute,
  PrivacyNoticeRoute,
  ReadyNoticeRoute,
  RegisterCustomerRoute,
  RevokeReadyNoticeRoute,
} from './customers.schemas.js';
import type { CustomersService } from './customers.service.js';

export const customersRoutes: FastifyPluginAsyncTypebox<{ customers: CustomersService }> = async (app, { customers }) => {
  const storeOwner = { access: { roles: ['owner'] as const, storeParam: 'storeId' } };
  const storeKiosk = { access: { roles: ['kiosk'] as const, storeParam: 'storeId' } };
  const storeKioskOrOwner = { access: { roles: ['kiosk', 'owner'] as const, storeParam: 'storeId' } };

  // the notice the kiosk shows before consent says what the server does (its retention setting)
  app.get('/api/stores/:storeId/customers/privacy-notice', { schema: PrivacyNoticeRoute, config: storeKioskOrOwner }, async () => customers.privacyNotice());

  // the kiosk: phones travel in bodies (POST), never in URLs that proxies and logs keep
  app.post('/api/stores/:storeId/customers', { schema: RegisterCustomerRoute, config: storeKiosk }, async (request, reply) => {
    const registered = await customers.register(request.params.storeId, principalOf(request).subjectId, request.body);
    return reply.code(registered.created ? 201 : 200).send(registered);
  });

  app.post('/api/stores/:storeId/customers/lookup', { schema: LookupCustomerRoute, config: storeKiosk }, async (request) =>
    customers.lookupByPhone(request.params.storeId, principalOf(request).subjectId, request.body.phone),
  );

  app.post('/api/stores/:storeId/customers/:customerId/forget-face', { schema: KioskForgetFaceRoute, config: storeKiosk }, async (request, reply) => {
    const { storeId, customerId } = request.params;
    await customers.forgetFaceAtKiosk(storeId, principalOf(request).subjectId, customerId, request.body);
    return reply.code(204).send(null);
  });

  // "your order is ready" by text message: the kiosk's receipt shows it and offers to stop it
  app.get('/api/stores/:storeId/customers/:customerId/ready-notice', { schema: ReadyNoticeRoute, config: storeKiosk }, async (request) =>
    customers.readyNoticeOf(request.params.storeId, request.params.customerId),
  );

  app.post(
    '/api/stores/:storeId/customers/:customerId/ready-notice/revoke',
    { schema: KioskRevokeReadyNoticeRoute, config: storeKiosk },
    async (request, reply) => {
      const { storeId, customerId } = request.params;
      await customers.revokeReadyNoticeAtKiosk(storeId, principalOf(request).subjectId, customerId, request.body);
      return reply.code(204).send(null);
    },
  );

  // the POS
  app.delete('/api/stores/:storeId/customers/:customerId/ready-notice', { schema: RevokeReadyNoticeRoute, config: storeOwner }, async (request, reply) => {
    await customers.revokeReadyNotice(request.params.storeId, request.params.customerId);
    return reply.code(204).send(null);
  });

  app.get('/api/stores/:storeId/customers', { schema: ListCustomersRoute, config: storeOwner }, async (request) =>
    customers.list(request.params.storeId, request.query.page, request.query.pageSize),
  );

  app.delete('/api/stores/:storeId/customers/:customerId/face', { schema: ForgetFaceRoute, config: storeOwner }, async (request, reply) => {
    await customers.forgetFace(request.params.storeId, request.params.customerId);
    return reply.code(204).send(null);
  });

  app.delete('/api/stores/:storeId/customers/:customerId', { schema: DeleteCustomerRoute, config: storeOwner }, async (request, reply) => {
    await customers.remove(request.params.storeId, request.params.customerId);
    return reply.code(204).send(null);
  });
};

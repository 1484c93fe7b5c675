import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ConfirmMobilePaymentRoute, FailMobilePaymentRoute, GetMobilePaymentRoute } from './mobile-payments.schemas.js';
import type { MobilePaymentsService } from './mobile-payments.service.js';

// the customer's phone is signed in to nothing: the unguessable payment id in the QR code is the access
export const mobilePaymentsRoutes: FastifyPluginAsyncTypebox<{ mobilePayments: MobilePaymentsService }> = async (app, { mobilePayments }) => {
  const customerPhone = { access: { public: true as const } };

  app.get('/api/mobile-payments/:paymentId', { schema: GetMobilePaymentRoute, config: customerPhone }, async (request) =>
    mobilePayments.describe(request.params.paymentId),
  );

  app.post('/api/mobile-payments/:paymentId/confirmation', { schema: ConfirmMobilePaymentRoute, config: customerPhone }, async (request) =>
    mobilePayments.confirm(request.params.paymentId, request.body),
  );

  app.post('/api/mobile-payments/:paymentId/failure', { schema: FailMobilePaymentRoute, config: customerPhone }, async (request) =>
    mobilePayments.fail(request.params.paymentId, request.body),
  );
};

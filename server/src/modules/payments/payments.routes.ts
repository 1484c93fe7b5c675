import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../auth/access-policy.js';
import type { OrdersService } from '../orders/orders.service.js';
import { CounterPaymentRoute, GetPaymentSettingsRoute, KioskOrderRoute, ListRefundsRoute, PutPaymentSettingsRoute, RefundRoute } from './payments.schemas.js';
import { formatRegistrationNumber, type PaymentsService } from './payments.service.js';
import type { PaymentSettings } from './payments.repository.js';

export const paymentsRoutes: FastifyPluginAsyncTypebox<{ payments: PaymentsService; orders: OrdersService }> = async (app, { payments, orders }) => {
  const storeOwner = { access: { roles: ['owner'] as const, storeParam: 'storeId' } };
  const storeKiosk = { access: { roles: ['kiosk'] as const, storeParam: 'storeId' } };

  app.post('/api/stores/:storeId/orders/:orderId/payments', { schema: CounterPaymentRoute, config: storeOwner }, async (request) =>
    payments.payAtCounter(request.params.storeId, request.params.orderId, request.body, request.headers['idempotency-key'] ?? null),
  );

  app.post('/api/stores/:storeId/orders/:orderId/refunds', { schema: RefundRoute, config: storeOwner }, async (request, reply) => {
    const { order, refund, replayed } = await payments.refund(
      request.params.storeId,
      request.params.orderId,
      request.body,
      principalOf(request).subjectId,
      request.headers['idempotency-key'] ?? null,
    );
    return reply.code(replayed ? 200 : 201).send({ order, refund });
  });

  app.get('/api/stores/:storeId/orders/:orderId/refunds', { schema: ListRefundsRoute, config: storeOwner }, async (request) => ({
    refunds: await payments.refundsOf(request.params.storeId, request.params.orderId),
  }));

  app.get('/api/stores/:storeId/payment-settings', { schema: GetPaymentSettingsRoute, config: storeOwner }, async (request) =>
    shown(await payments.settings(request.params.storeId)),
  );

  app.put('/api/stores/:storeId/payment-settings', { schema: PutPaymentSettingsRoute, config: storeOwner }, async (request) =>
    shown(await payments.saveSettings(request.params.storeId, request.body)),
  );

  app.get('/api/stores/:storeId/kiosk-orders/:orderId', { schema: KioskOrderRoute, config: storeKiosk }, async (request) =>
    orders.kioskOrder(request.params.storeId, request.params.orderId),
  );
};

/** the registration number as people write it */
function shown(settings: PaymentSettings): PaymentSettings {
  return { ...settings, business: { ...settings.business, registrationNumber: formatRegistrationNumber(settings.business.registrationNumber) } };
}

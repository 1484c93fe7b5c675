import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../auth/access-policy.js';
import { CancelKioskPaymentRoute } from './kiosk-charges.schemas.js';
import type { KioskChargesService } from './kiosk-charges.service.js';

export const kioskChargesRoutes: FastifyPluginAsyncTypebox<{ charges: KioskChargesService }> = async (app, { charges }) => {
  const storeKiosk = { access: { roles: ['kiosk'] as const, storeParam: 'storeId' } };

  app.post('/api/stores/:storeId/kiosk-orders/:orderId/payment/cancel', { schema: CancelKioskPaymentRoute, config: storeKiosk }, async (request) => {
    const { storeId, orderId } = request.params;
    return charges.cancelByKiosk(storeId, principalOf(request).subjectId, orderId.toLowerCase());
  });
};

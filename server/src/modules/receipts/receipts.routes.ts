import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../auth/access-policy.js';
import { GetDigitalReceiptRoute, KioskOrderReceiptRoute, ReprintReceiptRoute } from './receipts.schemas.js';
import type { ReceiptsService } from './receipts.service.js';

export const receiptsRoutes: FastifyPluginAsyncTypebox<{ receipts: ReceiptsService }> = async (app, { receipts }) => {
  const everyone = { access: { public: true as const } };
  const storeOwner = { access: { roles: ['owner'] as const, storeParam: 'storeId' } };
  const storeKiosk = { access: { roles: ['kiosk'] as const, storeParam: 'storeId' } };

  app.get('/api/receipts/:token', { schema: GetDigitalReceiptRoute, config: everyone }, async (request) => receipts.digital(request.params.token, request.ip));

  app.post('/api/stores/:storeId/orders/:orderId/receipt-prints', { schema: ReprintReceiptRoute, config: storeOwner }, async (request, reply) =>
    reply.code(202).send(await receipts.reprint(request.params.storeId, request.params.orderId, request.body.kioskId)),
  );

  app.post('/api/stores/:storeId/kiosk-orders/:orderId/receipt', { schema: KioskOrderReceiptRoute, config: storeKiosk }, async (request) =>
    receipts.forKiosk(request.params.storeId, principalOf(request).subjectId, request.params.orderId),
  );
};

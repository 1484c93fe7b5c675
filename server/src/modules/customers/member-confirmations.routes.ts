import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../auth/access-policy.js';
import type { OrdersService } from '../orders/orders.service.js';
import type { MemberConfirmations } from './member-confirmations.js';
import { ConfirmMemberRoute } from './member-confirmations.schemas.js';

export const memberConfirmationsRoutes: FastifyPluginAsyncTypebox<{
  confirmations: MemberConfirmations<Awaited<ReturnType<OrdersService['recommendationsFor']>>>;
}> = async (app, { confirmations }) => {
  const storeKiosk = { access: { roles: ['kiosk'] as const, storeParam: 'storeId' } };

  // the digits travel in the body, never in a URL that proxies and logs keep
  app.post('/api/stores/:storeId/member-confirmations/:confirmationId', { schema: ConfirmMemberRoute, config: storeKiosk }, async (request) => {
    const { storeId, confirmationId } = request.params;
    return confirmations.confirm(storeId, principalOf(request).subjectId, confirmationId, request.body.lastDigits);
  });
};

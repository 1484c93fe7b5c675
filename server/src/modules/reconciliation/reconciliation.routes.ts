import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { GetReconciliationRoute, RunReconciliationRoute } from './reconciliation.schemas.js';
import type { ReconciliationService } from './reconciliation.service.js';

export const reconciliationRoutes: FastifyPluginAsyncTypebox<{ reconciliation: ReconciliationService }> = async (app, { reconciliation }) => {
  const storeOwner = { access: { roles: ['owner'] as const, storeParam: 'storeId' } };

  app.get('/api/stores/:storeId/reconciliation', { schema: GetReconciliationRoute, config: storeOwner }, async (request) =>
    reconciliation.latest(request.params.storeId, request.query.date),
  );

  app.post('/api/stores/:storeId/reconciliation', { schema: RunReconciliationRoute, config: storeOwner }, async (request) =>
    reconciliation.reconcile(request.params.storeId, request.body.date),
  );
};

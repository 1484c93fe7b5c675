import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { BestSellersRoute, SalesSeriesRoute, StandingRoute } from './sales.schemas.js';
import type { SalesService } from './sales.service.js';

export const salesRoutes: FastifyPluginAsyncTypebox<{ sales: SalesService }> = async (app, { sales }) => {
  const storeOwner = { access: { roles: ['owner'] as const, storeParam: 'storeId' } };

  app.get('/api/stores/:storeId/sales', { schema: SalesSeriesRoute, config: storeOwner }, async (request) => {
    const { from, to, period } = request.query;
    return { period, buckets: await sales.series(request.params.storeId, from, to, period) };
  });

  app.get('/api/stores/:storeId/sales/best-sellers', { schema: BestSellersRoute, config: storeOwner }, async (request) => {
    const { from, to, limit } = request.query;
    return { items: await sales.bestSellers(request.params.storeId, from, to, limit) };
  });

  app.get('/api/stores/:storeId/sales/standing', { schema: StandingRoute, config: storeOwner }, async (request) => sales.standing(request.params.storeId));
};

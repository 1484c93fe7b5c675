import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DeleteKioskRoute, ListKiosksRoute, ProvisionKioskRoute, UpdateKioskRoute } from './kiosks.schemas.js';
import type { KiosksService } from './kiosks.service.js';

export const kiosksRoutes: FastifyPluginAsyncTypebox<{ kiosks: KiosksService }> = async (app, { kiosks }) => {
  const storeOwner = { access: { roles: ['owner'] as const, storeParam: 'storeId' } };

  app.get('/api/stores/:storeId/kiosks', { schema: ListKiosksRoute, config: storeOwner }, async (request) => ({
    kiosks: await kiosks.list(request.params.storeId),
  }));

  app.post('/api/stores/:storeId/kiosks', { schema: ProvisionKioskRoute, config: storeOwner }, async (request, reply) => {
    const provisioned = await kiosks.provision(request.params.storeId, request.body.name, request.body.kind);
    return reply.code(201).send(provisioned);
  });

  app.patch('/api/stores/:storeId/kiosks/:kioskId', { schema: UpdateKioskRoute, config: storeOwner }, async (request) =>
    kiosks.update(request.params.storeId, request.params.kioskId, request.body),
  );

  app.delete('/api/stores/:storeId/kiosks/:kioskId', { schema: DeleteKioskRoute, config: storeOwner }, async (request, reply) => {
    await kiosks.remove(request.params.storeId, request.params.kioskId);
    return reply.code(204).send(null);
  });
};

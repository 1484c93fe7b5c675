import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { parseLastEventId } from '../../platform/bus/replayable-events.js';
import { openEventStream } from '../../platform/http/event-stream.js';
import { principalOf } from '../auth/access-policy.js';
import {
  AdvanceOrderRoute,
  CancelOrderRoute,
  FirstOrderDateRoute,
  GetOrderRoute,
  ListOrdersRoute,
  LiveOrdersRoute,
  PlaceOrderRoute,
  RecommendationsRoute,
} from './orders.schemas.js';
import { payloadOf, type OrdersService } from './orders.service.js';

export const ordersRoutes: FastifyPluginAsyncTypebox<{ orders: OrdersService }> = async (app, { orders }) => {
  const storeOwner = { access: { roles: ['owner'] as const, storeParam: 'storeId' } };
  const storeKiosk = { access: { roles: ['kiosk'] as const, storeParam: 'storeId' } };

  app.post('/api/stores/:storeId/orders', { schema: PlaceOrderRoute, config: storeKiosk }, async (request, reply) => {
    const kiosk = principalOf(request);
    const result = await orders.place(request.params.storeId, kiosk.subjectId, request.body, request.headers['idempotency-key'] ?? null);
    return reply.code(result.replayed ? 200 : 201).send({ order: result.order, payment: result.payment });
  });

  app.get('/api/stores/:storeId/orders', { schema: ListOrdersRoute, config: storeOwner }, async (request) =>
    orders.list(request.params.storeId, { ...request.query, statuses: request.query.status, paymentStatuses: request.query.paymentStatus }),
  );

  app.get('/api/stores/:storeId/orders/first-date', { schema: FirstOrderDateRoute, config: storeOwner }, async (request) => ({
    firstDate: await orders.firstOrderDate(request.params.storeId),
  }));

  const storeOwnerStream = { access: { ...storeOwner.access, queryToken: true } };
  app.get('/api/stores/:storeId/orders/live', { schema: LiveOrdersRoute, config: storeOwnerStream }, async (request, reply) => {
    const stream = openEventStream(request, reply, { endAt: principalOf(request).tokenExpiresAt });
    // EventSource sends Last-Event-ID itself when it reconnects; a page that opens a new stream (a
    // fresh token in its URL) says where it was in the query
    const resumeAfter = parseLastEventId(request.headers['last-event-id']) ?? parseLastEventId(request.query.lastEventId);
    const unfollow = await orders.followStore(request.params.storeId, resumeAfter, (event) => stream.send(event.type, payloadOf(event), event.id));
    stream.onClose(() => void unfollow());
    // only once the bus subscription holds: a POS that saw `ready` misses nothing after it
    stream.send('ready', {});
  });

  app.get('/api/stores/:storeId/orders/:orderId', { schema: GetOrderRoute, config: storeOwner }, async (request) =>
    orders.get(request.params.storeId, request.params.orderId),
  );

  app.post('/api/stores/:storeId/orders/:orderId/status', { schema: AdvanceOrderRoute, config: storeOwner }, async (request) =>
    orders.advance(request.params.storeId, request.params.orderId, request.body.status),
  );

  app.post('/api/stores/:storeId/orders/:orderId/cancel', { schema: CancelOrderRoute, config: storeOwner }, async (request) =>
    orders.cancel(request.params.storeId, request.params.orderId, request.body.reason, { accountId: principalOf(request).subjectId }),
  );

  app.get('/api/stores/:storeId/customers/:customerId/recommendations', { schema: RecommendationsRoute, config: storeKiosk }, async (request) =>
    orders.recommendationsFor(request.params.storeId, request.params.customerId),
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { parseLastEventId } from '../../platform/bus/replayable-events.js';
import { openEventStream } from '../../platform/http/event-stream.js';
import { principalOf } from '../auth/access-policy.js';
import {
  BumpTicketRoute,
  DeleteStationRoute,
  GetSettingsRoute,
  KitchenLiveRoute,
  ListStationsRoute,
  ListTicketsRoute,
  PickupBoardRoute,
  PickupLiveRoute,
  PutSettingsRoute,
  PutStationRoute,
  StoreScreenRoute,
} from './kitchen.schemas.js';
import type { KitchenService } from './kitchen.service.js';

export const kitchenRoutes: FastifyPluginAsyncTypebox<{ kitchen: KitchenService; keepAliveSeconds?: number }> = async (app, { kitchen, keepAliveSeconds }) => {
  // a kiosk cannot bump tickets, and a kitchen screen or pickup board cannot order (their routes are the kiosk's only)
  const kitchenScreen = { access: { roles: ['owner', 'kitchen'] as const, storeParam: 'storeId' } };
  const anyScreen = { access: { roles: ['owner', 'kitchen', 'pickup'] as const, storeParam: 'storeId' } };
  const storeOwner = { access: { roles: ['owner'] as const, storeParam: 'storeId' } };

  app.get('/api/store-screen', { schema: StoreScreenRoute, config: { access: { roles: ['owner', 'kitchen', 'pickup'] } } }, async (request) =>
    kitchen.screen(principalOf(request)),
  );

  app.get('/api/stores/:storeId/kitchen/tickets', { schema: ListTicketsRoute, config: kitchenScreen }, async (request) => ({
    tickets: await kitchen.tickets(request.params.storeId, request.query.station),
  }));

  app.post('/api/stores/:storeId/kitchen/tickets/:orderId/bump', { schema: BumpTicketRoute, config: kitchenScreen }, async (request) =>
    kitchen.bump(request.params.storeId, request.params.orderId, request.body.from),
  );

  app.get('/api/stores/:storeId/pickup', { schema: PickupBoardRoute, config: anyScreen }, async (request) => ({
    entries: await kitchen.pickupBoard(request.params.storeId),
  }));

  app.get('/api/stores/:storeId/kitchen/settings', { schema: GetSettingsRoute, config: anyScreen }, async (request) =>
    kitchen.settings(request.params.storeId),
  );

  app.put('/api/stores/:storeId/kitchen/settings', { schema: PutSettingsRoute, config: storeOwner }, async (request) =>
    kitchen.saveSettings(request.params.storeId, request.body),
  );

  app.get('/api/stores/:storeId/kitchen/stations', { schema: ListStationsRoute, config: kitchenScreen }, async (request) => ({
    stations: await kitchen.stations(request.params.storeId),
  }));

  app.post('/api/stores/:storeId/kitchen/stations', { schema: PutStationRoute, config: storeOwner }, async (request) =>
    kitchen.saveStation(request.params.storeId, request.body),
  );

  app.delete('/api/stores/:storeId/kitchen/stations/:stationId', { schema: DeleteStationRoute, config: storeOwner }, async (request, reply) => {
    await kitchen.deleteStation(request.params.storeId, request.params.stationId);
    return reply.code(204).send(null);
  });

  app.get(
    '/api/stores/:storeId/kitchen/live',
    { schema: KitchenLiveRoute, config: { access: { ...kitchenScreen.access, queryToken: true } } },
    async (request, reply) => {
      const stream = openEventStream(request, reply, { endAt: principalOf(request).tokenExpiresAt, keepAliveSeconds });
      const resumeAfter = parseLastEventId(request.headers['last-event-id']) ?? parseLastEventId(request.query.lastEventId);
      const unfollow = await kitchen.followTickets(request.params.storeId, resumeAfter, (ticket, id) => stream.send('ticket', ticket, id));
      stream.onClose(() => void unfollow());
      stream.send('ready', {});
    },
  );

  app.get(
    '/api/stores/:storeId/pickup/live',
    { schema: PickupLiveRoute, config: { access: { ...anyScreen.access, queryToken: true } } },
    async (request, reply) => {
      const stream = openEventStream(request, reply, { endAt: principalOf(request).tokenExpiresAt, keepAliveSeconds });
      const resumeAfter = parseLastEventId(request.headers['last-event-id']) ?? parseLastEventId(request.query.lastEventId);
      const unfollow = await kitchen.followPickup(request.params.storeId, resumeAfter, (entry, id) => stream.send('entry', entry, id));
      stream.onClose(() => void unfollow());
      stream.send('ready', {});
    },
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { parseLastEventId } from '../../platform/bus/replayable-events.js';
import { openEventStream } from '../../platform/http/event-stream.js';
import { DomainError } from '../../platform/http/errors.js';
import { principalOf } from '../auth/access-policy.js';
import { KioskLiveRoute } from './kiosk-live.schemas.js';
import type { KioskLiveService } from './kiosk-live.service.js';

export const kioskLiveRoutes: FastifyPluginAsyncTypebox<{ live: KioskLiveService; keepAliveSeconds: number }> = async (app, { live, keepAliveSeconds }) => {
  const ownKioskStream = { access: { roles: ['kiosk'] as const, storeParam: 'storeId', queryToken: true } };

  app.get('/api/stores/:storeId/kiosks/:kioskId/live', { schema: KioskLiveRoute, config: ownKioskStream }, async (request, reply) => {
    const kiosk = principalOf(request);
    const kioskId = request.params.kioskId.toLowerCase();
    // the access policy checked the store; a kiosk's screen is its own, not its neighbour's
    if (kiosk.subjectId !== kioskId) {
      throw new DomainError('forbidden', 'forbidden_kiosk', "This is another kiosk's screen.");
    }
    const stream = openEventStream(request, reply, { endAt: kiosk.tokenExpiresAt, keepAliveSeconds });
    // EventSource sends Last-Event-ID itself when it reconnects; a page that opens a new stream (with
    // a fresh token in its URL) can only say where it was in the query
    const resumeAfter = parseLastEventId(request.headers['last-event-id']) ?? parseLastEventId(request.query.lastEventId);
    const unfollow = await live.follow(kioskId, resumeAfter, (event) => stream.send(event.event, event.data, event.id));
    stream.onClose(() => void unfollow());
    // only once the bus subscription holds (a Redis round trip): a screen that saw `ready` misses nothing
    stream.send('ready', { kioskId });
  });
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DomainError } from '../../platform/http/errors.js';
import { principalOf } from '../auth/access-policy.js';
import { ReportSpeechStatusRoute, SynthesizeSpeechRoute } from './speech.schemas.js';
import type { SpeechService } from './speech.service.js';

export const speechRoutes: FastifyPluginAsyncTypebox<{ speech: SpeechService }> = async (app, { speech }) => {
  const storeKiosk = { access: { roles: ['kiosk'] as const, storeParam: 'storeId' } };

  app.post('/api/stores/:storeId/speech', { schema: SynthesizeSpeechRoute, config: storeKiosk }, async (request, reply) => {
    const spoken = await speech.speak(principalOf(request).subjectId, request.body);
    // the same text, voice and rate always give the same audio: the kiosk may keep it
    return reply
      .headers({ 'content-type': spoken.contentType, 'x-speech-cache': spoken.cached ? 'hit' : 'miss', 'cache-control': 'private, max-age=86400' })
      .send(spoken.audio);
  });

  app.put('/api/stores/:storeId/kiosks/:kioskId/speech-status', { schema: ReportSpeechStatusRoute, config: storeKiosk }, async (request, reply) => {
    if (request.params.kioskId.toLowerCase() !== principalOf(request).subjectId) {
      throw new DomainError('forbidden', 'forbidden_kiosk', 'A kiosk reports only its own speech status.');
    }
    await speech.reportStatus(request.params.storeId, request.params.kioskId, request.body.available);
    return reply.code(204).send(null);
  });
};

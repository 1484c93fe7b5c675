import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { localDate } from '../../platform/time/local-date.js';
import { principalOf } from '../auth/access-policy.js';
import type { ConsultationDetails } from './consultations.repository.js';
import { MyConsultationsRoute, SetCapacityRoute, StoreConsultationsRoute } from './consultations.schemas.js';
import type { ConsultationsService } from './consultations.service.js';

/** the zone of "today" for a counselor, who may serve stores anywhere; stores default to it too */
const DEFAULT_TIME_ZONE = 'Asia/Seoul';

export const consultationsRoutes: FastifyPluginAsyncTypebox<{ consultations: ConsultationsService }> = async (app, { consultations }) => {
  const counselor = { access: { roles: ['counselor'] as const } };
  const storeOwner = { access: { roles: ['owner'] as const, storeParam: 'storeId' } };

  app.get('/api/consultations/mine', { schema: MyConsultationsRoute, config: counselor }, async (request) => {
    const date = request.query.date ?? localDate(DEFAULT_TIME_ZONE);
    const list = await consultations.listMine(principalOf(request).subjectId, date);
    return { date, consultations: list.map(toRecord) };
  });

  app.get('/api/stores/:storeId/consultations', { schema: StoreConsultationsRoute, config: storeOwner }, async (request) => {
    const result = await consultations.listOfStore(request.params.storeId, request.query);
    return { ...result, consultations: result.consultations.map(toRecord) };
  });

  app.put('/api/counselors/me/capacity', { schema: SetCapacityRoute, config: counselor }, async (request) => {
    const me = principalOf(request);
    return consultations.setCapacity(me.subjectId, me.brandId, request.body.capacity);
  });
};

function toRecord(consultation: ConsultationDetails) {
  return {
    id: consultation.id,
    requestId: consultation.requestId,
    localDate: consultation.localDate,
    startedAt: consultation.startedAt,
    endedAt: consultation.endedAt,
    endedBy: consultation.endedBy,
    outcome: consultation.outcome,
    kiosk: { id: consultation.kiosk.id, name: consultation.kiosk.name },
    store: { id: consultation.storeId, name: consultation.kiosk.storeName },
    counselor: consultation.counselor,
  };
}

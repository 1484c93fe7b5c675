import { Type } from 'typebox';
import { DateTime, Uuid, errorResponses } from '../../platform/http/common-schemas.js';

const security = [{ bearer: [] }];
const LocalDay = Type.String({ format: 'date', description: "a day in the store's time zone, YYYY-MM-DD" });

export const ConsultationSchema = Type.Object(
  {
    id: Uuid,
    requestId: Uuid,
    localDate: Type.String({ description: "the day it started, in the store's time zone" }),
    startedAt: DateTime,
    endedAt: Type.Union([DateTime, Type.Null()]),
    endedBy: Type.Union([Type.Literal('kiosk'), Type.Literal('counselor'), Type.Literal('system'), Type.Null()]),
    outcome: Type.Union([Type.Literal('completed'), Type.Literal('disconnected'), Type.Null()], {
      description: 'completed: a side ended it; disconnected: a side was gone past the reconnect grace; null while live',
    }),
    kiosk: Type.Object({ id: Uuid, name: Type.String() }),
    store: Type.Object({ id: Uuid, name: Type.String() }),
    counselor: Type.Object({ id: Uuid, name: Type.String() }),
  },
  { title: 'Consultation' },
);

export const MyConsultationsRoute = {
  tags: ['consultations'],
  summary: "A counselor's consultations of one day (by default today, in Asia/Seoul), newest first",
  security,
  querystring: Type.Object({ date: Type.Optional(LocalDay) }, { additionalProperties: false }),
  response: {
    200: Type.Object({ date: Type.String(), consultations: Type.Array(ConsultationSchema) }),
    ...errorResponses(400, 401, 403),
  },
};

export const StoreConsultationsRoute = {
  tags: ['consultations'],
  summary: "The store's consultations in a date range, newest first",
  security,
  params: Type.Object({ storeId: Uuid }),
  querystring: Type.Object(
    {
      from: LocalDay,
      to: LocalDay,
      page: Type.Integer({ minimum: 1, default: 1 }),
      pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    },
    { additionalProperties: false },
  ),
  response: {
    200: Type.Object({ consultations: Type.Array(ConsultationSchema), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() }),
    ...errorResponses(400, 401, 403),
  },
};

export const SetCapacityRoute = {
  tags: ['consultations'],
  summary: 'How many kiosks the counselor serves at once (1 to 3)',
  security,
  body: Type.Object({ capacity: Type.Integer({ minimum: 1, maximum: 3 }) }, { additionalProperties: false }),
  response: {
    200: Type.Object({
      status: Type.Union([Type.Literal('online'), Type.Literal('away')]),
      capacity: Type.Integer(),
      active: Type.Integer({ description: 'live consultations now' }),
    }),
    ...errorResponses(400, 401, 403),
  },
};

import { Type } from 'typebox';
import { DateTime, StoreParams, Uuid, errorResponses } from '../../platform/http/common-schemas.js';

const security = [{ bearer: [] }];

const ReasonSchema = Type.Union([Type.Literal('requested'), Type.Literal('stalled')], {
  description:
    "'requested': the customer asked (the button, the keypad's help key); 'stalled': no progress in large-type or voice mode for the store's stall time",
});
const ModeSchema = Type.Union([Type.Literal('large'), Type.Literal('voice'), Type.Literal('standard')], {
  description: 'the mode the kiosk was in when it called',
});

export const StaffCallSchema = Type.Object(
  {
    id: Uuid,
    kioskId: Uuid,
    kioskName: Type.String(),
    reason: ReasonSchema,
    mode: ModeSchema,
    localDate: Type.String({ format: 'date', description: "the store's calendar day of the call" }),
    createdAt: DateTime,
    acknowledgedAt: Type.Union([DateTime, Type.Null()]),
    acknowledgedBy: Type.Union([Uuid, Type.Null()], { description: 'the account that acknowledged it' }),
  },
  { title: 'StaffCall' },
);

export const StaffCallSettingsSchema = Type.Object(
  {
    stallAlertSeconds: Type.Integer({
      minimum: 30,
      maximum: 900,
      description: 'a customer in large-type or voice mode who makes no progress for this long is a staff call (default 90)',
    }),
  },
  { title: 'StaffCallSettings' },
);

export const CallStaffRoute = {
  tags: ['staff-calls'],
  summary: 'A kiosk calls for a person: the store’s POS is alerted on its live stream',
  description:
    'Only a kiosk of this store. A second call from the same kiosk within a few seconds of an open call is that call: the same id, ' +
    'answered 200 instead of 201, and the POS is not alerted again.',
  security,
  params: StoreParams,
  body: Type.Object({ reason: ReasonSchema, mode: ModeSchema }, { additionalProperties: false }),
  response: { 200: StaffCallSchema, 201: StaffCallSchema, ...errorResponses(400, 401, 403) },
};

export const AcknowledgeStaffCallRoute = {
  tags: ['staff-calls'],
  summary: 'The owner is on their way: the kiosk is told (and says so), and every POS screen drops the alert',
  description: 'Acknowledging a call already acknowledged changes nothing and answers the call as it is.',
  security,
  params: Type.Object({ storeId: Uuid, callId: Uuid }),
  response: { 200: StaffCallSchema, ...errorResponses(400, 401, 403, 404) },
};

export const ListStaffCallsRoute = {
  tags: ['staff-calls'],
  summary: "The staff calls of one of the store's calendar days (today by default), newest first",
  security,
  params: StoreParams,
  querystring: Type.Object(
    { date: Type.Optional(Type.String({ format: 'date', description: "a day in the store's time zone, YYYY-MM-DD" })) },
    { additionalProperties: false },
  ),
  response: {
    200: Type.Object({ date: Type.String({ format: 'date' }), calls: Type.Array(StaffCallSchema) }),
    ...errorResponses(400, 401, 403),
  },
};

export const GetStaffCallSettingsRoute = {
  tags: ['staff-calls'],
  summary: "The store's staff-call settings (its kiosks read the stall time)",
  security,
  params: StoreParams,
  response: { 200: StaffCallSettingsSchema, ...errorResponses(400, 401, 403) },
};

export const PutStaffCallSettingsRoute = {
  tags: ['staff-calls'],
  summary: "Change the store's staff-call settings",
  security,
  params: StoreParams,
  body: Type.Object(StaffCallSettingsSchema.properties, { additionalProperties: false }),
  response: { 200: StaffCallSettingsSchema, ...errorResponses(400, 401, 403) },
};

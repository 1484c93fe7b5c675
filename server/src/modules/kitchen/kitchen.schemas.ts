import { Type } from 'typebox';
import { DateTime, StoreParams, Uuid, errorResponses } from '../../platform/http/common-schemas.js';

const security = [{ bearer: [] }];

/** the stages a ticket goes through: the order's forward-only statuses ('completed' is picked up) */
export const StageSchema = Type.Union([
  Type.Literal('placed'),
  Type.Literal('preparing'),
  Type.Literal('ready'),
  Type.Literal('completed'),
  Type.Literal('cancelled'),
]);
const OpenStage = Type.Union([Type.Literal('placed'), Type.Literal('preparing'), Type.Literal('ready')]);
const DiningSchema = Type.Union([Type.Literal('eat_in'), Type.Literal('take_out'), Type.Null()], { description: 'null: the kiosk did not ask' });

export const TicketSchema = Type.Object(
  {
    orderId: Uuid,
    number: Type.Integer({ description: 'called out at the counter; restarts every local day' }),
    stage: StageSchema,
    dining: DiningSchema,
    paymentStatus: Type.Union(
      [Type.Literal('pending'), Type.Literal('unpaid'), Type.Literal('paid'), Type.Literal('partially_refunded'), Type.Literal('refunded')],
      { description: "the order's payment: an 'unpaid' ticket is to be paid at the counter (shown when the store lets the kitchen start those)" },
    ),
    placedAt: DateTime,
    updatedAt: DateTime,
    lines: Type.Array(
      Type.Object({
        itemName: Type.String(),
        quantity: Type.Integer(),
        options: Type.Array(Type.String(), { description: "'group: name' of each option chosen" }),
        note: Type.Union([Type.String(), Type.Null()]),
        stationIds: Type.Array(Uuid, { description: 'the stations that make this line; empty: every station' }),
      }),
    ),
  },
  { title: 'KitchenTicket' },
);

export const PickupEntrySchema = Type.Object(
  { orderId: Uuid, number: Type.Integer(), stage: StageSchema, updatedAt: DateTime },
  { title: 'PickupEntry', description: 'what the pickup board shows of an order: its number and stage, nothing else' },
);

export const KitchenSettingsSchema = Type.Object(
  {
    lateAfterMinutes: Type.Integer({ minimum: 1, maximum: 120, description: 'a ticket older than this turns colour (default 7)' }),
    pickupHoldMinutes: Type.Integer({ minimum: 1, maximum: 240, description: 'a ready number leaves the pickup board after this (default 10)' }),
  },
  { title: 'KitchenSettings' },
);

export const StationSchema = Type.Object({ id: Uuid, name: Type.String(), categoryIds: Type.Array(Uuid) }, { title: 'KitchenStation' });

export const StoreScreenRoute = {
  tags: ['kitchen'],
  summary: 'Who this screen is: its store, kind and the kitchen settings (a kitchen display, a pickup board, or the owner)',
  security,
  response: {
    200: Type.Object({
      storeId: Uuid,
      storeName: Type.String(),
      kind: Type.Union([Type.Literal('kitchen'), Type.Literal('pickup'), Type.Literal('owner')]),
      name: Type.String(),
      settings: KitchenSettingsSchema,
      stations: Type.Array(StationSchema),
    }),
    ...errorResponses(401, 403),
  },
};

export const ListTicketsRoute = {
  tags: ['kitchen'],
  summary: "The store's open tickets (placed, preparing, ready), oldest first",
  security,
  params: StoreParams,
  querystring: Type.Object({ station: Type.Optional(Uuid) }, { additionalProperties: false }),
  response: { 200: Type.Object({ tickets: Type.Array(TicketSchema) }), ...errorResponses(400, 401, 403) },
};

export const BumpTicketRoute = {
  tags: ['kitchen'],
  summary: 'Move a ticket one stage on (placed -> preparing -> ready -> picked up)',
  description:
    'The body names the stage the screen showed. When another screen moved the ticket on meanwhile, the answer is 409 ' +
    '`ticket_already_bumped` with `details.current` (the stage now) and nothing moves twice.',
  security,
  params: Type.Object({ storeId: Uuid, orderId: Uuid }),
  body: Type.Object({ from: OpenStage }, { additionalProperties: false }),
  response: { 200: TicketSchema, ...errorResponses(400, 401, 403, 404, 409) },
};

export const PickupBoardRoute = {
  tags: ['kitchen'],
  summary: 'The pickup board: numbers being prepared, and numbers ready (for the hold time)',
  security,
  params: StoreParams,
  response: { 200: Type.Object({ entries: Type.Array(PickupEntrySchema) }), ...errorResponses(400, 401, 403) },
};

export const GetSettingsRoute = {
  tags: ['kitchen'],
  summary: "The store's kitchen settings",
  security,
  params: StoreParams,
  response: { 200: KitchenSettingsSchema, ...errorResponses(400, 401, 403) },
};

export const PutSettingsRoute = {
  tags: ['kitchen'],
  summary: "Change the store's kitchen settings",
  security,
  params: StoreParams,
  body: Type.Object(KitchenSettingsSchema.properties, { additionalProperties: false }),
  response: { 200: KitchenSettingsSchema, ...errorResponses(400, 401, 403) },
};

export const ListStationsRoute = {
  tags: ['kitchen'],
  summary: "The store's kitchen stations and the categories each one makes",
  security,
  params: StoreParams,
  response: { 200: Type.Object({ stations: Type.Array(StationSchema) }), ...errorResponses(400, 401, 403) },
};

export const PutStationRoute = {
  tags: ['kitchen'],
  summary: 'Add a station (no stationId) or replace one: its name and the categories routed to it',
  security,
  params: StoreParams,
  body: Type.Object(
    { id: Type.Optional(Uuid), name: Type.String({ minLength: 1, maxLength: 40 }), categoryIds: Type.Array(Uuid, { maxItems: 200 }) },
    { additionalProperties: false },
  ),
  response: { 200: StationSchema, ...errorResponses(400, 401, 403, 404) },
};

export const DeleteStationRoute = {
  tags: ['kitchen'],
  summary: 'Remove a station; its categories go to every screen again',
  security,
  params: Type.Object({ storeId: Uuid, stationId: Uuid }),
  response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
};

const StreamQuery = Type.Object({
  access_token: Type.Optional(Type.String()),
  /** the Last-Event-ID header, for a page that opens a new stream itself (the header wins when both come) */
  lastEventId: Type.Optional(Type.String({ maxLength: 32 })),
});

export const KitchenLiveRoute = {
  tags: ['kitchen'],
  summary: 'Server-sent events: tickets as they are placed, bumped, picked up or cancelled',
  description:
    'Each `ticket` event carries a ticket (KitchenTicket) and an id; a ticket whose stage is `completed` or `cancelled` leaves the screen. ' +
    'Reconnecting with Last-Event-ID replays the missed ones from a short log, whichever instance they happened on, then `ready` {}. ' +
    'Pass the access token as `?access_token=`; the stream ends with `reauthenticate` when it expires.',
  security,
  params: StoreParams,
  querystring: StreamQuery,
};

export const PickupLiveRoute = {
  tags: ['kitchen'],
  summary: "Server-sent events for the pickup board: an order's number and stage as it changes",
  description:
    'Each `entry` event carries a PickupEntry and an id; replay with Last-Event-ID as on the kitchen stream, then `ready` {}. ' +
    'Pass the access token as `?access_token=`; the stream ends with `reauthenticate` when it expires.',
  security,
  params: StoreParams,
  querystring: StreamQuery,
};

import { Type } from 'typebox';
import { DateTime, StoreParams, Uuid, errorResponses } from '../../platform/http/common-schemas.js';

const KioskKind = Type.Union([Type.Literal('kiosk'), Type.Literal('kitchen'), Type.Literal('pickup')], {
  description: "kiosk, or a store screen that signs in like one: 'kitchen' (the kitchen display), 'pickup' (the pickup board)",
});

const ScreenHeightCm = Type.Union([Type.Integer({ minimum: 10, maximum: 300 }), Type.Null()], {
  description: "the screen's visible height in cm; null: not measured (set with screenBottomCm)",
});
const ScreenBottomCm = Type.Union([Type.Integer({ minimum: 0, maximum: 250 }), Type.Null()], {
  description: "the height of the screen's bottom edge above the floor in cm; null: not measured (set with screenHeightCm)",
});

export const KioskSchema = Type.Object(
  {
    id: Uuid,
    storeId: Uuid,
    name: Type.String(),
    loginId: Type.String(),
    kind: KioskKind,
    createdAt: DateTime,
    screenHeightCm: ScreenHeightCm,
    screenBottomCm: ScreenBottomCm,
    speechAvailable: Type.Boolean({ description: 'false while the kiosk reports that it cannot speak (no voice in its browser, the server’s speech failing)' }),
    peripherals: Type.Optional(
      Type.Object(
        {
          cardTerminal: Type.Union([Type.Literal('ready'), Type.Literal('offline'), Type.Literal('none')]),
          printer: Type.Union([Type.Literal('ready'), Type.Literal('paper_low'), Type.Literal('paper_out'), Type.Literal('offline'), Type.Literal('none')]),
          reportedAt: Type.Union([DateTime, Type.Null()], { description: 'when its device agent last reported them' }),
        },
        {
          description:
            "a kiosk's card terminal and receipt printer as its device agent reported them; 'offline' while the agent is not connected, 'none' when it has none (absent for a kitchen display or pickup board)",
        },
      ),
    ),
  },
  { title: 'Kiosk' },
);

const KioskParams = Type.Object({ storeId: Uuid, kioskId: Uuid });
const KioskName = Type.String({ minLength: 1, maxLength: 40 });
const security = [{ bearer: [] }];

export const ListKiosksRoute = {
  tags: ['kiosks'],
  summary: "The store's kiosks",
  security,
  params: StoreParams,
  response: { 200: Type.Object({ kiosks: Type.Array(KioskSchema) }), ...errorResponses(400, 401, 403) },
};

export const ProvisionKioskRoute = {
  tags: ['kiosks'],
  summary: 'Add a kiosk; its secret is in this answer only and is never shown again',
  security,
  params: StoreParams,
  body: Type.Object({ name: KioskName, kind: Type.Optional(KioskKind) }, { additionalProperties: false }),
  response: {
    201: Type.Object({ kiosk: KioskSchema, credentials: Type.Object({ loginId: Type.String(), secret: Type.String() }) }),
    ...errorResponses(400, 401, 403, 409),
  },
};

export const UpdateKioskRoute = {
  tags: ['kiosks'],
  summary: "Rename a kiosk, or say where its screen is (the low-position layout's reach band comes from it)",
  description:
    'screenHeightCm and screenBottomCm go together (both numbers, or both null to clear): 400 screen_mounting_incomplete otherwise, and 400 screen_out_of_reach when less than 20 cm of the screen is below the 120 cm reach limit.',
  security,
  params: KioskParams,
  body: Type.Object(
    { name: Type.Optional(KioskName), screenHeightCm: Type.Optional(ScreenHeightCm), screenBottomCm: Type.Optional(ScreenBottomCm) },
    { additionalProperties: false, minProperties: 1 },
  ),
  response: { 200: KioskSchema, ...errorResponses(400, 401, 403, 404) },
};

export const DeleteKioskRoute = {
  tags: ['kiosks'],
  summary: 'Remove a kiosk; its sessions end at once',
  security,
  params: KioskParams,
  response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
};

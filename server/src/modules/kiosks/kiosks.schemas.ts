import { Type } from 'typebox';
import { DateTime, StoreParams, Uuid, errorResponses } from '../../platform/http/common-schemas.js';

const KioskKind = Type.Union([Type.Literal('kiosk'), Type.Literal('kitchen'), Type.Literal('pickup')], {
  description: "kiosk, or a store screen that signs in like one: 'kitchen' (the kitchen display), 'pickup' (the pickup board)",
});

export const KioskSchema = Type.Object(
  { id: Uuid, storeId: Uuid, name: Type.String(), loginId: Type.String(), kind: KioskKind, createdAt: DateTime },
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

export const RenameKioskRoute = {
  tags: ['kiosks'],
  summary: 'Rename a kiosk',
  security,
  params: KioskParams,
  body: Type.Object({ name: KioskName }, { additionalProperties: false }),
  response: { 200: KioskSchema, ...errorResponses(400, 401, 403, 404) },
};

export const DeleteKioskRoute = {
  tags: ['kiosks'],
  summary: 'Remove a kiosk; its sessions end at once',
  security,
  params: KioskParams,
  response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
};

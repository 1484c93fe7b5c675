import { Type } from 'typebox';
import { StoreParams, Uuid, errorResponses } from '../../platform/http/common-schemas.js';
import { DEVICE_SETTING_RANGES, type DeviceSettings } from './device-settings.js';

const setting = (name: keyof DeviceSettings) => {
  const range = DEVICE_SETTING_RANGES[name];
  const limits = { minimum: range.min, maximum: range.max, description: range.description };
  return range.integer ? Type.Integer(limits) : Type.Number(limits);
};

export const DeviceSettingsSchema = Type.Object(
  {
    sampleIntervalMs: setting('sampleIntervalMs'),
    arriveBelowCm: setting('arriveBelowCm'),
    arriveConsecutive: setting('arriveConsecutive'),
    arriveToleranceCm: setting('arriveToleranceCm'),
    leaveAfterMs: setting('leaveAfterMs'),
    framesPerCapture: setting('framesPerCapture'),
    frameIntervalMs: setting('frameIntervalMs'),
  },
  { title: 'DeviceSettings', additionalProperties: false },
);

const security = [{ bearer: [] }];

export const GetDeviceSettingsRoute = {
  tags: ['kiosks'],
  summary: "The store's kiosk device settings: presence thresholds and captures (defaults until saved)",
  security,
  params: StoreParams,
  response: { 200: DeviceSettingsSchema, ...errorResponses(400, 401, 403) },
};

export const PutDeviceSettingsRoute = {
  tags: ['kiosks'],
  summary: "Replace the store's kiosk device settings; connected kiosks receive them at once",
  security,
  params: StoreParams,
  body: DeviceSettingsSchema,
  response: { 200: DeviceSettingsSchema, ...errorResponses(400, 401, 403) },
};

/** a kiosk's own values: a setting left out follows the store's (same ranges as the store's) */
export const DeviceSettingOverridesSchema = Type.Object(
  {
    sampleIntervalMs: Type.Optional(setting('sampleIntervalMs')),
    arriveBelowCm: Type.Optional(setting('arriveBelowCm')),
    arriveConsecutive: Type.Optional(setting('arriveConsecutive')),
    arriveToleranceCm: Type.Optional(setting('arriveToleranceCm')),
    leaveAfterMs: Type.Optional(setting('leaveAfterMs')),
    framesPerCapture: Type.Optional(setting('framesPerCapture')),
    frameIntervalMs: Type.Optional(setting('frameIntervalMs')),
  },
  { title: 'DeviceSettingOverrides', additionalProperties: false },
);

export const KioskDeviceSettingsSchema = Type.Object(
  {
    store: DeviceSettingsSchema,
    overrides: DeviceSettingOverridesSchema,
    /** what the kiosk's device runs with: the store's settings with the overrides on top */
    effective: DeviceSettingsSchema,
  },
  { title: 'KioskDeviceSettings' },
);

const KioskParams = Type.Object({ storeId: Uuid, kioskId: Uuid });

export const GetKioskDeviceSettingsRoute = {
  tags: ['kiosks'],
  summary: "One kiosk's device settings: the store's, the kiosk's overrides, and the result",
  security,
  params: KioskParams,
  response: { 200: KioskDeviceSettingsSchema, ...errorResponses(400, 401, 403, 404, 409) },
};

export const PutKioskDeviceSettingsRoute = {
  tags: ['kiosks'],
  summary: "Replace one kiosk's overrides (a setting left out follows the store); its device receives the result at once",
  security,
  params: KioskParams,
  body: DeviceSettingOverridesSchema,
  response: { 200: KioskDeviceSettingsSchema, ...errorResponses(400, 401, 403, 404, 409) },
};

export const DeleteKioskDeviceSettingsRoute = {
  tags: ['kiosks'],
  summary: "Clear one kiosk's overrides: it follows the store's settings again, and its device receives them at once",
  security,
  params: KioskParams,
  response: { 200: KioskDeviceSettingsSchema, ...errorResponses(400, 401, 403, 404, 409) },
};

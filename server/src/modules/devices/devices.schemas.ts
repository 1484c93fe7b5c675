import { Type } from 'typebox';
import { StoreParams, errorResponses } from '../../platform/http/common-schemas.js';
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

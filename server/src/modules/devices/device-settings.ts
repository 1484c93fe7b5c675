// A store's device settings: how its kiosks sample the distance sensor, when the server decides
// someone arrived or left, and how many photos a capture takes. Defaults apply until the store
// owner saves their own (devices.repository.ts keeps one row per store).

export interface DeviceSettings {
  sampleIntervalMs: number;
  arriveBelowCm: number;
  arriveConsecutive: number;
  arriveToleranceCm: number;
  leaveAfterMs: number;
  framesPerCapture: number;
  frameIntervalMs: number;
}

/** the allowed range of each setting; the HTTP schema and the service both read it */
export const DEVICE_SETTING_RANGES: Record<keyof DeviceSettings, { min: number; max: number; integer: boolean; description: string }> = {
  sampleIntervalMs: { min: 50, max: 5_000, integer: true, description: 'how often the device reads the distance sensor, ms' },
  arriveBelowCm: { min: 10, max: 400, integer: false, description: 'a reading under this many centimetres counts as someone near' },
  arriveConsecutive: { min: 1, max: 50, integer: true, description: 'readings in a row that make an arrival' },
  arriveToleranceCm: { min: 0.5, max: 100, integer: false, description: 'how far (±cm) those readings may differ from the first of the run' },
  leaveAfterMs: { min: 1_000, max: 600_000, integer: true, description: 'nobody near for this long (ms) means the customer left' },
  framesPerCapture: { min: 1, max: 10, integer: true, description: 'photos taken when someone arrives' },
  frameIntervalMs: { min: 0, max: 5_000, integer: true, description: 'pause between those photos, ms' },
};

export const DEFAULT_DEVICE_SETTINGS: DeviceSettings = {
  sampleIntervalMs: 100,
  arriveBelowCm: 80,
  arriveConsecutive: 5,
  arriveToleranceCm: 5,
  leaveAfterMs: 5_000,
  framesPerCapture: 3,
  frameIntervalMs: 200,
};

/** a kiosk's own values; a setting left out follows the store's */
export type DeviceSettingOverrides = Partial<DeviceSettings>;

export const DEVICE_SETTING_NAMES = Object.keys(DEFAULT_DEVICE_SETTINGS) as Array<keyof DeviceSettings>;

/** what a kiosk's device runs with: the store's settings, with the kiosk's overrides on top */
export function effectiveSettings(store: DeviceSettings, overrides: DeviceSettingOverrides | undefined): DeviceSettings {
  const effective = { ...store };
  for (const name of DEVICE_SETTING_NAMES) {
    const value = overrides?.[name];
    if (value !== undefined) effective[name] = value;
  }
  return effective;
}

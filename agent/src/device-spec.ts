// A peripheral's option value, `<kind>:<path>[,key=value...]` (line:/dev/ttyUSB0,baud=115200): the
// driver kind, the device path and the driver's settings, checked against what the driver knows.

export interface DeviceSpec {
  kind: string;
  path: string;
  settings: Map<string, string>;
}

export function parseDeviceSpec(spec: string, kinds: readonly string[], knownSettings: readonly string[]): DeviceSpec {
  const colon = spec.indexOf(':');
  const kind = colon > 0 ? spec.slice(0, colon) : '';
  if (!kinds.includes(kind)) throw new Error(`"${spec}": expected ${kinds.map((known) => `${known}:<path>`).join(' or ')}`);
  const [path = '', ...pairs] = spec.slice(colon + 1).split(',');
  if (!path) throw new Error(`"${spec}": the device path is missing`);
  const settings = new Map<string, string>();
  for (const pair of pairs) {
    const [key = '', value = '', ...extra] = pair.split('=');
    if (!knownSettings.includes(key) || value === '' || extra.length > 0) {
      throw new Error(`"${spec}": "${pair}" is not a setting (known: ${knownSettings.map((known) => `${known}=...`).join(', ')})`);
    }
    settings.set(key, value);
  }
  return { kind, path, settings };
}

/** a whole number setting within bounds, or the default */
export function integerSetting(spec: DeviceSpec, key: string, fallback: number, min: number, max: number): number {
  const raw = spec.settings.get(key);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) throw new Error(`${spec.kind}:${spec.path}: ${key} must be a whole number from ${min} to ${max}`);
  return value;
}

// What one line from the distance sensor means. The firmware (firmware/distance-sensor) answers
// `GET_DISTANCE` with the centimetres and one decimal (`123.4`) or with `ERR <reason>`; anything
// else is garbage: line noise, a wrong baud rate, another device on the port.

/** the HC-SR04 reads to about 400 cm and the firmware gives up near 430: more is not a measurement */
export const MAX_PLAUSIBLE_CM = 500;

export type SensorLine =
  | { kind: 'reading'; centimetres: number }
  /** the sensor answered but measured nothing (`ERR timeout`: nothing in range): not a reading, not garbage */
  | { kind: 'no-reading'; reason: string }
  | { kind: 'garbage'; reason: 'empty' | 'not a number' | 'not above zero' | 'too far' };

const DECIMAL = /^-?\d{1,6}(\.\d{1,3})?$/;

export function parseSensorLine(raw: string): SensorLine {
  const line = raw.trim();
  if (line === '') return { kind: 'garbage', reason: 'empty' };
  if (line.startsWith('ERR')) return { kind: 'no-reading', reason: line.slice(3).trim() || 'unspecified' };
  // a strict shape, not Number(): "", "0x1F", "1e3", "Infinity" and "12abc" are not what the firmware prints
  if (!DECIMAL.test(line)) return { kind: 'garbage', reason: 'not a number' };
  const centimetres = Number(line);
  if (!Number.isFinite(centimetres)) return { kind: 'garbage', reason: 'not a number' };
  // the HC-SR04 cannot measure under 2 cm, and the server refuses 0 (a whole batch with it)
  if (centimetres <= 0) return { kind: 'garbage', reason: 'not above zero' };
  if (centimetres > MAX_PLAUSIBLE_CM) return { kind: 'garbage', reason: 'too far' };
  return { kind: 'reading', centimetres };
}

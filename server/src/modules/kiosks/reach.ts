// Which part of a kiosk's screen a seated customer can reach: the band of the screen below the
// reach limit, from the screen's height and the height of its bottom edge above the floor
// (docs/accessibility.md#reach). The kiosk's low-position layout puts every control in it.

/** operable parts no higher than this above the floor (Korea's kiosk notices; EN 301 549 8.3 says 122 cm) */
export const REACH_LIMIT_CM = 120;
/** a screen not measured yet: its lower 45 % */
export const DEFAULT_REACH_BAND = 0.45;
/** the low-position layout needs at least this much screen within reach */
export const MIN_REACHABLE_CM = 20;

/** the fraction of the screen's height, from its bottom edge, within reach (0..1) */
export function reachBand(screenHeightCm: number | null, screenBottomCm: number | null): number {
  if (screenHeightCm === null || screenBottomCm === null || screenHeightCm <= 0) return DEFAULT_REACH_BAND;
  const reachable = (REACH_LIMIT_CM - screenBottomCm) / screenHeightCm;
  return Math.round(Math.min(1, Math.max(0, reachable)) * 1000) / 1000;
}

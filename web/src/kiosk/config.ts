// The kiosk's timings in one place. The idle time can be set per device (or per test) with
// `?idle=<seconds>` in the kiosk's URL; it is remembered for the session of the page.

/** no touch for this long on an order screen: the order is dropped and the start screen returns */
export const DEFAULT_IDLE_SECONDS = 60;
/** the warning (sight and sound, with a button to continue) shows this long before the reset */
export const IDLE_WARNING_SECONDS = 15;
/** the receipt returns to the start screen on its own after this long */
export const RECEIPT_SECONDS = 20;
/** bounds for `?idle=`: never shorter than the warning plus a few seconds of use */
const MIN_IDLE_SECONDS = IDLE_WARNING_SECONDS + 5;
const MAX_IDLE_SECONDS = 600;

/** the idle time in seconds: `?idle=` when it is a sensible number, else the default */
export function idleSeconds(search: string = window.location.search): number {
  const raw = new URLSearchParams(search).get('idle');
  if (raw === null || !/^\d{1,4}$/.test(raw)) return DEFAULT_IDLE_SECONDS;
  const seconds = Number(raw);
  return Math.min(MAX_IDLE_SECONDS, Math.max(MIN_IDLE_SECONDS, seconds));
}

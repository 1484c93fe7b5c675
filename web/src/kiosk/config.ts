// The kiosk's timings in one place (docs/accessibility.md#timing). The idle time can be set per
// device (or per test) with `?idle=<seconds>` in the kiosk's URL, the receipt's with
// `?receipt=<seconds>`; both are remembered for the session of the page.

/** no touch for this long on an order screen: the order is dropped and the start screen returns */
export const DEFAULT_IDLE_SECONDS = 60;
/**
 * the warning (seen, heard, with a button to continue) shows this long before the reset: WCAG
 * 2.2.1 asks at least 20 s to act; a few more for someone who has to find the button first
 */
export const IDLE_WARNING_SECONDS = 25;
/** in large-type and voice modes every wait is this many times longer */
export const PATIENT_FACTOR = 2;
/** the receipt stays this long when nobody leaves or taps "처음으로" (then the same warning) */
export const RECEIPT_SECONDS = 120;
/** bounds for `?idle=` and `?receipt=`: never shorter than the warning plus a few seconds of use */
const MIN_SECONDS = IDLE_WARNING_SECONDS + 5;
const MAX_SECONDS = 1800;

function seconds(name: string, fallback: number, search: string): number {
  const raw = new URLSearchParams(search).get(name);
  if (raw === null || !/^\d{1,4}$/.test(raw)) return fallback;
  return Math.min(MAX_SECONDS, Math.max(MIN_SECONDS, Number(raw)));
}

/** the idle time in seconds: `?idle=` when it is a sensible number, else the default */
export function idleSeconds(search: string = window.location.search): number {
  return seconds('idle', DEFAULT_IDLE_SECONDS, search);
}

/** how long the receipt stays: `?receipt=` when it is a sensible number, else RECEIPT_SECONDS */
export function receiptSeconds(search: string = window.location.search): number {
  return seconds('receipt', RECEIPT_SECONDS, search);
}

/** the wait for this customer: doubled in large-type or voice mode */
export function patientSeconds(base: number, patient: boolean): number {
  return patient ? base * PATIENT_FACTOR : base;
}

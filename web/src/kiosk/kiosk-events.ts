// DOM events between kiosk parts that do not import each other (the keypad, the staff call).
/** the customer asked for a person (the keypad's help key): the staff call listens for it */
export const STAFF_CALL_REQUESTED = 'pinokio:staff-call-requested';

export function requestStaffCall(): void {
  window.dispatchEvent(new Event(STAFF_CALL_REQUESTED));
}

// What a kiosk's own screen hears on its live stream (docs/devices.md#the-live-kiosk-screen).
// Nothing here may ever carry a face embedding: the analysis event is built field by field.

export type LiveState = 'waiting' | 'present' | 'analysing';

export interface AnalysisView {
  analysisId: string;
  faceFound: boolean;
  age: number | null;
  gender: 'female' | 'male' | null;
  /** age at or over SENIOR_AGE_THRESHOLD: offer the senior mode first */
  senior: boolean;
  /**
   * a face matched a member: the id of the pending confirmation the customer answers with the last
   * 4 digits of their phone (docs/customers.md#confirmation-by-digits). Nothing else of the member
   * (no name, digits or customer id) is ever on this stream.
   */
  confirmationId: string | null;
}

export type LiveEvent =
  | { event: 'state'; data: { state: LiveState } }
  | { event: 'face'; data: { analysisId: string; faceFound: boolean } }
  | { event: 'analysis'; data: AnalysisView }
  | { event: 'reset'; data: { reason: string } }
  /** the owner acknowledged this kiosk's staff call: the kiosk says someone is coming (modules/staff-calls) */
  | { event: 'staff-call.acknowledged'; data: { callId: string; acknowledgedAt: string } };

/** an event as logged and delivered: ids increase per kiosk */
export type LoggedEvent = LiveEvent & { id: number };
